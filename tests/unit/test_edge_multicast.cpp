// Local peer discovery (spec §1, §11.5): REGISTERs with a null destination to 224.0.0.68:1968
// at every registration cycle and for new peers, answered directly by edges on the same network,
// which find each other without the supernode's PEER_INFO.
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

edge::EdgeConfig lan_edge(unsigned n) {
  auto c = static_edge(n);
  c.multicast_discovery = true;
  return c;
}

std::size_t add_lan_edge(Network& net, unsigned n, edge::EdgeConfig config) {
  const auto i = net.add_edge(n, std::move(config));
  net.nodes[i].on_lan = true;
  return i;
}

// Counts what node `who` sends to the discovery group, and checks its form.
struct GroupWatch {
  std::size_t who;
  std::size_t count = 0;
  void operator()(std::size_t from, const net::OutgoingDatagram& d) {
    if (from != who || d.to.sock != edge::kDiscoveryGroup) return;
    ++count;
    const auto decoded = wire::decode(d.bytes);
    REQUIRE(decoded);
    const auto* reg = std::get_if<wire::Register>(&decoded->message);
    REQUIRE(reg != nullptr);
    CHECK(reg->dst_mac == wire::kNullMac);
    CHECK(reg->cookie == edge::kCookieMulticast);
    CHECK((decoded->header.flags & wire::kFlagFromSupernode) == 0);
  }
};

}  // namespace

TEST_CASE("edge multicast: two edges on one network find each other with no supernode") {
  Network net;
  const auto sn = net.add_supernode(1);
  net.nodes[sn].reachable = false;  // no registration, no PEER_INFO: only the group
  const auto a = add_lan_edge(net, 1, lan_edge(1));
  const auto b = add_lan_edge(net, 2, lan_edge(2));
  GroupWatch watch{a};
  net.on_send = [&](std::size_t from, const net::OutgoingDatagram& d) { watch(from, d); };
  net.start(a);
  // With the first REGISTER_SUPER, and again when B's direct answer made B a new peer.
  CHECK(watch.count == 2);
  net.start(b);
  const auto& mac_a = net.edge(a).config().mac;
  const auto& mac_b = net.edge(b).config().mac;
  const auto* b_at_a = net.edge(a).peers().known(mac_b);
  const auto* a_at_b = net.edge(b).peers().known(mac_a);
  REQUIRE(b_at_a != nullptr);
  REQUIRE(a_at_b != nullptr);
  CHECK(b_at_a->sock == Network::edge_sock(2));
  CHECK(a_at_b->sock == Network::edge_sock(1));
  CHECK(b_at_a->local);  // each heard the other on the group
  CHECK(a_at_b->local);
  CHECK(net.edge(a).counters().drops_of(Reason::multicast_own) >= 1);
  CHECK(net.edge(a).state() != edge::EdgeState::registered);
  // Each retry of the registration goes with one more multicast REGISTER.
  const auto before = watch.count;
  net.advance(3);
  CHECK(watch.count == before + 1);
}

TEST_CASE("edge multicast: sent with every registration, and not for -S1, -e or without it") {
  const auto sent_by = [](edge::EdgeConfig config) {
    Network net;
    net.add_supernode(1);
    const auto a = add_lan_edge(net, 1, std::move(config));
    GroupWatch watch{a};
    net.on_send = [&](std::size_t from, const net::OutgoingDatagram& d) { watch(from, d); };
    net.start(a);
    net.advance(20);  // one re-registration
    return watch.count;
  };
  CHECK(sent_by(lan_edge(1)) == 2);
  auto s1 = lan_edge(1);
  s1.p2p = false;
  CHECK(sent_by(s1) == 0);
  auto preferred = lan_edge(1);
  preferred.preferred_sock = wire::Sock::ipv4(ip4(192, 168, 1, 1), 5000);
  CHECK(sent_by(preferred) == 0);
  auto off = lan_edge(1);
  off.multicast_discovery = false;
  CHECK(sent_by(off) == 0);
}

