#pragma once
// The daemon's command line and configuration file (spec §14.1, §14.3): what the reference's
// supernode accepts, parsed into one Options value, with every problem reported as one line
// naming the option and, for a file, file:line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/supernode/auto_ip.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernoded {

// Exit codes (documented in man/n2n-supernode.8).
inline constexpr int kExitOk = 0;       // clean stop (signal, management `stop`), --help
inline constexpr int kExitFailure = 1;  // runtime failure: a port in use, privileges, ...
inline constexpr int kExitUsage = 2;    // bad command line, configuration file or community.list

inline constexpr std::uint16_t kDefaultPort = 7654;
inline constexpr std::uint16_t kDefaultManagementPort = 5645;
inline constexpr unsigned kDefaultVerbosity = 2;  // the reference's TRACE_NORMAL

struct Options {
  std::uint16_t port = kDefaultPort;                              // -p, UDP and TCP
  std::uint16_t management_port = kDefaultManagementPort;         // -t
  std::vector<std::string> anchors;                               // -l host:port, in order
  supernode::AutoIpPool auto_ip = supernode::kDefaultAutoIpPool;  // -a
  std::optional<std::string> community_file;                      // -c, made absolute
  std::string federation = "*Federation";  // -F / N2N_FEDERATION, with the '*'
  bool default_federation = true;
  std::optional<wire::Mac> mac;             // -m, multicast bit cleared, local set
  bool spoofing_protection = true;          // false with -M
  std::string version = "3.1.1";            // -V
  std::string management_password = "n2n";  // --management-password
  bool foreground = false;                  // -f
  unsigned verbosity = kDefaultVerbosity;   // 2 + number of -v
  std::optional<std::string> user;          // -u
  std::optional<std::string> group;         // -g
  // Notes about values that were adjusted (logged once logging is set up).
  std::vector<std::string> warnings;
};

struct ParseResult {
  std::optional<Options> options;  // empty: exit with exit_code (help printed, or an error)
  int exit_code = kExitOk;
};

// argv as main() got it. Prints help/version to stdout and errors (one line) to stderr.
ParseResult parse_options(int argc, char** argv);

}  // namespace n2nkit::supernoded
