#pragma once
// The route the kernel would use towards an address (RTM_GETROUTE, as `ip route get`), with
// the facts that bound TCP segments on it: the out-interface's MTU and the route's `mtu` and
// `advmss` metrics. Needs no privilege. One line in error on failure.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/packet/ip_endpoint.hpp"

struct nl_sock;

namespace n2nkit::net {

struct RouteFacts {
  bool local = false;  // the address is this host's own (type local)
  int ifindex = 0;
  std::string iface;
  std::uint32_t iface_mtu = 0;
  std::uint32_t route_mtu = 0;  // the `mtu` metric; 0 when the route has none
  // route_mtu is a path MTU the kernel learnt from ICMP (a cached exception that expires), not
  // a metric anyone configured.
  bool mtu_learnt = false;
  std::uint32_t advmss = 0;  // the `advmss` metric; 0 when the route has none
  std::string gateway;       // "" for a directly connected destination
  // What bounds a packet on this route: the route's mtu where set, else the interface's.
  std::uint32_t path_mtu() const { return route_mtu != 0 ? route_mtu : iface_mtu; }
};

class RouteLookup {
 public:
  static std::unique_ptr<RouteLookup> open(std::string& error);
  ~RouteLookup();
  RouteLookup(const RouteLookup&) = delete;
  RouteLookup& operator=(const RouteLookup&) = delete;

  // The port of `to` is ignored. nullopt with error when there is no route (unreachable) or
  // the kernel refused. Answers are cached per address: the tool asks for each SYN.
  std::optional<RouteFacts> lookup(const packet::IpEndpoint& to, std::string& error);
  // The MTU of an interface by name; nullopt with error when there is no such interface.
  std::optional<std::uint32_t> iface_mtu(const std::string& name, int& ifindex, std::string& error);

 private:
  explicit RouteLookup(nl_sock* sock) : sock_(sock) {}
  nl_sock* sock_;
  std::map<std::pair<bool, std::array<std::uint8_t, 16>>, RouteFacts> cache_;
};

}  // namespace n2nkit::net
