// n2n-mss check: the host's facts, then each problem with the commands that fix it.
#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/diag/mss_check.hpp"
#include "core/mgmt/client.hpp"
#include "core/routes/route_plan.hpp"
#include "tools/n2n-mss/commands.hpp"

namespace n2nmss {
namespace {

using n2nkit::diag::IfaceFacts;
using n2nkit::diag::Offloads;

std::string flag_text(const std::optional<bool>& v) {
  return v ? (*v ? "on" : "off") : "unknown";
}

nlohmann::json flag_json(const std::optional<bool>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json iface_json(const IfaceFacts& i) {
  return {{"name", i.name},
          {"mtu", i.mtu},
          {"tso", flag_json(i.offloads.tso)},
          {"gso", flag_json(i.offloads.gso)},
          {"gro", flag_json(i.offloads.gro)}};
}

std::string iface_text(const IfaceFacts& i) {
  return fmt::format("{} mtu {} (tso {}, gso {}, gro {})", i.name, i.mtu, flag_text(i.offloads.tso),
                     flag_text(i.offloads.gso), flag_text(i.offloads.gro));
}

// The local edge's own clamping, from its management port (a reference edge answers, but does
// not know the method).
n2nkit::diag::EdgeClamp ask_edge(std::uint16_t port) {
  n2nkit::diag::EdgeClamp e;
  e.port = port;
  const auto answer = n2nkit::mgmt::read_method(port, "", "mss", std::chrono::milliseconds{500});
  e.answered = answer.ok || answer.refused;
  e.error = answer.error;
  if (answer.ok && !answer.rows.empty()) {
    const auto& row = answer.rows.front();
    e.has_method = true;
    e.clamps = row.value("clamp", 0U) != 0;
    e.mss_ipv4 = row.value("mss_ipv4", 0U);
    e.mss_ipv6 = row.value("mss_ipv6", 0U);
  }
  return e;
}

// The IPv4 address of the supernode the local edge uses now ("" when it does not say).
std::string edge_supernode(std::uint16_t port) {
  const auto answer =
      n2nkit::mgmt::read_method(port, "", "supernodes", std::chrono::milliseconds{500});
  std::string first;
  for (const auto& row : answer.rows) {
    const auto ip = n2nkit::routes::sockaddr_ipv4(row.value("sockaddr", std::string()));
    if (!ip) continue;
    if (row.value("current", 0) != 0) return n2nkit::routes::ipv4_text(*ip);
    if (first.empty()) first = n2nkit::routes::ipv4_text(*ip);
  }
  return first;
}

nlohmann::json edge_json(const std::optional<n2nkit::diag::EdgeClamp>& e) {
  if (!e) return nullptr;
  return {{"management_port", e->port}, {"answered", e->answered}, {"n2nkit", e->has_method},
          {"clamps", e->clamps},        {"mss_ipv4", e->mss_ipv4}, {"mss_ipv6", e->mss_ipv6}};
}

std::string edge_text(const std::optional<n2nkit::diag::EdgeClamp>& e) {
  if (!e) return "not asked (-t 0)";
  if (!e->answered) return fmt::format("none answers on management port {}", e->port);
  if (!e->has_method)
    return fmt::format("port {}: an edge without MSS clamping (the reference's)", e->port);
  if (!e->clamps) return fmt::format("port {}: n2nkit, MSS clamping off (--no-mss-clamp)", e->port);
  return fmt::format("port {}: n2nkit, clamps SYNs to MSS {} (IPv6 {})", e->port, e->mss_ipv4,
                     e->mss_ipv6);
}

}  // namespace

int run_check(const n2nkit::diag::CheckOptions& o) {
  if (const auto bad = n2nkit::diag::check_check_options(o)) {
    std::cerr << "n2n-mss check: " << *bad << "\n";
    return kExitUsage;
  }
  std::string error;
  // The uplink is the interface towards the supernode: the one given, else the local edge's.
  std::string supernode = o.supernode;
  if (supernode.empty() && o.management_port != 0) supernode = edge_supernode(o.management_port);
  auto facts = n2nkit::diag::read_host_facts(o.iface, supernode, error);
  if (!facts) {
    std::cerr << "n2n-mss check: " << error << "\n";
    return error.rfind("no interface", 0) == 0 ? kExitUsage : kExitProblem;
  }
  if (o.management_port != 0) facts->edge = ask_edge(o.management_port);
  const auto findings = n2nkit::diag::diagnose(*facts);
  bool problem = false;
  for (const auto& f : findings) problem |= f.problem;

  std::size_t clamps = facts->firewall.clamps.size();
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings)
      list.push_back(
          {{"problem", f.problem}, {"code", f.code}, {"text", f.text}, {"fixes", f.fixes}});
    nlohmann::json clamp_list = nlohmann::json::array();
    for (const auto& c : facts->firewall.clamps)
      clamp_list.push_back({{"source", n2nkit::firewall::source_name(c.place.source)},
                            {"table", c.place.table},
                            {"chain", c.place.chain},
                            {"in_iface", c.in_iface},
                            {"out_iface", c.out_iface},
                            {"pmtu", c.to_pmtu},
                            {"mss", c.mss},
                            {"ours", c.owner.has_value()}});
    nlohmann::json j = {
        {"overlay", iface_json(facts->overlay)},
        {"uplink", facts->uplink ? iface_json(*facts->uplink) : nlohmann::json(nullptr)},
        {"uplink_target", facts->uplink_target},
        {"overlay_routes", facts->overlay_routes},
        {"ipv4_forwarding", flag_json(facts->ipv4_forwarding)},
        {"ipv6_forwarding", flag_json(facts->ipv6_forwarding)},
        {"edge", edge_json(facts->edge)},
        {"firewall",
         {{"read", facts->firewall.sources_read},
          {"errors", facts->firewall.errors},
          {"clamps", clamp_list},
          {"n2nkit_tables", facts->firewall.owned_tables}}},
        {"findings", list},
        {"problems", problem}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "overlay:    " << iface_text(facts->overlay) << "\n";
    std::cout << "uplink:     "
              << (facts->uplink
                      ? iface_text(*facts->uplink) + " (route to " + facts->uplink_target + ")"
                      : facts->uplink_error)
              << "\n";
    std::string routes;
    for (const auto& r : facts->overlay_routes) routes += (routes.empty() ? "" : ", ") + r;
    std::cout << "routes:     " << (routes.empty() ? "none through " + o.iface : routes) << "\n";
    std::cout << fmt::format("forwarding: IPv4 {}, IPv6 {}\n", flag_text(facts->ipv4_forwarding),
                             flag_text(facts->ipv6_forwarding));
    std::cout << "edge:       " << edge_text(facts->edge) << "\n";
    std::cout << fmt::format("firewall:   {} MSS clamp rule(s) found", clamps);
    if (!facts->firewall.owned_tables.empty() || facts->firewall.owned_iptables_rules)
      std::cout << " (n2nkit's rules present)";
    std::cout << "\n";
    for (const auto& f : findings) {
      std::cout << "\n" << (f.problem ? "PROBLEM: " : "note: ") << f.text << "\n";
      for (const auto& fix : f.fixes) std::cout << "    " << fix << "\n";
    }
    std::cout << "\n" << (problem ? "problems found" : "no problems found") << "\n";
  }
  return problem ? kExitProblem : kExitOk;
}

}  // namespace n2nmss
