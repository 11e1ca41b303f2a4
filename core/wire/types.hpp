#pragma once
// Primitive n2n v3 field types (spec §2) and the common header (§3).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/bytes.hpp"

namespace n2nkit::wire {

inline constexpr std::uint8_t kProtocolVersion = 3;
inline constexpr std::uint8_t kDefaultTtl = 2;
inline constexpr std::size_t kCommonHeaderSize = 24;
inline constexpr std::size_t kCommunitySize = 20;
inline constexpr std::size_t kDescriptionSize = 16;
inline constexpr std::size_t kMaxAuthToken = 48;
inline constexpr std::size_t kMaxSupernodeEntries = 44;
inline constexpr std::size_t kSupernodeEntrySize = 26;
inline constexpr std::size_t kMaxDatagram = 2048;
inline constexpr std::size_t kVersionStringSize = 20;

// Bits of the BE16 at offset 2 (besides the 5-bit type).
inline constexpr std::uint16_t kTypeMask = 0x001f;
inline constexpr std::uint16_t kFlagFromSupernode = 0x0020;
inline constexpr std::uint16_t kFlagSocket = 0x0040;
inline constexpr std::uint16_t kFlagOptions = 0x0080;

enum class MsgType : std::uint8_t {
  ping = 0,  // unused by the reference
  register_ = 1,
  deregister = 2,  // unused
  packet = 3,
  register_ack = 4,
  register_super = 5,
  unregister_super = 6,
  register_super_ack = 7,
  register_super_nak = 8,
  federation = 9,  // unused
  peer_info = 10,
  query_peer = 11,
  re_register_super = 12,
};

// The spec's names: "REGISTER", "PACKET", "REGISTER_SUPER_ACK", ...; "TYPE_<n>" otherwise.
std::string msg_type_name(std::uint8_t code);
inline std::string msg_type_name(MsgType t) {
  return msg_type_name(static_cast<std::uint8_t>(t));
}

using Mac = std::array<std::uint8_t, 6>;
inline constexpr Mac kNullMac{};
inline constexpr Mac kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
// Broadcast, IPv4 multicast (01:00:5E, top bit of byte 3 clear) or IPv6 multicast (33:33).
bool is_multicast_or_broadcast(const Mac& mac);
std::string mac_to_string(const Mac& mac);  // "02:20:30:00:00:01", lower case
std::optional<Mac> parse_mac(std::string_view text);

// 20 bytes, NUL-padded, at most 19 significant.
using Community = std::array<std::uint8_t, kCommunitySize>;
// Truncates to 19 bytes.
Community make_community(std::string_view name);
std::string community_to_string(const Community& c);  // up to the first NUL

using Description = std::array<std::uint8_t, kDescriptionSize>;
Description make_description(std::string_view text);  // truncates to 15 bytes
std::string description_to_string(const Description& d);

// UDP socket address; the reference only produces IPv4 (8 bytes on the wire).
struct Sock {
  bool ipv6 = false;
  std::uint16_t port = 0;
  std::array<std::uint8_t, 16> addr{};  // IPv4 in the first 4 bytes, network order

  static Sock ipv4(std::uint32_t host_order_addr, std::uint16_t port);
  std::uint32_t ipv4_host_order() const { return load_be32(addr.data()); }
  std::size_t wire_size() const { return ipv6 ? 20 : 8; }
  bool operator==(const Sock&) const = default;
};
std::string sock_to_string(const Sock& s);  // "a.b.c.d:port" or "[v6]:port"

// IPv4 address and prefix length ("dev_addr"); all zero = none.
struct IpSubnet {
  std::uint32_t addr = 0;  // host order
  std::uint8_t prefix = 0;
  bool operator==(const IpSubnet&) const = default;
};
std::string subnet_to_string(const IpSubnet& s);  // "10.20.30.1/24"

struct Auth {
  std::uint16_t scheme = 0;  // 0 none, 1 simple id, 2 user/password
  std::uint16_t size = 0;    // <= 48
  std::array<std::uint8_t, kMaxAuthToken> token{};
  ByteView token_view() const { return {token.data(), size}; }
  bool operator==(const Auth&) const = default;
};

struct CommonHeader {
  std::uint8_t version = kProtocolVersion;
  std::uint8_t ttl = kDefaultTtl;
  // The whole BE16 minus the type bits (FROM_SUPERNODE, SOCKET, ... and unknown high bits).
  std::uint16_t flags = 0;
  MsgType type = MsgType::packet;
  Community community{};
  bool operator==(const CommonHeader&) const = default;
};

}  // namespace n2nkit::wire
