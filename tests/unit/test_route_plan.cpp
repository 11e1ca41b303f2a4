#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/common/host_port.hpp"
#include "core/routes/route_plan.hpp"

using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}
constexpr int kEth = 2;
constexpr int kTap = 7;
constexpr std::uint8_t kBoot = 3;
constexpr std::uint8_t kKernel = 2;

// A far edge: default route via its LAN gateway, its LAN, the TAP's own subnet.
std::vector<KernelRoute> table() {
  return {
      {{0, 0, ip(198, 19, 0, 1), kEth, 0}, kBoot, 0, 0},
      {{ip(198, 19, 0, 0), 24, 0, kEth, 0}, kKernel, 253, ip(198, 19, 0, 11)},
      {{ip(10, 20, 30, 0), 24, 0, kTap, 0}, kKernel, 253, ip(10, 20, 30, 1)},
  };
}

Change recorded(const RouteStep& s, const char* by = "add") {
  Change c;
  c.kind = s.op == RouteStep::Op::replace ? ChangeKind::route_replaced : ChangeKind::route_added;
  c.by = by;
  c.route = s.route;
  c.before = s.before;
  return c;
}

}  // namespace

TEST_CASE("route plan: add is an add, twice is once, and ours lost by the kernel comes back") {
  const auto t = table();
  UndoJournal j;
  const auto wanted = static_route({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  CHECK(wanted.protocol == 4);
  CHECK(wanted.scope == 0);
  RoutePlan p;
  plan_put(t, j, wanted, "lan", p);
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].op == RouteStep::Op::add);
  CHECK_FALSE(p.steps[0].recorded);
  j.record(recorded(p.steps[0]));

  auto with = t;
  with.push_back(wanted);
  RoutePlan again;
  plan_put(with, j, wanted, "lan", again);
  CHECK(again.steps.empty());
  REQUIRE(again.notes.size() == 1);
  CHECK(again.notes[0].find("added by n2n-route add") != std::string::npos);

  // The kernel lost it (the TAP went down): added again, not recorded a second time.
  RoutePlan lost;
  plan_put(t, j, wanted, "lan", lost);
  REQUIRE(lost.steps.size() == 1);
  CHECK(lost.steps[0].recorded);
}

