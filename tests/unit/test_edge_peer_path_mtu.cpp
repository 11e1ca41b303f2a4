// Edge engine: path MTU towards P2P peers with padded REGISTERs (the probe id as cookie), and
// ICMP "fragmentation needed" written back to the TAP for DF frames too big for the peer's
// path, rate-limited and counted; against the supernode engine in memory with edge B behind a
// path of 1400 bytes.
#include <doctest/doctest.h>

#include "core/edge/management.hpp"
#include "core/mss/syn_info.hpp"
#include "core/packet/frame_builder.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

constexpr std::size_t kPath = 1400;
constexpr std::size_t kFrameLimit = kPath - 66;  // null transform, direct: 38 + 28 (spec §15)

struct LimitedPeer {
  LimitedPeer() {
    sn = net.add_supernode(1);
    a = net.add_edge(1, static_edge(1));
    b = net.add_edge(2, static_edge(2));
    net.nodes[b].max_payload = kPath - 28;
    net.start(a);
    net.start(b);
    net.frame(a, frame_a_to_b(56));
  }
  // An ICMP echo from A to B, `data` bytes of payload (frame = data + 42).
  ByteVector frame_a_to_b(std::size_t data, bool df = true) {
    const ByteVector payload(data, 0x6e);
    const auto icmp = packet::icmp_echo(true, 7, 1, payload);
    const auto ip = packet::ipv4_packet(1, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), icmp, 64, df);
    return packet::ethernet_frame(mac_b(), mac_a(), 0x0800, ip);
  }
  ByteVector frame_b_to_a() {
    return ping_frame(mac_b(), mac_a(), ip4(10, 20, 30, 2), ip4(10, 20, 30, 1));
  }
  wire::Mac mac_a() { return net.edge(a).config().mac; }
  wire::Mac mac_b() { return net.edge(b).config().mac; }
  // Seconds with a small exchange each, so that the direct path stays fresh.
  void run(unsigned seconds) {
    for (unsigned s = 0; s < seconds; ++s) {
      net.advance(1);
      net.frame(a, frame_a_to_b(56));
      net.frame(b, frame_b_to_a());
    }
  }
  Network net;
  std::size_t sn = 0, a = 0, b = 0;
};

}  // namespace

TEST_CASE("edge peer path MTU: padded REGISTERs find the path, priorities stay") {
  LimitedPeer p;
  auto& a = p.net.edge(p.a);
  const auto* b_at_a = a.peers().known(p.mac_b());
  REQUIRE(b_at_a != nullptr);
  const auto cookie = b_at_a->cookie;
  const auto sock = b_at_a->sock;
  CHECK(cookie < edge::kProbeCookieBit);
  p.run(40);
  REQUIRE(a.peer_paths().count(p.mac_b()) == 1);
  const auto& path = a.peer_paths().at(p.mac_b());
  const auto r = path.search.result();
  CHECK(r.state == mtu::SearchState::done);
  CHECK(r.pmtu == kPath);
  CHECK(path.frame_limit == kFrameLimit);
  CHECK(a.peer_frame_limit(p.mac_b()) == kFrameLimit);
  MESSAGE("peer path ", kPath, ": ", r.probes_sent, " probes, ", r.lost, " lost");
  // B's view of A is limited the same way (its datagrams out are too).
  const auto& back = p.net.edge(p.b).peer_paths().at(p.mac_a());
  CHECK(back.search.result().pmtu == kPath);
  // The ACKs to probes did not count as confirmations with a priority.
  b_at_a = a.peers().known(p.mac_b());
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->cookie == cookie);
  CHECK(b_at_a->sock == sock);
  CHECK(a.counters().drops_of(Reason::cookie_mismatch) == 0);

  edge::Management m(a, {});
  const auto rows = m.handle(as_bytes("r 1 paths"), p.net.now, Network::edge_sock(9));
  REQUIRE(rows.size() == 4);  // begin, supernode, peer, end
  CHECK(
      rows[2].find(
          R"("peer":"p2p","macaddr":"02:20:30:00:00:02","sockaddr":"198.51.100.2:50002","state":"done","pmtu":1400,)") !=
      std::string::npos);
  CHECK(rows[2].find(R"("frame_limit":1334})") != std::string::npos);
}

