#pragma once
// What link_setup and route_netlink share: owning handles for libnl objects, an rtnetlink
// socket, errors as one line that says when root or CAP_NET_ADMIN is needed.
#include <memory>
#include <string>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

namespace n2nkit::net::nl {

struct SocketDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkDeleter {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrDeleter {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using Socket = std::unique_ptr<nl_sock, SocketDeleter>;
using Link = std::unique_ptr<rtnl_link, LinkDeleter>;
using Addr = std::unique_ptr<nl_addr, AddrDeleter>;

// libnl's error text, with what is missing when it is a permission error.
std::string describe(int nl_error);
// A connected NETLINK_ROUTE socket, or null with one line in error.
Socket connect_route(std::string& error);
// The link as the kernel has it now, or null with one line in error.
Link kernel_link(nl_sock* sock, int ifindex, std::string& error);

}  // namespace n2nkit::net::nl
