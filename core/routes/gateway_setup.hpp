#pragma once
// `n2n-route gateway enable`: from the command line and the kernel's table to core/firewall's
// gateway request (the overlay subnet is the TAP's own, the route the kernel made for its
// address), and which firewall backend carries it. Pure; applying is the tool's.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/firewall/rule_plan.hpp"
#include "core/firewall/ruleset_model.hpp"
#include "core/routes/ipv4_route.hpp"

namespace n2nkit::routes {

// The subnet of the device's address: the kernel's (proto kernel) link route on it.
std::optional<Ipv4Net> device_subnet(std::span<const KernelRoute> table, int ifindex);

struct GatewayArgs {
  std::string dev;  // the overlay
  int dev_ifindex = 0;
  std::string lan;
  std::string snat;  // empty: masquerade
  bool masquerade = false;
};

// nullopt with one line in error: neither or both of --snat and --masquerade, a malformed SNAT
// address, no address on the overlay device.
std::optional<firewall::GatewayRequest> gateway_request(const GatewayArgs& args,
                                                        std::span<const KernelRoute> table,
                                                        std::string& error);

// "auto": iptables (as the system names it) where an iptables FORWARD chain drops by policy,
// because only a rule inserted into that chain lets the overlay through it; nftables (a table
// of our own) otherwise. why: one sentence for the output.
std::string choose_backend(std::string_view requested, const firewall::FirewallState& state,
                           std::string& why);

}  // namespace n2nkit::routes
