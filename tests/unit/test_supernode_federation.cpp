// Supernode engine: federation between two engines (spec §11.3 steps 6-11, §11.6, §11.10).
// Two engines exchange datagrams through an in-memory wire: what one addresses to the other's
// socket is delivered to it, everything else is what the edges receive.
#include <doctest/doctest.h>

#include <deque>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

namespace {

const wire::Sock kSock1 = wire::Sock::ipv4(ipv4(192, 0, 2, 1), 7654);
const wire::Sock kSock2 = wire::Sock::ipv4(ipv4(192, 0, 2, 2), 7654);
const wire::Mac kMac1{0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};
const wire::Mac kMac2{0x02, 0x53, 0x4e, 0x00, 0x00, 0x02};

supernode::SupernodeConfig member_config(const wire::Mac& mac, std::vector<std::string> anchors) {
  auto config = open_config();
  config.mac = mac;
  config.anchors = std::move(anchors);
  return config;
}

struct ToEdge {
  int supernode;  // 1 or 2: who sent it
  wire::Sock to;
  ByteVector bytes;
  wire::Decoded decoded;
};

// Supernode 1 has supernode 2 as its `-l` anchor; supernode 2 learns of 1 from its
// REGISTER_SUPER. Edges are plaintext, so what they receive decodes as it is.
class Federation {
 public:
  Federation()
      : one(member_config(kMac1, {"192.0.2.2:7654"}), {kStart, 0}),
        two(member_config(kMac2, {}), {kStart, 0}) {
    one.set_anchor_address(0, kSock2);
  }

  // Delivers a datagram to supernode n from a socket, then runs the wire until it is quiet.
  std::vector<ToEdge> deliver(int n, ByteView datagram, const wire::Sock& from) {
    std::deque<Hop> hops;
    hops.push_back({n, ByteVector(datagram.begin(), datagram.end()), from});
    return run(hops);
  }
  std::vector<ToEdge> from_edge(int n, const ScriptedEdge& e, ByteView datagram) {
    return deliver(n, datagram, e.sock);
  }
  // Both engines' timers, second by second; with link_up false supernode-to-supernode
  // datagrams are lost.
  std::vector<ToEdge> advance(std::uint64_t seconds) {
    std::vector<ToEdge> all;
    for (std::uint64_t i = 0; i < seconds; ++i) {
      ++now;
      std::deque<Hop> hops;
      for (int n : {1, 2}) {
        supernode::Outbox out;
        engine(n).on_tick({now, 0}, out);
        collect(n, out, hops, all);
      }
      auto more = run(hops);
      for (auto& m : more) all.push_back({m.supernode, m.to, std::move(m.bytes), {}});
    }
    decode_all(all);
    return all;
  }
  supernode::Engine& engine(int n) { return n == 1 ? one : two; }
  const supernode::CommunityState* community(int n, std::string_view name) {
    return engine(n).communities().find(wire::make_community(name));
  }
  std::uint64_t drops(int n, Reason r) { return engine(n).counters().drops_of(r); }

  supernode::Engine one;
  supernode::Engine two;
  std::uint64_t now = kStart;
  bool link_up = true;
  std::size_t between_supernodes = 0;

 private:
  struct Hop {
    int to;
    ByteVector bytes;
    wire::Sock from;
  };

  void collect(int n, const supernode::Outbox& out, std::deque<Hop>& hops,
               std::vector<ToEdge>& edges) {
    const auto own = n == 1 ? kSock1 : kSock2;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto to = out[i].to.sock;
      ByteVector bytes(out[i].bytes.begin(), out[i].bytes.end());
      if (to == kSock1 || to == kSock2) {
        ++between_supernodes;
        if (link_up) hops.push_back({to == kSock1 ? 1 : 2, std::move(bytes), own});
        continue;
      }
      // Decoded once the list is complete: the views must point into the stored bytes.
      edges.push_back({n, to, std::move(bytes), {}});
    }
  }

