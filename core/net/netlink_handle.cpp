#include "core/net/netlink_handle.hpp"

#include <netlink/errno.h>

#include <fmt/format.h>

namespace n2nkit::net::nl {

std::string describe(int nl_error) {
  const int e = nl_error < 0 ? -nl_error : nl_error;
  std::string text = nl_geterror(e);
  if (e == NLE_PERM) text += " (needs root or CAP_NET_ADMIN)";
  return text;
}

Socket connect_route(std::string& error) {
  Socket sock(nl_socket_alloc());
  if (!sock) {
    error = "cannot allocate a netlink socket";
    return nullptr;
  }
  if (const int rc = nl_connect(sock.get(), NETLINK_ROUTE); rc < 0) {
    error = fmt::format("cannot open rtnetlink: {}", describe(rc));
    return nullptr;
  }
  return sock;
}

Link kernel_link(nl_sock* sock, int ifindex, std::string& error) {
  rtnl_link* raw = nullptr;
  if (const int rc = rtnl_link_get_kernel(sock, ifindex, nullptr, &raw); rc < 0) {
    error = fmt::format("cannot read link {}: {}", ifindex, describe(rc));
    return nullptr;
  }
  return Link(raw);
}

}  // namespace n2nkit::net::nl
