// Edge engine: start-up, registration, retries and supernode switching, ACK/NAK, gratuitous ARP,
// automatic address (spec §11.1, §11.2, §11.12), against the supernode engine in memory.
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::EdgeState;

TEST_SUITE_BEGIN("edge");

TEST_CASE("edge engine: a static edge registers and announces itself twice") {
  Network net;
  const auto sn = net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  const auto b = net.add_edge(2, static_edge(2));
  CHECK(net.edge(a).state() == EdgeState::waiting);
  net.start(b);
  net.start(a);
  CHECK(net.edge(a).state() == EdgeState::registered);
  CHECK(net.edge(a).accepted());
  CHECK(net.edge(a).counters().registrations == 1);
  CHECK(net.edge(a).supernodes()[0].mac == wire::Mac{0x02, 0x53, 0x4e, 0x00, 0x00, 0x01});
  CHECK(net.edge(a).supernodes()[0].last_seen == net.now);
  const auto* community = net.supernode(sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  const auto* record = community->edges.find(net.edge(a).config().mac);
  REQUIRE(record != nullptr);
  CHECK(record->dev_addr == wire::IpSubnet{ip4(10, 20, 30, 1), 24});
  CHECK(record->sock == Network::edge_sock(1));
  // A's two gratuitous ARPs reached B through the supernode (B's own went nowhere yet).
  REQUIRE(net.nodes[b].tap.size() == 2);
  const auto& arp = net.nodes[b].tap[0];
  REQUIRE(arp.size() == 42);
  CHECK(arp[12] == 0x08);
  CHECK(arp[13] == 0x06);
  CHECK(arp[21] == 2);  // reply
  CHECK(load_be32(arp.data() + 28) == ip4(10, 20, 30, 1));
  CHECK(load_be32(arp.data() + 38) == ip4(10, 20, 30, 1));
  CHECK(net.edge(a).counters().super_broadcast_tx == 2);
  CHECK(net.edge(b).counters().super_broadcast_rx == 2);
}

TEST_CASE("edge engine: without -a the supernode assigns the address first") {
  Network net;
  const auto sn = net.add_supernode(1);
  edge::EdgeConfig config;  // no address
  const auto a = net.add_edge(1, config);
  CHECK(net.edge(a).state() == EdgeState::bootstrap_address);
  CHECK_FALSE(net.edge(a).address());
  net.start(a);
  REQUIRE(net.edge(a).address());
  const auto address = *net.edge(a).address();
  CHECK(net.edge(a).state() == EdgeState::registered);
  // In the community's automatic subnet (a /24 of 10.128.0.0/9), not network or broadcast.
  CHECK((address.addr >> 23) == (ip4(10, 128, 0, 0) >> 23));
  CHECK(address.prefix == 24);
  CHECK((address.addr & 0xff) != 0);
  CHECK((address.addr & 0xff) != 0xff);
  const auto* community = net.supernode(sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->edges.size() == 1);  // the null-MAC request recorded nothing
  CHECK(community->edges.find(net.edge(a).config().mac)->dev_addr == address);
}

TEST_CASE("edge engine: retries every 3 s, switches supernode after 3 tries") {
  Network net;
  const auto sn1 = net.add_supernode(1);
  const auto sn2 = net.add_supernode(2);
  auto config = static_edge(1);
  config.supernodes = {Network::supernode_sock(1), Network::supernode_sock(2)};
  const auto a = net.add_edge(1, config);
  // Both silent at first, so that the start-up PINGs (one to each) pick nobody.
  net.nodes[sn1].reachable = false;
  net.nodes[sn2].reachable = false;
  net.start(a);
  CHECK(net.lost == 3);  // two PINGs, the REGISTER_SUPER
  CHECK(net.edge(a).next_deadline().sec == net.now + 3);
  net.advance(2);
  CHECK(net.lost == 3);
  net.advance(1);  // +3: second try
  CHECK(net.lost == 4);
  net.advance(3);  // +6: third try
  CHECK(net.lost == 5);
  CHECK(net.edge(a).state() == EdgeState::waiting);
  CHECK(net.edge(a).current_supernode() == 0);
  net.advance(1);  // +7: the first sweep PINGs both; no move while waiting
  CHECK(net.lost == 7);
  CHECK(net.edge(a).current_supernode() == 0);
  net.nodes[sn2].reachable = true;
  net.advance(2);  // +9: tries used up, the second supernode answers
  CHECK(net.lost == 7);
  CHECK(net.edge(a).supernodes().at(net.edge(a).current_supernode()).sock ==
        Network::supernode_sock(2));
  CHECK(net.edge(a).state() == EdgeState::registered);
}

TEST_CASE("edge engine: re-registers every interval, traffic flows meanwhile") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  const auto b = net.add_edge(2, static_edge(2));
  net.start(a);
  net.start(b);
  const auto registered_at = net.now;
  net.advance(19);
  CHECK(net.edge(a).counters().registrations == 1);
  net.advance(1);  // +20
  CHECK(net.edge(a).counters().registrations == 2);
  CHECK(net.edge(a).last_registered() == registered_at + 20);
  // With the supernode gone, the edge waits again but keeps sending frames.
  net.nodes[0].reachable = false;
  net.advance(20);
  CHECK(net.edge(a).state() == EdgeState::waiting);
  const auto sent = net.edge(a).counters().super_tx;
  net.frame(a, ping_frame(net.edge(a).config().mac, net.edge(b).config().mac, ip4(10, 20, 30, 1),
                          ip4(10, 20, 30, 2)));
  CHECK(net.edge(a).counters().super_tx == sent + 1);
}