  std::vector<ToEdge> run(std::deque<Hop>& hops) {
    std::vector<ToEdge> edges;
    for (int guard = 0; !hops.empty(); ++guard) {
      REQUIRE(guard < 100);  // a forwarding loop between the two
      auto hop = std::move(hops.front());
      hops.pop_front();
      supernode::Outbox out;
      engine(hop.to).on_datagram(hop.bytes, supernode::Source{hop.from, 0}, {now, 250000}, out);
      collect(hop.to, out, hops, edges);
    }
    decode_all(edges);
    return edges;
  }

  static void decode_all(std::vector<ToEdge>& edges) {
    for (auto& e : edges) {
      auto decoded = wire::decode(e.bytes);
      REQUIRE(decoded);
      e.decoded = std::move(*decoded);
    }
  }
};

// A federation whose members have registered with each other, and edge A at supernode 1,
// edge B at supernode 2.
struct Joined {
  Joined() {
    fed.advance(1);
    const auto at1 = fed.from_edge(1, a, a.register_super());
    REQUIRE(at1.size() == 1);
    REQUIRE(std::holds_alternative<wire::RegisterSuperAck>(at1[0].decoded.message));
    const auto at2 = fed.from_edge(2, b, b.register_super());
    REQUIRE(at2.size() == 1);
    REQUIRE(std::holds_alternative<wire::RegisterSuperAck>(at2[0].decoded.message));
  }
  Federation fed;
  ScriptedEdge a = scripted_edge(1);
  ScriptedEdge b = scripted_edge(2);
  const ByteVector frame{0xde, 0xad, 0xbe, 0xef};
};

}  // namespace

TEST_CASE("supernode federation: an anchor is contacted, both learn each other") {
  Federation fed;
  REQUIRE(fed.one.federation().size() == 1);
  CHECK(fed.one.federation()[0].mac == wire::kNullMac);  // not known until it answers
  CHECK(fed.two.federation().empty());
  fed.advance(1);
  CHECK(fed.between_supernodes == 2);  // REGISTER_SUPER and its ACK
  REQUIRE(fed.one.federation().size() == 1);
  CHECK(fed.one.federation()[0].mac == kMac2);
  CHECK(fed.one.federation()[0].last_seen == fed.now);
  REQUIRE(fed.two.federation().size() == 1);
  CHECK(fed.two.federation()[0].mac == kMac1);
  CHECK(fed.two.federation()[0].sock == kSock1);
  for (int n : {1, 2}) {
    for (auto d : fed.engine(n).counters().drops) CHECK(d == 0);
  }
  // Heard from within 20 s: no REGISTER_SUPER in the next rounds.
  fed.between_supernodes = 0;
  fed.advance(15);
  CHECK(fed.between_supernodes == 0);
  fed.advance(15);  // +31: the round at +21 or +31 registers again
  CHECK(fed.between_supernodes >= 2);
}

TEST_CASE("supernode federation: the ACK lists the other members for edges") {
  Joined j;
  // A registers again at 1: the ACK names supernode 2 as a further supernode (§11.3 step 7).
  const auto again = j.fed.from_edge(1, j.a, j.a.register_super(0x0a0b0c0d));
  const auto& ack = std::get<wire::RegisterSuperAck>(again.at(0).decoded.message);
  REQUIRE(ack.supernodes.size() == 1);
  CHECK(ack.supernodes[0].mac == kMac2);
  CHECK(ack.supernodes[0].sock == kSock2);
}

TEST_CASE("supernode federation: registrations are forwarded and make associations") {
  Joined j;
  const auto* at1 = j.fed.community(1, "net");
  const auto* at2 = j.fed.community(2, "net");
  REQUIRE(at1 != nullptr);
  REQUIRE(at2 != nullptr);
  CHECK(at1->edges.find(j.a.mac) != nullptr);
  CHECK(at1->edges.find(j.b.mac) == nullptr);
  CHECK(at2->edges.find(j.b.mac) != nullptr);
  CHECK(at2->edges.find(j.a.mac) == nullptr);
  REQUIRE(at1->associations.count(j.b.mac) == 1);
  CHECK(at1->associations.at(j.b.mac).supernode == kSock2);
  REQUIRE(at2->associations.count(j.a.mac) == 1);
  CHECK(at2->associations.at(j.a.mac).supernode == kSock1);
}

