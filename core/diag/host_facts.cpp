// The facts diagnose() works from, read without privilege where the kernel allows.
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/diag/mss_check.hpp"
#include "core/firewall/firewall_backends.hpp"
#include "core/net/route_lookup.hpp"
#include "core/net/route_netlink.hpp"

namespace n2nkit::diag {
namespace {

std::optional<bool> sysctl_flag(const char* path) {
  std::ifstream in(path);
  int v = 0;
  if (!(in >> v)) return std::nullopt;
  return v != 0;
}

std::optional<bool> ethtool_flag(int fd, const std::string& iface, std::uint32_t cmd) {
  ethtool_value value{};
  value.cmd = cmd;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, iface.c_str(), IFNAMSIZ - 1);
  ifr.ifr_data = reinterpret_cast<char*>(&value);
  if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) return std::nullopt;
  return value.data != 0;
}

Offloads offloads_of(const std::string& iface) {
  Offloads o;
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return o;
  o.tso = ethtool_flag(fd, iface, ETHTOOL_GTSO);
  o.gso = ethtool_flag(fd, iface, ETHTOOL_GGSO);
  o.gro = ethtool_flag(fd, iface, ETHTOOL_GGRO);
  close(fd);
  return o;
}

// The facts that do not depend on the uplink: routes through the overlay, forwarding, firewall.
HostFacts finish_facts(HostFacts& h, const std::vector<routes::Ipv4Route>& table, bool have_table) {
  if (have_table) {
    for (const auto& r : table)
      if (r.ifindex == h.overlay.ifindex)
        h.overlay_routes.push_back(r.gateway == 0
                                       ? fmt::format("{}/{}", routes::ipv4_text(r.dst), r.prefix)
                                       : fmt::format("{}/{} via {}", routes::ipv4_text(r.dst),
                                                     r.prefix, routes::ipv4_text(r.gateway)));
  }
  h.ipv4_forwarding = sysctl_flag("/proc/sys/net/ipv4/ip_forward");
  h.ipv6_forwarding = sysctl_flag("/proc/sys/net/ipv6/conf/all/forwarding");
  h.firewall = firewall::read_firewall_state();
  return h;
}

}  // namespace

std::optional<HostFacts> read_host_facts(const std::string& overlay_iface,
                                         const std::string& uplink_target, std::string& error) {
  auto lookup = net::RouteLookup::open(error);
  if (!lookup) return std::nullopt;
  HostFacts h;
  h.overlay.name = overlay_iface;
  const auto mtu = lookup->iface_mtu(overlay_iface, h.overlay.ifindex, error);
  if (!mtu) return std::nullopt;
  h.overlay.mtu = *mtu;
  h.overlay.offloads = offloads_of(overlay_iface);

  // Without a supernode the uplink is the default route's: looked up through its gateway (on
  // the uplink's link). Only the kernel's route table is asked; nothing is sent.
  std::vector<routes::Ipv4Route> table;
  std::string routes_error;
  const bool have_table = net::read_ipv4_routes(table, routes_error);
  h.uplink_target = uplink_target;
  if (h.uplink_target.empty()) {
    const routes::Ipv4Route* best = nullptr;
    for (const auto& r : table)
      if (r.prefix == 0 && r.gateway != 0 && r.ifindex != h.overlay.ifindex &&
          (best == nullptr || r.metric < best->metric))
        best = &r;
    if (best == nullptr) {
      h.uplink_error = have_table ? "no default route outside the overlay" : routes_error;
      h.uplink_target = "";
    } else {
      h.uplink_target = routes::ipv4_text(best->gateway);
    }
  }
  if (h.uplink_target.empty()) return finish_facts(h, table, have_table);
  packet::IpEndpoint to;
  if (inet_pton(AF_INET, h.uplink_target.c_str(), to.addr.data()) != 1) {
    error = fmt::format("'{}' is not an IPv4 address", h.uplink_target);
    return std::nullopt;
  }
  std::string route_error;
  if (const auto r = lookup->lookup(to, route_error); r && !r->iface.empty()) {
    if (r->ifindex == h.overlay.ifindex) {
      h.uplink_error =
          fmt::format("the route to {} goes through {} itself", h.uplink_target, overlay_iface);
    } else {
      IfaceFacts up;
      up.name = r->iface;
      up.ifindex = r->ifindex;
      up.mtu = r->path_mtu();
      up.offloads = offloads_of(r->iface);
      h.uplink = up;
    }
  } else {
    h.uplink_error = route_error.empty() ? "no route" : route_error;
  }

  return finish_facts(h, table, have_table);
}

}  // namespace n2nkit::diag
