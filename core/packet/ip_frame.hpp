#pragma once
// Where the IP packet and its upper-layer header sit in an Ethernet frame read from a TAP:
// Ethernet II with up to two 802.1Q/802.1ad tags, IPv4 (with options) or IPv6 (with extension
// headers). The MSS clamp and the ICMP "too big" reply share it; it never reads past the frame
// and reports which layer was cut short or inconsistent, so that callers can count it.
#include <array>
#include <string_view>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // 802.1Q
inline constexpr std::uint16_t kEtherTypeQinQ = 0x88a8;  // 802.1ad service tag

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;

// The layer of a frame that a parser found cut short or invalid. TCP and ICMP are here so that
// the parsers above this one (core/mss, core/mtu) report in the same terms.
enum class FrameLayer : std::uint8_t {
  none,
  ethernet,
  vlan,
  ipv4,
  ipv6,
  ipv6_extension,
  tcp,
  tcp_options,
  icmp,
};

enum class FrameDefect : std::uint8_t {
  none,
  truncated,    // the frame ends before the layer's header, or before the length it states
  invalid,      // a field contradicts the format: version, header length, option length
  unsupported,  // well formed, but deeper than parsed here: a third VLAN tag
};

// Stable short names for counters and JSON: "ipv6_extension", "truncated".
std::string_view frame_layer_name(FrameLayer layer);
std::string_view frame_defect_name(FrameDefect defect);

struct VlanTags {
  std::uint8_t count = 0;              // 0, 1 or 2
  std::array<std::uint16_t, 2> tci{};  // outer tag first; the VLAN id is tci & 0x0fff
};

struct IpFrame {
  enum class Kind : std::uint8_t { ip, not_ip, malformed };
  Kind kind = Kind::malformed;
  FrameLayer bad_layer = FrameLayer::none;  // malformed: which layer
  FrameDefect defect = FrameDefect::none;
  VlanTags vlan;
  std::uint16_t ethertype = 0;  // after the tags
  std::uint8_t ip_version = 0;  // 4 or 6
  std::size_t ip_offset = 0;    // IP header: 14 + 4 per tag
  std::size_t ip_end = 0;       // end of the IP packet by its own length (Ethernet padding cut)
  std::size_t l4_offset = 0;    // upper-layer header, after IPv4 options or IPv6 extensions
  // IPv4 protocol, or the IPv6 next header that ended the walk (6 TCP, 58 ICMPv6, 50 ESP,
  // 59 no next header, or one this walk does not know).
  std::uint8_t protocol = 0;
  // Fragment offset ≠ 0: the bytes at l4_offset are the middle of an upper-layer packet.
  bool later_fragment = false;
};

// Extension headers walked: hop-by-hop (0), routing (43), fragment (44), destination options
// (60), authentication (51). The walk stops at any other next header.
IpFrame parse_ip_frame(ByteView frame);

}  // namespace n2nkit::packet