TEST_CASE("supernode federation: a PACKET crosses to the edge of the other supernode") {
  Joined j;
  const auto got = j.fed.from_edge(1, j.a, j.a.packet(j.b.mac, j.frame));
  REQUIRE(got.size() == 1);
  CHECK(got[0].supernode == 2);
  CHECK(got[0].to == j.b.sock);
  const auto& p = std::get<wire::Packet>(got[0].decoded.message);
  CHECK(p.src_mac == j.a.mac);
  CHECK(p.sock == j.a.sock);  // the original sender, stamped in by supernode 1
  CHECK(std::ranges::equal(p.payload, j.frame));
  CHECK((got[0].decoded.header.flags & wire::kFlagFromSupernode) != 0);
  CHECK(j.fed.engine(2).counters().packets.forward == 1);
  // And back.
  const auto back = j.fed.from_edge(2, j.b, j.b.packet(j.a.mac, j.frame));
  REQUIRE(back.size() == 1);
  CHECK(back[0].to == j.a.sock);
  CHECK(std::get<wire::Packet>(back[0].decoded.message).sock == j.b.sock);
}

TEST_CASE("supernode federation: without an association the PACKET goes to every member") {
  Joined j;
  auto c = scripted_edge(3);
  // C registered at 2 while the link was down: 1 has no association for it.
  j.fed.link_up = false;
  REQUIRE(j.fed.from_edge(2, c, c.register_super()).size() == 1);
  j.fed.link_up = true;
  CHECK(j.fed.community(1, "net")->associations.count(c.mac) == 0);
  const auto got = j.fed.from_edge(1, j.a, j.a.packet(c.mac, j.frame));
  REQUIRE(got.size() == 1);
  CHECK(got[0].to == c.sock);
  // Unknown everywhere: supernode 2 drops it (a member's relay is never sent on).
  const auto nowhere = j.fed.from_edge(1, j.a, j.a.packet(edge_mac(9), j.frame));
  CHECK(nowhere.empty());
  CHECK(j.fed.drops(2, Reason::unknown_destination) == 1);
}

TEST_CASE("supernode federation: a broadcast reaches the edges of both supernodes once") {
  Joined j;
  auto a2 = scripted_edge(3);
  REQUIRE(j.fed.from_edge(1, a2, a2.register_super()).size() == 1);
  const auto got = j.fed.from_edge(1, j.a, j.a.packet(wire::kBroadcastMac, j.frame));
  REQUIRE(got.size() == 2);
  std::vector<wire::Sock> to{got[0].to, got[1].to};
  CHECK(std::ranges::count(to, a2.sock) == 1);
  CHECK(std::ranges::count(to, j.b.sock) == 1);
}

TEST_CASE("supernode federation: QUERY_PEER for an edge of the other supernode") {
  Joined j;
  const auto got = j.fed.from_edge(1, j.a, j.a.query_peer(j.b.mac));
  REQUIRE(got.size() == 1);
  CHECK(got[0].to == j.a.sock);
  const auto& info = std::get<wire::PeerInfo>(got[0].decoded.message);
  CHECK(info.mac == j.b.mac);
  CHECK(info.sock == j.b.sock);
  CHECK(info.src_mac == j.a.mac);
  CHECK(got[0].decoded.header.ttl == 1);  // passed on by supernode 1, one hop less
}

TEST_CASE("supernode federation: an edge moving to the other supernode leaves the first") {
  Joined j;
  // A restarts behind supernode 2 (same MAC and token).
  const auto moved = j.fed.from_edge(2, j.a, j.a.register_super(0x55667788));
  REQUIRE(moved.size() == 1);
  CHECK(std::holds_alternative<wire::RegisterSuperAck>(moved[0].decoded.message));
  CHECK(j.fed.community(2, "net")->edges.find(j.a.mac) != nullptr);
  CHECK(j.fed.community(1, "net")->edges.find(j.a.mac) == nullptr);
  CHECK(j.fed.community(1, "net")->associations.at(j.a.mac).supernode == kSock2);
  CHECK(j.fed.community(2, "net")->associations.count(j.a.mac) == 0);
}

