#pragma once
// The daemon's half of "routes that last": core/routes/RouteKeeper decides, this class reads
// the kernel's table, applies the keeper's actions through netlink and reports problems once.
// It wakes on netlink notifications (links, addresses, routes) and looks again shortly after
// each burst, and every 30 s in any case.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/net/route_netlink.hpp"
#include "core/routes/route_keeper.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::edged {

class RouteUpkeep {
 public:
  RouteUpkeep(const std::vector<routes::OverlayRoute>& wanted, int tap_ifindex);
  // Subscribes to notifications when there is anything to keep; false with error otherwise.
  bool open(std::string& error);
  bool active() const { return keeper_.wanted_any(); }
  int fd() const { return monitor_.fd(); }
  void on_readable(std::uint64_t now_ms);
  // The supernodes and peers changed: look again now (a new peer may need its host route).
  void endpoints_changed() { due_ms_ = 0; }
  // Milliseconds until the next look (meaningless while inactive).
  std::uint64_t due_ms() const { return due_ms_; }
  // Brings the TAP back up and its address back when they went, and the routes back. Only once
  // the TAP has its address: a gateway is reachable only through the TAP's subnet.
  void reconcile(std::uint64_t now_ms, const std::optional<wire::IpSubnet>& address,
                 std::span<const std::uint32_t> endpoints);
  // Removes the routes this edge added.
  void teardown();

  std::size_t routes_added() const { return added_; }

 private:
  void report(const std::string& key, const std::string& problem);
  void resolved(const std::string& key);

  routes::RouteKeeper keeper_;
  int tap_ifindex_;
  net::NetlinkMonitor monitor_;
  std::uint64_t due_ms_ = 0;
  std::vector<routes::Ipv4Route> table_;
  std::map<std::string, std::string> reported_;  // what was logged, per subject, to log once
  std::size_t added_ = 0;
};

}  // namespace n2nkit::edged
