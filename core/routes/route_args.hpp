#pragma once
// n2n-route's command line past CLI11: the words of `add`/`del` (NET [via GATEWAY]), the
// reference form's -n NET/BITS[:GATEWAY], and which options belong to which command (an option
// the command would ignore is a mistake worth a word, not silence). Pure, so that the rules are
// unit-tested; the tool maps each error to exit status 2.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/routes/ipv4_route.hpp"

namespace n2nkit::routes {

struct RouteArgs {
  Ipv4Net net;
  std::optional<std::uint32_t> gateway;
};

// "NET" or "NET via GATEWAY".
std::optional<RouteArgs> parse_route_args(const std::vector<std::string>& words,
                                          std::string& error);

// -n NET/BITS or NET/BITS:GATEWAY; without a gateway the VPN gateway's.
std::optional<OverlayRoute> parse_reference_net(std::string_view text, std::uint32_t vpn_gateway,
                                                std::string& error);

enum class RouteCommand {
  add,
  del,
  list,
  gateway_enable,
  gateway_disable,
  supernode_route,
  undo,
  follow,  // the reference form
};

// Which of the command-specific options the command line holds.
struct GivenOptions {
  bool metric = false;
  bool lan = false;
  bool snat = false;
  bool masquerade = false;
  bool firewall = false;
  bool supernode = false;
  bool mgmt = false;       // -t or -p
  bool reference = false;  // -g, -n, -v or -V
};

// The first option that does not belong to the command, as one line ("--lan is only for gateway
// enable"); nullopt when all do.
std::optional<std::string> misplaced_option(RouteCommand command, const GivenOptions& given);

}  // namespace n2nkit::routes
