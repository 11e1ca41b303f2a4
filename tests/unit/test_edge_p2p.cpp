// Edge engine: peer-to-peer set-up (spec §11.5): REGISTER via the supernode and directly,
// REGISTER_ACK, QUERY_PEER/PEER_INFO, freshness and purge; -S1.
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

struct Trio {
  // discovery: path-MTU probes, whose REGISTER_ACKs come directly and so keep a path fresh.
  explicit Trio(bool p2p = true, bool discovery = true) {
    sn = net.add_supernode(1);
    auto ca = static_edge(1);
    auto cb = static_edge(2);
    ca.p2p = p2p;
    cb.p2p = p2p;
    ca.path_mtu_discovery = discovery;
    cb.path_mtu_discovery = discovery;
    a = net.add_edge(1, ca);
    b = net.add_edge(2, cb);
    net.start(a);
    net.start(b);
  }
  ByteVector a_to_b() {
    return ping_frame(net.edge(a).config().mac, net.edge(b).config().mac, ip4(10, 20, 30, 1),
                      ip4(10, 20, 30, 2));
  }
  ByteVector b_to_a() {
    return ping_frame(net.edge(b).config().mac, net.edge(a).config().mac, ip4(10, 20, 30, 2),
                      ip4(10, 20, 30, 1));
  }
  std::uint64_t relayed() const { return nodes_supernode().counters().packets.forward; }
  const supernode::Engine& nodes_supernode() const { return *net.nodes[sn].supernode; }
  Network net;
  std::size_t sn = 0, a = 0, b = 0;
};

}  // namespace

TEST_CASE("edge p2p: after the first frame both edges know each other directly") {
  Trio t;
  const auto mac_a = t.net.edge(t.a).config().mac;
  const auto mac_b = t.net.edge(t.b).config().mac;
  t.net.frame(t.a, t.a_to_b());
  // A asked the supernode (REGISTER relayed to B, QUERY_PEER answered), B registered back
  // directly, both confirmed with REGISTER_ACKs.
  const auto* b_at_a = t.net.edge(t.a).peers().known(mac_b);
  const auto* a_at_b = t.net.edge(t.b).peers().known(mac_a);
  REQUIRE(b_at_a != nullptr);
  REQUIRE(a_at_b != nullptr);
  CHECK(b_at_a->sock == Network::edge_sock(2));
  CHECK(a_at_b->sock == Network::edge_sock(1));
  CHECK(t.net.edge(t.a).peers().pending_peers().empty());
  CHECK(t.net.edge(t.b).peers().pending_peers().empty());
  const auto relayed = t.relayed();
  for (int i = 0; i < 5; ++i) {
    t.net.frame(t.a, t.a_to_b());
    t.net.frame(t.b, t.b_to_a());
  }
  CHECK(t.relayed() == relayed);  // nothing more through the supernode
  CHECK(t.net.edge(t.a).counters().p2p_tx == 5);
  CHECK(t.net.edge(t.b).counters().p2p_tx == 5);
  CHECK(t.net.nodes[t.b].tap.size() >= 6);
}

TEST_CASE("edge p2p: -S1 sends everything via the supernode and never registers with peers") {
  Trio t(false);
  for (int i = 0; i < 3; ++i) t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).peers().known_peers().empty());
  CHECK(t.net.edge(t.a).peers().pending_peers().empty());
  CHECK(t.net.edge(t.b).peers().known_peers().empty());
  CHECK(t.net.edge(t.a).counters().super_tx == 3);
  CHECK(t.net.edge(t.a).counters().p2p_tx == 0);
  CHECK(t.relayed() == 3);  // PACKETs only: no REGISTER went through the supernode
}

