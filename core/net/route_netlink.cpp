#include "core/net/route_netlink.hpp"

#include "core/net/netlink_handle.hpp"

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

namespace n2nkit::net {
namespace {

struct RouteDeleter {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
using nl::connect_route;
using nl::describe;
using Socket = nl::Socket;
using NlAddr = nl::Addr;

NlAddr ipv4_addr(std::uint32_t host_order, int prefix) {
  const std::uint32_t be = htonl(host_order);
  NlAddr a(nl_addr_build(AF_INET, &be, sizeof be));
  if (a) nl_addr_set_prefixlen(a.get(), prefix);
  return a;
}

std::uint32_t host_order_of(nl_addr* a) {
  if (a == nullptr || nl_addr_get_len(a) != 4) return 0;
  std::uint32_t be = 0;
  std::memcpy(&be, nl_addr_get_binary_addr(a), 4);
  return ntohl(be);
}

// The route as a netlink object, for add and delete.
std::unique_ptr<rtnl_route, RouteDeleter> build_with(const routes::KernelRoute& k,
                                                     std::string& error) {
  const routes::Ipv4Route& r = k.route;
  std::unique_ptr<rtnl_route, RouteDeleter> route(rtnl_route_alloc());
  auto dst = ipv4_addr(r.dst, r.prefix);
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!route || !dst || nh == nullptr) {
    if (nh != nullptr) rtnl_route_nh_free(nh);
    error = "out of memory building a netlink request";
    return nullptr;
  }
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_protocol(route.get(), k.protocol);
  rtnl_route_set_scope(route.get(), k.scope);
  rtnl_route_set_dst(route.get(), dst.get());
  if (k.prefsrc != 0) {
    auto src = ipv4_addr(k.prefsrc, 32);
    if (!src) {
      error = "out of memory building a netlink request";
      rtnl_route_nh_free(nh);
      return nullptr;
    }
    rtnl_route_set_pref_src(route.get(), src.get());
  }
  if (r.metric != 0) rtnl_route_set_priority(route.get(), r.metric);
  rtnl_route_nh_set_ifindex(nh, r.ifindex);
  if (r.gateway != 0) {
    auto gw = ipv4_addr(r.gateway, 32);
    if (!gw) {
      rtnl_route_nh_free(nh);
      error = "out of memory building a netlink request";
      return nullptr;
    }
    rtnl_route_nh_set_gateway(nh, gw.get());
  }
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  return route;
}

std::unique_ptr<rtnl_route, RouteDeleter> build(const routes::Ipv4Route& r, std::string& error) {
  routes::KernelRoute k{
      r, RTPROT_STATIC,
      static_cast<std::uint8_t>(r.gateway != 0 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK), 0};
  return build_with(k, error);
}

std::string device_text(int ifindex) {
  std::array<char, IF_NAMESIZE> name{};
  if (if_indextoname(static_cast<unsigned>(ifindex), name.data()) != nullptr) {
    return name.data();
  }
  return fmt::format("#{}", ifindex);
}

std::string text_of(const routes::Ipv4Route& r) {
  std::string text = fmt::format("{}/{}", routes::ipv4_text(r.dst), r.prefix);
  if (r.gateway != 0) text += " via " + routes::ipv4_text(r.gateway);
  return text + " dev " + device_text(r.ifindex);
}

// One RTM_NEWROUTE of a dump: main-table unicast routes only. Exceptions (RTM_F_CLONED: a
// redirect's or a learnt path MTU's cached route) are no routes of the table: `ip route` does
// not show them and nobody can add or delete them.
int collect_route(nl_msg* msg, void* arg) {
  auto& out = *static_cast<std::vector<routes::KernelRoute>*>(arg);
  nlmsghdr* hdr = nlmsg_hdr(msg);
  if (hdr->nlmsg_type != RTM_NEWROUTE || hdr->nlmsg_len < NLMSG_LENGTH(sizeof(rtmsg))) {
    return NL_SKIP;
  }
  if ((static_cast<const rtmsg*>(nlmsg_data(hdr))->rtm_flags & RTM_F_CLONED) != 0) return NL_SKIP;
  rtnl_route* raw = nullptr;
  if (rtnl_route_parse(hdr, &raw) < 0 || raw == nullptr) return NL_SKIP;
  std::unique_ptr<rtnl_route, RouteDeleter> route(raw);
  if (rtnl_route_get_table(raw) != RT_TABLE_MAIN || rtnl_route_get_type(raw) != RTN_UNICAST ||
      rtnl_route_get_nnexthops(raw) < 1) {
    return NL_SKIP;
  }
  rtnl_nexthop* nh = rtnl_route_nexthop_n(raw, 0);
  nl_addr* dst = rtnl_route_get_dst(raw);
  routes::KernelRoute k;
  k.route.prefix = static_cast<std::uint8_t>(dst != nullptr ? nl_addr_get_prefixlen(dst) : 0);
  k.route.dst = host_order_of(dst) & routes::prefix_mask(k.route.prefix);
  k.route.gateway = host_order_of(rtnl_route_nh_get_gateway(nh));
  k.route.ifindex = rtnl_route_nh_get_ifindex(nh);
  k.route.metric = rtnl_route_get_priority(raw);
  k.protocol = rtnl_route_get_protocol(raw);
  k.scope = rtnl_route_get_scope(raw);
  k.prefsrc = host_order_of(rtnl_route_get_pref_src(raw));
  out.push_back(k);
  return NL_OK;
}

}  // namespace

bool read_ipv4_routes(std::vector<routes::Ipv4Route>& out, std::string& error) {
  out.clear();
  std::vector<routes::KernelRoute> kernel;
  if (!read_kernel_routes(kernel, error)) return false;
  out.reserve(kernel.size());
  for (const auto& k : kernel) out.push_back(k.route);
  return true;
}

bool add_ipv4_route(const routes::Ipv4Route& r, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto route = build(r, error);
  if (!route) return false;
  const int rc = rtnl_route_add(sock.get(), route.get(), NLM_F_EXCL);
  if (rc == -NLE_EXIST) {
    error = fmt::format("cannot add route {}: another route to {}/{} is in the way", text_of(r),
                        routes::ipv4_text(r.dst), r.prefix);
    return false;
  }
  if (rc < 0) {
    error = fmt::format("cannot add route {}: {}", text_of(r), describe(rc));
    return false;
  }
  return true;
}

bool delete_ipv4_route(const routes::Ipv4Route& r, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto route = build(r, error);
  if (!route) return false;
  const int rc = rtnl_route_delete(sock.get(), route.get(), 0);
  if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NOADDR) {
    error = fmt::format("cannot delete route {}: {}", text_of(r), describe(rc));
    return false;
  }
  return true;
}

