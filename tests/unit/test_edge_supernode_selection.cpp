// Edge engine: PING/PONG and supernode selection (spec §11.1 step 3, §11.2 sweep, §11.4), with
// every strategy, against supernode engines in memory.
#include <doctest/doctest.h>

#include <string>

#include "core/edge/management.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::EdgeState;
using edge::SelectionStrategy;

TEST_SUITE_BEGIN("edge");

namespace {

std::string version_of(const edge::KnownSupernode& sn) {
  return edge::supernode_version(sn);
}

const edge::KnownSupernode& current(const edge::Engine& e) {
  return e.supernodes().at(e.current_supernode());
}

// An edge with supernodes 1 and 2 (in `order`), both up. Without path-MTU discovery: its
// padded PINGs get PONGs too, which would add to the counts and, in the harness where a
// chain of answers takes no time, to the round trips.
struct Pair {
  explicit Pair(SelectionStrategy strategy, std::vector<unsigned> order = {1, 2}) {
    sn1 = net.add_supernode(1);
    sn2 = net.add_supernode(2);
    auto config = static_edge(1);
    config.selection = strategy;
    config.path_mtu_discovery = false;
    config.supernodes.clear();
    for (const unsigned n : order) config.supernodes.push_back(Network::supernode_sock(n));
    a = net.add_edge(1, config);
  }
  Network net;
  std::size_t sn1 = 0, sn2 = 0, a = 0;
};

}  // namespace

TEST_CASE("supernode selection: criteria, PING targets and the management text") {
  CHECK(edge::selection_text(SelectionStrategy::load, 0, true) == "load =        0");
  CHECK(edge::selection_text(SelectionStrategy::rtt, 12, false) == "rtt =     12 ms");
  CHECK(edge::selection_text(SelectionStrategy::mac, 5, true) == "active");
  CHECK(edge::selection_text(SelectionStrategy::mac, 5, false) == "standby");
  CHECK(edge::selection_text(SelectionStrategy::load, 123456789012, false).size() == 15);
  for (const auto sentinel : {edge::kCriterionGood, edge::kCriterionDefault, edge::kCriterionBad}) {
    CHECK(edge::selection_text(SelectionStrategy::load, sentinel, false).empty());
  }
  CHECK(edge::kCriterionGood < edge::kCriterionDefault);
  CHECK(edge::kCriterionDefault < edge::kCriterionBad);

  // Stickiness: with 3 peers the current supernode's 100 counts as 75.
  CHECK(edge::load_criterion({100, 0, true, 3}) == 75);
  CHECK(edge::load_criterion({100, 4, false, 3}) == 104);
  CHECK(edge::load_criterion({0, 0, true, 0}) == 0);
  CHECK(edge::mac_criterion({0, 0, 0, 0, 1, 2}) == 0x102);
  CHECK(edge::rtt_criterion(1'000'000, 1'012'999) == 12);
  CHECK(edge::rtt_criterion(2'000'000, 1'000'000) == 0);

  CHECK(edge::ping_targets(3, 5, 9) == std::vector<std::size_t>{0, 1, 2});
  // Budget 5 of 20: the best two, then three after a skip (clamped to 15).
  CHECK(edge::ping_targets(20, 5, 4) == std::vector<std::size_t>{0, 1, 6, 7, 8});
  CHECK(edge::ping_targets(20, 5, 99) == std::vector<std::size_t>{0, 1, 17, 18, 19});
  CHECK(edge::biased_skip(0, 0xffffffff) == 0);
  CHECK(edge::biased_skip(10, 0) == 0);
  CHECK(edge::biased_skip(10, 0xffffffff) == 10);
  CHECK(edge::biased_skip(10, 0x80000000) == 2);  // (1/2)² × 11: small skips are likelier
}

TEST_CASE("supernode selection: PONGs fill version, uptime and load") {
  Pair p(SelectionStrategy::load);
  p.net.start(p.a);
  auto& e = p.net.edge(p.a);
  REQUIRE(e.state() == EdgeState::registered);
  // Two supernodes: both were PINGed at the start and both answered.
  for (const auto& sn : e.supernodes()) {
    CHECK(sn.pongs == 1);
    CHECK(version_of(sn) == "3.1.1");
    CHECK(sn.rtt_ms == 400);  // PING at .0, PONG at .4 in the harness
    CHECK(sn.criterion == 0);
  }
  p.net.advance(20);
  // The first sweep was 7 s after the start: the supernodes' uptime then.
  for (const auto& sn : e.supernodes()) {
    CHECK(sn.pongs == 2);
    CHECK(sn.uptime == 7);
  }
  CHECK(current(e).sock == Network::supernode_sock(1));  // equal load: no move
  CHECK(e.counters().drops_of(Reason::unsolicited_pong) == 0);

  edge::Management m(e, {});
  const auto rows = m.handle(as_bytes("r 1 supernodes"), p.net.now, Network::edge_sock(9));
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].find(R"("version":"3.1.1")") != std::string::npos);
  CHECK(rows[1].find(R"("current":1)") != std::string::npos);
  CHECK(rows[1].find(R"("selection":"load =        0")") != std::string::npos);
  CHECK(rows[1].find(R"("uptime":7})") != std::string::npos);
  CHECK(rows[2].find(R"("current":0)") != std::string::npos);

  // A PONG nobody asked for is counted, not believed.
  wire::CommonHeader h;
  h.ttl = 2;
  h.flags = wire::kFlagFromSupernode;
  h.community = wire::make_community("net");
  wire::PeerInfo pong;
  pong.src_mac = e.supernodes()[0].mac;
  pong.uptime = 999;
  p.net.inject(p.a, wire::encode_to_vector(h, pong), e.supernodes()[0].sock);
  CHECK(e.counters().drops_of(Reason::unsolicited_pong) == 1);
  CHECK(e.supernodes()[0].uptime == 7);
}

