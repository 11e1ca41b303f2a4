#include <doctest/doctest.h>

#include <arpa/inet.h>

#include <string>

#include "core/net/route_lookup.hpp"

using namespace n2nkit;

// RTM_GETROUTE needs no privilege; loopback exists in every network namespace.
TEST_CASE("route lookup: this host's own address is a local route on lo") {
  std::string error;
  auto routes = net::RouteLookup::open(error);
  REQUIRE_MESSAGE(routes, error);
  packet::IpEndpoint to;
  REQUIRE(inet_pton(AF_INET, "127.0.0.1", to.addr.data()) == 1);
  const auto r = routes->lookup(to, error);
  REQUIRE_MESSAGE(r, error);
  CHECK(r->local);
  CHECK(r->iface == "lo");
  CHECK(r->iface_mtu >= 1500);
  CHECK(r->path_mtu() == r->iface_mtu);
  // Cached: the same answer again.
  const auto again = routes->lookup(to, error);
  REQUIRE(again);
  CHECK(again->ifindex == r->ifindex);

  int ifindex = 0;
  const auto mtu = routes->iface_mtu("lo", ifindex, error);
  REQUIRE(mtu);
  CHECK(*mtu == r->iface_mtu);
  CHECK(ifindex == r->ifindex);
  CHECK_FALSE(routes->iface_mtu("nkmss-nosuch0", ifindex, error));
  CHECK(error == "no interface named 'nkmss-nosuch0'");
}
