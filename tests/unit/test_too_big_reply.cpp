#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <set>

#include "core/mtu/too_big_reply.hpp"
#include "core/packet/frame_summary.hpp"
#include "core/packet/ip_frame.hpp"
#include "core/packet/ipv6_packet.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;
using packet::Ipv6Address;
using packet::MacAddress;

namespace {

// The edge is 10.20.30.1 / fd00::1 on its TAP; a host behind it (bridged) is 10.20.30.5 /
// fd00::5 and sends to the peer 10.20.30.2 / fd00::2 across the overlay.
constexpr std::uint32_t kEdge = 0x0a141e01, kHost = 0x0a141e05, kPeer = 0x0a141e02;
const Ipv6Address kEdge6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const Ipv6Address kHost6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
const Ipv6Address kPeer6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
const MacAddress kEdgeMac{2, 0, 0, 0, 0, 1}, kHostMac{2, 0, 0, 0, 0, 5}, kPeerMac{2, 0, 0, 0, 0, 2};
const TooBigSource kSource{kEdgeMac, kEdge, 24, kEdge6};

ByteVector pattern(std::size_t n) {
  ByteVector v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return v;
}

// An IPv4 packet of `total` bytes; proto 17 gets a UDP header, others raw `l4_head` then filler.
ByteVector v4_packet(std::size_t total, bool df = true, std::uint8_t proto = 17,
                     std::uint32_t src = kHost, std::uint32_t dst = kPeer,
                     const ByteVector& l4_head = {}) {
  ByteVector l4;
  if (proto == 17) {
    l4 = packet::udp_datagram(src, dst, 40000, 5001, pattern(total - 28));
  } else {
    l4 = l4_head;
    const auto filler = pattern(total - 20 - l4.size());
    l4.insert(l4.end(), filler.begin(), filler.end());
  }
  return packet::ipv4_packet(proto, src, dst, l4, 61, df, 0x1234);
}

ByteVector v4_frame(std::size_t total, bool df = true, std::uint8_t proto = 17,
                    std::uint32_t src = kHost, std::uint32_t dst = kPeer,
                    const ByteVector& l4_head = {}) {
  return packet::ethernet_frame(kPeerMac, kHostMac, 0x0800,
                                v4_packet(total, df, proto, src, dst, l4_head));
}

ByteVector v6_frame(std::size_t total, std::uint8_t next = 17, const Ipv6Address& src = kHost6,
                    const Ipv6Address& dst = kPeer6, const ByteVector& head = {}) {
  ByteVector payload = head;
  const auto filler = pattern(total - 40 - head.size());
  payload.insert(payload.end(), filler.begin(), filler.end());
  return packet::ethernet_frame(kPeerMac, kHostMac, 0x86dd,
                                packet::ipv6_packet(next, src, dst, payload, 63));
}

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

struct Built {
  TooBigReply reply;
  ByteVector bytes;
};

Built build(ByteView frame, std::uint32_t mtu, const TooBigSource& source = kSource) {
  ByteVector out(kTooBigReplyMaxSize, 0x5a);
  const auto r = build_too_big_reply(frame, mtu, source, out);
  out.resize(r.size);
  return Built{r, out};
}

TooBigStatus status_of(ByteView frame, std::uint32_t mtu, const TooBigSource& source = kSource) {
  return build(frame, mtu, source).reply.status;
}

// Checks an IPv4 reply against the frame it answers; l2 is 14 + 4 per tag.
void check_v4_reply(const ByteVector& reply, const ByteVector& frame, std::size_t l2,
                    std::uint32_t mtu, std::uint32_t want_src) {
  const std::uint8_t* orig = frame.data() + l2;
  const std::size_t ihl = (orig[0] & 0x0fu) * 4u;
  REQUIRE(reply.size() == l2 + 20 + 8 + ihl + 8);
  CHECK(std::equal(reply.begin(), reply.begin() + 6, frame.begin() + 6));  // to the sender
  CHECK(std::equal(reply.begin() + 6, reply.begin() + 12, kEdgeMac.begin()));
  CHECK(std::equal(reply.begin() + 12, reply.begin() + static_cast<std::ptrdiff_t>(l2),
                   frame.begin() + 12));  // same tags and ethertype
  const std::uint8_t* ip = reply.data() + l2;
  CHECK(ip[0] == 0x45);
  CHECK(ip[1] == 0xc0);
  CHECK(load_be16(ip + 2) == 20 + 8 + ihl + 8);
  CHECK(load_be16(ip + 4) == load_be16(orig + 4));
  CHECK(load_be16(ip + 6) == 0);  // DF clear, no fragment
  CHECK(ip[8] == 64);
  CHECK(ip[9] == 1);
  CHECK(load_be32(ip + 12) == want_src);
  CHECK(load_be32(ip + 16) == load_be32(orig + 12));
  CHECK(packet::internet_checksum(ByteView{ip, 20}) == 0);
  const std::uint8_t* icmp = ip + 20;
  CHECK(icmp[0] == 3);
  CHECK(icmp[1] == 4);
  CHECK(load_be16(icmp + 4) == 0);
  CHECK(load_be16(icmp + 6) == mtu);
  CHECK(packet::internet_checksum(ByteView{icmp, 8 + ihl + 8}) == 0);
  CHECK(std::equal(icmp + 8, icmp + 8 + ihl + 8, orig));  // IP header and 8 bytes quoted

  if (l2 > 18) return;  // frame summaries read one tag only
  const auto s = packet::summarize_ethernet_frame(reply);
  CHECK(s["icmp_type"] == 3);
  CHECK(s["icmp_code"] == 4);
  CHECK_FALSE(s.contains("df"));
  CHECK_FALSE(s.contains("truncated"));
}

void check_v6_reply(const ByteVector& reply, const ByteVector& frame, std::size_t l2,
                    std::uint32_t mtu) {
  const std::uint8_t* orig = frame.data() + l2;
  const std::size_t orig_len = 40u + load_be16(orig + 4);
  const std::size_t quote = std::min<std::size_t>(orig_len, 1232);
  REQUIRE(reply.size() == l2 + 48 + quote);
  CHECK(reply.size() - l2 <= 1280);
  CHECK(std::equal(reply.begin(), reply.begin() + 6, frame.begin() + 6));
  CHECK(std::equal(reply.begin() + 6, reply.begin() + 12, kEdgeMac.begin()));
  CHECK(std::equal(reply.begin() + 12, reply.begin() + static_cast<std::ptrdiff_t>(l2),
                   frame.begin() + 12));
  const std::uint8_t* ip = reply.data() + l2;
  CHECK(load_be32(ip) == 0x60000000);
  CHECK(load_be16(ip + 4) == 8 + quote);
  CHECK(ip[6] == 58);
  CHECK(ip[7] == 64);
  CHECK(std::equal(ip + 8, ip + 24, kEdge6.begin()));
  CHECK(std::equal(ip + 24, ip + 40, orig + 8));
  const std::uint8_t* icmp = ip + 40;
  CHECK(icmp[0] == 2);
  CHECK(icmp[1] == 0);
  CHECK(load_be32(icmp + 4) == mtu);
  const auto pseudo = packet::ipv6_pseudo_header_sum(ip + 8, ip + 24, 58, 8 + quote);
  CHECK(packet::internet_checksum(ByteView{icmp, 8 + quote}, pseudo) == 0);
  CHECK(std::equal(icmp + 8, icmp + 8 + quote, orig));

  if (l2 > 18) return;  // frame summaries read one tag only
  const auto s = packet::summarize_ethernet_frame(reply);
  CHECK(s["proto_name"] == "ICMPv6");
  CHECK(s["icmp_type"] == 2);
  CHECK(s["ip_src"] == "fd00::1");
  CHECK_FALSE(s.contains("truncated"));
}

}  // namespace

