#pragma once
// Bytes n2n adds per packet (spec §15): the one source of truth for the edge, n2n-mtu, the
// TUI and every other tool that plans an MTU.
#include <cstddef>

#include "core/crypto/transform.hpp"

namespace n2nkit::mtu {

enum class Leg : std::uint8_t {
  direct,   // edge -> edge, or edge -> supernode: 38-byte PACKET header
  relayed,  // supernode -> edge / supernode: the sender's 8-byte sock is added (46)
};

enum class Underlay : std::uint8_t { ipv4, ipv6 };

struct PathConfig {
  crypto::TransformId transform = crypto::TransformId::null;
  // Header encryption and compression never add bytes (HE rewrites in place; compressed
  // payloads are used only when shorter). They are here so callers can state their whole
  // configuration and the answer documents that they cost nothing.
  bool header_encryption = false;
  bool compression = false;
  bool vlan_tagged = false;  // the overlay carries 802.1Q-tagged frames (+4 per frame)
  Underlay underlay = Underlay::ipv4;
};

std::size_t packet_header_bytes(Leg leg);             // 38 / 46
std::size_t transform_bytes(crypto::TransformId id);  // 0 null, 16 ciphers
std::size_t underlay_header_bytes(Underlay u);        // 28 IPv4+UDP, 48 IPv6+UDP

// UDP payload minus Ethernet frame.
std::size_t udp_payload_overhead(const PathConfig& c, Leg leg);
// Underlay IP datagram minus Ethernet frame.
std::size_t datagram_overhead_per_frame(const PathConfig& c, Leg leg);
// Underlay IP datagram minus the inner IP packet (Ethernet header, and 802.1Q tag, included).
std::size_t datagram_overhead_per_ip_packet(const PathConfig& c, Leg leg);

// Largest TAP MTU that never fragments on a path of `path_mtu` bytes. With relay_possible
// the relayed leg (the worst case) decides; otherwise the direct leg. 0 if nothing fits.
std::size_t tap_mtu_for_path(std::size_t path_mtu, const PathConfig& c, bool relay_possible = true);
// Smallest path MTU that carries full-size packets of a TAP MTU.
std::size_t path_mtu_needed(std::size_t tap_mtu, const PathConfig& c, bool relay_possible = true);

// TCP MSS inside the overlay: TAP MTU − 40 (IPv4) or − 60 (IPv6).
std::size_t tcp_mss_for_mtu(std::size_t mtu, bool ipv6);

// The reference's buffers bound the frame (§9.8): TAP MTU at most 1964 for Twofish/AES.
inline constexpr std::size_t kMaxTapMtu = 1964;

}  // namespace n2nkit::mtu
