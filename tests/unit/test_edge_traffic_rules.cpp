// Edge -R traffic rules (spec §11.13): parsing with the reference's grammar, the most specific
// rule wins, unmatched and non-IPv4 traffic passes, and the engine drops and counts.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/edge/traffic_rules.hpp"
#include "core/packet/frame_builder.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::parse_traffic_rule;
using edge::TrafficFilter;
using edge::TrafficRule;

namespace {

TrafficRule rule(std::string_view text) {
  std::string error, warning;
  auto r = parse_traffic_rule(text, error, warning);
  REQUIRE_MESSAGE(r, error);
  return *r;
}

// An Ethernet + IPv4 frame with a transport header carrying the ports.
ByteVector ip_frame(std::uint8_t protocol, std::uint32_t src, std::uint32_t dst,
                    std::uint16_t sport, std::uint16_t dport) {
  ByteVector f(14 + 20 + 8, 0);
  f[12] = 0x08;
  f[14] = 0x45;
  f[14 + 9] = protocol;
  store_be32(f.data() + 14 + 12, src);
  store_be32(f.data() + 14 + 16, dst);
  store_be16(f.data() + 34, sport);
  store_be16(f.data() + 36, dport);
  return f;
}

constexpr std::uint8_t kTcp = 6, kUdp = 17, kIcmp = 1;

}  // namespace

TEST_CASE("traffic rules: the reference's grammar") {
  auto r = rule("10.0.0.0/8:[1000,2000],10.1.2.3:53,UDP+,TCP-");
  CHECK(r.src.net == ip4(10, 0, 0, 0));
  CHECK(r.src.prefix == 8);
  CHECK(r.src.first_port == 1000);
  CHECK(r.src.last_port == 2000);
  CHECK(r.dst.net == ip4(10, 1, 2, 3));
  CHECK(r.dst.prefix == 32);  // no /LEN: one address
  CHECK(r.dst.first_port == 53);
  CHECK(r.dst.last_port == 53);
  CHECK(r.udp == std::optional<bool>(true));
  CHECK(r.tcp == std::optional<bool>(false));
  CHECK_FALSE(r.icmp);
  r = rule("0.0.0.0/0,0.0.0.0/0,ICMP-");
  CHECK(r.src.first_port == 0);
  CHECK(r.dst.last_port == 65535);
}

TEST_CASE("traffic rules: malformed rules are refused with what was expected") {
  std::string error, warning;
  const char* bad[] = {"",
                       "10.0.0.0/8",
                       "10.0.0.0/33,0.0.0.0/0,TCP+",
                       "10.0.0/8,0.0.0.0/0,TCP+",
                       "1.2.3.4:99999,0.0.0.0/0,TCP+",
                       "1.2.3.4:[5,2],0.0.0.0/0,TCP+",
                       "1.2.3.4:[5,,0.0.0.0/0,TCP+",
                       "0.0.0.0/0,0.0.0.0/0,TCP",
                       "0.0.0.0/0,0.0.0.0/0,tcp+",
                       "0.0.0.0/0,0.0.0.0/0,TCP+x",
                       "0.0.0.0/0,0.0.0.0/0,TCP+,"};
  for (const char* text : bad) {
    CAPTURE(text);
    error.clear();
    CHECK_FALSE(parse_traffic_rule(text, error, warning));
    CHECK(error.find(std::string("'") + text + "'") == 0);
  }
}

TEST_CASE("traffic rules: rules that match nothing are accepted with a warning") {
  std::string error, warning;
  CHECK(parse_traffic_rule("10.0.0.0/8,10.1.0.0/16", error, warning));
  CHECK(warning.find("no protocol") != std::string::npos);
  warning.clear();
  CHECK(parse_traffic_rule("10.0.0.1/8,0.0.0.0/0,TCP-", error, warning));
  CHECK(warning.find("host bits") != std::string::npos);
}