TEST_CASE("too big reply: IPv4 fragmentation needed to a host behind the edge") {
  const auto frame = v4_frame(1400);
  const auto b = build(frame, 1290);
  REQUIRE(b.reply.built());
  check_v4_reply(b.bytes, frame, 14, 1290, kEdge);
  const auto s = packet::summarize_ethernet_frame(b.bytes);
  CHECK(s["ip_src"] == "10.20.30.1");
  CHECK(s["ip_dst"] == "10.20.30.5");
  CHECK(s["dst_mac"] == "02:00:00:00:00:05");
  CHECK(s["src_mac"] == "02:00:00:00:00:01");
}

TEST_CASE("too big reply: IPv4 packet from the edge's own address is answered from its peer") {
  // Linux drops an arriving packet from one of its own addresses as a martian source.
  const auto frame = v4_frame(1400, true, 17, kEdge, kPeer);
  const auto b = build(frame, 1290);
  REQUIRE(b.reply.built());
  check_v4_reply(b.bytes, frame, 14, 1290, kPeer);
  CHECK(load_be32(b.bytes.data() + 14 + 16) == kEdge);
}

TEST_CASE("too big reply: IPv4 header options are quoted with 8 bytes after them") {
  auto ip = v4_packet(1400);
  const ByteVector options = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00};
  ip.insert(ip.begin() + 20, options.begin(), options.end());
  ip[0] = 0x47;
  store_be16(ip.data() + 2, static_cast<std::uint16_t>(ip.size()));
  store_be16(ip.data() + 10, 0);
  store_be16(ip.data() + 10, packet::internet_checksum(ByteView{ip.data(), 28}));
  const auto frame = packet::ethernet_frame(kPeerMac, kHostMac, 0x0800, ip);
  const auto b = build(frame, 1300);
  REQUIRE(b.reply.built());
  CHECK(b.bytes.size() == 14 + 20 + 8 + 28 + 8);
  check_v4_reply(b.bytes, frame, 14, 1300, kEdge);
}

