#pragma once
// n2n-mtu's command line: `probe TARGET` (a supernode host:port, --host ADDRESS) and
// `calc PATH_MTU`, with the edge's -c/-k/-A/-H/-z where they matter.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/crypto/transform.hpp"

namespace n2nkit::mtutool {

// Exit codes (documented in man/n2n-mtu.1 and --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblem = 1;     // only a lower bound, or the path is below --min
inline constexpr int kExitUsage = 2;       // bad command line or input
inline constexpr int kExitPermission = 3;  // a socket the kernel refuses without privileges
inline constexpr int kExitNoAnswer = 4;    // nothing answered / unreachable

enum class Command : std::uint8_t { probe, calc };
enum class Mode : std::uint8_t { supernode, host, overlay };

struct Options {
  Command command = Command::probe;
  Mode mode = Mode::supernode;
  std::string target;                            // host:port, or the address with --host
  std::size_t path_mtu = 0;                      // calc
  std::string community;                         // -c / N2N_COMMUNITY
  bool header_encryption = false;                // -H
  std::optional<crypto::TransformId> transform;  // -A (calc: the row to stress)
  bool key_given = false;                        // -k / N2N_KEY: AES unless -A says otherwise
  bool compression = false;                      // -z
  std::size_t lower = 1200;                      // --min
  std::size_t upper = 1500;                      // --max (without it: the route's MTU)
  bool lower_given = false;                      // --overlay: defaults from the TAP instead
  bool upper_given = false;
  double timeout_s = 0;  // --timeout: give up after this long (0: 10 s, 30 s for --udp)
  std::uint16_t management_port = 5644;  // -t: the local edge's, for --overlay
  bool udp = false;                      // --udp: --host with UDP, not ICMP echo
  bool json = false;
  // User/password communities (-I user -J password [-P federation key]): probed after a
  // throw-away registration.
  std::string user;                                                   // -I
  std::optional<std::string> password;                                // -J / N2N_PASSWORD
  std::optional<std::array<std::uint8_t, 32>> federation_public_key;  // -P
};

struct ParseResult {
  std::optional<Options> options;  // empty: exit with exit_code (help printed, or an error)
  int exit_code = kExitOk;
};

ParseResult parse_options(int argc, char** argv);

}  // namespace n2nkit::mtutool