TEST_CASE("edge p2p: a direct path not heard from for interval/2 falls back to the supernode") {
  // Without path-MTU probes: their answers are direct datagrams from B.
  Trio t(true, false);
  t.net.frame(t.a, t.a_to_b());
  REQUIRE(t.net.edge(t.a).peers().known(t.net.edge(t.b).config().mac) != nullptr);
  t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).counters().p2p_tx == 1);
  // B sends nothing directly for 11 s (its re-registrations go to the supernode).
  t.net.advance(11);
  const auto before = t.net.edge(t.a).counters().super_tx;
  const auto confirmed = t.net.edge(t.a).counters().peers_confirmed;
  t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).counters().super_tx == before + 1);
  CHECK(t.net.edge(t.a).counters().p2p_tx == 1);
  // ... and the cycle starts again: B, reached via the supernode, asks for the direct path,
  // which A confirms anew.
  CHECK(t.net.edge(t.a).counters().peers_confirmed > confirmed);
  REQUIRE(t.net.edge(t.a).peers().known(t.net.edge(t.b).config().mac) != nullptr);
  CHECK(t.net.edge(t.a).peers().known(t.net.edge(t.b).config().mac)->last_seen == t.net.now);
  t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).counters().p2p_tx == 2);
}

TEST_CASE("edge p2p: peers that never answer are purged after 60 s") {
  Trio t;
  t.net.nodes[t.b].reachable = false;  // B is gone (its entry at the supernode lives on)
  t.net.frame(t.a, t.a_to_b());
  const auto mac_b = t.net.edge(t.b).config().mac;
  REQUIRE(t.net.edge(t.a).peers().pending(mac_b) != nullptr);
  t.net.advance(59);
  CHECK(t.net.edge(t.a).peers().pending(mac_b) != nullptr);
  t.net.advance(31);  // the sweep after +60
  CHECK(t.net.edge(t.a).peers().pending(mac_b) == nullptr);
}

TEST_CASE("edge p2p: REGISTER and REGISTER_ACK for others or from strangers are dropped") {
  Trio t;
  const auto mac_a = t.net.edge(t.a).config().mac;
  wire::CommonHeader h;
  h.ttl = 2;
  h.community = wire::make_community("net");
  wire::RegisterAck ack;
  ack.cookie = edge::kCookieRegular;
  ack.dst_mac = mac_a;
  ack.src_mac = {0x02, 0x99, 0, 0, 0, 1};  // nobody A asked for
  t.net.inject(t.a, wire::encode_to_vector(h, ack), wire::Sock::ipv4(ip4(203, 0, 113, 7), 999));
  CHECK(t.net.edge(t.a).peers().known_peers().empty());
  CHECK(t.net.edge(t.a).counters().drops_of(Reason::unknown_destination) == 1);
  wire::Register reg;
  reg.cookie = edge::kCookieRegular;
  reg.src_mac = {0x02, 0x99, 0, 0, 0, 1};
  reg.dst_mac = {0x02, 0x99, 0, 0, 0, 2};  // not A
  t.net.inject(t.a, wire::encode_to_vector(h, reg), wire::Sock::ipv4(ip4(203, 0, 113, 7), 999));
  CHECK(t.net.edge(t.a).counters().drops_of(Reason::unknown_destination) == 2);
  // An ACK relayed by a supernode is not a proof of a direct path.
  h.flags = wire::kFlagFromSupernode;
  ack.src_mac = t.net.edge(t.b).config().mac;
  t.net.inject(t.a, wire::encode_to_vector(h, ack), Network::supernode_sock(1));
  CHECK(t.net.edge(t.a).counters().drops_of(Reason::not_for_edge) == 1);
  CHECK(t.net.edge(t.a).peers().known_peers().empty());
}