bool read_kernel_routes(std::vector<routes::KernelRoute>& out, std::string& error) {
  out.clear();
  auto sock = connect_route(error);
  if (!sock) return false;
  // Message by message rather than through an nl_cache: the cache merges objects with the same
  // key, so a path-MTU or redirect exception of a host route (same destination, flagged
  // RTM_F_CLONED) could stand in for the route itself, and skipping it would lose the route.
  rtmsg request{};
  request.rtm_family = AF_INET;
  if (const int rc = nl_send_simple(sock.get(), RTM_GETROUTE, NLM_F_DUMP, &request, sizeof request);
      rc < 0) {
    error = fmt::format("cannot read the IPv4 routes: {}", describe(rc));
    return false;
  }
  nl_socket_modify_cb(sock.get(), NL_CB_VALID, NL_CB_CUSTOM, collect_route, &out);
  if (const int rc = nl_recvmsgs_default(sock.get()); rc < 0) {
    error = fmt::format("cannot read the IPv4 routes: {}", describe(rc));
    out.clear();
    return false;
  }
  return true;
}

bool add_kernel_route(const routes::KernelRoute& k, bool replace, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto route = build_with(k, error);
  if (!route) return false;
  const int rc = rtnl_route_add(sock.get(), route.get(), replace ? NLM_F_REPLACE : NLM_F_EXCL);
  if (rc == -NLE_EXIST) {
    error = fmt::format("cannot add route {}: another route to {}/{} is in the way",
                        text_of(k.route), routes::ipv4_text(k.route.dst), k.route.prefix);
    return false;
  }
  if (rc < 0) {
    // The kernel's reason ("Nexthop has invalid gateway") does not reach us through libnl.
    const bool gateway_hint = k.route.gateway != 0 && (rc == -NLE_FAILURE || rc == -NLE_INVAL);
    error = fmt::format(
        "cannot {} route {}: {}{}", replace ? "replace" : "add", text_of(k.route), describe(rc),
        gateway_hint ? fmt::format(" (is {} reachable on {}?)", routes::ipv4_text(k.route.gateway),
                                   device_text(k.route.ifindex))
                     : std::string());
    return false;
  }
  return true;
}