TEST_CASE("too big reply: VLAN tags preserved") {
  const auto one = tagged(v4_frame(1500), {0x81002064});
  auto b = build(one, 1400);
  REQUIRE(b.reply.built());
  check_v4_reply(b.bytes, one, 18, 1400, kEdge);
  CHECK(packet::summarize_ethernet_frame(b.bytes)["vlan"] == 100);

  const auto two = tagged(v6_frame(1500), {0x88a8000a, 0x810000c8});
  b = build(two, 1400);
  REQUIRE(b.reply.built());
  check_v6_reply(b.bytes, two, 22, 1400);
  CHECK(b.bytes.size() == 22 + 1280);
}

TEST_CASE("too big reply: IPv6 packet too big quotes up to 1280 bytes") {
  const auto frame = v6_frame(1500);
  const auto b = build(frame, 1420);
  REQUIRE(b.reply.built());
  CHECK(b.bytes.size() == 14 + 1280);
  check_v6_reply(b.bytes, frame, 14, 1420);

  // Just above the minimum MTU, and through extension headers.
  const ByteVector hbh = {60, 0, 1, 4, 0, 0, 0, 0};
  const ByteVector dest = {17, 0, 1, 4, 0, 0, 0, 0};
  const auto ext = v6_frame(1281, 0, kHost6, kPeer6, [&] {
    ByteVector h = hbh;
    h.insert(h.end(), dest.begin(), dest.end());
    return h;
  }());
  const auto e = build(ext, 1280);
  REQUIRE(e.reply.built());
  check_v6_reply(e.bytes, ext, 14, 1280);

  // Multicast destinations are answered (RFC 4443 §2.4(e.3), exception 2).
  Ipv6Address group{0xff, 0x0e};
  group[15] = 0x42;
  auto mcast = v6_frame(1500, 17, kHost6, group);
  mcast[0] = 0x33;  // a multicast MAC
  CHECK(status_of(mcast, 1400) == TooBigStatus::built);
}

TEST_CASE("too big reply: ICMP informational messages are answered, errors never") {
  const ByteVector echo = {8, 0, 0, 0, 0, 1, 0, 1};
  CHECK(status_of(v4_frame(1400, true, 1, kHost, kPeer, echo), 1300) == TooBigStatus::built);
  for (int t : {3, 4, 5, 11, 12, 9, 42}) {
    CAPTURE(t);
    const auto type = static_cast<std::uint8_t>(t);
    const ByteVector head = {type, 0, 0, 0, 0, 0, 0, 0};
    CHECK(status_of(v4_frame(1400, true, 1, kHost, kPeer, head), 1300) == TooBigStatus::icmp_error);
  }
  const ByteVector echo6 = {128, 0, 0, 0, 0, 1, 0, 1};
  CHECK(status_of(v6_frame(1400, 58, kHost6, kPeer6, echo6), 1300) == TooBigStatus::built);
  for (int t : {1, 2, 3, 4, 127, 137}) {
    CAPTURE(t);
    const auto type = static_cast<std::uint8_t>(t);
    const ByteVector head = {type, 0, 0, 0, 0, 0, 0, 0};
    CHECK(status_of(v6_frame(1400, 58, kHost6, kPeer6, head), 1300) == TooBigStatus::icmp_error);
  }
  // The ICMPv6 header found behind an extension header.
  const ByteVector hbh_then_error = {58, 0, 1, 4, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 5, 0};
  CHECK(status_of(v6_frame(1400, 0, kHost6, kPeer6, hbh_then_error), 1300) ==
        TooBigStatus::icmp_error);
}

