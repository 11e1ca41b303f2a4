#pragma once
// n2n-route's decisions, made on a snapshot of the kernel's main table and the undo journal
// and carried out by the tool: which route to add, replace or delete for `add`, `del` and
// `supernode-route`, and what each step records so that `undo` restores the table exactly.
// Idempotent by construction: a route that is already there as wanted gives no step.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/routes/ipv4_route.hpp"
#include "core/routes/undo_journal.hpp"

namespace n2nkit::routes {

struct RouteStep {
  enum class Op {
    add,      // a new route; record route_added first (unless `recorded`)
    replace,  // `route` takes the place of `before`; record route_replaced first
    restore,  // put `before` back in place of `route` (undoing our replace); forget `journal_id`
    remove,   // delete `route`; ours: forget `journal_id`, someone else's: record route_deleted
  };
  Op op = Op::add;
  KernelRoute route;
  std::optional<KernelRoute> before;
  // The journal already holds this change (a route of ours the kernel lost, e.g. when the
  // edge's restart removed its TAP): add it again without a second record.
  bool recorded = false;
  std::uint64_t journal_id = 0;  // remove/restore of a change of ours; 0 otherwise
};

struct RoutePlan {
  std::vector<RouteStep> steps;
  std::vector<std::string> notes;     // nothing to do, and why
  std::vector<std::string> problems;  // cannot be done (exit 1)
};

// The route as n2n-route adds it: proto static, scope universe with a gateway, link without.
KernelRoute static_route(const Ipv4Route& r);

// Puts `wanted` in place: nothing when the kernel has it, a replace of the route that holds its
// place (same destination and metric, the kernel's idea of "the same route"), else an add.
// `what` names the route in the notes ("10.10.10.0/24 via 10.20.30.254 dev n2n0").
void plan_put(std::span<const KernelRoute> table, const UndoJournal& journal,
              const KernelRoute& wanted, std::string_view what, RoutePlan& plan);

struct DeleteSelector {
  Ipv4Net net;
  std::optional<std::uint32_t> gateway;
  std::optional<int> ifindex;
  std::optional<std::uint32_t> metric;
};
// The routes `del` takes away: ours are undone (a replace of ours restores what was there),
// anyone else's are deleted and recorded. Several matching routes are a problem (name the
// gateway, the device or the metric); none is a note, so that del twice is del once.
RoutePlan plan_delete(std::span<const KernelRoute> table, const UndoJournal& journal,
                      const DeleteSelector& which);

// The route the underlay takes to addr: longest prefix, skipping the overlay device and the host
// routes this journal added (which would otherwise answer for themselves and hide a change of
// the underlay's gateway).
std::optional<Ipv4Route> underlay_route(std::span<const KernelRoute> table, int overlay_ifindex,
                                        const UndoJournal& journal, std::uint32_t addr);

// A host route to each supernode through the underlay; one without an underlay route is a
// problem.
RoutePlan plan_supernode_routes(std::span<const KernelRoute> table, int overlay_ifindex,
                                const UndoJournal& journal,
                                std::span<const std::uint32_t> supernodes);

// The table as the reference form's -g sees it: the underlay's default routes (not those on the
// overlay device) replaced by one via `gateway` on the device that reaches it. Nullopt when no
// route of the underlay reaches the gateway.
std::optional<std::vector<Ipv4Route>> with_underlay_gateway(std::span<const Ipv4Route> table,
                                                            int overlay_ifindex,
                                                            std::uint32_t gateway);

// "1.2.3.4:7654" (a management row's sockaddr) -> 1.2.3.4; IPv6 and names: nullopt.
std::optional<std::uint32_t> sockaddr_ipv4(std::string_view sockaddr);

}  // namespace n2nkit::routes
