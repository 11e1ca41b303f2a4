#include "core/routes/route_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/routes/route_keeper.hpp"

namespace n2nkit::routes {
namespace {

constexpr std::uint8_t kProtoStatic = 4;  // RTPROT_STATIC
constexpr std::uint8_t kScopeUniverse = 0;
constexpr std::uint8_t kScopeLink = 253;

// The kernel's identity of a main-table route for replace: destination, prefix, metric (TOS is
// always 0 here).
bool same_slot(const Ipv4Route& a, const Ipv4Route& b) {
  return a.dst == b.dst && a.prefix == b.prefix && a.metric == b.metric;
}

bool journal_host_route(const UndoJournal& journal, const Ipv4Route& r) {
  const Change* c = journal.route_change(r);
  return c != nullptr && r.prefix == 32;
}

}  // namespace

KernelRoute static_route(const Ipv4Route& r) {
  return KernelRoute{r, kProtoStatic, r.gateway != 0 ? kScopeUniverse : kScopeLink, 0};
}

void plan_put(std::span<const KernelRoute> table, const UndoJournal& journal,
              const KernelRoute& wanted, std::string_view what, RoutePlan& plan) {
  const auto exact = std::ranges::find_if(table, [&](const KernelRoute& k) {
    return same_route(k.route, wanted.route) && k.route.metric == wanted.route.metric;
  });
  const Change* ours = journal.route_change(wanted.route);
  if (exact != table.end()) {
    plan.notes.push_back(
        ours != nullptr ? fmt::format("{}: already there (added by n2n-route {})", what, ours->by)
                        : fmt::format("{}: already there (not added by n2n-route: left as it "
                                      "is, undo will not remove it)",
                                      what));
    return;
  }
  const auto slot = std::ranges::find_if(
      table, [&](const KernelRoute& k) { return same_slot(k.route, wanted.route); });
  RouteStep step;
  step.route = wanted;
  if (slot != table.end()) {
    step.op = RouteStep::Op::replace;
    step.before = *slot;
  } else {
    step.op = RouteStep::Op::add;
    // Ours, lost by the kernel (its device went away and came back): add again, no new record.
    step.recorded = ours != nullptr && ours->kind == ChangeKind::route_added;
    if (step.recorded) step.journal_id = ours->id;
  }
  plan.steps.push_back(step);
}

RoutePlan plan_delete(std::span<const KernelRoute> table, const UndoJournal& journal,
                      const DeleteSelector& which) {
  RoutePlan plan;
  std::vector<KernelRoute> matches;
  for (const KernelRoute& k : table) {
    if (k.route.dst != which.net.net || k.route.prefix != which.net.prefix) continue;
    if (which.gateway && k.route.gateway != *which.gateway) continue;
    if (which.ifindex && k.route.ifindex != *which.ifindex) continue;
    if (which.metric && k.route.metric != *which.metric) continue;
    matches.push_back(k);
  }
  if (matches.empty()) {
    plan.notes.push_back(
        fmt::format("no route to {} that matches: nothing to delete", net_text(which.net)));
    return plan;
  }
  if (matches.size() > 1) {
    plan.problems.push_back(
        fmt::format("{} routes to {} match: say which with via GATEWAY, --dev or --metric",
                    matches.size(), net_text(which.net)));
    return plan;
  }
  RouteStep step;
  step.route = matches.front();
  const Change* ours = journal.route_change(step.route.route);
  if (ours != nullptr && ours->kind == ChangeKind::route_replaced && ours->before) {
    step.op = RouteStep::Op::restore;
    step.before = ours->before;
    step.journal_id = ours->id;
  } else {
    step.op = RouteStep::Op::remove;
    if (ours != nullptr) step.journal_id = ours->id;
  }
  plan.steps.push_back(step);
  return plan;
}

std::optional<Ipv4Route> underlay_route(std::span<const KernelRoute> table, int overlay_ifindex,
                                        const UndoJournal& journal, std::uint32_t addr) {
  std::vector<Ipv4Route> plain;
  plain.reserve(table.size());
  for (const KernelRoute& k : table) plain.push_back(k.route);
  return lookup(std::span<const Ipv4Route>(plain), addr, [&](const Ipv4Route& r) {
    return r.ifindex == overlay_ifindex || journal_host_route(journal, r);
  });
}

RoutePlan plan_supernode_routes(std::span<const KernelRoute> table, int overlay_ifindex,
                                const UndoJournal& journal,
                                std::span<const std::uint32_t> supernodes) {
  RoutePlan plan;
  std::vector<std::uint32_t> done;
  for (const std::uint32_t sn : supernodes) {
    if (std::ranges::find(done, sn) != done.end()) continue;
    done.push_back(sn);
    const auto via = underlay_route(table, overlay_ifindex, journal, sn);
    if (!via) {
      plan.problems.push_back(fmt::format(
          "supernode {}: the underlay has no route to it (no default route outside the overlay?)",
          ipv4_text(sn)));
      continue;
    }
    if (via->prefix == 32 && via->dst == sn) {
      plan.notes.push_back(
          fmt::format("supernode {}: already has a host route via {}", ipv4_text(sn),
                      via->gateway != 0 ? ipv4_text(via->gateway) : std::string("the link")));
      continue;
    }
    const KernelRoute wanted = static_route(Ipv4Route{sn, 32, via->gateway, via->ifindex, 0});
    plan_put(table, journal, wanted, fmt::format("host route to supernode {}", ipv4_text(sn)),
             plan);
  }
  return plan;
}

std::optional<std::vector<Ipv4Route>> with_underlay_gateway(std::span<const Ipv4Route> table,
                                                            int overlay_ifindex,
                                                            std::uint32_t gateway) {
  const auto reach = lookup(table, gateway, [&](const Ipv4Route& r) {
    return r.ifindex == overlay_ifindex || r.prefix == 0;
  });
  if (!reach) return std::nullopt;
  std::vector<Ipv4Route> out;
  for (const Ipv4Route& r : table) {
    if (r.prefix == 0 && r.ifindex != overlay_ifindex) continue;
    out.push_back(r);
  }
  out.push_back(Ipv4Route{0, 0, gateway, reach->ifindex, 0});
  return out;
}

std::optional<std::uint32_t> sockaddr_ipv4(std::string_view sockaddr) {
  const auto colon = sockaddr.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return parse_ipv4_address(sockaddr.substr(0, colon));
}

}  // namespace n2nkit::routes
