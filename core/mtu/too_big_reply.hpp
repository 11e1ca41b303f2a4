#pragma once
// The ICMP an L2 edge writes back into its TAP when a frame is too big for the path to its peer:
// IPv4 "fragmentation needed" (RFC 792, RFC 1191) or IPv6 "packet too big" (RFC 4443), so that
// the sender lowers its path MTU instead of losing the packet in a black hole. Pure: the edge
// decides when to send (TooBigRateLimit) and writes the bytes.
#include <optional>
#include <string_view>

#include "core/packet/checksum.hpp"
#include "core/packet/frame_builder.hpp"

namespace n2nkit::mtu {

struct TooBigSource {
  packet::MacAddress mac{};           // the edge's TAP MAC: the reply's Ethernet source
  std::optional<std::uint32_t> ipv4;  // the edge's overlay IPv4 address, host order
  // The overlay's prefix length, so that its broadcast address is never answered; 0 = unknown.
  std::uint8_t ipv4_prefix_length = 0;
  std::optional<packet::Ipv6Address> ipv6;  // the edge's overlay IPv6 address
};

enum class TooBigStatus : std::uint8_t {
  built,
  not_ip,
  malformed,                // Ethernet, VLAN, IP or ICMP header cut short or inconsistent
  fits,                     // the IP packet is not larger than the MTU
  df_clear,                 // IPv4 without DF: the sender lets the path fragment it
  later_fragment,           // not the first fragment: its upper layer cannot be checked
  icmp_error,               // never an ICMP error about an ICMP error (RFC 1122, RFC 4443)
  source_not_unicast,       // source address or MAC names no single host
  destination_not_unicast,  // IPv4 to a broadcast or multicast address or MAC (RFC 1122)
  no_source_address,        // the edge has no overlay address of the packet's family
  mtu_below_minimum,        // below 68 (IPv4, RFC 791) or 1280 (IPv6, RFC 8200)
  output_too_small,
};

// Stable short names for counters and JSON ("df_clear").
std::string_view too_big_status_name(TooBigStatus status);

struct TooBigReply {
  TooBigStatus status = TooBigStatus::malformed;
  std::size_t size = 0;  // built: bytes written at the start of `out`
  bool built() const { return status == TooBigStatus::built; }
};

// Ethernet, two VLAN tags and a 1280-byte IPv6 packet; IPv4 replies are at most 118 bytes.
inline constexpr std::size_t kTooBigReplyMaxSize = 14 + 8 + 1280;

// `frame` is the Ethernet frame as read from the TAP; `mtu` is the largest IP packet (Ethernet
// header and tags not counted) the path to the peer carries, the value the reply announces.
// The reply goes to the frame's source MAC from the edge's MAC, with the frame's VLAN tags.
//
// IPv4: only for DF packets larger than mtu; TTL 64, DF clear, precedence "internetwork
// control" (RFC 1812 §4.3.2.5), quoting the IP header and 8 bytes of payload (RFC 792). Sourced
// from the edge's address, except when the packet itself came from that address (its host sent
// it through the TAP): Linux drops an arriving packet whose source is one of its own addresses
// as a martian, so the reply then comes from the packet's destination, as Linux's own PMTU
// replies for bridged tunnels always do (iptunnel_pmtud_build_icmp).
// IPv6: hop limit 64, sourced from the edge's address (Linux accepts it even when it is its
// own), quoting as much of the packet as fits in 1280 bytes (RFC 4443 §2.4(c)); packets to
// multicast destinations are answered (RFC 4443 §2.4(e.3), exception 2).
TooBigReply build_too_big_reply(ByteView frame, std::uint32_t mtu, const TooBigSource& source,
                                MutableByteView out);

// A token bucket: `per_second` replies a second on average, up to `burst` at once after a
// quiet spell; it starts full. Time is the caller's monotonic clock in milliseconds; a clock
// that steps back refills nothing until it has caught up.
class TooBigRateLimit {
 public:
  TooBigRateLimit(std::uint32_t per_second, std::uint32_t burst);

  // True, spending a token, when a reply may go out at now_ms.
  bool allow(std::uint64_t now_ms);

 private:
  // In thousandths of a token, so that refilling per millisecond needs no division.
  std::uint64_t rate_;      // thousandths per millisecond = tokens per second
  std::uint64_t capacity_;  // burst × 1000
  std::uint64_t tokens_;
  std::uint64_t last_ms_ = 0;
};

}  // namespace n2nkit::mtu
