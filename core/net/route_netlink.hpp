#pragma once
// The kernel side of core/routes: the IPv4 main table read and changed through rtnetlink
// (libnl-route), and a socket that wakes the daemon when links, addresses or routes change.
// One line in error on failure; permission problems say what is needed.
#include <memory>
#include <string>
#include <vector>

#include "core/routes/ipv4_route.hpp"

struct nl_sock;

namespace n2nkit::net {

// Unicast IPv4 routes of the main table (the first next hop of multipath routes).
bool read_ipv4_routes(std::vector<routes::Ipv4Route>& out, std::string& error);
// Adds (scope link without a gateway), as `ip route add` would; a route that is already there
// exactly is not an error.
bool add_ipv4_route(const routes::Ipv4Route& r, std::string& error);
// Deletes; a route that is already gone is not an error.
bool delete_ipv4_route(const routes::Ipv4Route& r, std::string& error);
// Whether the link is administratively up; false with error when it cannot be read.
bool link_is_up(int ifindex, bool& up, std::string& error);
bool set_link_up(int ifindex, std::string& error);

// Subscribed to link, IPv4 address and IPv4 route notifications. The daemon polls fd() and calls
// drain() when it is readable: true means something changed (or notifications were lost, which
// means the same).
class NetlinkMonitor {
 public:
  static NetlinkMonitor open(std::string& error);
  NetlinkMonitor() = default;  // not subscribed: fd() is -1, drain() false
  NetlinkMonitor(NetlinkMonitor&&) noexcept;
  NetlinkMonitor& operator=(NetlinkMonitor&&) noexcept;
  ~NetlinkMonitor();
  bool valid() const { return sock_ != nullptr; }
  int fd() const;
  bool drain();

 private:
  nl_sock* sock_ = nullptr;
};

}  // namespace n2nkit::net
