// The MSS clamp, both directions of forwarded TCP through the overlay (and, when asked, SYNs
// this host sends into it).
#include <fmt/format.h>

#include "core/firewall/rule_plan.hpp"
#include "core/mtu/overhead.hpp"

namespace n2nkit::firewall {
namespace {

constexpr std::uint32_t kMinMtu = 576;  // below this no IPv4 host is obliged to work
constexpr std::uint32_t kMinMtuV6 = 1280;

struct Clamp {
  IpFamily family;
  std::string chain;    // FORWARD or OUTPUT
  bool out_of_overlay;  // iifname (into the LAN) rather than oifname (into the overlay)
  std::optional<std::uint16_t> mss;  // none: route MTU (pmtu)
};

std::vector<Clamp> clamps(const ClampRequest& r, std::uint16_t mss_v4, std::uint16_t mss_v6) {
  std::vector<Clamp> out;
  for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
    if ((f == IpFamily::ipv4 && !r.ipv4) || (f == IpFamily::ipv6 && !r.ipv6)) continue;
    const std::uint16_t fixed = f == IpFamily::ipv4 ? mss_v4 : mss_v6;
    const std::optional<std::uint16_t> towards =
        r.pmtu ? std::nullopt : std::optional<std::uint16_t>(fixed);
    out.push_back({f, "FORWARD", false, towards});
    out.push_back({f, "FORWARD", true, fixed});
    if (r.local_output) out.push_back({f, "OUTPUT", false, towards});
  }
  return out;
}

std::string nft_rule(const Clamp& c, const std::string& iface, const std::string& comment) {
  std::string rule = fmt::format("{} \"{}\" meta nfproto {} tcp flags & (syn | rst) == syn ",
                                 c.out_of_overlay ? "iifname" : "oifname", iface,
                                 c.family == IpFamily::ipv4 ? "ipv4" : "ipv6");
  if (c.mss)
    rule += fmt::format("tcp option maxseg size > {0} tcp option maxseg size set {0}", *c.mss);
  else
    rule += "tcp option maxseg size set rt mtu";
  return rule + fmt::format(" comment \"{}\"", comment);
}

IptablesRule iptables_rule(const Clamp& c, const std::string& iface, const std::string& comment) {
  IptablesRule r;
  r.family = c.family;
  r.table = "mangle";
  r.chain = c.chain;
  r.spec = {c.out_of_overlay ? "-i" : "-o",
            iface,
            "-p",
            "tcp",
            "-m",
            "tcp",
            "--tcp-flags",
            "SYN,RST",
            "SYN"};
  if (c.mss) {
    // --set-mss would also raise a smaller MSS; only touch the ones above.
    r.spec.insert(r.spec.end(), {"-m", "tcpmss", "--mss", fmt::format("{}:65535", *c.mss + 1)});
  }
  r.spec.insert(r.spec.end(), {"-m", "comment", "--comment", comment, "-j", "TCPMSS"});
  if (c.mss)
    r.spec.insert(r.spec.end(), {"--set-mss", std::to_string(*c.mss)});
  else
    r.spec.push_back("--clamp-mss-to-pmtu");
  return r;
}

}  // namespace

std::optional<RulePlan> plan_clamp(const ClampRequest& r, std::string& error) {
  if (!valid_iface_name(r.overlay_iface)) {
    error = fmt::format("'{}' is not a valid interface name", r.overlay_iface);
    return std::nullopt;
  }
  if (!r.ipv4 && !r.ipv6) {
    error = "nothing to clamp: neither IPv4 nor IPv6 selected";
    return std::nullopt;
  }
  std::uint16_t mss_v4 = 0;
  std::uint16_t mss_v6 = 0;
  if (r.fixed_mss != 0 && !r.pmtu) {
    if (r.fixed_mss < 536 || r.fixed_mss > 65495) {
      error = fmt::format("MSS {} is out of range (536..65495)", r.fixed_mss);
      return std::nullopt;
    }
    mss_v4 = r.fixed_mss;
    mss_v6 = static_cast<std::uint16_t>(r.fixed_mss - 20);
  } else {
    if (r.overlay_mtu < kMinMtu || r.overlay_mtu > 65535) {
      error = fmt::format("overlay MTU {} of {} is out of range ({}..65535)", r.overlay_mtu,
                          r.overlay_iface, kMinMtu);
      return std::nullopt;
    }
    if (r.ipv6 && r.overlay_mtu < kMinMtuV6 && !r.ipv4) {
      error = fmt::format("overlay MTU {} is below IPv6's minimum of {}", r.overlay_mtu, kMinMtuV6);
      return std::nullopt;
    }
    mss_v4 = static_cast<std::uint16_t>(mtu::tcp_mss_for_mtu(r.overlay_mtu, false));
    mss_v6 = static_cast<std::uint16_t>(mtu::tcp_mss_for_mtu(r.overlay_mtu, true));
  }

  RulePlan plan;
  plan.owner = Owner::mss;
  plan.nft_table = owner_nft_table(Owner::mss);
  const std::string comment = owner_comment(Owner::mss);
  const auto all = clamps(r, mss_v4, mss_v6);

  std::string forward;
  std::string output;
  for (const auto& c : all) {
    (c.chain == "OUTPUT" ? output : forward) +=
        "\t\t" + nft_rule(c, r.overlay_iface, comment) + "\n";
    plan.iptables.push_back(iptables_rule(c, r.overlay_iface, comment));
  }
  std::string body = fmt::format(
      "\tchain forward {{\n\t\ttype filter hook forward priority mangle; policy accept;\n{}\t}}\n",
      forward);
  if (!output.empty())
    body += fmt::format(
        "\tchain output {{\n\t\ttype route hook output priority mangle; policy accept;\n{}\t}}\n",
        output);
  // "add" then "delete" makes the delete safe when the table is absent; the whole script is
  // one transaction, so nobody ever sees the ruleset without the clamp when it is replaced.
  plan.nft_apply_script =
      fmt::format("add table inet {0}\ndelete table inet {0}\ntable inet {0} {{\n{1}}}\n",
                  plan.nft_table, body);
  plan.nft_undo_script = nft_undo_script(Owner::mss);
  return plan;
}

std::string nft_undo_script(Owner o) {
  return fmt::format("add table inet {0}\ndelete table inet {0}\n", owner_nft_table(o));
}

}  // namespace n2nkit::firewall