TEST_CASE("edge multicast: the group's socket takes discovery REGISTERs only") {
  Network net;
  net.add_supernode(1);
  const auto a = add_lan_edge(net, 1, lan_edge(1));
  net.start(a);
  REQUIRE(net.edge(a).state() == edge::EdgeState::registered);
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.community = wire::make_community("net");
  std::array<std::uint8_t, wire::kMaxDatagram> buf{};
  const wire::Mac stranger{0x02, 0x77, 0, 0, 0, 1};
  const auto deliver = [&](const wire::Message& m) {
    const auto size = wire::encode(h, m, buf);
    REQUIRE(size);
    net::Outbox out, tap;
    net.edge(a).on_multicast_datagram(ByteView{buf.data(), *size},
                                      net::Endpoint{Network::edge_sock(9), 0}, {net.now, 0}, out,
                                      tap);
    return out.size();
  };
  wire::Register for_us;  // addressed: not a discovery REGISTER
  for_us.src_mac = stranger;
  for_us.dst_mac = net.edge(a).config().mac;
  CHECK(deliver(for_us) == 0);
  wire::RegisterAck ack;
  ack.src_mac = stranger;
  ack.dst_mac = net.edge(a).config().mac;
  CHECK(deliver(ack) == 0);
  CHECK(net.edge(a).counters().drops_of(Reason::multicast_unexpected) == 2);
  // A discovery REGISTER from a stranger: ACK to its socket, our REGISTER, our own multicast.
  wire::Register discovery;
  discovery.cookie = edge::kCookieMulticast;
  discovery.src_mac = stranger;
  CHECK(deliver(discovery) == 3);
  REQUIRE(net.edge(a).peers().pending(stranger) != nullptr);
  CHECK(net.edge(a).peers().pending(stranger)->local);
}

TEST_SUITE_END();

TEST_CASE("edge multicast: a restarted peer (same MAC, new port) is followed at once") {
  // The field report's "routes come back after a restart": they do, but a peer that kept the
  // dead socket of the old process sent into the void until that went stale (10 s with -i 20).
  Network net;
  net.add_supernode(1);
  const auto a = add_lan_edge(net, 1, lan_edge(1));
  const auto b = add_lan_edge(net, 2, lan_edge(2));
  net.start(a);
  net.start(b);
  const auto mac_b = net.edge(b).config().mac;
  REQUIRE(net.edge(a).peers().known(mac_b) != nullptr);
  net.advance(3);
  // B restarts: a new process, the same configuration (MAC), another UDP port.
  auto config = lan_edge(2);
  config.mac = mac_b;
  config.community = "net";
  config.desc = "edge-2";
  config.supernodes = {Network::supernode_sock(1)};
  config.random = counter_random(0x77);
  net.nodes[b].edge = std::make_unique<edge::Engine>(std::move(config), wire::WallTime{net.now, 0});
  const auto restarted = wire::Sock::ipv4(ip4(198, 51, 100, 2), 62000);
  net.nodes[b].sock = restarted;
  net.start(b);  // its first registration goes with a discovery REGISTER
  const auto* b_at_a = net.edge(a).peers().known(mac_b);
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->sock == restarted);
  CHECK(net.edge(a).counters().peers_moved == 1);
}

TEST_CASE("edge multicast: a peer on our network is not moved to a public socket in a hurry") {
  // B's REGISTERs also reach A through the NAT (hairpin) from B's public socket: A asks there,
  // and B answers, but the path on the LAN (found on the group, a higher cookie) stays while it
  // was heard within the last second.
  Network net;
  net.add_supernode(1);
  const auto a = add_lan_edge(net, 1, lan_edge(1));
  const auto b = add_lan_edge(net, 2, lan_edge(2));
  net.start(a);
  net.start(b);
  const auto mac_b = net.edge(b).config().mac;
  const auto* before = net.edge(a).peers().known(mac_b);
  REQUIRE(before != nullptr);
  REQUIRE(before->cookie >= edge::kCookieMulticast);
  const auto hairpin = wire::Sock::ipv4(ip4(203, 0, 113, 1), 40002);
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.community = wire::make_community("net");
  std::array<std::uint8_t, wire::kMaxDatagram> buf{};
  wire::Register reg;
  reg.cookie = edge::kCookieRegular;
  reg.src_mac = mac_b;
  reg.dst_mac = net.edge(a).config().mac;
  const auto n = wire::encode(h, reg, buf);
  REQUIRE(n);
  net.inject(a, ByteView{buf.data(), *n}, hairpin);
  wire::RegisterAck ack;
  ack.cookie = edge::kCookieRegular;
  ack.src_mac = mac_b;
  ack.dst_mac = net.edge(a).config().mac;
  const auto m = wire::encode(h, ack, buf);
  REQUIRE(m);
  net.inject(a, ByteView{buf.data(), *m}, hairpin);
  const auto* after = net.edge(a).peers().known(mac_b);
  REQUIRE(after != nullptr);
  CHECK(after->sock == Network::edge_sock(2));
  CHECK(net.edge(a).counters().peers_moved == 0);
}
