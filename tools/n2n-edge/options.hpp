#pragma once
// The edge daemon's command line and configuration file (spec §14.1, §14.2): what the
// reference's edge accepts, parsed into one Options value, every problem reported as one line
// naming the option and, for a file, file:line. Options of the reference that n2nkit does not
// implement yet are refused with a line saying so (never silently ignored).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/compress/compression.hpp"
#include "core/crypto/transform.hpp"
#include "core/edge/supernode_selection.hpp"
#include "core/edge/traffic_rules.hpp"
#include "core/keys/user_password.hpp"
#include "core/routes/ipv4_route.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::edged {

// Exit codes (documented in man/n2n-edge.8).
inline constexpr int kExitOk = 0;           // clean stop (signal), --help, --version
inline constexpr int kExitFailure = 1;      // runtime failure: TAP, netlink, a port in use, ...
inline constexpr int kExitUsage = 2;        // bad command line or configuration file
inline constexpr int kExitPermission = 77;  // needs root or CAP_NET_ADMIN (TAP, addresses)

inline constexpr std::uint16_t kDefaultManagementPort = 5644;
inline constexpr unsigned kDefaultMtu = 1290;
inline constexpr unsigned kDefaultVerbosity = 2;

struct Options {
  std::string community;                  // -c / N2N_COMMUNITY (≤ 19 bytes), required
  std::vector<std::string> supernodes;    // -l host:port, in order, at least one
  std::uint32_t bind_address = 0;         // -p [ip:]port or -p ip (host order; 0 = any)
  std::uint16_t bind_port = 0;            // 0 = ephemeral
  std::optional<wire::IpSubnet> address;  // -a [static:]ip[/n] (default /24); nullopt: auto
  std::optional<wire::Mac> mac;           // -m (nullopt: random, locally administered)
  std::string device = "edge0";           // -d / --tap-device (< 16 bytes)
  unsigned mtu = kDefaultMtu;             // -M (with -M auto: the MTU until a path is known)
  bool mtu_auto = false;                  // -M auto (n2nkit)
  crypto::TransformId transform = crypto::TransformId::null;        // -A, or AES when -k alone
  std::string key;                                                  // -k / N2N_KEY
  bool header_encryption = false;                                   // -H
  crypto::CompressionId compression = crypto::CompressionId::none;  // -z1, -z2 (bare -z: LZO)
  bool routing = false;                                             // -r
  bool accept_multicast = false;                                    // -E
  std::vector<edge::TrafficRule> rules;                             // -R, in order
  std::vector<routes::OverlayRoute> routes;                         // -n, in order
  bool p2p = true;                                                  // false with -S1 / -S / -S2
  bool tcp = false;                                                 // -S2: TCP to the supernode
  unsigned register_ttl = 0;  // -L (0-255; 0: the normal direct REGISTER)
  // -e IP (the address), -e auto (preferred_auto; the address is detected at start)
  std::optional<std::uint32_t> preferred_address;
  bool preferred_auto = false;
  bool mss_clamp = true;        // false with --no-mss-clamp (n2nkit)
  std::uint64_t interval = 20;  // -i (≥ 1)
  std::uint8_t tos = 0;         // -T
  bool dont_fragment = false;   // -D: DF on every datagram (default: never, as the reference)
  std::string description;      // -I (≤ 15 bytes; default: the host name), the user name with -J
  std::optional<std::string> password;  // -J / N2N_PASSWORD: user/password authentication
  std::optional<keys::Key32> federation_public_key;  // -P (nullopt: the default federation's)
  edge::SelectionStrategy selection = edge::SelectionStrategy::load;  // --select-rtt/-mac
  bool foreground = false;                                            // -f
  std::uint16_t management_port = kDefaultManagementPort;             // -t
  std::string management_password = "n2n";                            // --management-password
  unsigned verbosity = kDefaultVerbosity;                             // 2 + number of -v
  std::optional<std::string> user;                                    // -u
  std::optional<std::string> group;                                   // -g
  std::vector<std::string> warnings;  // adjusted values, logged once logging is up
};

struct ParseResult {
  std::optional<Options> options;  // empty: exit with exit_code (help printed, or an error)
  int exit_code = kExitOk;
};

// argv as main() got it. Prints help/version to stdout and errors (one line) to stderr.
ParseResult parse_options(int argc, char** argv);

}  // namespace n2nkit::edged
