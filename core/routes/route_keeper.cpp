#include "core/routes/route_keeper.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::routes {

bool same_route(const Ipv4Route& a, const Ipv4Route& b) {
  return a.dst == b.dst && a.prefix == b.prefix && a.gateway == b.gateway && a.ifindex == b.ifindex;
}

namespace {

bool contains(std::span<const Ipv4Route> routes, const Ipv4Route& r) {
  return std::ranges::any_of(routes, [&](const Ipv4Route& x) { return same_route(x, r); });
}

}  // namespace

RouteKeeper::RouteKeeper(const std::vector<OverlayRoute>& wanted, int tap_ifindex)
    : tap_ifindex_(tap_ifindex) {
  for (const auto& w : wanted) {
    for (const auto& r : kernel_routes(w, tap_ifindex)) {
      if (!contains(overlay_, r)) overlay_.push_back(r);
    }
  }
}

bool RouteKeeper::is_overlay(const Ipv4Route& r) const {
  return contains(overlay_, r);
}

RouteActions RouteKeeper::reconcile(std::span<const Ipv4Route> table,
                                    std::span<const std::uint32_t> endpoints) const {
  RouteActions actions;
  if (overlay_.empty()) return actions;
  // The underlay as it would be without us: our own host routes would otherwise answer the
  // lookup with themselves and hide a change of gateway.
  const auto underlay = [&](const Ipv4Route& r) {
    return r.ifindex == tap_ifindex_ || contains(owned_, r);
  };
  std::vector<Ipv4Route> hosts;
  for (const std::uint32_t sn : endpoints) {
    const auto via = lookup(table, sn, underlay);
    const bool captured = std::ranges::any_of(overlay_, [&](const Ipv4Route& r) {
      return covers(r.dst, r.prefix, sn) && (!via || r.prefix >= via->prefix);
    });
    if (!captured) continue;
    if (!via) {
      actions.problems.push_back(fmt::format(
          "the -n routes capture {} (a supernode or peer) and the underlay has no route to it",
          ipv4_text(sn)));
      continue;
    }
    const Ipv4Route host{sn, 32, via->gateway, via->ifindex, 0};
    if (!contains(hosts, host)) hosts.push_back(host);
  }
  for (const auto& r : owned_) {
    if (!is_overlay(r) && !contains(hosts, r)) actions.remove.push_back(r);
  }
  for (const auto& h : hosts) {
    if (!contains(table, h)) actions.add.push_back(h);
  }
  for (const auto& r : overlay_) {
    if (!contains(table, r)) actions.add.push_back(r);
  }
  return actions;
}

void RouteKeeper::added(const Ipv4Route& r) {
  if (!contains(owned_, r)) owned_.push_back(r);
}

void RouteKeeper::removed(const Ipv4Route& r) {
  std::erase_if(owned_, [&](const Ipv4Route& x) { return same_route(x, r); });
}

std::vector<Ipv4Route> RouteKeeper::teardown() const {
  std::vector<Ipv4Route> out;
  for (const auto& r : owned_) {
    if (is_overlay(r)) out.push_back(r);
  }
  for (const auto& r : owned_) {
    if (!is_overlay(r)) out.push_back(r);
  }
  return out;
}

}  // namespace n2nkit::routes
