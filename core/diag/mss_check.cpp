#include "core/diag/mss_check.hpp"

#include <fmt/format.h>

#include "core/firewall/rule_plan.hpp"
#include "core/mtu/overhead.hpp"

namespace n2nkit::diag {
namespace {

using firewall::IpFamily;
using firewall::MssClamp;

bool family_matches(const MssClamp& c, IpFamily f) {
  return !c.place.family || *c.place.family == f;
}

bool hook_sees_forwarded(const std::string& hook) {
  return hook == "forward" || hook == "postrouting" || hook == "prerouting";
}

// Forwarded SYNs leaving through the overlay: pmtu follows the overlay route there.
bool clamps_into_overlay(const MssClamp& c, const std::string& ov, IpFamily f, std::uint16_t mss) {
  if (!family_matches(c, f) || !hook_sees_forwarded(c.place.hook)) return false;
  if (!c.in_iface.empty() && c.in_iface != "!" + ov) return false;
  if (c.out_iface != ov && !c.out_iface.empty()) return false;
  return c.to_pmtu || (c.mss != 0 && c.mss <= mss);
}

// Forwarded SYNs arriving from the overlay: only a fixed MSS helps (rt mtu / clamp-to-pmtu
// follow the LAN route).
enum class IntoLan { none, pmtu_only, fixed_too_big, ok };

IntoLan clamps_out_of_overlay(const std::vector<MssClamp>& clamps, const std::string& ov,
                              IpFamily f, std::uint16_t mss) {
  IntoLan best = IntoLan::none;
  for (const auto& c : clamps) {
    if (!family_matches(c, f) || !hook_sees_forwarded(c.place.hook)) continue;
    if (!c.in_iface.empty() && c.in_iface != ov) continue;
    if (c.out_iface == ov) continue;
    if (c.to_pmtu) {
      if (best == IntoLan::none) best = IntoLan::pmtu_only;
    } else if (c.mss <= mss) {
      return IntoLan::ok;
    } else {
      best = IntoLan::fixed_too_big;
    }
  }
  return best;
}

std::vector<std::string> clamp_fixes(const HostFacts& h, bool ipv6) {
  std::vector<std::string> fixes = {fmt::format("n2n-mss clamp --iface {}", h.overlay.name)};
  firewall::ClampRequest r;
  r.overlay_iface = h.overlay.name;
  r.overlay_mtu = h.overlay.mtu;
  r.ipv6 = ipv6;
  std::string error;
  if (const auto plan = firewall::plan_clamp(r, error)) {
    fixes.push_back("# or by hand, with nftables:");
    fixes.insert(fixes.end(), plan->nft_commands.begin(), plan->nft_commands.end());
    fixes.push_back("# or with iptables:");
    for (const auto& rule : plan->iptables)
      fixes.push_back(firewall::iptables_command_line(rule, firewall::IptablesOp::add));
  }
  return fixes;
}

// Why the edge does not make up for a missing clamp, as the end of a sentence.
std::string edge_remark(const HostFacts& h) {
  if (!h.edge) return "";
  if (!h.edge->answered)
    return fmt::format(" (no n2n edge answers on management port {})", h.edge->port);
  if (!h.edge->has_method)
    return fmt::format(
        " (the n2n edge on management port {} does not clamp: the reference's edge "
        "has no MSS clamping)",
        h.edge->port);
  if (!h.edge->clamps)
    return fmt::format(" (the n2n edge on management port {} runs with --no-mss-clamp)",
                       h.edge->port);
  return fmt::format(" (the n2n edge on management port {} clamps to {}, above {}'s limit)",
                     h.edge->port, h.edge->mss_ipv4, h.overlay.name);
}

}  // namespace

std::vector<Finding> diagnose(const HostFacts& h) {
  std::vector<Finding> out;
  const std::string& ov = h.overlay.name;
  const std::uint16_t mss4 = static_cast<std::uint16_t>(mtu::tcp_mss_for_mtu(h.overlay.mtu, false));
  const std::uint16_t mss6 = static_cast<std::uint16_t>(mtu::tcp_mss_for_mtu(h.overlay.mtu, true));

  // The overlay's MTU against what the uplink carries in one datagram.
  if (h.uplink) {
    mtu::PathConfig plain;
    mtu::PathConfig cipher;
    cipher.transform = crypto::TransformId::aes;
    const std::size_t most = mtu::tap_mtu_for_path(h.uplink->mtu, plain, false);
    const std::size_t safe = mtu::tap_mtu_for_path(h.uplink->mtu, cipher, true);
    if (h.overlay.mtu > most) {
      out.push_back({true,
                     "overlay_mtu_too_big",
                     fmt::format("{} has MTU {}, but the uplink {} (MTU {}) carries at most {} "
                                 "without fragmenting even without a cipher; with a cipher and "
                                 "relaying through the supernode {}",
                                 ov, h.overlay.mtu, h.uplink->name, h.uplink->mtu, most, safe),
                     {fmt::format("ip link set dev {} mtu {}", ov, safe),
                      fmt::format("# or start the edge with -M {}", safe)}});
    } else if (h.overlay.mtu > safe) {
      out.push_back({false,
                     "overlay_mtu_tight",
                     fmt::format("{} has MTU {}: fits the uplink {} (MTU {}) directly, but with a "
                                 "cipher and relaying through the supernode only {} does",
                                 ov, h.overlay.mtu, h.uplink->name, h.uplink->mtu, safe),
                     {}});
    }
  } else {
    out.push_back(
        {false,
         "no_uplink",
         fmt::format("no uplink found: {}", h.uplink_error.empty() ? "no route" : h.uplink_error),
         {}});
  }

  const bool fw4 = h.ipv4_forwarding.value_or(false);
  const bool fw6 = h.ipv6_forwarding.value_or(false);
  if (!fw4 && !fw6) {
    out.push_back({false,
                   "not_forwarding",
                   "IP forwarding is off: this host routes nothing through the overlay, so "
                   "forwarded traffic needs no MSS clamp (its own connections take their MSS "
                   "from the overlay's MTU)",
                   {}});
  }

  bool firewall_read = false;
  for (const auto& s : h.firewall.sources_read) firewall_read |= !s.empty();
  if (!h.firewall.errors.empty()) {
    out.push_back({false,
                   "firewall_unread",
                   fmt::format("could not read all of the firewall ({}): clamp rules there are "
                               "not checked",
                               h.firewall.errors.front()),
                   {}});
  }

  // n2nkit's edge clamps SYNs crossing its TAP in both directions (to its MSS limits, which
  // follow the TAP MTU and the peers' paths), so firewall clamps are then not needed.
  const bool edge_clamps = h.edge && h.edge->has_method && h.edge->clamps &&
                           h.edge->mss_ipv4 != 0 && h.edge->mss_ipv4 <= mss4;
  if (edge_clamps) {
    out.push_back({false,
                   "edge_clamps",
                   fmt::format("the n2n edge on management port {} (n2nkit) clamps the MSS of SYN "
                               "and SYN-ACK crossing its TAP itself (IPv4 <= {}, IPv6 <= {}): no "
                               "firewall clamp is needed for {}",
                               h.edge->port, h.edge->mss_ipv4, h.edge->mss_ipv6, ov),
                   {}});
  }
  const std::string edge_word = edge_remark(h);
  if ((fw4 || fw6) && firewall_read && !edge_clamps) {
    for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
      if ((f == IpFamily::ipv4 && !fw4) || (f == IpFamily::ipv6 && !fw6)) continue;
      const bool v6 = f == IpFamily::ipv6;
      const char* fam = v6 ? "IPv6" : "IPv4";
      const std::uint16_t mss = v6 ? mss6 : mss4;
      bool into = false;
      for (const auto& c : h.firewall.clamps) into |= clamps_into_overlay(c, ov, f, mss);
      if (!into)
        out.push_back({true, v6 ? "no_clamp_into_overlay_ipv6" : "no_clamp_into_overlay",
                       fmt::format("no MSS clamp for {} TCP forwarded into {}: hosts behind this "
                                   "one advertise their LAN's MSS and large segments stall when "
                                   "ICMP is filtered{}",
                                   fam, ov, edge_word),
                       clamp_fixes(h, v6)});
      switch (clamps_out_of_overlay(h.firewall.clamps, ov, f, mss)) {
        case IntoLan::ok:
          break;
        case IntoLan::pmtu_only:
          // Linux takes the smaller of the routes to the destination and back to the source,
          // so this works while the far peers are routed through the overlay.
          out.push_back(
              {false, v6 ? "pmtu_clamp_out_of_overlay_ipv6" : "pmtu_clamp_out_of_overlay",
               fmt::format("the {} clamp on TCP forwarded out of {} follows the route MTU "
                           "(--clamp-mss-to-pmtu / rt mtu): towards the LAN that is the LAN's, "
                           "and it works only because Linux also takes the route back to the "
                           "far peer, through {}; with policy routing or asymmetric paths it "
                           "would not; a fixed MSS of {} does not depend on routes",
                           fam, ov, ov, mss),
               clamp_fixes(h, v6)});
          break;
        case IntoLan::fixed_too_big:
          out.push_back({true, v6 ? "clamp_too_big_ipv6" : "clamp_too_big",
                         fmt::format("the {} clamp on TCP forwarded out of {} sets an MSS above "
                                     "{} ({} MTU {})",
                                     fam, ov, mss, ov, h.overlay.mtu),
                         clamp_fixes(h, v6)});
          break;
        case IntoLan::none:
          out.push_back({true, v6 ? "no_clamp_out_of_overlay_ipv6" : "no_clamp_out_of_overlay",
                         fmt::format("no MSS clamp for {} TCP forwarded out of {}: far peers' "
                                     "SYN-ACKs reach the LAN unclamped{}",
                                     fam, ov, edge_word),
                         clamp_fixes(h, v6)});
          break;
      }
    }
  }

  // Offloads: only GRO on a forwarding box is worth a word, and only a word.
  if (fw4 || fw6) {
    for (const IfaceFacts* i : {&h.overlay, h.uplink ? &*h.uplink : nullptr}) {
      if (i == nullptr || !i->offloads.gro.value_or(false)) continue;
      out.push_back({false,
                     "gro_while_forwarding",
                     fmt::format("GRO is on for {}: forwarded TCP is merged into large segments "
                                 "and cut again on the way out; harmless when the out interface "
                                 "segments in hardware or GSO, worth trying off when forwarded "
                                 "TCP is slow",
                                 i->name),
                     {fmt::format("ethtool -K {} gro off", i->name)}});
    }
  }
  return out;
}

}  // namespace n2nkit::diag
