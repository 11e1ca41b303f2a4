#include <doctest/doctest.h>

#include "core/packet/frame_builder.hpp"
#include "core/packet/frame_summary.hpp"
#include "core/packet/tcp_header.hpp"
#include "core/packet/udp_datagram.hpp"

using namespace n2nkit;
using namespace n2nkit::packet;

namespace {
constexpr std::uint32_t kA = 0xc0000201, kB = 0xcb00710a;  // 192.0.2.1, 203.0.113.10
const MacAddress kMacA{2, 0, 0, 0, 0, 1}, kMacB{2, 0, 0, 0, 0, 2};
}  // namespace

TEST_CASE("internet checksum: RFC 1071 example and odd lengths") {
  const std::uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(internet_checksum(data) == static_cast<std::uint16_t>(~0xddf2));
  const std::uint8_t odd[] = {0x01};
  CHECK(internet_checksum(odd) == static_cast<std::uint16_t>(~0x0100));
  // A built IPv4 header sums to zero.
  const auto ip = ipv4_packet(17, kA, kB, {});
  CHECK(internet_checksum(ByteView{ip.data(), 20}) == 0);
}

TEST_CASE("UDP datagram found in Ethernet, VLAN, cooked and raw frames") {
  const std::string msg = "hello";
  const auto eth = udp_over_ethernet(kMacB, kMacA, kA, 50001, kB, 7654, as_bytes(msg));
  auto d = find_udp_datagram(1, eth);
  REQUIRE(d);
  CHECK(endpoint_to_string(d->src) == "192.0.2.1:50001");
  CHECK(endpoint_to_string(d->dst) == "203.0.113.10:7654");
  CHECK(std::string(d->payload.begin(), d->payload.end()) == msg);

  // 802.1Q tag inserted after the MACs.
  ByteVector tagged(eth.begin(), eth.begin() + 12);
  tagged.insert(tagged.end(), {0x81, 0x00, 0x00, 0x05});
  tagged.insert(tagged.end(), eth.begin() + 12, eth.end());
  CHECK(find_udp_datagram(1, tagged));

  // Raw IP (DLT_RAW) and Linux cooked v1.
  const ByteVector ip(eth.begin() + 14, eth.end());
  CHECK(find_udp_datagram(12, ip));
  ByteVector sll(16, 0);
  sll[14] = 0x08;
  sll.insert(sll.end(), ip.begin(), ip.end());
  CHECK(find_udp_datagram(113, sll));
  CHECK(find_udp_datagram(999, ip).error() == Reason::not_ip_udp);
}

TEST_CASE("UDP extraction rejects truncation, fragments and other protocols") {
  const auto eth = udp_over_ethernet(kMacB, kMacA, kA, 1, kB, 2, as_bytes("payload"));
  for (std::size_t n = 0; n < eth.size(); ++n) {
    auto r = find_udp_datagram(1, ByteView{eth.data(), n});
    CHECK_FALSE(r);
  }
  auto frag = eth;
  frag[14 + 6] = 0x20;  // more fragments
  CHECK(find_udp_datagram(1, frag).error() == Reason::ip_fragment);
  auto tcp = eth;
  tcp[14 + 9] = 6;
  CHECK(find_udp_datagram(1, tcp).error() == Reason::not_ip_udp);
  auto arp = eth;
  arp[12] = 0x08;
  arp[13] = 0x06;
  CHECK(find_udp_datagram(1, arp).error() == Reason::not_ip_udp);
}

TEST_CASE("IPv6 UDP with a hop-by-hop header") {
  ByteVector ip(40, 0);
  ip[0] = 0x60;
  ip[6] = 0;  // hop-by-hop
  ip[8] = 0xfe;
  ip[9] = 0x80;
  ip[39] = 2;
  ByteVector hbh = {17, 0, 1, 4, 0, 0, 0, 0};  // next UDP, 8 bytes
  ByteVector udp = {0x1f, 0x90, 0x1d, 0xe6, 0, 10, 0, 0, 'h', 'i'};
  ip.insert(ip.end(), hbh.begin(), hbh.end());
  ip.insert(ip.end(), udp.begin(), udp.end());
  store_be16(ip.data() + 4, static_cast<std::uint16_t>(hbh.size() + udp.size()));
  auto d = udp_from_ip(ip);
  REQUIRE(d);
  CHECK(endpoint_to_string(d->src) == "[fe80::]:8080");
  CHECK(endpoint_to_string(d->dst) == "[::2]:7654");
  CHECK(d->payload.size() == 2);
}

TEST_CASE("TCP MSS option: found, absent, malformed") {
  const auto syn = tcp_segment(kA, kB, 1234, 22, 1, 0, kTcpSyn, 1460);
  CHECK(tcp_mss_option(syn) == 1460);
  CHECK_FALSE(tcp_mss_option(tcp_segment(kA, kB, 1, 2, 1, 0, kTcpSyn, std::nullopt)));
  auto bad = syn;
  bad[21] = 40;  // option length past the header
  CHECK_FALSE(tcp_mss_option(bad));
  bad[21] = 0;  // zero length must not loop forever
  CHECK_FALSE(tcp_mss_option(bad));
  CHECK(tcp_flags_to_string(kTcpSyn | kTcpAck) == "SYN,ACK");
}

TEST_CASE("frame summaries: ARP, ICMP echo, TCP SYN") {
  const auto arp = ethernet_frame(
      {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, kMacA, 0x0806,
      arp_body(2, kMacA, 0x0a141e01, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x0a141e01));
  const auto a = summarize_ethernet_frame(arp);
  CHECK(a["ethertype"] == "0x0806");
  CHECK(a["arp"]["op"] == "reply");
  CHECK(a["arp"]["sender_ip"] == "10.20.30.1");
  CHECK(describe_ethernet_frame(a) == "gratuitous ARP 10.20.30.1 is-at 02:00:00:00:00:01");

  const ByteVector data(100, 0x6e);
  const auto ping =
      ethernet_frame(kMacB, kMacA, 0x0800, ipv4_packet(1, kA, kB, icmp_echo(true, 7, 3, data)));
  const auto p = summarize_ethernet_frame(ping);
  CHECK(p["len"] == 142);
  CHECK(p["icmp_seq"] == 3);
  CHECK(p["icmp_data_len"] == 100);
  CHECK(describe_ethernet_frame(p) == "ICMP echo request 192.0.2.1 > 203.0.113.10 id 7 seq 3");

  const auto syn =
      ethernet_frame(kMacB, kMacA, 0x0800,
                     ipv4_packet(6, kA, kB, tcp_segment(kA, kB, 5000, 22, 1, 0, kTcpSyn, 1460)));
  const auto s = summarize_ethernet_frame(syn);
  CHECK(s["mss"] == 1460);
  CHECK(describe_ethernet_frame(s) == "TCP 192.0.2.1:5000 > 203.0.113.10:22 [SYN] mss 1460");
  // Every truncation is summarised without reading past the end.
  for (std::size_t n = 0; n < syn.size(); ++n) {
    const auto t = summarize_ethernet_frame(ByteView{syn.data(), n});
    CHECK(t["len"] == n);
    (void)describe_ethernet_frame(t);
  }
}
