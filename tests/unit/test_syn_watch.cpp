#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/capture/syn_watch.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/packet/tcp_header.hpp"

using namespace n2nkit;
using namespace n2nkit::capture;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

ByteVector syn_ip(std::uint8_t flags = packet::kTcpSyn, std::optional<std::uint16_t> mss = 1460) {
  const auto tcp =
      packet::tcp_segment(ip(10, 77, 1, 2), ip(10, 77, 3, 2), 41000, 8080, 1, 0, flags, mss);
  return packet::ipv4_packet(6, ip(10, 77, 1, 2), ip(10, 77, 3, 2), tcp);
}

ByteVector with_prefix(const std::vector<std::uint8_t>& head, const ByteVector& ip_packet) {
  ByteVector f(head.begin(), head.end());
  f.insert(f.end(), ip_packet.begin(), ip_packet.end());
  return f;
}

net::RouteFacts route(const char* iface, std::uint32_t mtu, std::uint32_t route_mtu = 0,
                      bool local = false) {
  net::RouteFacts r;
  r.iface = iface;
  r.iface_mtu = mtu;
  r.route_mtu = route_mtu;
  r.local = local;
  return r;
}

}  // namespace

TEST_CASE("syn watch: the SYN is found in every supported link type") {
  const ByteVector ipv4 = syn_ip();
  std::vector<std::uint8_t> scratch;
  const packet::MacAddress a{2, 0, 0, 0, 0, 1}, b{2, 0, 0, 0, 0, 2};
  const ByteVector eth = packet::ethernet_frame(a, b, 0x0800, ipv4);
  // SLL: type, ARPHRD, addr len, 8 address bytes, protocol (0x0800) at 14.
  std::vector<std::uint8_t> sll(16, 0);
  sll[14] = 0x08;
  // SLL2: protocol first, then 18 more bytes.
  std::vector<std::uint8_t> sll2(20, 0);
  sll2[0] = 0x08;
  const std::vector<std::pair<int, ByteVector>> frames = {
      {1, eth},
      {113, with_prefix(sll, ipv4)},
      {276, with_prefix(sll2, ipv4)},
      {12, ipv4},
      {101, ipv4},
      {228, ipv4},
      {0, with_prefix({2, 0, 0, 0}, ipv4)},
      {108, with_prefix({0, 0, 0, 2}, ipv4)},
  };
  for (const auto& [linktype, frame] : frames) {
    CAPTURE(linktype);
    CHECK(syn_linktype_supported(linktype));
    const auto syn = syn_in_capture(linktype, frame, scratch);
    REQUIRE(syn);
    CHECK(syn->mss == 1460);
    CHECK_FALSE(syn->syn_ack());
    CHECK(packet::endpoint_to_string(syn->src) == "10.77.1.2:41000");
    CHECK(packet::endpoint_to_string(syn->dst) == "10.77.3.2:8080");
  }
  CHECK_FALSE(syn_linktype_supported(105));  // 802.11
  CHECK_FALSE(syn_in_capture(105, eth, scratch));
  CHECK(linktype_name(276) == "LINUX_SLL2");
  CHECK(linktype_name(105) == "DLT 105");
}

TEST_CASE("syn watch: SYN-ACKs, SYNs without MSS, and what is no SYN") {
  std::vector<std::uint8_t> scratch;
  const auto ack = syn_in_capture(12, syn_ip(packet::kTcpSyn | packet::kTcpAck, 1360), scratch);
  REQUIRE(ack);
  CHECK(ack->syn_ack());
  CHECK(ack->mss == 1360);
  const auto bare = syn_in_capture(12, syn_ip(packet::kTcpSyn, std::nullopt), scratch);
  REQUIRE(bare);
  CHECK_FALSE(bare->mss);
  CHECK_FALSE(syn_in_capture(12, syn_ip(packet::kTcpAck, std::nullopt), scratch));
  CHECK_FALSE(syn_in_capture(12, {}, scratch));
  CHECK_FALSE(syn_in_capture(113, ByteVector(10, 0), scratch));
  CHECK_FALSE(syn_in_capture(276, ByteVector(20, 0), scratch));  // protocol 0
  ByteVector cut = syn_ip();
  cut.resize(30);
  CHECK_FALSE(syn_in_capture(12, cut, scratch));
}

