#include "core/net/link_setup.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include <fmt/format.h>

#include <memory>

namespace n2nkit::net {
namespace {

struct SocketDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkDeleter {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrDeleter {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct NlAddrDeleter {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};

std::string describe(int nl_error) {
  const int e = nl_error < 0 ? -nl_error : nl_error;
  std::string text = nl_geterror(e);
  if (e == NLE_PERM) text += " (needs root or CAP_NET_ADMIN)";
  return text;
}

std::unique_ptr<nl_sock, SocketDeleter> connect_route(std::string& error) {
  std::unique_ptr<nl_sock, SocketDeleter> sock(nl_socket_alloc());
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

}  // namespace

bool configure_link(int ifindex, const wire::Mac& mac, unsigned mtu, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  rtnl_link* raw = nullptr;
  if (const int rc = rtnl_link_get_kernel(sock.get(), ifindex, nullptr, &raw); rc < 0) {
    error = fmt::format("cannot read link {}: {}", ifindex, describe(rc));
    return false;
  }
  std::unique_ptr<rtnl_link, LinkDeleter> current(raw);
  std::unique_ptr<rtnl_link, LinkDeleter> change(rtnl_link_alloc());
  std::unique_ptr<nl_addr, NlAddrDeleter> lladdr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
  if (!change || !lladdr) {
    error = "out of memory building a netlink request";
    return false;
  }
  rtnl_link_set_addr(change.get(), lladdr.get());
  rtnl_link_set_mtu(change.get(), mtu);
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (const int rc = rtnl_link_change(sock.get(), current.get(), change.get(), 0); rc < 0) {
    error = fmt::format("cannot set MAC, MTU {} and up on {}: {}", mtu,
                        rtnl_link_get_name(current.get()), describe(rc));
    return false;
  }
  return true;
}

bool add_ipv4_address(int ifindex, const wire::IpSubnet& address, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  std::unique_ptr<rtnl_addr, AddrDeleter> addr(rtnl_addr_alloc());
  const std::uint32_t be = htonl(address.addr);
  std::unique_ptr<nl_addr, NlAddrDeleter> local(nl_addr_build(AF_INET, &be, sizeof be));
  if (!addr || !local) {
    error = "out of memory building a netlink request";
    return false;
  }
  nl_addr_set_prefixlen(local.get(), address.prefix);
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_local(addr.get(), local.get());
  // The subnet's broadcast address, as `ip addr add ... brd +` sets it.
  const std::uint32_t mask = address.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - address.prefix);
  const std::uint32_t broadcast_be = htonl(address.addr | ~mask);
  std::unique_ptr<nl_addr, NlAddrDeleter> broadcast(
      nl_addr_build(AF_INET, &broadcast_be, sizeof broadcast_be));
  if (broadcast) rtnl_addr_set_broadcast(addr.get(), broadcast.get());
  const int rc = rtnl_addr_add(sock.get(), addr.get(), 0);
  if (rc < 0 && rc != -NLE_EXIST) {
    error = fmt::format("cannot add {} to link {}: {}", wire::subnet_to_string(address), ifindex,
                        describe(rc));
    return false;
  }
  return true;
}

}  // namespace n2nkit::net
