#include "core/routes/gateway_setup.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::routes {

namespace {
constexpr std::uint8_t kProtoKernel = 2;
}

std::optional<Ipv4Net> device_subnet(std::span<const KernelRoute> table, int ifindex) {
  for (const KernelRoute& k : table) {
    if (k.route.ifindex == ifindex && k.protocol == kProtoKernel && k.route.gateway == 0 &&
        k.prefsrc != 0 && k.route.prefix < 32) {
      return Ipv4Net{k.route.dst, k.route.prefix};
    }
  }
  return std::nullopt;
}

std::optional<firewall::GatewayRequest> gateway_request(const GatewayArgs& args,
                                                        std::span<const KernelRoute> table,
                                                        std::string& error) {
  if (args.lan.empty()) {
    error = "gateway enable needs --lan IFACE (the interface the LAN is on)";
    return std::nullopt;
  }
  if (args.snat.empty() == !args.masquerade) {
    error = "gateway enable needs exactly one of --snat IP and --masquerade";
    return std::nullopt;
  }
  if (!args.snat.empty()) {
    const auto a = parse_ipv4_address(args.snat);
    if (!a || *a == 0) {
      error = fmt::format("--snat '{}' is not an IPv4 address", args.snat);
      return std::nullopt;
    }
  }
  const auto subnet = device_subnet(table, args.dev_ifindex);
  if (!subnet) {
    error = fmt::format(
        "{} has no IPv4 address (is the edge up?): the overlay subnet to "
        "translate is unknown",
        args.dev);
    return std::nullopt;
  }
  firewall::GatewayRequest r;
  r.overlay_iface = args.dev;
  r.lan_iface = args.lan;
  r.overlay_subnet = fmt::format("{}/{}", ipv4_text(subnet->net), subnet->prefix);
  r.masquerade = args.masquerade;
  r.snat_address = args.snat;
  return r;
}

std::string choose_backend(std::string_view requested, const firewall::FirewallState& state,
                           std::string& why) {
  if (requested != "auto") {
    why = fmt::format("--firewall {}", requested);
    return std::string(requested);
  }
  for (const auto& p : state.forward_policies) {
    if (!p.drops) continue;
    if (p.place.source == firewall::Source::iptables_nft) {
      why = "iptables-nft's FORWARD chain drops by policy: the rules go into it";
      return "iptables-nft";
    }
    if (p.place.source == firewall::Source::iptables_legacy) {
      why = "iptables-legacy's FORWARD chain drops by policy: the rules go into it";
      return "iptables-legacy";
    }
  }
  why = "no iptables FORWARD chain drops: the rules go into an nftables table of n2nkit's own";
  return "nft";
}

}  // namespace n2nkit::routes