TEST_CASE("edge p2p: a REGISTER from a new peer is answered and registered back") {
  Trio t;
  const auto mac_a = t.net.edge(t.a).config().mac;
  wire::CommonHeader h;
  h.ttl = 2;
  h.community = wire::make_community("net");
  wire::Register reg;
  reg.cookie = edge::kCookieRegular;
  reg.src_mac = {0x02, 0x77, 0, 0, 0, 3};
  reg.dst_mac = mac_a;
  const auto stranger = wire::Sock::ipv4(ip4(198, 51, 100, 77), 40000);
  net::Outbox out;
  net::Outbox tap;
  t.net.edge(t.a).on_datagram(wire::encode_to_vector(h, reg), net::Endpoint{stranger, 0},
                              {t.net.now, 0}, out, tap);
  REQUIRE(out.size() == 2);
  const auto ack = wire::decode(out[0].bytes);
  REQUIRE(ack);
  const auto* m = std::get_if<wire::RegisterAck>(&ack->message);
  REQUIRE(m != nullptr);
  CHECK(out[0].to.sock == stranger);
  CHECK(m->cookie == edge::kCookieRegular);
  CHECK(m->dst_mac == reg.src_mac);
  CHECK(m->src_mac == mac_a);
  const auto back = wire::decode(out[1].bytes);
  REQUIRE(back);
  CHECK(std::holds_alternative<wire::Register>(back->message));
  CHECK(out[1].to.sock == stranger);
  CHECK(t.net.edge(t.a).peers().pending(reg.src_mac) != nullptr);
}

TEST_CASE("edge p2p: the peer list's changes come out as events (management API peer topic)") {
  Trio t;
  const auto mac_b = t.net.edge(t.b).config().mac;
  CHECK(t.net.edge(t.a).take_peer_events().empty());
  t.net.frame(t.a, t.a_to_b());
  auto events = t.net.edge(t.a).take_peer_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == edge::PeerAction::added_p2p);
  CHECK(events[0].mac == mac_b);
  CHECK(events[0].sock == Network::edge_sock(2));
  CHECK(t.net.edge(t.a).take_peer_events().empty());  // taken

  // Silence: the direct path goes stale (removed from P2P) on the next frame for it.
  t.net.advance(t.net.edge(t.a).config().interval);
  t.net.frame(t.a, t.a_to_b());
  events = t.net.edge(t.a).take_peer_events();
  REQUIRE_FALSE(events.empty());
  CHECK(events[0].action == edge::PeerAction::removed_p2p);
  CHECK(events[0].mac == mac_b);

  // Stopping clears whatever is left.
  n2nkit::net::Outbox out;
  const auto before = t.net.edge(t.b).take_peer_events();
  REQUIRE_FALSE(before.empty());
  CHECK(before[0].action == edge::PeerAction::added_p2p);
  t.net.edge(t.b).stop(wire::WallTime{t.net.now, 0}, out);
  events = t.net.edge(t.b).take_peer_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == edge::PeerAction::cleared);
}

TEST_CASE("edge p2p: purged peers come out as purged events") {
  Trio t;
  t.net.nodes[t.b].reachable = false;  // B never answers: the pending peer is purged
  t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).take_peer_events().empty());  // pending peers are not announced
  t.net.advance(95);
  const auto events = t.net.edge(t.a).take_peer_events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == edge::PeerAction::purged);
}

TEST_CASE("edge p2p: a peer that comes back from a new socket (NAT rebinding) is followed") {
  Trio t(true, false);
  const auto mac_b = t.net.edge(t.b).config().mac;
  t.net.frame(t.a, t.a_to_b());
  REQUIRE(t.net.edge(t.a).peers().known(mac_b) != nullptr);
  t.net.advance(2);  // the old socket falls silent for a while
  // B's NAT gives it another public port; B still knows A and sends to it directly.
  const auto moved = wire::Sock::ipv4(ip4(198, 51, 100, 2), 61000);
  t.net.nodes[t.b].sock = moved;
  t.net.frame(t.b, t.b_to_a());
  // A asked the new socket (REGISTER), B answered from it: A follows at once, not after the
  // old socket went stale.
  const auto* b_at_a = t.net.edge(t.a).peers().known(mac_b);
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->sock == moved);
  CHECK(t.net.edge(t.a).counters().peers_moved == 1);
  const auto p2p = t.net.edge(t.a).counters().p2p_tx;
  t.net.frame(t.a, t.a_to_b());
  CHECK(t.net.edge(t.a).counters().p2p_tx == p2p + 1);
  CHECK(t.net.nodes[t.b].tap.size() >= 2);  // and it arrives
}

