#include <doctest/doctest.h>

#include <random>
#include <set>

#include "core/mss/mss_clamp.hpp"
#include "core/mss/syn_info.hpp"
#include "core/packet/checksum.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/packet/frame_summary.hpp"
#include "core/packet/ipv6_packet.hpp"
#include "core/packet/tcp_header.hpp"

using namespace n2nkit;
using namespace n2nkit::mss;
using packet::FrameDefect;
using packet::FrameLayer;
using packet::Ipv6Address;
using packet::kTcpAck;
using packet::kTcpRst;
using packet::kTcpSyn;
using packet::MacAddress;

namespace {

constexpr std::uint32_t kA = 0x0a141e01, kB = 0x0a141e02;  // 10.20.30.1, .2
const MacAddress kMacA{2, 0, 0, 0, 0, 1}, kMacB{2, 0, 0, 0, 0, 2};
const Ipv6Address kA6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const Ipv6Address kB6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
constexpr ClampLimits kLimits{1250, 1230};

const ByteVector kMss1460 = {2, 4, 0x05, 0xb4};

ByteVector mss_option(std::uint16_t mss) {
  return {2, 4, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss)};
}

ByteVector concat(std::initializer_list<ByteVector> parts) {
  ByteVector out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A TCP header with the given options (padded with EOL to a multiple of 4) and a zero checksum.
ByteVector tcp_header(std::uint8_t flags, const ByteVector& options) {
  const std::size_t padded = (options.size() + 3) / 4 * 4;
  ByteVector t(20 + padded, 0);
  for (std::size_t i = 0; i < options.size(); ++i) t[20 + i] = options[i];
  store_be16(t.data(), 40000);
  store_be16(t.data() + 2, 22);
  store_be32(t.data() + 4, 0x01020304);
  store_be32(t.data() + 8, (flags & kTcpAck) ? 0x0a0b0c0d : 0);
  t[12] = static_cast<std::uint8_t>(((20 + padded) / 4) << 4);
  t[13] = flags;
  store_be16(t.data() + 14, 64240);
  return t;
}

ByteVector tcp_v4(std::uint8_t flags, const ByteVector& options) {
  auto t = tcp_header(flags, options);
  const auto pseudo = packet::ipv4_pseudo_header_sum(kA, kB, 6, t.size());
  store_be16(t.data() + 16, packet::internet_checksum(t, pseudo));
  return t;
}

ByteVector tcp_v6(std::uint8_t flags, const ByteVector& options) {
  auto t = tcp_header(flags, options);
  const auto pseudo = packet::ipv6_pseudo_header_sum(kA6.data(), kB6.data(), 6, t.size());
  store_be16(t.data() + 16, packet::internet_checksum(t, pseudo));
  return t;
}

ByteVector v4_frame(std::uint8_t flags, const ByteVector& options) {
  return packet::ethernet_frame(kMacB, kMacA, 0x0800,
                                packet::ipv4_packet(6, kA, kB, tcp_v4(flags, options)));
}

ByteVector v6_frame(std::uint8_t flags, const ByteVector& options) {
  return packet::ethernet_frame(kMacB, kMacA, 0x86dd,
                                packet::ipv6_packet(6, kA6, kB6, tcp_v6(flags, options)));
}

// Inserts 802.1Q/802.1ad tags after the MAC addresses, outer first.
ByteVector tagged(const ByteVector& frame, std::initializer_list<std::uint32_t> tags) {
  ByteVector out(frame.begin(), frame.begin() + 12);
  for (std::uint32_t tag : tags) {
    const std::size_t at = out.size();
    out.resize(at + 4);
    store_be32(out.data() + at, tag);
  }
  out.insert(out.end(), frame.begin() + 12, frame.end());
  return out;
}

// The TCP checksum recomputed from scratch (checksum field taken as zero) and the one stored.
struct TcpSums {
  std::uint16_t stored = 0;
  std::uint16_t recomputed = 0;
  std::uint16_t verify = 0;  // sum over the segment as it stands: 0 when the checksum is right
};

TcpSums tcp_sums(ByteView frame) {
  const auto f = packet::parse_ip_frame(frame);
  REQUIRE(f.kind == packet::IpFrame::Kind::ip);
  const std::uint8_t* ip = frame.data() + f.ip_offset;
  ByteVector seg(frame.begin() + static_cast<std::ptrdiff_t>(f.l4_offset),
                 frame.begin() + static_cast<std::ptrdiff_t>(f.ip_end));
  const std::uint32_t pseudo =
      f.ip_version == 4
          ? packet::ipv4_pseudo_header_sum(load_be32(ip + 12), load_be32(ip + 16), 6, seg.size())
          : packet::ipv6_pseudo_header_sum(ip + 8, ip + 24, 6, seg.size());
  TcpSums s;
  s.stored = load_be16(seg.data() + 16);
  s.verify = packet::internet_checksum(seg, pseudo);
  store_be16(seg.data() + 16, 0);
  s.recomputed = packet::internet_checksum(seg, pseudo);
  return s;
}

void check_checksum_recomputes(ByteView frame) {
  const auto s = tcp_sums(frame);
  CHECK(s.verify == 0);
  CHECK(s.stored == s.recomputed);
}

std::size_t bytes_changed(const ByteVector& a, const ByteVector& b) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

}  // namespace