TEST_CASE("supernode federation: a relayed registration with another token is refused") {
  Joined j;
  auto impostor = j.a;  // A's MAC, another token, registering at supernode 2
  impostor.auth = simple_id(0x77);
  impostor.sock = wire::Sock::ipv4(ipv4(203, 0, 113, 9), 40000);
  const auto got = j.fed.from_edge(2, impostor, impostor.register_super(0x11111111));
  // Supernode 2 does not know A and admits it; supernode 1 knows A with its token and NAKs
  // through supernode 2, which relays the NAK and forgets the impostor.
  bool nak = false;
  for (const auto& d : got) {
    if (const auto* n = std::get_if<wire::RegisterSuperNak>(&d.decoded.message)) {
      nak = true;
      CHECK(d.to == impostor.sock);
      CHECK(n->cookie == 0x11111111);
    }
  }
  CHECK(nak);
  CHECK(j.fed.drops(1, Reason::spoofing_refused) == 1);
  CHECK(j.fed.community(1, "net")->edges.find(j.a.mac) != nullptr);
  CHECK(j.fed.community(2, "net")->edges.find(j.a.mac) == nullptr);
}

TEST_CASE("supernode federation: FROM_SUPERNODE datagrams from strangers are dropped") {
  Joined j;
  const auto stranger = wire::Sock::ipv4(ipv4(203, 0, 113, 50), 7654);
  wire::Packet m;
  m.src_mac = edge_mac(9);
  m.dst_mac = j.a.mac;
  m.payload = j.frame;
  m.sock = stranger;
  const auto forged = encoded(edge_header("net", wire::kFlagFromSupernode | wire::kFlagSocket), m);
  CHECK(j.fed.deliver(1, forged, stranger).empty());
  CHECK(j.fed.drops(1, Reason::from_unknown_supernode) == 1);
  // Federation traffic needs the federation's key: a plaintext REGISTER_SUPER is refused.
  wire::RegisterSuper reg;
  reg.edge_mac = wire::Mac{0x02, 0x53, 0x4e, 0x00, 0x00, 0x09};
  reg.auth = simple_id(3);
  auto h = edge_header("*Federation", wire::kFlagFromSupernode);
  CHECK(j.fed.deliver(1, encoded(h, reg), stranger).empty());
  CHECK(j.fed.drops(1, Reason::he_required) == 1);
  CHECK(j.fed.one.federation().size() == 1);
}

TEST_CASE("supernode federation: silent members are purged, anchors stay") {
  Joined j;
  j.fed.link_up = false;
  j.fed.advance(100);
  CHECK(j.fed.two.federation().empty());  // learnt, silent for more than 90 s
  REQUIRE(j.fed.one.federation().size() == 1);
  CHECK(j.fed.one.federation()[0].is_anchor());
  // The anchor keeps being asked; when the link returns the federation forms again.
  j.fed.link_up = true;
  j.fed.advance(10);
  CHECK(j.fed.two.federation().size() == 1);
  CHECK(j.fed.one.federation()[0].last_seen + 10 >= j.fed.now);
}

TEST_CASE("supernode federation: members converge on the larger key time") {
  auto config1 = member_config(kMac1, {"192.0.2.2:7654"});
  config1.communities = community_list("net\n");
  auto config2 = member_config(kMac2, {});
  config2.communities = community_list("net\n");
  supernode::Engine one(std::move(config1), {kStart, 0});
  supernode::Engine two(std::move(config2), {kStart + 500, 0});
  CHECK(one.key_time() == kStart);
  CHECK(two.key_time() == kStart + 500);
  one.set_anchor_address(0, kSock2);
  supernode::Outbox out1;
  one.on_tick({kStart + 600, 0}, out1);
  REQUIRE(out1.size() == 1);
  supernode::Outbox out2;
  two.on_datagram(out1[0].bytes, supernode::Source{kSock1, 0}, {kStart + 600, 0}, out2);
  REQUIRE(out2.size() == 1);  // the ACK carries two's (larger) key time
  CHECK(two.key_time() == kStart + 500);
  supernode::Outbox out3;
  one.on_datagram(out2[0].bytes, supernode::Source{kSock2, 0}, {kStart + 600, 0}, out3);
  CHECK(one.key_time() == kStart + 500);
}
