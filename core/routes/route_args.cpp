#include "core/routes/route_args.hpp"

#include <fmt/format.h>

#include <array>

namespace n2nkit::routes {

std::optional<RouteArgs> parse_route_args(const std::vector<std::string>& words,
                                          std::string& error) {
  if (words.size() != 1 && words.size() != 3) {
    error = "expected NET [via GATEWAY], e.g. 10.10.10.0/24 via 10.20.30.254";
    return std::nullopt;
  }
  RouteArgs out;
  const auto net = parse_ipv4_net(words[0], error);
  if (!net) return std::nullopt;
  out.net = *net;
  if (words.size() == 3) {
    if (words[1] != "via") {
      error = fmt::format("expected 'via' before the gateway, not '{}'", words[1]);
      return std::nullopt;
    }
    const auto gw = parse_ipv4_address(words[2]);
    if (!gw || *gw == 0) {
      error = fmt::format("'{}' is not an IPv4 gateway address", words[2]);
      return std::nullopt;
    }
    out.gateway = *gw;
  }
  return out;
}

std::optional<OverlayRoute> parse_reference_net(std::string_view text, std::uint32_t vpn_gateway,
                                                std::string& error) {
  const std::string full = text.find(':') == std::string_view::npos
                               ? fmt::format("{}:{}", text, ipv4_text(vpn_gateway))
                               : std::string(text);
  auto r = parse_overlay_route(full, error);
  if (!r) error = "-n " + error;
  return r;
}

std::optional<std::string> misplaced_option(RouteCommand c, const GivenOptions& g) {
  using C = RouteCommand;
  const bool routes = c == C::add || c == C::del;
  const bool gateway = c == C::gateway_enable || c == C::gateway_disable;
  struct Rule {
    bool given;
    const char* option;
    bool allowed;
    const char* commands;
  };
  const std::array<Rule, 8> rules{{
      {g.metric, "--metric", routes, "add and del"},
      {g.lan, "--lan", c == C::gateway_enable, "gateway enable"},
      {g.snat, "--snat", c == C::gateway_enable, "gateway enable"},
      {g.masquerade, "--masquerade", c == C::gateway_enable, "gateway enable"},
      {g.firewall, "--firewall", gateway, "gateway enable and disable"},
      {g.supernode, "--supernode", c == C::supernode_route || c == C::list,
       "supernode-route and list"},
      {g.mgmt, "-t and -p", c == C::supernode_route || c == C::list || c == C::follow,
       "supernode-route, list and the reference form"},
      {g.reference, "-g, -n, -v and -V", c == C::follow,
       "the reference form (n2n-route [options] VPN-GATEWAY)"},
  }};
  for (const Rule& r : rules) {
    if (r.given && !r.allowed) {
      return fmt::format(
          "{} {} only for {}", r.option,
          std::string_view(r.option).find(" and ") != std::string_view::npos ? "are" : "is",
          r.commands);
    }
  }
  return std::nullopt;
}

}  // namespace n2nkit::routes
