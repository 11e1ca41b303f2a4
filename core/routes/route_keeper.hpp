#pragma once
// Routes that last (issue #4): the edge's -n routes through the TAP, and a host route to each
// underlay endpoint the edge talks to (its supernodes and its peers' sockets) through the
// underlay's current gateway wherever an -n route would capture the path to it (for example
// -n 0.0.0.0/0:gw, which would otherwise send the edge's own datagrams into its TAP). The keeper
// decides, the daemon acts: given the kernel's main table and the supernodes' addresses,
// reconcile() says which routes to remove and add so that everything wanted is there again (after a
// restart of the edge, the TAP going down, an administrator's `ip route del`, a new underlay
// gateway). The daemon reports back what it did, so that at exit exactly the routes the edge added
// are removed, and nothing else.
#include <span>
#include <string>
#include <vector>

#include "core/routes/ipv4_route.hpp"

namespace n2nkit::routes {

struct RouteActions {
  std::vector<Ipv4Route> remove;      // ours, no longer right (a host route via an old gateway)
  std::vector<Ipv4Route> add;         // host routes first, then the overlay routes
  std::vector<std::string> problems;  // e.g. no underlay route to a supernode
  bool empty() const { return remove.empty() && add.empty(); }
};

class RouteKeeper {
 public:
  RouteKeeper(const std::vector<OverlayRoute>& wanted, int tap_ifindex);

  // endpoints: the IPv4 addresses of the supernodes and peers, host order.
  RouteActions reconcile(std::span<const Ipv4Route> table,
                         std::span<const std::uint32_t> endpoints) const;
  // What the daemon managed to do (ownership for teardown()).
  void added(const Ipv4Route& r);
  void removed(const Ipv4Route& r);
  // The routes this edge added, overlay routes before host routes (so that the supernode stays
  // reachable until the end).
  std::vector<Ipv4Route> teardown() const;

  const std::vector<Ipv4Route>& overlay_routes() const { return overlay_; }
  const std::vector<Ipv4Route>& owned() const { return owned_; }
  bool wanted_any() const { return !overlay_.empty(); }

 private:
  bool is_overlay(const Ipv4Route& r) const;

  std::vector<Ipv4Route> overlay_;
  int tap_ifindex_;
  std::vector<Ipv4Route> owned_;
};

// Same destination, gateway and device (the metric is the kernel's business).
bool same_route(const Ipv4Route& a, const Ipv4Route& b);

}  // namespace n2nkit::routes