TEST_CASE("mss clamp: RFC 1624 update equals a recomputation, at even and odd offsets") {
  std::mt19937 rng(1624);
  for (int round = 0; round < 2000; ++round) {
    ByteVector data(2 + rng() % 60);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::size_t at = rng() % (data.size() - 1);
    const std::uint16_t before = packet::internet_checksum(data);
    const std::uint16_t old_word = load_be16(data.data() + at);
    const auto new_word = static_cast<std::uint16_t>(rng());
    store_be16(data.data() + at, new_word);
    const std::uint16_t want = packet::internet_checksum(data);
    const bool odd = at % 2 != 0;
    const std::uint16_t got = odd ? packet::checksum_update(before, packet::byte_swap16(old_word),
                                                            packet::byte_swap16(new_word))
                                  : packet::checksum_update(before, old_word, new_word);
    CAPTURE(round);
    CHECK(got == want);
  }
}

TEST_CASE("mss clamp: limits from the TAP MTU") {
  const auto l = clamp_limits_for_mtu(1290);
  CHECK(l.ipv4 == 1250);
  CHECK(l.ipv6 == 1230);
  CHECK(clamp_limits_for_mtu(30).ipv4 == 0);
  CHECK(clamp_limits_for_mtu(100000).ipv4 == 0xffff);
}