bool delete_kernel_route(const routes::KernelRoute& k, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto route = build_with(k, error);
  if (!route) return false;
  const int rc = rtnl_route_delete(sock.get(), route.get(), 0);
  if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NOADDR && rc != -NLE_NODEV) {
    error = fmt::format("cannot delete route {}: {}", text_of(k.route), describe(rc));
    return false;
  }
  return true;
}

int interface_index(const std::string& name, std::string& error) {
  const unsigned index = name.size() < IF_NAMESIZE ? if_nametoindex(name.c_str()) : 0U;
  if (index == 0) error = fmt::format("no network interface '{}'", name);
  return static_cast<int>(index);
}

std::string interface_name(int ifindex) {
  return device_text(ifindex);
}

bool link_is_up(int ifindex, bool& up, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto link = nl::kernel_link(sock.get(), ifindex, error);
  if (!link) return false;
  up = (rtnl_link_get_flags(link.get()) & IFF_UP) != 0;
  return true;
}

bool set_link_up(int ifindex, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto current = nl::kernel_link(sock.get(), ifindex, error);
  if (!current) return false;
  nl::Link change(rtnl_link_alloc());
  if (!change) {
    error = "out of memory building a netlink request";
    return false;
  }
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (const int rc = rtnl_link_change(sock.get(), current.get(), change.get(), 0); rc < 0) {
    error = fmt::format("cannot bring {} up: {}", device_text(ifindex), describe(rc));
    return false;
  }
  return true;
}

NetlinkMonitor NetlinkMonitor::open(std::string& error) {
  NetlinkMonitor m;
  Socket sock = connect_route(error);
  if (!sock) return m;
  // Notifications carry sequence numbers of their own.
  nl_socket_disable_seq_check(sock.get());
  if (const int rc = nl_socket_add_memberships(sock.get(), RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
                                               RTNLGRP_IPV4_ROUTE, 0);
      rc < 0) {
    error = fmt::format("cannot subscribe to route changes: {}", describe(rc));
    return m;
  }
  nl_socket_set_nonblocking(sock.get());
  m.sock_ = sock.release();
  return m;
}

NetlinkMonitor::NetlinkMonitor(NetlinkMonitor&& o) noexcept : sock_(o.sock_) {
  o.sock_ = nullptr;
}

NetlinkMonitor& NetlinkMonitor::operator=(NetlinkMonitor&& o) noexcept {
  if (this != &o) {
    if (sock_ != nullptr) nl_socket_free(sock_);
    sock_ = o.sock_;
    o.sock_ = nullptr;
  }
  return *this;
}

NetlinkMonitor::~NetlinkMonitor() {
  if (sock_ != nullptr) nl_socket_free(sock_);
}

int NetlinkMonitor::fd() const {
  return sock_ != nullptr ? nl_socket_get_fd(sock_) : -1;
}

bool NetlinkMonitor::drain() {
  if (sock_ == nullptr) return false;
  // The content does not matter: any change means "look again". ENOBUFS (lost notifications)
  // means the same.
  bool changed = false;
  std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = recv(nl_socket_get_fd(sock_), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      changed = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ENOBUFS) {
      changed = true;
      continue;
    }
    break;
  }
  return changed;
}

}  // namespace n2nkit::net
