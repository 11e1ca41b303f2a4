#pragma once
// n2n-route's command line: the subcommands (add, del, list, gateway enable|disable,
// supernode-route, undo) and the reference's form `n2n-route [-t port] [-p password] [-g gw]
// [-n net/bits[:gw]] [-v] [-V] <vpn gateway>`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace n2nkit::routetool {

// Documented in n2n-route(8) and --help.
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblem = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPermission = 3;
inline constexpr int kExitNoAnswer = 4;

enum class Command {
  none,
  add,
  del,
  list,
  gateway_enable,
  gateway_disable,
  supernode_route,
  undo,
  follow
};

struct Options {
  Command command = Command::none;
  bool dry_run = false;
  bool json = false;
  std::string state_dir = "/run/n2nkit";
  std::string dev = "n2n0";
  bool dev_given = false;
  std::vector<std::string> args;  // add/del: NET [via GATEWAY]
  std::optional<std::uint32_t> metric;
  // gateway enable
  std::string lan;
  std::string snat;
  bool masquerade = false;
  std::string firewall = "auto";
  // supernode-route and the reference form
  std::uint16_t mgmt_port = 5644;
  bool mgmt_port_given = false;
  std::string mgmt_password;
  std::vector<std::string> supernodes;
  // the reference form
  std::string vpn_gateway;
  std::string underlay_gateway;   // -g
  std::vector<std::string> nets;  // -n
  int verbosity = 0;
};

// Parses argv; on --help/--version prints and sets exit_code 0, on bad usage prints one line
// and sets exit_code 2; nullopt in both cases.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace n2nkit::routetool
