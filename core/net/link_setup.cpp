#include "core/net/link_setup.hpp"

#include "core/net/netlink_handle.hpp"

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

using nl::connect_route;
using nl::describe;

struct AddrDeleter {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};

}  // namespace

bool configure_link(int ifindex, const wire::Mac& mac, unsigned mtu, std::string& error) {
  auto sock = connect_route(error);
  if (!sock) return false;
  auto current = nl::kernel_link(sock.get(), ifindex, error);
  if (!current) return false;
  nl::Link change(rtnl_link_alloc());
  nl::Addr lladdr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
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
  nl::Addr local(nl_addr_build(AF_INET, &be, sizeof be));
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
  nl::Addr broadcast(nl_addr_build(AF_INET, &broadcast_be, sizeof broadcast_be));
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