TEST_CASE("traffic rules: the most specific rule wins, unmatched traffic passes") {
  const TrafficFilter f({rule("0.0.0.0/0,0.0.0.0/0,TCP-,UDP-,ICMP-"),
                         rule("0.0.0.0/0,10.20.30.1/32:22,TCP+"),
                         rule("10.20.30.0/24,0.0.0.0/0,UDP+")});
  const auto a = ip4(10, 20, 30, 2), b = ip4(10, 20, 30, 1), far = ip4(192, 0, 2, 7);
  CHECK(f.allows(ip_frame(kTcp, a, b, 40000, 22)));         // SSH to .1: /0 + /32 beats /0 + /0
  CHECK_FALSE(f.allows(ip_frame(kTcp, a, b, 40000, 80)));   // other TCP: the catch-all
  CHECK(f.allows(ip_frame(kUdp, a, far, 5000, 53)));        // UDP from the overlay subnet
  CHECK_FALSE(f.allows(ip_frame(kUdp, far, a, 53, 5000)));  // ... but not from elsewhere
  CHECK_FALSE(f.allows(ip_frame(kIcmp, a, b, 0, 0)));
  // ARP and IPv6 are never judged.
  ByteVector arp(60, 0);
  arp[12] = 0x08;
  arp[13] = 0x06;
  CHECK(f.allows(arp));
  ByteVector v6(80, 0);
  v6[12] = 0x86;
  v6[13] = 0xdd;
  CHECK(f.allows(v6));
  // A rule matches only the protocols it names: ICMP is not in the SSH rule.
  const TrafficFilter only_tcp({rule("0.0.0.0/0,0.0.0.0/0,TCP-")});
  CHECK(only_tcp.allows(ip_frame(kIcmp, a, b, 0, 0)));
  CHECK_FALSE(only_tcp.allows(ip_frame(kTcp, a, b, 1, 2)));
  // ICMP ignores ports.
  const TrafficFilter icmp({rule("0.0.0.0/0,0.0.0.0/0:7,ICMP-")});
  CHECK_FALSE(icmp.allows(ip_frame(kIcmp, a, b, 1234, 5678)));
}

TEST_CASE("traffic rules: a tie goes to the rule given first") {
  const TrafficFilter f({rule("10.0.0.0/8,0.0.0.0/0,TCP+"), rule("0.0.0.0/0,10.0.0.0/8,TCP-")});
  CHECK(f.allows(ip_frame(kTcp, ip4(10, 1, 1, 1), ip4(10, 2, 2, 2), 1, 2)));
  const TrafficFilter g({rule("0.0.0.0/0,10.0.0.0/8,TCP-"), rule("10.0.0.0/8,0.0.0.0/0,TCP+")});
  CHECK_FALSE(g.allows(ip_frame(kTcp, ip4(10, 1, 1, 1), ip4(10, 2, 2, 2), 1, 2)));
}

TEST_CASE("traffic rules: short and odd frames never crash and pass") {
  const TrafficFilter f({rule("0.0.0.0/0,0.0.0.0/0,TCP-,UDP-,ICMP-")});
  for (std::size_t n = 0; n < 40; ++n) {
    ByteVector frame = ip_frame(kTcp, 1, 2, 3, 4);
    frame.resize(n);
    (void)f.allows(frame);
  }
  auto frame = ip_frame(kTcp, 1, 2, 3, 4);
  frame[14] = 0x4f;  // a 60-byte IPv4 header in a 42-byte frame: ports not read
  CHECK_FALSE(f.allows(frame));
}

TEST_CASE("traffic rules: the engine drops and counts in both directions") {
  Network net;
  net.add_supernode(1);
  auto ca = static_edge(1);
  ca.rules = {rule("0.0.0.0/0,0.0.0.0/0,ICMP-")};
  const auto a = net.add_edge(1, ca);
  const auto b = net.add_edge(2, static_edge(2));
  net.start(a);
  net.start(b);
  const auto mac_a = net.edge(a).config().mac, mac_b = net.edge(b).config().mac;
  net.frame(a, ping_frame(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2)));
  CHECK(net.edge(a).counters().drops_of(Reason::traffic_rule) == 1);
  const auto ipv4_frames = [&](std::size_t node) {
    return std::count_if(
        net.nodes[node].tap.begin(), net.nodes[node].tap.end(),
        [](const ByteVector& f) { return f.size() > 14 && f[12] == 0x08 && f[13] == 0; });
  };
  CHECK(ipv4_frames(b) == 0);  // (the gratuitous ARPs pass)
  net.frame(b, ping_frame(mac_b, mac_a, ip4(10, 20, 30, 2), ip4(10, 20, 30, 1)));
  CHECK(net.edge(a).counters().drops_of(Reason::traffic_rule) == 2);
  CHECK(ipv4_frames(a) == 0);
}