TEST_CASE("supernode selection: a single supernode is PINGed from the first sweep on") {
  Network net;
  net.add_supernode(1);
  auto config = static_edge(1);
  config.path_mtu_discovery = false;  // no probes: PONGs from sweeps only
  const auto a = net.add_edge(1, config);
  net.start(a);
  CHECK(net.edge(a).supernodes()[0].pongs == 0);  // no start-up PING phase with one
  net.advance(6);
  CHECK(net.edge(a).supernodes()[0].pongs == 0);
  net.advance(1);
  CHECK(net.edge(a).supernodes()[0].pongs == 1);
  net.advance(30);
  CHECK(net.edge(a).supernodes()[0].pongs == 1);  // more than 30 s later
  net.advance(1);
  CHECK(net.edge(a).supernodes()[0].pongs == 2);
}

TEST_CASE("supernode selection: the first supernode to answer at the start is taken") {
  Network net;
  const auto sn1 = net.add_supernode(1);
  auto config = static_edge(1);
  const auto dead = wire::Sock::ipv4(ip4(192, 0, 2, 99), 7654);
  config.supernodes = {dead, Network::supernode_sock(1)};
  const auto a = net.add_edge(1, config);
  net.start(a);
  // No three retries towards the silent first one: the PONG moved the registration at once.
  CHECK(net.edge(a).state() == EdgeState::registered);
  CHECK(current(net.edge(a)).sock == Network::supernode_sock(1));
  (void)sn1;
}

TEST_CASE("supernode selection: --select-mac moves to the lowest MAC at the first sweep") {
  Pair p(SelectionStrategy::mac, {2, 1});
  p.net.start(p.a);
  auto& e = p.net.edge(p.a);
  REQUIRE(e.state() == EdgeState::registered);
  CHECK(current(e).sock == Network::supernode_sock(2));  // the first to answer
  p.net.advance(7);
  REQUIRE(e.state() == EdgeState::registered);
  CHECK(current(e).sock == Network::supernode_sock(1));  // 02:53:4E:00:00:01 < …:02
  // The supernode we left was told.
  const auto* left = p.net.supernode(p.sn2).communities().find(wire::make_community("net"));
  CHECK((left == nullptr || left->edges.find(e.config().mac) == nullptr));
  edge::Management m(e, {});
  const auto rows = m.handle(as_bytes("r 1 supernodes"), p.net.now, Network::edge_sock(9));
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].find(R"("sockaddr":"192.0.2.1:7654","selection":"active")") != std::string::npos);
  CHECK(rows[2].find(R"("sockaddr":"192.0.2.2:7654","selection":"standby")") != std::string::npos);
}

TEST_CASE("supernode selection: --select-rtt moves to the nearest supernode") {
  Pair p(SelectionStrategy::rtt);
  p.net.nodes[p.sn1].arrival_usec = 300000;
  p.net.nodes[p.sn2].arrival_usec = 20000;
  p.net.start(p.a);
  auto& e = p.net.edge(p.a);
  CHECK(current(e).sock == Network::supernode_sock(1));
  p.net.advance(7);
  REQUIRE(e.state() == EdgeState::registered);
  CHECK(current(e).sock == Network::supernode_sock(2));
  CHECK(e.supernodes().at(0).sock == Network::supernode_sock(2));  // listed in selection order
  CHECK(e.supernodes().at(0).rtt_ms == 20);
  CHECK(e.supernodes().at(1).rtt_ms == 300);
  CHECK(edge::selection_text(SelectionStrategy::rtt, e.supernodes().at(0).criterion, true) ==
        "rtt =     20 ms");
}

TEST_CASE("supernode selection: load keeps the current supernode on a tie, fails over") {
  Pair p(SelectionStrategy::load);
  p.net.start(p.a);
  auto& e = p.net.edge(p.a);
  p.net.advance(40);
  CHECK(current(e).sock == Network::supernode_sock(1));
  CHECK(e.counters().registrations >= 2);
  // Supernode 1 goes silent: after its attempts the edge registers with supernode 2, and
  // supernode 1 goes to the end of the order.
  p.net.nodes[p.sn1].reachable = false;
  p.net.advance(40);
  REQUIRE(e.state() == EdgeState::registered);
  CHECK(current(e).sock == Network::supernode_sock(2));
  // And stays there when supernode 1 comes back (same load, current preferred).
  p.net.nodes[p.sn1].reachable = true;
  p.net.advance(70);
  CHECK(current(e).sock == Network::supernode_sock(2));
  CHECK(e.supernodes().size() == 2);
}

TEST_SUITE_END();
