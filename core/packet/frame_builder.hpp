#pragma once
// Builds Ethernet, IPv4, UDP, ICMP and TCP packets with correct checksums: for the demo
// capture, tests, and probes that must look like real traffic.
#include <array>
#include <optional>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

using MacAddress = std::array<std::uint8_t, 6>;

// RFC 1071 one's-complement sum, folded and inverted; `initial` carries a pseudo-header sum.
std::uint16_t internet_checksum(ByteView data, std::uint32_t initial = 0);

ByteVector ethernet_frame(const MacAddress& dst, const MacAddress& src, std::uint16_t ethertype,
                          ByteView payload);
// Addresses in host order. DF set when dont_fragment.
ByteVector ipv4_packet(std::uint8_t proto, std::uint32_t src, std::uint32_t dst, ByteView l4,
                       std::uint8_t ttl = 64, bool dont_fragment = true, std::uint16_t id = 0);
ByteVector udp_datagram(std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                        std::uint16_t dport, ByteView payload);
ByteVector icmp_echo(bool request, std::uint16_t id, std::uint16_t seq, ByteView data);
ByteVector tcp_segment(std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                       std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
                       std::uint8_t flags, std::optional<std::uint16_t> mss,
                       std::uint16_t window = 64240);
// ARP for IPv4 over Ethernet (op 1 request, 2 reply), the 28-byte body.
ByteVector arp_body(std::uint16_t op, const MacAddress& sender_mac, std::uint32_t sender_ip,
                    const MacAddress& target_mac, std::uint32_t target_ip);

// A whole Ethernet/IPv4/UDP frame as a capture on the underlay would show it.
ByteVector udp_over_ethernet(const MacAddress& dst_mac, const MacAddress& src_mac,
                             std::uint32_t src, std::uint16_t sport, std::uint32_t dst,
                             std::uint16_t dport, ByteView payload);

}  // namespace n2nkit::packet
