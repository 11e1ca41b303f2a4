// Edge engine: TCP MSS clamping of SYN and SYN-ACK frames in both directions (issue #4,
// core/mss), against the supernode engine in memory.
#include <doctest/doctest.h>

#include "core/mss/syn_info.hpp"
#include "core/packet/checksum.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kAck = 0x10;

ByteVector syn_frame(const wire::Mac& src_mac, const wire::Mac& dst_mac, std::uint32_t src,
                     std::uint32_t dst, std::uint8_t flags, std::uint16_t mss) {
  const auto tcp = packet::tcp_segment(src, dst, 40000, 80, 1, flags & kAck ? 1 : 0, flags, mss);
  return packet::ethernet_frame(dst_mac, src_mac, 0x0800, packet::ipv4_packet(6, src, dst, tcp));
}

std::uint16_t mss_of(ByteView frame) {
  const auto syn = mss::inspect_syn(frame);
  REQUIRE(syn);
  REQUIRE(syn->mss);
  return *syn->mss;
}

// The TCP checksum of an IPv4 frame without options verifies (sums to zero with the pseudo
// header).
bool tcp_checksum_ok(ByteView frame) {
  const ByteView ip = frame.subspan(14);
  const std::size_t ihl = (ip[0] & 0x0f) * 4u;
  const ByteView tcp = ip.subspan(ihl, load_be16(ip.data() + 2) - ihl);
  const auto pseudo = packet::ipv4_pseudo_header_sum(load_be32(ip.data() + 12),
                                                     load_be32(ip.data() + 16), 6, tcp.size());
  return packet::internet_checksum(tcp, pseudo) == 0;
}

struct Pair {
  explicit Pair(bool clamp, std::size_t mtu = 1290, bool clamp_a = true) {
    net.add_supernode(1);
    auto ca = static_edge(1);
    auto cb = static_edge(2);
    ca.mss_clamp = clamp && clamp_a;
    cb.mss_clamp = clamp;
    ca.tap_mtu = cb.tap_mtu = mtu;
    a = net.add_edge(1, ca);
    b = net.add_edge(2, cb);
    net.start(a);
    net.start(b);
    net.nodes[b].tap.clear();
  }
  Network net;
  std::size_t a = 0, b = 0;
};

}  // namespace

TEST_CASE("edge engine: a SYN with MSS 1460 leaves the TAP side clamped to TAP MTU - 40") {
  Pair p(true);
  const auto syn = syn_frame(p.net.edge(p.a).config().mac, p.net.edge(p.b).config().mac,
                             ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), kSyn, 1460);
  p.net.frame(p.a, syn);
  REQUIRE(p.net.nodes[p.b].tap.size() == 1);
  const auto& arrived = p.net.nodes[p.b].tap[0];
  CHECK(mss_of(arrived) == 1250);
  CHECK(tcp_checksum_ok(arrived));
  CHECK(p.net.edge(p.a).counters().mss_clamped_tx == 1);
  CHECK(p.net.edge(p.b).counters().mss_clamped_rx == 0);  // already small enough
  // Everything but the MSS value and the checksum is as sent.
  REQUIRE(arrived.size() == syn.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < syn.size(); ++i) differing += arrived[i] != syn[i];
  CHECK(differing <= 4);
}

TEST_CASE("edge engine: a SYN-ACK from a peer that does not clamp is clamped on arrival") {
  // A does not clamp, as a reference edge: its SYN-ACK leaves unclamped.
  Pair p(true, 1400, false);
  const auto syn_ack = syn_frame(p.net.edge(p.a).config().mac, p.net.edge(p.b).config().mac,
                                 ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), kSyn | kAck, 1460);
  p.net.frame(p.a, syn_ack);
  REQUIRE(p.net.nodes[p.b].tap.size() == 1);
  CHECK(mss_of(p.net.nodes[p.b].tap[0]) == 1360);  // 1400 - 40
  CHECK(tcp_checksum_ok(p.net.nodes[p.b].tap[0]));
  CHECK(p.net.edge(p.b).counters().mss_clamped_rx == 1);
}

TEST_CASE("edge engine: small MSS, plain segments and --no-mss-clamp pass untouched") {
  Pair p(true);
  const auto mac_a = p.net.edge(p.a).config().mac;
  const auto mac_b = p.net.edge(p.b).config().mac;
  const auto small = syn_frame(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), kSyn, 1200);
  const auto data = syn_frame(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), kAck, 0);
  p.net.frame(p.a, small);
  p.net.frame(p.a, data);
  REQUIRE(p.net.nodes[p.b].tap.size() == 2);
  CHECK(p.net.nodes[p.b].tap[0] == small);
  CHECK(p.net.nodes[p.b].tap[1] == data);
  CHECK(p.net.edge(p.a).counters().mss_clamped_tx == 0);

  Pair off(false);
  const auto big = syn_frame(off.net.edge(off.a).config().mac, off.net.edge(off.b).config().mac,
                             ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), kSyn, 1460);
  off.net.frame(off.a, big);
  REQUIRE(off.net.nodes[off.b].tap.size() == 1);
  CHECK(off.net.nodes[off.b].tap[0] == big);
}
