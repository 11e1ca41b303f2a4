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
// The same table with the attributes a faithful restore needs (n2n-route's undo).
bool read_kernel_routes(std::vector<routes::KernelRoute>& out, std::string& error);
// Adds the route with exactly these attributes; replace: takes the place of the route to the
// same destination and metric (NLM_F_REPLACE), otherwise one in the way is an error.
bool add_kernel_route(const routes::KernelRoute& r, bool replace, std::string& error);
// Deletes the route with these attributes; one already gone is not an error.
bool delete_kernel_route(const routes::KernelRoute& r, std::string& error);
// The link's index by name, 0 with one line in error when there is no such interface.
int interface_index(const std::string& name, std::string& error);
std::string interface_name(int ifindex);  // "#7" when it has none (any more)

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
