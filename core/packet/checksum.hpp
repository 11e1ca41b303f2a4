#pragma once
// Checksum arithmetic beyond the RFC 1071 sum of frame_builder.hpp: the pseudo-header sums of
// TCP, UDP and ICMPv6, and the incremental update of RFC 1624 that changes one 16-bit word of a
// packet without summing the packet again (the MSS clamp runs on every SYN the edge forwards).
#include <array>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

using Ipv6Address = std::array<std::uint8_t, 16>;

// Pass as the `initial` of internet_checksum(). Addresses in host order; length is the
// upper-layer packet's (header and data).
std::uint32_t ipv4_pseudo_header_sum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                     std::size_t length);
// RFC 8200 §8.1. Addresses are 16 bytes each, as they sit in the IPv6 header.
std::uint32_t ipv6_pseudo_header_sum(const std::uint8_t* src, const std::uint8_t* dst,
                                     std::uint8_t next_header, std::size_t length);

// RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'): the checksum after one word changed from m to m'.
// It gives what a full recomputation gives; RFC 1141's HC + m + ~m' can differ from that in the
// one's complement ±0 case. The word must sit at an even offset from the start of
// the summed data; for one at an odd offset pass both values byte-swapped (one's complement
// sums commute with byte swapping, RFC 1071 §2(B)).
constexpr std::uint16_t checksum_update(std::uint16_t checksum, std::uint16_t old_word,
                                        std::uint16_t new_word) {
  std::uint32_t sum = std::uint32_t{static_cast<std::uint16_t>(~checksum)} +
                      std::uint32_t{static_cast<std::uint16_t>(~old_word)} + new_word;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

constexpr std::uint16_t byte_swap16(std::uint16_t v) {
  return static_cast<std::uint16_t>((v << 8) | (v >> 8));
}

}  // namespace n2nkit::packet
