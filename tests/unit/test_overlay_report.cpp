#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/routes/overlay_report.hpp"
#include "core/routes/route_plan.hpp"

using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}
constexpr int kEth = 2;
constexpr int kTap = 7;

std::vector<KernelRoute> base() {
  return {
      {{0, 0, ip(198, 19, 0, 1), kEth, 0}, 3, 0, 0},
      {{ip(198, 19, 0, 0), 24, 0, kEth, 0}, 2, 253, ip(198, 19, 0, 11)},
      {{ip(10, 20, 30, 0), 24, 0, kTap, 0}, 2, 253, ip(10, 20, 30, 1)},
  };
}

OverlayReport report(const std::vector<KernelRoute>& t, const UndoJournal& j,
                     const std::vector<Endpoint>& eps, bool known = true) {
  ReportInput in;
  in.table = t;
  in.overlay_ifindex = kTap;
  in.dev = "n2n0";
  in.journal = &j;
  in.endpoints = eps;
  in.endpoints_known = known;
  in.supernode_route_command = "n2n-route supernode-route";
  return explain_overlay(in);
}

const std::vector<Endpoint> kSupernode{{ip(203, 0, 113, 5), "supernode", "203.0.113.5:7777"}};

}  // namespace

TEST_CASE("overlay report: the seed's failure, a default route via n2n0 capturing the supernode") {
  auto t = base();
  // `ip route replace default via 10.20.30.254`: the underlay's default is gone.
  t.erase(t.begin());
  t.push_back({{0, 0, ip(10, 20, 30, 254), kTap, 0}, 3, 0, 0});
  const auto r = report(t, UndoJournal{}, kSupernode);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].problem.find("203.0.113.5:7777") != std::string::npos);
  CHECK(r.problems[0].fix == "n2n-route supernode-route");
  // Both overlay routes are explained: the subnet (kernel) and the default (by hand).
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[0].origin == "kernel");
  CHECK(r.rows[1].origin.find("by hand") != std::string::npos);
  CHECK(r.rows[1].why.find("default route") != std::string::npos);
}

TEST_CASE("overlay report: two /1 routes capture it too; a host route via the underlay fixes it") {
  auto t = base();
  t.push_back(static_route({0, 1, ip(10, 20, 30, 254), kTap, 0}));
  t.push_back(static_route({ip(128, 0, 0, 0), 1, ip(10, 20, 30, 254), kTap, 0}));
  CHECK(report(t, UndoJournal{}, kSupernode).problems.size() == 1);
  UndoJournal j;
  Change c;
  c.kind = ChangeKind::route_added;
  c.by = "supernode-route";
  c.route = static_route({ip(203, 0, 113, 5), 32, ip(198, 19, 0, 1), kEth, 0});
  c.dev = "eth0";
  j.record(c);
  t.push_back(c.route);
  const auto r = report(t, j, kSupernode);
  CHECK(r.problems.empty());
  const auto host = std::find_if(r.rows.begin(), r.rows.end(),
                                 [](const ReportRow& row) { return !row.through_overlay; });
  REQUIRE(host != r.rows.end());
  CHECK(host->origin == "n2n-route supernode-route");
  CHECK(host->why.find("supernode 203.0.113.5:7777") != std::string::npos);
  // A peer behind the overlay's default is a problem of its own.
  std::vector<Endpoint> eps = kSupernode;
  eps.push_back({ip(192, 0, 2, 7), "peer", "192.0.2.7:40000"});
  const auto with_peer = report(t, j, eps);
  REQUIRE(with_peer.problems.size() == 1);
  CHECK(with_peer.problems[0].fix.find("192.0.2.7:40000") != std::string::npos);
}

TEST_CASE("overlay report: origins of overlay routes and a route of ours the kernel lost") {
  auto t = base();
  const auto lan = static_route({ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254), kTap, 0});
  const auto edge = static_route({ip(172, 16, 0, 0), 16, ip(10, 20, 30, 253), kTap, 0});
  t.push_back(lan);
  t.push_back(edge);
  UndoJournal j;
  Change c;
  c.kind = ChangeKind::route_added;
  c.by = "add";
  c.route = lan;
  c.dev = "n2n0";
  j.record(c);
  Change gone = c;
  gone.route = static_route({ip(10, 11, 0, 0), 16, ip(10, 20, 30, 254), kTap, 0});
  j.record(gone);
  const auto r = report(t, j, {}, false);
  REQUIRE(r.rows.size() == 3);
  CHECK(r.rows[1].origin == "n2n-route add");
  CHECK(r.rows[2].origin.find("-n") != std::string::npos);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].problem.find("10.11.0.0/16") != std::string::npos);
  CHECK(r.problems[0].fix == "n2n-route add 10.11.0.0/16 via 10.20.30.254 --dev n2n0");
  CHECK(r.notes.empty());  // no default route through the overlay: nothing left unchecked

  // The edge restarted: its new TAP n2n0 has another index, and the route is there again on it.
  auto restarted = base();
  for (auto& k : restarted) {
    if (k.route.ifindex == kTap) k.route.ifindex = kTap + 1;
  }
  auto again = lan;
  again.route.ifindex = kTap + 1;
  restarted.push_back(again);
  UndoJournal only_lan;
  only_lan.record(c);
  ReportInput in;
  in.table = restarted;
  in.overlay_ifindex = kTap + 1;
  in.dev = "n2n0";
  in.journal = &only_lan;
  CHECK(explain_overlay(in).problems.empty());
}

TEST_CASE("overlay report: a default route via the overlay with unknown supernodes is a note") {
  auto t = base();
  t.push_back(static_route({0, 1, ip(10, 20, 30, 254), kTap, 0}));
  const auto r = report(t, UndoJournal{}, {}, false);
  CHECK(r.problems.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("--supernode") != std::string::npos);
  CHECK(protocol_name(4) == "static");
  CHECK(protocol_name(99) == "99");
}