TEST_CASE("edge peer path MTU: a DF frame too big for the peer's path gets ICMP on the TAP") {
  LimitedPeer p;
  p.run(40);
  auto& a = p.net.edge(p.a);
  REQUIRE(a.peer_frame_limit(p.mac_b()) == kFrameLimit);
  const auto tx = a.counters().p2p_tx;
  p.net.nodes[p.a].tap.clear();

  // Exactly the limit goes directly.
  p.net.frame(p.a, p.frame_a_to_b(kFrameLimit - 42));
  CHECK(a.counters().p2p_tx == tx + 1);
  CHECK(p.net.nodes[p.a].tap.empty());

  // One byte more: ICMP type 3 code 4 with next-hop MTU 1320 back to the sender, not sent.
  const auto big = p.frame_a_to_b(kFrameLimit - 41);
  p.net.frame(p.a, big);
  CHECK(a.counters().p2p_tx == tx + 1);
  CHECK(a.counters().drops_of(Reason::too_big_for_path) == 1);
  CHECK(a.counters().too_big_replies == 1);
  REQUIRE(p.net.nodes[p.a].tap.size() == 1);
  const auto& icmp = p.net.nodes[p.a].tap[0];
  REQUIRE(icmp.size() >= 14 + 20 + 8 + 28);
  CHECK(std::equal(icmp.begin(), icmp.begin() + 6, big.begin() + 6));  // to the sender's MAC
  CHECK(icmp[12] == 0x08);
  CHECK(icmp[13] == 0x00);
  CHECK(icmp[14 + 9] == 1);  // ICMP
  CHECK(icmp[34] == 3);      // destination unreachable
  CHECK(icmp[35] == 4);      // fragmentation needed and DF set
  CHECK(load_be16(icmp.data() + 40) == kFrameLimit - 14);
  // The quoted header is the offending packet's.
  CHECK(std::equal(icmp.begin() + 42, icmp.begin() + 62, big.begin() + 14));

  // DF clear: the sender allows fragmentation, so no ICMP; it goes on as before.
  p.net.frame(p.a, p.frame_a_to_b(kFrameLimit - 41, false));
  CHECK(a.counters().too_big_replies == 1);
  CHECK(a.counters().p2p_tx == tx + 2);

  // A burst: 20 replies at once at most, the rest counted as limited (frames dropped all the
  // same).
  for (int i = 0; i < 30; ++i) p.net.frame(p.a, big);
  CHECK(a.counters().too_big_replies == 20);
  CHECK(a.counters().too_big_limited == 11);
  CHECK(a.counters().drops_of(Reason::too_big_for_path) == 31);
}

TEST_CASE("edge peer path MTU: probe answers are direct REGISTER_ACKs: they keep a path fresh") {
  LimitedPeer p;
  // No frames for 8 s: the search's probes and their ACKs alone (spec §11.5 step 7).
  p.net.advance(8);
  const auto* b_at_a = p.net.edge(p.a).peers().known(p.mac_b());
  REQUIRE(b_at_a != nullptr);
  CHECK(b_at_a->last_seen + 5 >= p.net.now);
}

TEST_CASE("edge peer path MTU: without discovery nothing is probed or refused") {
  Network net;
  net.add_supernode(1);
  auto ca = static_edge(1);
  ca.path_mtu_discovery = false;
  const auto a = net.add_edge(1, ca);
  const auto b = net.add_edge(2, static_edge(2));
  net.start(a);
  net.start(b);
  const auto mac_a = net.edge(a).config().mac;
  const auto mac_b = net.edge(b).config().mac;
  net.frame(a, ping_frame(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2)));
  net.advance(30);
  CHECK(net.edge(a).peer_paths().empty());
  CHECK_FALSE(net.edge(a).peer_frame_limit(mac_b));
}

TEST_SUITE_END();

TEST_CASE("edge peer path MTU: SYNs to and from a peer behind a smaller path get its MSS") {
  // B behind a 1200-byte path, below what A's TAP MTU (1290) allows; B does not clamp (as a
  // reference edge), A must do it for both directions.
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  auto cb = static_edge(2);
  cb.mss_clamp = false;
  const auto b = net.add_edge(2, cb);
  net.nodes[b].max_payload = 1200 - 28;
  net.start(a);
  net.start(b);
  const auto mac_a = net.edge(a).config().mac, mac_b = net.edge(b).config().mac;
  const auto ping = [&](std::size_t from, const wire::Mac& s, const wire::Mac& d) {
    net.frame(from, ping_frame(s, d, ip4(10, 20, 30, from == a ? 1 : 2),
                               ip4(10, 20, 30, from == a ? 2 : 1)));
  };
  ping(a, mac_a, mac_b);
  for (int s = 0; s < 40; ++s) {
    net.advance(1);
    ping(a, mac_a, mac_b);
    ping(b, mac_b, mac_a);
  }
  const auto limit = net.edge(a).peer_frame_limit(mac_b);
  REQUIRE(limit);
  CHECK(*limit == 1200 - 66);
  const std::uint16_t want = static_cast<std::uint16_t>(*limit - 14 - 40);  // 1080
  const auto syn = [&](const wire::Mac& s, const wire::Mac& d, std::uint32_t src, std::uint32_t dst,
                       std::uint8_t flags) {
    const auto tcp = packet::tcp_segment(src, dst, 40000, 80, 1, flags & 0x10 ? 1 : 0, flags, 1460);
    return packet::ethernet_frame(d, s, 0x0800, packet::ipv4_packet(6, src, dst, tcp));
  };
  net.nodes[b].tap.clear();
  net.frame(a, syn(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), 0x02));
  REQUIRE_FALSE(net.nodes[b].tap.empty());
  const auto out = mss::inspect_syn(net.nodes[b].tap.back());
  REQUIRE(out);
  CHECK(out->mss == std::optional<std::uint16_t>(want));
  net.nodes[a].tap.clear();
  net.frame(b, syn(mac_b, mac_a, ip4(10, 20, 30, 2), ip4(10, 20, 30, 1), 0x12));
  REQUIRE_FALSE(net.nodes[a].tap.empty());
  const auto in = mss::inspect_syn(net.nodes[a].tap.back());
  REQUIRE(in);
  CHECK(in->mss == std::optional<std::uint16_t>(want));
  CHECK(net.edge(a).counters().mss_clamped_rx == 1);
}