TEST_CASE("edge p2p: a peer still heard on its socket is not moved by a REGISTER from another") {
  Trio t(true, false);
  const auto mac_b = t.net.edge(t.b).config().mac;
  t.net.frame(t.a, t.a_to_b());
  REQUIRE(t.net.edge(t.a).peers().known(mac_b) != nullptr);
  t.net.advance(2);
  // Someone else (or B's second address) sends a REGISTER in B's name from elsewhere, B's own
  // socket is heard from, then the other answers A's REGISTER: B keeps its socket.
  const auto other = wire::Sock::ipv4(ip4(203, 0, 113, 9), 4000);
  wire::Register reg;
  reg.cookie = edge::kCookieRegular;
  reg.src_mac = mac_b;
  reg.dst_mac = t.net.edge(t.a).config().mac;
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.community = wire::make_community("net");
  std::array<std::uint8_t, wire::kMaxDatagram> buf{};
  const auto n = wire::encode(h, reg, buf);
  REQUIRE(n);
  t.net.inject(t.a, ByteView{buf.data(), *n}, other);
  t.net.frame(t.b, t.b_to_a());  // B heard on its socket since
  wire::RegisterAck ack;
  ack.cookie = edge::kCookieRegular;
  ack.src_mac = mac_b;
  ack.dst_mac = t.net.edge(t.a).config().mac;
  const auto m = wire::encode(h, ack, buf);
  REQUIRE(m);
  t.net.inject(t.a, ByteView{buf.data(), *m}, other);
  const auto* b_at_a = t.net.edge(t.a).peers().known(mac_b);
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->sock == Network::edge_sock(2));
  CHECK(t.net.edge(t.a).counters().peers_moved == 0);
}

TEST_CASE("edge p2p: a peer restarted behind its NAT is found again from its relayed broadcast") {
  // The lab's laptop: its edge restarts (same MAC, another public port), its first frame is an
  // ARP broadcast through the supernode. A's answers would go to the dead socket; the
  // supernode's relayed PACKET names the new one, so A asks B (REGISTER via the supernode) to
  // register directly, and follows B to where that REGISTER comes from.
  Trio t(true, false);
  const auto mac_a = t.net.edge(t.a).config().mac;
  const auto mac_b = t.net.edge(t.b).config().mac;
  t.net.frame(t.a, t.a_to_b());
  REQUIRE(t.net.edge(t.a).peers().known(mac_b) != nullptr);
  t.net.advance(3);
  t.net.stop(t.b);  // the old process says goodbye to the supernode (UNREGISTER_SUPER)
  auto config = static_edge(2);
  config.mac = mac_b;
  config.community = "net";
  config.desc = "edge-2";
  config.supernodes = {Network::supernode_sock(1)};
  config.path_mtu_discovery = false;
  config.random = counter_random(0x55);
  t.net.nodes[t.b].edge =
      std::make_unique<edge::Engine>(std::move(config), wire::WallTime{t.net.now, 0});
  const auto restarted = wire::Sock::ipv4(ip4(198, 51, 100, 2), 63000);
  t.net.nodes[t.b].sock = restarted;
  t.net.start(t.b);
  REQUIRE(t.net.edge(t.b).state() == edge::EdgeState::registered);
  t.net.frame(t.b,
              ping_frame(mac_b, wire::kBroadcastMac, ip4(10, 20, 30, 2), ip4(10, 20, 30, 255)));
  const auto* b_at_a = t.net.edge(t.a).peers().known(mac_b);
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->sock == restarted);
  CHECK(t.net.edge(t.a).counters().move_rechecks == 1);
  CHECK(t.net.edge(t.a).counters().peers_moved == 1);
  CHECK(t.net.edge(t.b).peers().known(mac_a) != nullptr);  // and B knows A directly again
  // More broadcasts from where A now reaches B ask nothing more.
  t.net.frame(t.b,
              ping_frame(mac_b, wire::kBroadcastMac, ip4(10, 20, 30, 2), ip4(10, 20, 30, 255)));
  CHECK(t.net.edge(t.a).counters().move_rechecks == 1);
}
