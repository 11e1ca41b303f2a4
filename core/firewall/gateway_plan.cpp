// A gateway between the overlay and a LAN: forwarding accepted both ways (or only replies into
// the overlay), and NAT for the overlay's subnet where it leaves through the LAN interface.
#include <arpa/inet.h>

#include <fmt/format.h>

#include "core/firewall/rule_plan.hpp"

namespace n2nkit::firewall {
namespace {

// "10.0.0.0/24" with the host bits clear; nullopt otherwise.
std::optional<std::string> ipv4_subnet(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash + 1 >= text.size() || text.size() - slash > 3)
    return std::nullopt;
  in_addr a{};
  if (inet_pton(AF_INET, text.substr(0, slash).c_str(), &a) != 1) return std::nullopt;
  int len = 0;
  for (std::size_t i = slash + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    len = len * 10 + (text[i] - '0');
  }
  if (len > 32) return std::nullopt;
  const std::uint32_t mask = len == 0 ? 0 : ~std::uint32_t{0} << (32 - len);
  const std::uint32_t host = ntohl(a.s_addr);
  if ((host & ~mask) != 0) return std::nullopt;
  return text;
}

bool ipv4_address(const std::string& text) {
  in_addr a{};
  return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

}  // namespace

std::optional<RulePlan> plan_gateway(const GatewayRequest& r, std::string& error) {
  for (const auto* name : {&r.overlay_iface, &r.lan_iface}) {
    if (!valid_iface_name(*name)) {
      error = fmt::format("'{}' is not a valid interface name", *name);
      return std::nullopt;
    }
  }
  if (r.overlay_iface == r.lan_iface) {
    error = fmt::format("the overlay and the LAN interface are the same ({})", r.lan_iface);
    return std::nullopt;
  }
  if (!ipv4_subnet(r.overlay_subnet)) {
    error = fmt::format("'{}' is not an IPv4 subnet (a.b.c.d/len with the host bits zero)",
                        r.overlay_subnet);
    return std::nullopt;
  }
  if (!r.masquerade && !ipv4_address(r.snat_address)) {
    error = fmt::format("'{}' is not an IPv4 address to SNAT to", r.snat_address);
    return std::nullopt;
  }

  RulePlan plan;
  plan.owner = Owner::gateway;
  plan.nft_table = owner_nft_table(Owner::gateway);
  const std::string comment = owner_comment(Owner::gateway);
  const std::string& ov = r.overlay_iface;
  const std::string& lan = r.lan_iface;

  std::string forward = fmt::format(
      "\t\tiifname \"{1}\" oifname \"{0}\" ct state established,related accept comment \"{2}\"\n"
      "\t\tiifname \"{0}\" oifname \"{1}\" accept comment \"{2}\"\n",
      ov, lan, comment);
  if (r.lan_to_overlay_new)
    forward += fmt::format("\t\tiifname \"{1}\" oifname \"{0}\" accept comment \"{2}\"\n", ov, lan,
                           comment);
  const std::string nat_action =
      r.masquerade ? std::string("masquerade") : fmt::format("snat ip to {}", r.snat_address);
  const std::string postrouting = fmt::format("\t\toifname \"{}\" ip saddr {} {} comment \"{}\"\n",
                                              lan, r.overlay_subnet, nat_action, comment);
  plan.nft_apply_script = fmt::format(
      "add table inet {0}\ndelete table inet {0}\ntable inet {0} {{\n"
      "\tchain forward {{\n\t\ttype filter hook forward priority filter; policy accept;\n{1}\t}}\n"
      "\tchain postrouting {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
      "{2}\t}}\n}}\n",
      plan.nft_table, forward, postrouting);
  plan.nft_undo_script = nft_undo_script(Owner::gateway);

  const auto accept = [&](std::vector<std::string> match) {
    IptablesRule rule;
    rule.family = IpFamily::ipv4;
    rule.table = "filter";
    rule.chain = "FORWARD";
    rule.insert = true;
    rule.spec = std::move(match);
    rule.spec.insert(rule.spec.end(), {"-m", "comment", "--comment", comment, "-j", "ACCEPT"});
    return rule;
  };
  for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
    std::vector<IptablesRule> rules;
    rules.push_back(
        accept({"-i", lan, "-o", ov, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED"}));
    rules.push_back(accept({"-i", ov, "-o", lan}));
    if (r.lan_to_overlay_new) rules.push_back(accept({"-i", lan, "-o", ov}));
    // Each -I goes to the top: insert the last first so the chain reads in the order above.
    for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
      auto& rule = *it;
      rule.family = f;
      plan.iptables.push_back(std::move(rule));
    }
  }
  IptablesRule nat;
  nat.family = IpFamily::ipv4;
  nat.table = "nat";
  nat.chain = "POSTROUTING";
  nat.spec = {"-s", r.overlay_subnet, "-o", lan, "-m", "comment", "--comment", comment, "-j"};
  if (r.masquerade) {
    nat.spec.push_back("MASQUERADE");
  } else {
    nat.spec.insert(nat.spec.end(), {"SNAT", "--to-source", r.snat_address});
  }
  plan.iptables.push_back(std::move(nat));
  return plan;
}

}  // namespace n2nkit::firewall