TEST_CASE("route plan: a route someone else put there is left alone and not claimed") {
  auto t = table();
  const auto wanted = static_route({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  t.push_back(wanted);
  RoutePlan p;
  plan_put(t, UndoJournal{}, wanted, "lan", p);
  CHECK(p.steps.empty());
  REQUIRE(p.notes.size() == 1);
  CHECK(p.notes[0].find("not added by n2n-route") != std::string::npos);
}

TEST_CASE("route plan: a route in the way is replaced, and the replaced one is kept for undo") {
  auto t = table();
  const KernelRoute old{{ip(192, 168, 5, 0), 24, ip(198, 19, 0, 1), kEth, 0}, kBoot, 0, 0};
  t.push_back(old);
  const auto wanted = static_route({ip(192, 168, 5, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  RoutePlan p;
  plan_put(t, UndoJournal{}, wanted, "x", p);
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].op == RouteStep::Op::replace);
  REQUIRE(p.steps[0].before);
  CHECK(*p.steps[0].before == old);
  // Another metric is another route for the kernel: an add beside it.
  auto metric = wanted;
  metric.route.metric = 10;
  RoutePlan beside;
  plan_put(t, UndoJournal{}, metric, "x", beside);
  REQUIRE(beside.steps.size() == 1);
  CHECK(beside.steps[0].op == RouteStep::Op::add);
}

TEST_CASE("route plan: del undoes ours, records anyone else's, and needs to know which") {
  auto t = table();
  UndoJournal j;
  const auto ours = static_route({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  t.push_back(ours);
  Change c;
  c.kind = ChangeKind::route_added;
  c.by = "add";
  c.route = ours;
  const auto id = j.record(c);
  auto p = plan_delete(t, j, {{ip(10, 10, 10, 0), 24}, std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].op == RouteStep::Op::remove);
  CHECK(p.steps[0].journal_id == id);

  // Someone else's: removed, journal_id 0 (the tool records it as route_deleted).
  auto theirs = plan_delete(t, j, {{0, 0}, std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(theirs.steps.size() == 1);
  CHECK(theirs.steps[0].journal_id == 0);
  CHECK(theirs.steps[0].route.protocol == kBoot);

  // Nothing there: a note, so that del twice is del once.
  auto none = plan_delete(t, j, {{ip(10, 99, 0, 0), 16}, std::nullopt, std::nullopt, std::nullopt});
  CHECK(none.steps.empty());
  CHECK(none.problems.empty());
  CHECK(none.notes.size() == 1);

  // Two routes to the same net: which one?
  t.push_back(static_route({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 253), kTap, 5}));
  auto two = plan_delete(t, j, {{ip(10, 10, 10, 0), 24}, std::nullopt, std::nullopt, std::nullopt});
  CHECK(two.steps.empty());
  CHECK(two.problems.size() == 1);
  auto by_gw =
      plan_delete(t, j, {{ip(10, 10, 10, 0), 24}, ip(10, 20, 30, 253), std::nullopt, std::nullopt});
  CHECK(by_gw.steps.size() == 1);
  auto by_metric = plan_delete(t, j, {{ip(10, 10, 10, 0), 24}, std::nullopt, std::nullopt, 0U});
  REQUIRE(by_metric.steps.size() == 1);
  CHECK(by_metric.steps[0].journal_id == id);
}

TEST_CASE("route plan: del of a route that replaced another puts the other back") {
  auto t = table();
  const KernelRoute old{{ip(192, 168, 5, 0), 24, ip(198, 19, 0, 1), kEth, 0}, kBoot, 0, 0};
  const auto mine = static_route({ip(192, 168, 5, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  t.push_back(mine);
  UndoJournal j;
  Change c;
  c.kind = ChangeKind::route_replaced;
  c.by = "add";
  c.route = mine;
  c.before = old;
  const auto id = j.record(c);
  auto p = plan_delete(t, j, {{ip(192, 168, 5, 0), 24}, std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(p.steps.size() == 1);
  CHECK(p.steps[0].op == RouteStep::Op::restore);
  CHECK(*p.steps[0].before == old);
  CHECK(p.steps[0].journal_id == id);
}

TEST_CASE("route plan: supernode host routes go via the underlay, never the overlay") {
  auto t = table();
  // The seed's failure: a default route through the overlay (two /1s) came first.
  t.push_back(static_route({0, 1, ip(10, 20, 30, 254), kTap, 0}));
  t.push_back(static_route({ip(128, 0, 0, 0), 1, ip(10, 20, 30, 254), kTap, 0}));
  const std::vector<std::uint32_t> sns{ip(203, 0, 113, 5), ip(203, 0, 113, 5), ip(198, 19, 0, 1)};
  const auto p = plan_supernode_routes(t, kTap, UndoJournal{}, sns);
  // The second supernode is on the LAN itself: its /24 is more specific than the /1s, but a
  // host route makes it independent of them too.
  REQUIRE(p.steps.size() == 2);
  CHECK(p.steps[0].route.route == Ipv4Route{ip(203, 0, 113, 5), 32, ip(198, 19, 0, 1), kEth, 0});
  CHECK(p.steps[1].route.route == Ipv4Route{ip(198, 19, 0, 1), 32, 0, kEth, 0});
  CHECK(p.steps[1].route.scope == 253);
  CHECK(p.problems.empty());

  // Once ours is there and the underlay gateway changes, ours is replaced to follow it.
  auto later = t;
  UndoJournal j;
  const auto host = p.steps[0].route;
  later.push_back(host);
  Change c;
  c.kind = ChangeKind::route_added;
  c.by = "supernode-route";
  c.route = host;
  j.record(c);
  const std::vector<std::uint32_t> one{ip(203, 0, 113, 5)};
  const auto same = plan_supernode_routes(later, kTap, j, one);
  CHECK(same.steps.empty());
  CHECK(same.notes.size() == 1);
  later[0].route.gateway = ip(198, 19, 0, 254);
  const auto moved = plan_supernode_routes(later, kTap, j, one);
  REQUIRE(moved.steps.size() == 1);
  CHECK(moved.steps[0].op == RouteStep::Op::replace);
  CHECK(moved.steps[0].route.route.gateway == ip(198, 19, 0, 254));
}

TEST_CASE("route plan: without any underlay route the supernode is a problem, not a guess") {
  std::vector<KernelRoute> t{{{ip(10, 20, 30, 0), 24, 0, kTap, 0}, kKernel, 253, ip(10, 20, 30, 1)},
                             static_route({0, 0, ip(10, 20, 30, 254), kTap, 0})};
  const std::vector<std::uint32_t> sns{ip(203, 0, 113, 5)};
  const auto p = plan_supernode_routes(t, kTap, UndoJournal{}, sns);
  CHECK(p.steps.empty());
  REQUIRE(p.problems.size() == 1);
  CHECK(p.problems[0].find("203.0.113.5") != std::string::npos);
}

TEST_CASE("route plan: -g replaces the underlay's default routes for the host-route decisions") {
  const std::vector<Ipv4Route> t{{0, 0, ip(198, 19, 0, 1), kEth, 100},
                                 {ip(198, 19, 0, 0), 24, 0, kEth, 0},
                                 {ip(10, 20, 30, 0), 24, 0, kTap, 0},
                                 {0, 0, ip(10, 20, 30, 254), kTap, 5}};
  const auto g = with_underlay_gateway(t, kTap, ip(198, 19, 0, 254));
  REQUIRE(g);
  CHECK(g->size() == 4);
  CHECK(g->back() == Ipv4Route{0, 0, ip(198, 19, 0, 254), kEth, 0});
  // The overlay's default route stays (it is what captures the supernode).
  CHECK(std::find(g->begin(), g->end(), t[3]) != g->end());
  CHECK_FALSE(with_underlay_gateway(t, kTap, ip(172, 16, 0, 1)));
}

TEST_CASE("route plan: management sockaddrs and HOST:PORT") {
  CHECK(sockaddr_ipv4("203.0.113.5:7777") == ip(203, 0, 113, 5));
  CHECK_FALSE(sockaddr_ipv4("[2001:db8::1]:7777"));
  CHECK_FALSE(sockaddr_ipv4("203.0.113.5"));
  std::string error;
  const auto hp = n2nkit::parse_host_port("sn.example.org:7654", error);
  REQUIRE(hp);
  CHECK(hp->host == "sn.example.org");
  CHECK(hp->port == 7654);
  CHECK_FALSE(n2nkit::parse_host_port("203.0.113.5", error));
  CHECK_FALSE(n2nkit::parse_host_port("203.0.113.5:0", error));
  CHECK_FALSE(n2nkit::parse_host_port("203.0.113.5:70000", error));
  CHECK_FALSE(n2nkit::parse_host_port(":7654", error));
}