TEST_CASE("too big reply: every refusal") {
  CHECK(status_of(packet::ethernet_frame(kPeerMac, kHostMac, 0x0806, pattern(28)), 100) ==
        TooBigStatus::not_ip);
  CHECK(status_of(ByteVector(10, 0), 100) == TooBigStatus::malformed);
  CHECK(status_of(v4_frame(1400), 1400) == TooBigStatus::fits);
  CHECK(status_of(v6_frame(1400), 1400) == TooBigStatus::fits);
  CHECK(status_of(v4_frame(1400), 0xffffffff) == TooBigStatus::fits);
  CHECK(status_of(v4_frame(1400, false), 1300) == TooBigStatus::df_clear);

  auto later = v4_frame(1400);
  store_be16(later.data() + 14 + 6, 0x40b9);  // DF, offset 185
  CHECK(status_of(later, 1300) == TooBigStatus::later_fragment);
  const ByteVector later6 = {17, 0, 0x05, 0x38, 0, 0, 0, 7};
  CHECK(status_of(v6_frame(1400, 44, kHost6, kPeer6, later6), 1300) ==
        TooBigStatus::later_fragment);
  const ByteVector first6 = {17, 0, 0x00, 0x01, 0, 0, 0, 7};
  CHECK(status_of(v6_frame(1400, 44, kHost6, kPeer6, first6), 1300) == TooBigStatus::built);

  for (std::uint32_t src :
       {0x00000001u, 0x7f000001u, 0xe0000001u, 0xffffffffu, 0xf0000001u, 0x0a141effu}) {
    CAPTURE(src);
    CHECK(status_of(v4_frame(1400, true, 17, src, kPeer), 1300) ==
          TooBigStatus::source_not_unicast);
  }
  // Without the prefix the subnet broadcast is not known.
  TooBigSource no_prefix = kSource;
  no_prefix.ipv4_prefix_length = 0;
  CHECK(status_of(v4_frame(1400, true, 17, 0x0a141eff, kPeer), 1300, no_prefix) ==
        TooBigStatus::built);
  for (const Ipv6Address& src :
       {Ipv6Address{}, Ipv6Address{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        Ipv6Address{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}) {
    CHECK(status_of(v6_frame(1400, 17, src), 1300) == TooBigStatus::source_not_unicast);
  }
  auto group_src = v4_frame(1400);
  group_src[6] |= 1;
  CHECK(status_of(group_src, 1300) == TooBigStatus::source_not_unicast);

  for (std::uint32_t dst : {0xe00000fbu, 0xffffffffu, 0x0a141effu}) {
    CAPTURE(dst);
    CHECK(status_of(v4_frame(1400, true, 17, kHost, dst), 1300) ==
          TooBigStatus::destination_not_unicast);
  }
  auto broadcast_mac = v4_frame(1400);
  std::fill(broadcast_mac.begin(), broadcast_mac.begin() + 6, 0xff);
  CHECK(status_of(broadcast_mac, 1300) == TooBigStatus::destination_not_unicast);

  TooBigSource none{kEdgeMac, std::nullopt, 0, std::nullopt};
  CHECK(status_of(v4_frame(1400), 1300, none) == TooBigStatus::no_source_address);
  CHECK(status_of(v6_frame(1400), 1300, none) == TooBigStatus::no_source_address);

  CHECK(status_of(v4_frame(1400), 67) == TooBigStatus::mtu_below_minimum);
  CHECK(status_of(v4_frame(1400), 68) == TooBigStatus::built);
  CHECK(status_of(v6_frame(1400), 1279) == TooBigStatus::mtu_below_minimum);
  CHECK(status_of(v6_frame(1400), 1280) == TooBigStatus::built);
}

TEST_CASE("too big reply: output buffer exactly large enough, or refused untouched") {
  for (const auto& frame : {v4_frame(1400), tagged(v6_frame(1400), {0x81000001})}) {
    ByteVector out(kTooBigReplyMaxSize);
    const auto r = build_too_big_reply(frame, 1300, kSource, out);
    REQUIRE(r.built());
    ByteVector exact(r.size, 0x5a);
    CHECK(build_too_big_reply(frame, 1300, kSource, exact).size == r.size);
    CHECK(std::equal(exact.begin(), exact.end(), out.begin()));
    ByteVector short_by_one(r.size - 1, 0x5a);
    const auto s = build_too_big_reply(frame, 1300, kSource, short_by_one);
    CHECK(s.status == TooBigStatus::output_too_small);
    CHECK(s.size == 0);
    CHECK(std::all_of(short_by_one.begin(), short_by_one.end(),
                      [](std::uint8_t b) { return b == 0x5a; }));
  }
}

TEST_CASE("too big reply: truncated and mutated frames are safe") {
  const std::vector<ByteVector> frames = {
      v4_frame(1400), tagged(v6_frame(1400), {0x88a80001, 0x81000002}),
      v6_frame(1400, 0, kHost6, kPeer6, {58, 0, 1, 4, 0, 0, 0, 0, 128, 0, 0, 0})};
  for (const auto& full : frames) {
    REQUIRE(status_of(full, 1300) == TooBigStatus::built);
    for (std::size_t n = 0; n < full.size(); ++n) {
      CAPTURE(n);
      const ByteVector prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      CHECK(status_of(prefix, 1300) == TooBigStatus::malformed);
    }
  }
  std::mt19937 rng(1191);
  std::size_t built = 0;
  for (int round = 0; round < 5000; ++round) {
    auto frame = frames[rng() % frames.size()];
    for (unsigned e = 0; e < 1 + rng() % 3; ++e) {
      frame[rng() % std::min<std::size_t>(frame.size(), 80)] = static_cast<std::uint8_t>(rng());
    }
    if (rng() % 4 == 0) frame.resize(rng() % (frame.size() + 1));
    const auto b = build(frame, 1200 + static_cast<std::uint32_t>(rng() % 300));
    if (!b.reply.built()) continue;
    ++built;
    // Whatever was answered parses back with good checksums.
    const auto f = packet::parse_ip_frame(b.bytes);
    REQUIRE(f.kind == packet::IpFrame::Kind::ip);
    const ByteView icmp{b.bytes.data() + f.l4_offset, f.ip_end - f.l4_offset};
    if (f.ip_version == 4) {
      CHECK(packet::internet_checksum(ByteView{b.bytes.data() + f.ip_offset, 20}) == 0);
      CHECK(packet::internet_checksum(icmp) == 0);
    } else {
      const std::uint8_t* ip = b.bytes.data() + f.ip_offset;
      CHECK(packet::internet_checksum(
                icmp, packet::ipv6_pseudo_header_sum(ip + 8, ip + 24, 58, icmp.size())) == 0);
    }
  }
  CHECK(built > 100);
}

TEST_CASE("too big reply: rate limit over simulated time") {
  TooBigRateLimit limit(10, 5);  // 10 a second, bursts of 5
  std::uint64_t t = 1'000'000;
  for (int i = 0; i < 5; ++i) CHECK(limit.allow(t));
  CHECK_FALSE(limit.allow(t));
  CHECK_FALSE(limit.allow(t + 99));
  CHECK(limit.allow(t + 100));  // one token per 100 ms
  CHECK_FALSE(limit.allow(t + 100));
  CHECK_FALSE(limit.allow(t + 199));
  CHECK(limit.allow(t + 200));

  // Over a simulated minute of one attempt per millisecond, ~10 a second get through.
  t += 1000;
  int allowed = 0;
  for (std::uint64_t ms = 0; ms < 60'000; ++ms) allowed += limit.allow(t + ms) ? 1 : 0;
  CHECK(allowed >= 600);
  CHECK(allowed <= 600 + 5);

  // A long silence refills the burst, and no more.
  t += 1'000'000'000;
  int burst = 0;
  while (limit.allow(t)) ++burst;
  CHECK(burst == 5);

  // A clock stepping back refills nothing until it has caught up.
  CHECK_FALSE(limit.allow(t - 10'000));
  CHECK_FALSE(limit.allow(t + 99));
  CHECK(limit.allow(t + 100));

  // The largest times do not overflow.
  TooBigRateLimit fast(std::numeric_limits<std::uint32_t>::max(), 3);
  CHECK(fast.allow(std::numeric_limits<std::uint64_t>::max()));
  CHECK(fast.allow(std::numeric_limits<std::uint64_t>::max()));
  CHECK(fast.allow(std::numeric_limits<std::uint64_t>::max()));
  CHECK_FALSE(fast.allow(std::numeric_limits<std::uint64_t>::max()));

  TooBigRateLimit once(0, 2);  // no refill: the initial burst only
  CHECK(once.allow(0));
  CHECK(once.allow(1'000'000));
  CHECK_FALSE(once.allow(2'000'000));
  TooBigRateLimit never(100, 0);
  CHECK_FALSE(never.allow(0));
  CHECK_FALSE(never.allow(1'000'000));
}

TEST_CASE("too big reply: status names are distinct") {
  std::set<std::string_view> names;
  for (int s = 0; s <= static_cast<int>(TooBigStatus::output_too_small); ++s) {
    names.insert(too_big_status_name(static_cast<TooBigStatus>(s)));
  }
  CHECK(names.size() == 12);
  CHECK(too_big_status_name(TooBigStatus::df_clear) == "df_clear");
}
