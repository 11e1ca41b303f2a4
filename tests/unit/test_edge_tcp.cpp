// -S2 in the edge engine (spec §11.11): one attempt per supernode, and the daemon's connection
// events (connected: the registration goes again at once; lost: back to waiting).
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::EdgeState;

TEST_SUITE_BEGIN("edge");

namespace {

edge::EdgeConfig tcp_edge(unsigned n) {
  auto c = static_edge(n);
  c.tcp = true;
  c.p2p = false;
  return c;
}

}  // namespace

TEST_CASE("edge -S2: an unanswered registration moves to the next supernode after one try") {
  Network net;
  const auto sn1 = net.add_supernode(1);
  net.add_supernode(2);
  auto config = tcp_edge(1);
  config.supernodes = {Network::supernode_sock(1), Network::supernode_sock(2)};
  const auto a = net.add_edge(1, config);
  net.nodes[sn1].reachable = false;
  net.start(a);
  CHECK(net.lost == 1);
  CHECK(net.edge(a).supernode_switches() == 0);
  net.advance(3);  // the one attempt is used up: the second supernode, which answers
  CHECK(net.lost == 1);
  CHECK(net.edge(a).supernode_switches() == 1);
  // The failed supernode is marked bad and the list re-sorted (selection): look at the socket.
  const auto& e = net.edge(a);
  CHECK(e.supernodes().at(e.current_supernode()).sock == Network::supernode_sock(2));
  CHECK(e.state() == EdgeState::registered);
}

TEST_CASE("edge -S2: a single supernode counts a switch at each unanswered try") {
  Network net;
  const auto sn = net.add_supernode(1);
  const auto a = net.add_edge(1, tcp_edge(1));
  net.nodes[sn].reachable = false;
  net.start(a);
  net.advance(3);
  CHECK(net.edge(a).supernode_switches() == 1);
  net.advance(3);
  CHECK(net.edge(a).supernode_switches() == 2);
  CHECK(net.edge(a).current_supernode() == 0);
  net.nodes[sn].reachable = true;
  net.advance(3);
  CHECK(net.edge(a).state() == EdgeState::registered);
}

TEST_CASE("edge -S2: a lost connection means waiting; a new one re-registers at once") {
  Network net;
  const auto sn = net.add_supernode(1);
  const auto a = net.add_edge(1, tcp_edge(1));
  net.start(a);
  REQUIRE(net.edge(a).state() == EdgeState::registered);
  const auto registrations = net.edge(a).counters().registrations;
  net.advance(5);
  net.edge(a).on_supernode_connection_lost({net.now, 0});
  CHECK(net.edge(a).state() == EdgeState::waiting);
  CHECK(net.edge(a).accepted());  // frames keep flowing meanwhile (§11.1 step 6)
  CHECK(net.edge(a).next_deadline().sec == net.now + 3);
  net::Outbox out;
  net.edge(a).on_supernode_connected({net.now, 0}, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].to.sock == Network::supernode_sock(1));
  // Delivered: the ACK ends the waiting, no attempt was used and no switch happened.
  net.inject(sn, out[0].bytes, net.nodes[a].sock);
  CHECK(net.edge(a).state() == EdgeState::registered);
  CHECK(net.edge(a).counters().registrations == registrations + 1);
  CHECK(net.edge(a).supernode_switches() == 0);
  CHECK(net.edge(a).counters().drops_of(Reason::cookie_mismatch) == 0);
}

TEST_CASE("edge -S2: a connection coming up while registered sends nothing") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, tcp_edge(1));
  net.start(a);
  REQUIRE(net.edge(a).state() == EdgeState::registered);
  net::Outbox out;
  net.edge(a).on_supernode_connected({net.now, 0}, out);
  CHECK(out.empty());
}

TEST_SUITE_END();