TEST_CASE("mss clamp: IPv4 SYN 1460 clamped to 1250, checksum as recomputed") {
  auto frame = v4_frame(kTcpSyn, kMss1460);
  check_checksum_recomputes(frame);
  const auto before = frame;
  const auto o = clamp_mss(frame, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  CHECK(o.ip_version == 4);
  CHECK(o.tcp_flags == kTcpSyn);
  CHECK(o.old_mss == 1460);
  CHECK(o.new_mss == 1250);
  CHECK(o.layer == FrameLayer::none);
  check_checksum_recomputes(frame);
  CHECK(bytes_changed(before, frame) <= 4);  // the MSS value and the checksum only
  CHECK(packet::summarize_ethernet_frame(frame)["mss"] == 1250);
  CHECK(inspect_syn(frame)->mss == 1250);
  // Clamping is idempotent.
  const auto again = clamp_mss(frame, kLimits);
  CHECK(again.status == ClampStatus::within_limit);
  CHECK(again.old_mss == 1250);
}

TEST_CASE("mss clamp: SYN-ACK clamped too") {
  auto frame = v4_frame(kTcpSyn | kTcpAck, kMss1460);
  const auto o = clamp_mss(frame, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  CHECK(o.tcp_flags == (kTcpSyn | kTcpAck));
  check_checksum_recomputes(frame);
  const auto info = inspect_syn(frame);
  REQUIRE(info);
  CHECK(info->syn_ack());
}

TEST_CASE("mss clamp: an MSS at or below the limit is left byte for byte") {
  for (std::uint16_t mss : {std::uint16_t{536}, std::uint16_t{1200}, std::uint16_t{1250}}) {
    auto frame = v4_frame(kTcpSyn, mss_option(mss));
    const auto before = frame;
    const auto o = clamp_mss(frame, kLimits);
    CHECK(o.status == ClampStatus::within_limit);
    CHECK(o.old_mss == mss);
    CHECK(o.new_mss == mss);
    CHECK(frame == before);
  }
  // The limit of the other family does not apply.
  auto frame = v4_frame(kTcpSyn, mss_option(1240));
  CHECK(clamp_mss(frame, ClampLimits{1250, 1000}).status == ClampStatus::within_limit);
}

TEST_CASE("mss clamp: a SYN without MSS option is reported and left") {
  auto frame = v4_frame(kTcpSyn, {1, 1, 4, 2});
  const auto before = frame;
  CHECK(clamp_mss(frame, kLimits).status == ClampStatus::no_mss_option);
  CHECK(frame == before);
  const auto info = inspect_syn(frame);
  REQUIRE(info);
  CHECK_FALSE(info->mss);
  CHECK_FALSE(info->options_malformed);
  auto bare = v4_frame(kTcpSyn, {});
  CHECK(clamp_mss(bare, kLimits).status == ClampStatus::no_mss_option);
}

TEST_CASE("mss clamp: single and double VLAN tags") {
  auto one = tagged(v4_frame(kTcpSyn, kMss1460), {0x81000064});  // VLAN 100
  auto o = clamp_mss(one, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  check_checksum_recomputes(one);
  auto info = inspect_syn(one);
  REQUIRE(info);
  CHECK(info->vlan.count == 1);
  CHECK((info->vlan.tci[0] & 0x0fff) == 100);

  // 802.1ad service tag 10 outside, customer tag 200 (priority 5) inside; IPv6 inside that.
  auto two = tagged(v6_frame(kTcpSyn, kMss1460), {0x88a8000a, 0x8100a0c8});
  o = clamp_mss(two, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  CHECK(o.new_mss == 1230);
  check_checksum_recomputes(two);
  info = inspect_syn(two);
  REQUIRE(info);
  CHECK(info->vlan.count == 2);
  CHECK((info->vlan.tci[0] & 0x0fff) == 10);
  CHECK((info->vlan.tci[1] & 0x0fff) == 200);
  CHECK((info->vlan.tci[1] >> 13) == 5);

  auto three = tagged(v4_frame(kTcpSyn, kMss1460), {0x88a8000a, 0x81000014, 0x8100001e});
  const auto before = three;
  o = clamp_mss(three, kLimits);
  CHECK(o.status == ClampStatus::malformed);
  CHECK(o.layer == FrameLayer::vlan);
  CHECK(o.defect == FrameDefect::unsupported);
  CHECK(three == before);
}

TEST_CASE("mss clamp: IPv6 without and with extension headers") {
  auto plain = v6_frame(kTcpSyn, kMss1460);
  auto o = clamp_mss(plain, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  CHECK(o.ip_version == 6);
  CHECK(o.old_mss == 1460);
  CHECK(o.new_mss == 1230);
  check_checksum_recomputes(plain);
  const auto info = inspect_syn(plain);
  REQUIRE(info);
  CHECK(info->ip_version == 6);
  CHECK(packet::endpoint_to_string(info->src) == "[fd00::1]:40000");
  CHECK(packet::endpoint_to_string(info->dst) == "[fd00::2]:22");

  // Hop-by-hop (8) → routing (16) → fragment, offset 0 (8) → AH (16) → destination options (8).
  const ByteVector hbh = {43, 0, 1, 4, 0, 0, 0, 0};
  ByteVector routing = {44, 1, 4, 0, 0, 0, 0, 0};
  routing.resize(16, 0);
  const ByteVector fragment = {51, 0, 0, 0, 0, 0, 0, 42};
  ByteVector ah = {60, 2, 0, 0, 0, 0, 1, 0};  // (2 + 2) × 4 = 16 bytes
  ah.resize(16, 0xaa);
  const ByteVector dest = {6, 0, 1, 4, 0, 0, 0, 0};
  const auto tcp = tcp_v6(kTcpSyn, concat({{1, 1, 8, 10}, ByteVector(8, 0), kMss1460}));
  const auto payload = concat({hbh, routing, fragment, ah, dest, tcp});
  auto ext =
      packet::ethernet_frame(kMacB, kMacA, 0x86dd, packet::ipv6_packet(0, kA6, kB6, payload));
  o = clamp_mss(ext, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  check_checksum_recomputes(ext);

  // ESP and "no next header" end the walk: not TCP.
  for (std::uint8_t next : {std::uint8_t{50}, std::uint8_t{59}}) {
    auto p = packet::ethernet_frame(kMacB, kMacA, 0x86dd,
                                    packet::ipv6_packet(next, kA6, kB6, ByteVector(40, 0)));
    CHECK(clamp_mss(p, kLimits).status == ClampStatus::not_tcp);
  }
  // A later fragment carries no TCP header.
  const ByteVector later = {6, 0, 0x05, 0x39, 0, 0, 0, 42};  // offset 167 × 8
  auto frag = packet::ethernet_frame(kMacB, kMacA, 0x86dd,
                                     packet::ipv6_packet(44, kA6, kB6, concat({later, tcp})));
  const auto before = frag;
  CHECK(clamp_mss(frag, kLimits).status == ClampStatus::fragment);
  CHECK(frag == before);
  // An extension header running past the payload length.
  auto cut = packet::ethernet_frame(kMacB, kMacA, 0x86dd,
                                    packet::ipv6_packet(0, kA6, kB6, ByteVector{6, 2, 0, 0}));
  o = clamp_mss(cut, kLimits);
  CHECK(o.status == ClampStatus::malformed);
  CHECK(o.layer == FrameLayer::ipv6_extension);
  CHECK(o.defect == FrameDefect::truncated);
}

TEST_CASE("mss clamp: IPv4 with header options") {
  const auto tcp = tcp_v4(kTcpSyn, kMss1460);
  auto ip = packet::ipv4_packet(6, kA, kB, tcp);
  // Insert a router alert (RFC 2113) and fix IHL, length and header checksum.
  const ByteVector alert = {0x94, 0x04, 0x00, 0x00};
  ip.insert(ip.begin() + 20, alert.begin(), alert.end());
  ip[0] = 0x46;
  store_be16(ip.data() + 2, static_cast<std::uint16_t>(ip.size()));
  store_be16(ip.data() + 10, 0);
  store_be16(ip.data() + 10, packet::internet_checksum(ByteView{ip.data(), 24}));
  auto frame = packet::ethernet_frame(kMacB, kMacA, 0x0800, ip);
  const auto o = clamp_mss(frame, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  check_checksum_recomputes(frame);
  CHECK(packet::internet_checksum(ByteView{frame.data() + 14, 24}) == 0);  // IP header as it was
}

TEST_CASE("mss clamp: fragments, ACKs, RSTs and other traffic are left alone") {
  auto later = v4_frame(kTcpSyn, kMss1460);
  store_be16(later.data() + 14 + 6, 0x00b9);  // fragment offset 185
  auto before = later;
  CHECK(clamp_mss(later, kLimits).status == ClampStatus::fragment);
  CHECK(later == before);
  CHECK_FALSE(inspect_syn(later));

  // The first fragment (more fragments set) carries the header: clamped.
  auto first = v4_frame(kTcpSyn, kMss1460);
  store_be16(first.data() + 14 + 6, 0x2000);
  CHECK(clamp_mss(first, kLimits).status == ClampStatus::clamped);
  check_checksum_recomputes(first);

  for (std::uint8_t flags : {std::uint8_t{kTcpAck}, std::uint8_t{kTcpSyn | kTcpRst},
                             std::uint8_t{0x18}, std::uint8_t{0}}) {
    auto f = v4_frame(flags, kMss1460);
    before = f;
    const auto o = clamp_mss(f, kLimits);
    CHECK(o.status == ClampStatus::not_syn);
    CHECK(o.tcp_flags == flags);
    CHECK(f == before);
    CHECK_FALSE(inspect_syn(f));
  }

  auto udp = packet::udp_over_ethernet(kMacB, kMacA, kA, 1, kB, 2, as_bytes("payload"));
  CHECK(clamp_mss(udp, kLimits).status == ClampStatus::not_tcp);
  auto arp = packet::ethernet_frame(kMacB, kMacA, 0x0806,
                                    packet::arp_body(1, kMacA, kA, MacAddress{}, kB));
  CHECK(clamp_mss(arp, kLimits).status == ClampStatus::not_ip);
  CHECK_FALSE(inspect_syn(arp));
}

TEST_CASE("mss clamp: MSS after NOP, timestamp, window scale and SACK-permitted") {
  const ByteVector ts = {8, 10, 0, 0, 0, 1, 0, 0, 0, 0};
  const ByteVector ws = {3, 3, 7};
  const ByteVector sack_ok = {4, 2};
  const ByteVector nop = {1};
  const std::vector<ByteVector> lists = {
      concat({nop, kMss1460}),  // value at an odd offset
      concat({nop, nop, ts, kMss1460}), concat({sack_ok, ts, nop, ws, kMss1460}),
      concat({ws, kMss1460, sack_ok}),  concat({kMss1460, sack_ok, ts, nop, ws}),  // Linux's order
  };
  for (std::size_t i = 0; i < lists.size(); ++i) {
    CAPTURE(i);
    for (bool v6 : {false, true}) {
      auto frame = v6 ? v6_frame(kTcpSyn, lists[i]) : v4_frame(kTcpSyn, lists[i]);
      const auto before = frame;
      const auto o = clamp_mss(frame, kLimits);
      CHECK(o.status == ClampStatus::clamped);
      CHECK(o.old_mss == 1460);
      CHECK(o.new_mss == (v6 ? 1230 : 1250));
      check_checksum_recomputes(frame);
      CHECK(bytes_changed(before, frame) <= 4);
      CHECK(packet::tcp_mss_option(ByteView{frame}.subspan(v6 ? 54 : 34)) == o.new_mss);
    }
  }
}

TEST_CASE("mss clamp: every MSS option above the limit is clamped") {
  auto frame = v4_frame(kTcpSyn, concat({kMss1460, mss_option(1200), mss_option(9000)}));
  const auto o = clamp_mss(frame, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  CHECK(o.old_mss == 9000);
  CHECK(o.new_mss == 1250);
  check_checksum_recomputes(frame);
  const auto info = inspect_syn(frame);
  REQUIRE(info);
  CHECK(info->mss_options == 3);
  CHECK(info->mss == 1250);
  CHECK(load_be16(frame.data() + 34 + 20 + 6) == 1200);  // the one within the limit stays
}

TEST_CASE("mss clamp: malformed option lists are reported and left") {
  struct Case {
    const char* what;
    ByteVector options;
    FrameDefect defect;
  };
  const std::vector<Case> cases = {
      {"length 0", concat({{8, 0, 0, 0}, kMss1460}), FrameDefect::invalid},
      {"length 1", concat({{8, 1, 0, 0}, kMss1460}), FrameDefect::invalid},
      {"length past the end", concat({kMss1460, {8, 10, 0, 0}}), FrameDefect::truncated},
      {"MSS of length 3", {2, 3, 5, 1}, FrameDefect::invalid},
      {"MSS of length 6", {2, 6, 5, 0xb4, 0, 0, 1, 1}, FrameDefect::invalid},
      {"kind without length", {1, 1, 1, 8}, FrameDefect::truncated},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto frame = v4_frame(kTcpSyn, c.options);
    const auto before = frame;
    const auto o = clamp_mss(frame, kLimits);
    CHECK(o.status == ClampStatus::malformed);
    CHECK(o.layer == FrameLayer::tcp_options);
    CHECK(o.defect == c.defect);
    CHECK(o.tcp_flags == kTcpSyn);
    CHECK(frame == before);
    const auto info = inspect_syn(frame);
    REQUIRE(info);
    CHECK(info->options_malformed);
    CHECK_FALSE(info->mss);
  }
  // Bytes after the end-of-list option are padding, never parsed.
  auto padded = v4_frame(kTcpSyn, concat({kMss1460, {0, 8, 0, 0}}));
  CHECK(clamp_mss(padded, kLimits).status == ClampStatus::clamped);
}

TEST_CASE("mss clamp: inconsistent IP and TCP headers are reported by layer") {
  struct Case {
    const char* what;
    std::size_t at;
    std::uint8_t value;
    FrameLayer layer;
    FrameDefect defect;
  };
  const std::vector<Case> cases = {
      {"IPv4 version 6", 14, 0x65, FrameLayer::ipv4, FrameDefect::invalid},
      {"IHL 4", 14, 0x44, FrameLayer::ipv4, FrameDefect::invalid},
      {"IHL past the total length", 14, 0x4f, FrameLayer::ipv4, FrameDefect::invalid},
      {"total length past the frame", 16, 0x10, FrameLayer::ipv4, FrameDefect::truncated},
      {"TCP data offset 4", 34 + 12, 0x40, FrameLayer::tcp, FrameDefect::invalid},
      {"TCP data offset past the packet", 34 + 12, 0xf0, FrameLayer::tcp, FrameDefect::truncated},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto frame = v4_frame(kTcpSyn, kMss1460);
    frame[c.at] = c.value;
    const auto before = frame;
    const auto o = clamp_mss(frame, kLimits);
    CHECK(o.status == ClampStatus::malformed);
    CHECK(o.layer == c.layer);
    CHECK(o.defect == c.defect);
    CHECK(frame == before);
  }
  auto v6 = v6_frame(kTcpSyn, kMss1460);
  v6[14] = 0x40;
  const auto o = clamp_mss(v6, kLimits);
  CHECK(o.layer == FrameLayer::ipv6);
  CHECK(o.defect == FrameDefect::invalid);
}

TEST_CASE("mss clamp: Ethernet padding after the IP packet is not TCP") {
  auto frame = v4_frame(kTcpSyn, kMss1460);
  frame.resize(frame.size() + 6, 0xee);
  const auto o = clamp_mss(frame, kLimits);
  CHECK(o.status == ClampStatus::clamped);
  check_checksum_recomputes(frame);
  CHECK(frame.back() == 0xee);
}

TEST_CASE("mss clamp: a stored TCP checksum of 0 is updated like any other") {
  // Move the segment's sum to 0xffff through the window field, so that 0 is its checksum.
  auto tcp = tcp_v4(kTcpSyn, kMss1460);
  const std::uint16_t checksum = load_be16(tcp.data() + 16);
  std::uint32_t window = std::uint32_t{load_be16(tcp.data() + 14)} + checksum;
  window = (window & 0xffff) + (window >> 16);
  store_be16(tcp.data() + 14, static_cast<std::uint16_t>(window));
  store_be16(tcp.data() + 16, 0);
  auto frame = packet::ethernet_frame(kMacB, kMacA, 0x0800, packet::ipv4_packet(6, kA, kB, tcp));
  REQUIRE(tcp_sums(frame).verify == 0);
  CHECK(clamp_mss(frame, kLimits).status == ClampStatus::clamped);
  check_checksum_recomputes(frame);
}

TEST_CASE("mss clamp: every truncation of a SYN is malformed and untouched") {
  const std::vector<ByteVector> frames = {
      v4_frame(kTcpSyn, kMss1460),
      tagged(v4_frame(kTcpSyn | kTcpAck, concat({{1, 1, 4, 2}, kMss1460})), {0x81000005}),
      tagged(v6_frame(kTcpSyn, concat({{1, 3, 3, 7}, kMss1460})), {0x88a80001, 0x81000002}),
  };
  for (const auto& full : frames) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      CAPTURE(n);
      ByteVector prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      const auto before = prefix;
      const auto o = clamp_mss(prefix, kLimits);
      CHECK(o.status == ClampStatus::malformed);
      CHECK(o.layer != FrameLayer::none);
      CHECK(o.defect == FrameDefect::truncated);
      CHECK(prefix == before);
      CHECK_FALSE(inspect_syn(prefix));
    }
  }
}

TEST_CASE("mss clamp: random mutations keep bytes unless clamped and keep the sum") {
  std::mt19937 rng(20077);
  const std::vector<ByteVector> seeds = {
      v4_frame(kTcpSyn, concat({{1}, kMss1460, {4, 2}})),
      tagged(v6_frame(kTcpSyn | kTcpAck, kMss1460), {0x81000005}),
      tagged(v4_frame(kTcpSyn, concat({{8, 10, 0, 0, 0, 1, 0, 0, 0, 0}, kMss1460})),
             {0x88a80001, 0x81000002}),
  };
  std::size_t clamped = 0;
  for (int round = 0; round < 20000; ++round) {
    auto frame = seeds[rng() % seeds.size()];
    const unsigned edits = 1 + rng() % 4;
    for (unsigned e = 0; e < edits; ++e) {
      frame[rng() % frame.size()] = static_cast<std::uint8_t>(rng());
    }
    if (rng() % 4 == 0) frame.resize(rng() % (frame.size() + 1));
    const auto before = frame;
    const auto o = clamp_mss(frame, ClampLimits{static_cast<std::uint16_t>(rng() % 1500),
                                                static_cast<std::uint16_t>(rng() % 1500)});
    CAPTURE(round);
    if (o.status != ClampStatus::clamped) {
      REQUIRE(frame == before);
      continue;
    }
    ++clamped;
    CHECK(o.new_mss < o.old_mss);
    // Whatever the checksum was worth before, the rewrite keeps it so: a right one stays right.
    CHECK(tcp_sums(frame).verify == tcp_sums(before).verify);
    CHECK(inspect_syn(frame)->mss == o.new_mss);
  }
  CHECK(clamped > 100);
}

TEST_CASE("mss clamp: status, layer and defect names are distinct") {
  std::set<std::string_view> names;
  for (int s = 0; s <= static_cast<int>(ClampStatus::malformed); ++s) {
    names.insert(clamp_status_name(static_cast<ClampStatus>(s)));
  }
  CHECK(names.size() == 8);
  CHECK(clamp_status_name(ClampStatus::no_mss_option) == "no_mss_option");
  CHECK(packet::frame_layer_name(FrameLayer::ipv6_extension) == "ipv6_extension");
  CHECK(packet::frame_defect_name(FrameDefect::truncated) == "truncated");
}
