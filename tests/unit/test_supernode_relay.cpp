// Supernode engine: PACKET and REGISTER relay (spec §3 TTL rules, §11.6).
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

namespace {

const ByteVector kFrame = {0x02, 0x20, 0x30, 0x00, 0x00, 0x02, 0x02, 0x20, 0x30, 0x00,
                           0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0xde, 0xad, 0xbe, 0xef};

struct Trio {
  SupernodeHarness sn;
  ScriptedEdge a = scripted_edge(1), b = scripted_edge(2), c = scripted_edge(3);
  Trio() {
    sn.register_edge(a);
    sn.register_edge(b);
    sn.register_edge(c);
  }
};

}  // namespace

TEST_CASE("supernode engine: a unicast PACKET goes to the destination, re-encoded") {
  Trio t;
  const auto sent = t.sn.from_edge(t.a, t.a.packet(t.b.mac, kFrame));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == t.b.sock);

  // Byte for byte: the edge's PACKET with SOCKET|FROM_SUPERNODE, TTL 1, A's public socket.
  wire::Packet expected_msg;
  expected_msg.src_mac = t.a.mac;
  expected_msg.dst_mac = t.b.mac;
  expected_msg.sock = t.a.sock;
  expected_msg.payload = kFrame;
  auto expected_header = edge_header("net", wire::kFlagSocket | wire::kFlagFromSupernode);
  expected_header.ttl = 1;
  CHECK(sent[0].bytes == encoded(expected_header, expected_msg));
  CHECK(sent[0].bytes.size() == 46 + kFrame.size());
  CHECK(sent[0].bytes[1] == 1);
  CHECK(sent[0].bytes[3] == 0x63);

  CHECK(t.sn.engine.counters().packets.forward == 1);
  CHECK(t.sn.engine.counters().packets.last_forward == kStart);
  CHECK(t.sn.engine.counters().packets.broadcast == 0);
}

TEST_CASE("supernode engine: a PACKET whose sock the edge filled in gets the real one") {
  Trio t;
  wire::Packet m;
  m.src_mac = t.a.mac;
  m.dst_mac = t.b.mac;
  m.sock = wire::Sock::ipv4(ipv4(127, 0, 0, 1), 1);
  m.payload = kFrame;
  const auto sent = t.sn.from_edge(t.a, encoded(edge_header("net"), m));
  REQUIRE(sent.size() == 1);
  CHECK(std::get<wire::Packet>(sent[0].decoded.message).sock == t.a.sock);
}

TEST_CASE("supernode engine: broadcast and multicast PACKETs fan out to the other edges") {
  Trio t;
  auto outsider = scripted_edge(4, "other");
  t.sn.register_edge(outsider);
  for (const auto& dst : {wire::kBroadcastMac, wire::Mac{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01},
                          wire::Mac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}}) {
    const auto sent = t.sn.from_edge(t.a, t.a.packet(dst, kFrame));
    REQUIRE(sent.size() == 2);
    std::vector<wire::Sock> to{sent[0].to.sock, sent[1].to.sock};
    CHECK(std::ranges::count(to, t.b.sock) == 1);
    CHECK(std::ranges::count(to, t.c.sock) == 1);
    CHECK(sent[0].bytes == sent[1].bytes);
    const auto& p = std::get<wire::Packet>(sent[0].decoded.message);
    CHECK(p.sock == t.a.sock);
    CHECK(p.dst_mac == dst);
    CHECK(std::ranges::equal(p.payload, kFrame));
    CHECK(sent[0].decoded.header.ttl == 1);
  }
  // Counted per copy sent, as the reference does: 3 frames × 2 edges.
  CHECK(t.sn.engine.counters().packets.broadcast == 6);
  CHECK(t.sn.engine.counters().packets.forward == 0);
}

TEST_CASE("supernode engine: a unicast REGISTER is relayed, a multicast one is not") {
  Trio t;
  auto sent = t.sn.from_edge(t.a, t.a.register_(t.c.mac, 0x1000));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == t.c.sock);
  CHECK(sent[0].decoded.header.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));
  CHECK(sent[0].decoded.header.ttl == 1);
  const auto& r = std::get<wire::Register>(sent[0].decoded.message);
  CHECK(r.cookie == 0x1000);
  CHECK(r.src_mac == t.a.mac);
  CHECK(r.dst_mac == t.c.mac);
  CHECK(r.sock == t.a.sock);
  CHECK(r.dev_addr == t.a.dev_addr);
  CHECK(t.sn.engine.counters().packets.forward == 1);

  CHECK(t.sn.from_edge(t.a, t.a.register_(wire::kBroadcastMac)).empty());
  CHECK(t.sn.drops(Reason::not_for_supernode) == 1);
  // The LAN discovery REGISTER (null destination) reaches nobody.
  CHECK(t.sn.from_edge(t.a, t.a.register_(wire::kNullMac)).empty());
  CHECK(t.sn.drops(Reason::unknown_destination) == 1);
}

TEST_CASE("supernode engine: relay TTL rules and unknown destinations") {
  Trio t;
  // TTL 1 still goes out, with TTL 0; TTL 0 is dropped.
  auto sent = t.sn.from_edge(t.a, t.a.packet(t.b.mac, kFrame, 1));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].decoded.header.ttl == 0);
  CHECK(t.sn.from_edge(t.a, t.a.packet(t.b.mac, kFrame, 0)).empty());
  CHECK(t.sn.drops(Reason::ttl_expired) == 1);

  CHECK(t.sn.from_edge(t.a, t.a.packet(edge_mac(0x99), kFrame)).empty());
  CHECK(t.sn.drops(Reason::unknown_destination) == 1);
  auto stranger = scripted_edge(5, "unhosted");
  CHECK(t.sn.from_edge(stranger, stranger.packet(t.a.mac, kFrame)).empty());
  CHECK(t.sn.drops(Reason::unknown_community) == 1);
  CHECK(t.sn.engine.communities().find(wire::make_community("unhosted")) == nullptr);
}

TEST_CASE("supernode engine: the sender need not be registered, the destination must") {
  Trio t;
  auto stranger = scripted_edge(8);
  const auto sent = t.sn.from_edge(stranger, stranger.packet(t.a.mac, kFrame));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == t.a.sock);
}

TEST_CASE("supernode engine: a full-size PACKET is relayed within 2048 bytes") {
  Trio t;
  const ByteVector big(wire::kMaxDatagram - 38, 0x5A);
  const auto sent = t.sn.from_edge(t.a, t.a.packet(t.b.mac, big));
  // Adding the 8-byte sock would exceed the limit: not sent, counted.
  CHECK(sent.empty());
  CHECK(t.sn.drops(Reason::too_large) == 1);
  CHECK(t.sn.total_drops() == 1);
  const ByteVector fits(wire::kMaxDatagram - 46, 0x5A);
  const auto ok = t.sn.from_edge(t.a, t.a.packet(t.b.mac, fits));
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].bytes.size() == wire::kMaxDatagram);
}

TEST_SUITE_END();
