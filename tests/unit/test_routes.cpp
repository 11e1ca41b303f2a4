#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/routes/ipv4_route.hpp"
#include "core/routes/route_keeper.hpp"

using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

constexpr int kEth = 2;
constexpr int kTap = 7;

// A laptop: default route via its LAN gateway, the LAN itself, and the TAP's own subnet.
std::vector<Ipv4Route> laptop_table() {
  return {
      {0, 0, ip(192, 168, 1, 1), kEth, 100},
      {ip(192, 168, 1, 0), 24, 0, kEth, 100},
      {ip(10, 20, 30, 0), 24, 0, kTap, 0},
  };
}

void apply(RouteKeeper& keeper, std::vector<Ipv4Route>& table, const RouteActions& a) {
  for (const auto& r : a.remove) {
    std::erase_if(table, [&](const Ipv4Route& x) { return same_route(x, r); });
    keeper.removed(r);
  }
  for (const auto& r : a.add) {
    table.push_back(r);
    keeper.added(r);
  }
}

}  // namespace

TEST_CASE("routes: -n NET/LEN:GATEWAY is parsed as the reference takes it") {
  std::string error;
  const auto r = parse_overlay_route("10.10.10.0/24:10.20.30.254", error);
  REQUIRE(r);
  CHECK(r->net == ip(10, 10, 10, 0));
  CHECK(r->prefix == 24);
  CHECK(r->gateway == ip(10, 20, 30, 254));
  CHECK(overlay_route_text(*r) == "10.10.10.0/24:10.20.30.254");
  CHECK(parse_overlay_route("0.0.0.0/0:10.20.30.254", error));
}

TEST_CASE("routes: malformed -n values name the problem") {
  std::string error;
  CHECK_FALSE(parse_overlay_route("10.10.10.0/24", error));
  CHECK(error.find("NET/LEN:GATEWAY") != std::string::npos);
  CHECK_FALSE(parse_overlay_route("10.10.10.1/24:10.20.30.254", error));
  CHECK(error.find("host bits") != std::string::npos);
  CHECK(error.find("10.10.10.0") != std::string::npos);
  CHECK_FALSE(parse_overlay_route("10.10.10.0/33:10.20.30.254", error));
  CHECK(error.find("prefix length") != std::string::npos);
  CHECK_FALSE(parse_overlay_route("10.10.300.0/24:10.20.30.254", error));
  CHECK(error.find("not an IPv4 network") != std::string::npos);
  CHECK_FALSE(parse_overlay_route("10.10.10.0/24:gateway", error));
  CHECK(error.find("gateway") != std::string::npos);
  CHECK_FALSE(parse_overlay_route("10.10.10.0/24:0.0.0.0", error));
  CHECK_FALSE(parse_overlay_route("10.10.10.0/:1.2.3.4", error));
  CHECK_FALSE(parse_overlay_route("", error));
}

TEST_CASE("routes: a default route through the overlay becomes two /1 routes") {
  const auto k = kernel_routes({0, 0, ip(10, 20, 30, 254)}, kTap);
  REQUIRE(k.size() == 2);
  CHECK(k[0] == Ipv4Route{0, 1, ip(10, 20, 30, 254), kTap, 0});
  CHECK(k[1] == Ipv4Route{ip(128, 0, 0, 0), 1, ip(10, 20, 30, 254), kTap, 0});
}

TEST_CASE("routes: longest prefix wins, then the lowest metric") {
  const std::vector<Ipv4Route> t{{0, 0, ip(1, 1, 1, 1), 1, 100},
                                 {ip(10, 0, 0, 0), 8, ip(2, 2, 2, 2), 2, 0},
                                 {ip(10, 1, 0, 0), 16, ip(3, 3, 3, 3), 3, 50},
                                 {ip(10, 1, 0, 0), 16, ip(4, 4, 4, 4), 4, 10}};
  const auto none = [](const Ipv4Route&) { return false; };
  CHECK(lookup(t, ip(10, 1, 2, 3), none)->ifindex == 4);
  CHECK(lookup(t, ip(10, 2, 2, 3), none)->ifindex == 2);
  CHECK(lookup(t, ip(8, 8, 8, 8), none)->ifindex == 1);
  CHECK_FALSE(lookup(std::vector<Ipv4Route>{}, ip(8, 8, 8, 8), none));
}