TEST_CASE("edge engine: a NAK for a MAC in use is counted, the edge keeps trying") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  auto twin_config = static_edge(9);
  twin_config.mac = {0x02, 0x20, 0x30, 0x00, 0x00, 0x01};  // A's MAC, its own token
  const auto twin = net.add_edge(9, twin_config);
  net.start(a);
  net.start(twin);
  CHECK(net.edge(twin).counters().naks == 1);
  CHECK(net.edge(twin).state() == EdgeState::waiting);
  CHECK_FALSE(net.edge(twin).accepted());
  net.advance(3);
  CHECK(net.edge(twin).counters().naks == 2);
}

TEST_CASE("edge engine: answers it did not ask for are dropped") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  net.start(a);
  // An ACK from a socket that is no supernode of ours.
  wire::CommonHeader h;
  h.ttl = 2;
  h.flags = wire::kFlagFromSupernode | wire::kFlagSocket;
  h.community = wire::make_community("net");
  wire::RegisterSuperAck ack;
  ack.cookie = 1;
  ack.sock = Network::edge_sock(1);
  const auto bytes = wire::encode_to_vector(h, ack);
  net.inject(a, bytes, wire::Sock::ipv4(ip4(203, 0, 113, 1), 7654));
  CHECK(net.edge(a).counters().drops_of(Reason::unknown_supernode) == 1);
  // From the supernode's socket while registered: not waiting.
  net.inject(a, bytes, Network::supernode_sock(1));
  CHECK(net.edge(a).counters().drops_of(Reason::not_waiting) == 1);
  // Garbage of every length.
  for (std::size_t n = 0; n < 64; ++n) {
    const ByteVector junk(n, static_cast<std::uint8_t>(n * 7));
    net.inject(a, junk, Network::supernode_sock(1));
  }
  CHECK(net.edge(a).state() == EdgeState::registered);
  CHECK(net.edge(a).counters().registrations == 1);
}

TEST_CASE("edge engine: stop unregisters the edge at its supernode") {
  Network net;
  const auto sn = net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  net.start(a);
  const auto* community = net.supernode(sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->edges.size() == 1);
  net::Outbox out;
  net.edge(a).stop({net.now, 0}, out);
  REQUIRE(out.size() == 1);
  net.inject(sn, out[0].bytes, Network::edge_sock(1));
  CHECK(community->edges.size() == 0);
}