TEST_CASE("syn watch: capture filter for SYNs of both families, optionally by port") {
  CHECK(syn_capture_filter({}) ==
        "((tcp[tcpflags] & tcp-syn != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 0x02 != 0))");
  CHECK(syn_capture_filter({80, 443}) ==
        "((tcp[tcpflags] & tcp-syn != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 0x02 != 0)) and "
        "(tcp port 80 or tcp port 443)");
}

TEST_CASE("syn watch: the smaller route of the two ends bounds the MSS") {
  std::vector<std::uint8_t> scratch;
  const auto syn = syn_in_capture(12, syn_ip(), scratch);
  REQUIRE(syn);
  // Gateway: LAN 1500 towards the sender, overlay 1400 towards the far end.
  auto v = judge_syn(*syn, route("lan0", 1500), route("n2n0", 1400));
  CHECK(v.path_mtu == 1400);
  CHECK(v.mss_limit == 1360);
  CHECK(v.oversized);
  // A route mtu metric wins over the interface's.
  v = judge_syn(*syn, route("lan0", 1500), route("eth0", 1500, 1300));
  CHECK(v.path_mtu == 1300);
  CHECK(v.mss_limit == 1260);
  // All 1500: fine.
  v = judge_syn(*syn, route("lan0", 1500), route("eth0", 1500));
  CHECK(v.mss_limit == 1460);
  CHECK_FALSE(v.oversized);
  // The sender is this host: its local route bounds nothing.
  v = judge_syn(*syn, route("lo", 65536, 0, true), route("n2n0", 1400));
  CHECK(v.path_mtu == 1400);
  CHECK(v.oversized);
  // Loopback both ways: the local MTU.
  v = judge_syn(*syn, route("lo", 65536, 0, true), route("lo", 65536, 0, true));
  CHECK(v.path_mtu == 65536);
  CHECK_FALSE(v.oversized);
  // No route at all: unknown, never flagged.
  v = judge_syn(*syn, std::nullopt, std::nullopt);
  CHECK(v.mss_limit == 0);
  CHECK_FALSE(v.oversized);
}

TEST_CASE("syn watch: IPv6 limit is MTU - 60") {
  mss::SynInfo syn;
  syn.ip_version = 6;
  syn.mss = 1360;
  syn.tcp_flags = packet::kTcpSyn;
  const auto v = judge_syn(syn, route("lan0", 1500), route("n2n0", 1400));
  CHECK(v.mss_limit == 1340);
  CHECK(v.oversized);
}

TEST_CASE("syn watch: the summary counts") {
  WatchSummary s;
  mss::SynInfo syn;
  syn.tcp_flags = packet::kTcpSyn;
  syn.mss = 1460;
  SynVerdict big;
  big.mss_limit = 1360;
  big.oversized = true;
  s.add(syn, big);
  syn.tcp_flags = packet::kTcpSyn | packet::kTcpAck;
  syn.mss = 1360;
  s.add(syn, SynVerdict{});
  syn.mss.reset();
  s.add(syn, SynVerdict{});
  syn.options_malformed = true;
  s.add(syn, SynVerdict{});
  CHECK(s.syns == 1);
  CHECK(s.syn_acks == 3);
  CHECK(s.oversized == 1);
  CHECK(s.without_mss == 1);
  CHECK(s.malformed_options == 1);
  CHECK(s.route_unknown == 3);
  CHECK(s.mss_seen == std::map<std::uint16_t, std::uint64_t>{{1360, 1}, {1460, 1}});
}