TEST_CASE("routes: a LAN route behind a gateway edge is added, and again after it vanished") {
  RouteKeeper keeper({{ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254)}}, kTap);
  auto table = laptop_table();
  const std::vector<std::uint32_t> sn{ip(203, 0, 113, 5)};
  auto a = keeper.reconcile(table, sn);
  CHECK(a.remove.empty());
  REQUIRE(a.add.size() == 1);  // the supernode is not captured by 10.10.10.0/24
  CHECK(a.add[0] == Ipv4Route{ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  apply(keeper, table, a);
  CHECK(keeper.reconcile(table, sn).empty());

  // The TAP went down and up: the kernel flushed its routes.
  std::erase_if(table, [](const Ipv4Route& r) { return r.ifindex == kTap; });
  a = keeper.reconcile(table, sn);
  REQUIRE(a.add.size() == 1);
  CHECK(a.add[0].dst == ip(10, 10, 10, 0));
}

TEST_CASE("routes: a default route through the overlay gets a host route to the supernode first") {
  RouteKeeper keeper({{0, 0, ip(10, 20, 30, 254)}}, kTap);
  auto table = laptop_table();
  const std::vector<std::uint32_t> sn{ip(203, 0, 113, 5), ip(192, 168, 1, 50)};
  auto a = keeper.reconcile(table, sn);
  CHECK(a.problems.empty());
  REQUIRE(a.add.size() == 3);
  // 192.168.1.50 is on the LAN (/24 beats the /1s): no host route needed for it.
  CHECK(a.add[0] == Ipv4Route{ip(203, 0, 113, 5), 32, ip(192, 168, 1, 1), kEth, 0});
  CHECK(a.add[1].prefix == 1);
  CHECK(a.add[2].prefix == 1);
  apply(keeper, table, a);
  CHECK(keeper.reconcile(table, sn).empty());

  // The underlay's gateway changed (DHCP): the host route follows it.
  std::erase_if(table, [](const Ipv4Route& r) { return r.prefix == 0; });
  table.push_back({0, 0, ip(192, 168, 1, 254), kEth, 100});
  a = keeper.reconcile(table, sn);
  REQUIRE(a.remove.size() == 1);
  CHECK(a.remove[0].gateway == ip(192, 168, 1, 1));
  REQUIRE(a.add.size() == 1);
  CHECK(a.add[0] == Ipv4Route{ip(203, 0, 113, 5), 32, ip(192, 168, 1, 254), kEth, 0});
  apply(keeper, table, a);

  // Teardown: the overlay routes first, the host route last, nothing that was not ours.
  const auto t = keeper.teardown();
  REQUIRE(t.size() == 3);
  CHECK(t[0].ifindex == kTap);
  CHECK(t[1].ifindex == kTap);
  CHECK(t[2].prefix == 32);
}

TEST_CASE("routes: a captured supernode without an underlay route is reported, not guessed") {
  RouteKeeper keeper({{0, 0, ip(10, 20, 30, 254)}}, kTap);
  const std::vector<Ipv4Route> table{{ip(10, 20, 30, 0), 24, 0, kTap, 0}};
  const std::vector<std::uint32_t> sn{ip(203, 0, 113, 5)};
  const auto a = keeper.reconcile(table, sn);
  REQUIRE(a.problems.size() == 1);
  CHECK(a.problems[0].find("203.0.113.5") != std::string::npos);
  CHECK(a.add.size() == 2);
}

TEST_CASE("routes: without -n routes nothing is touched, not even for the supernode") {
  RouteKeeper keeper({}, kTap);
  const auto table = laptop_table();
  const std::vector<std::uint32_t> sn{ip(203, 0, 113, 5)};
  CHECK(keeper.reconcile(table, sn).empty());
  CHECK(keeper.teardown().empty());
}

TEST_CASE("routes: a route someone else put there is left alone at exit") {
  RouteKeeper keeper({{ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254)}}, kTap);
  auto table = laptop_table();
  table.push_back({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  const std::vector<std::uint32_t> sn{ip(203, 0, 113, 5)};
  CHECK(keeper.reconcile(table, sn).empty());
  CHECK(keeper.teardown().empty());
}

TEST_CASE("routes: under an overlay default route a peer's public address gets a host route too") {
  RouteKeeper keeper({{0, 0, ip(10, 20, 30, 1)}}, kTap);
  auto table = laptop_table();
  const std::vector<std::uint32_t> endpoints{ip(203, 0, 113, 10), ip(198, 51, 100, 20)};
  auto a = keeper.reconcile(table, endpoints);
  REQUIRE(a.add.size() == 4);
  CHECK(a.add[0] == Ipv4Route{ip(203, 0, 113, 10), 32, ip(192, 168, 1, 1), kEth, 0});
  CHECK(a.add[1] == Ipv4Route{ip(198, 51, 100, 20), 32, ip(192, 168, 1, 1), kEth, 0});
  apply(keeper, table, a);
  // The peer went away: its host route goes, the supernode's stays.
  const std::vector<std::uint32_t> fewer{ip(203, 0, 113, 10)};
  a = keeper.reconcile(table, fewer);
  REQUIRE(a.remove.size() == 1);
  CHECK(a.remove[0].dst == ip(198, 51, 100, 20));
  CHECK(a.add.empty());
}

TEST_CASE("routes: networks as n2n-route takes them (NET/LEN, an address, default)") {
  std::string error;
  CHECK(parse_ipv4_net("10.10.10.0/24", error) == Ipv4Net{ip(10, 10, 10, 0), 24});
  CHECK(parse_ipv4_net("203.0.113.5", error) == Ipv4Net{ip(203, 0, 113, 5), 32});
  CHECK(parse_ipv4_net("default", error) == Ipv4Net{0, 0});
  CHECK(parse_ipv4_net("0.0.0.0/0", error) == Ipv4Net{0, 0});
  CHECK(net_text({ip(10, 10, 10, 0), 24}) == "10.10.10.0/24");
  for (const char* bad : {"10.10.10.1/24", "10.10.10.0/33", "10.10.10.0/", "10.10.10/24",
                          "10.10.10.256/32", "n2n0", "", "10.10.10.0/24x"}) {
    error.clear();
    CHECK_MESSAGE(!parse_ipv4_net(bad, error), bad);
    CHECK(!error.empty());
  }
  CHECK(parse_ipv4_address("10.20.30.254") == ip(10, 20, 30, 254));
  CHECK_FALSE(parse_ipv4_address("10.20.30"));
  CHECK_FALSE(parse_ipv4_address("10.20.30.1 "));
}
