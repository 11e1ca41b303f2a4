#pragma once
// The n2n v3 messages (spec §4) and their encoders and decoders.
//
// Decoding never reads past the buffer and never throws: it returns the reason for rejecting
// a datagram (§4.12). Trailing bytes after a fully decoded non-PACKET message are allowed
// (the user/password trailer, padded probes); Decoded::consumed says where the message ended.
//
// Optional socks: a message struct's optional<Sock> is present iff the SOCKET flag is set
// (decode), and the encoder writes it iff it is present, setting SOCKET in the flags it
// writes. REGISTER_SUPER_ACK and PEER_INFO's mandatory `sock` is always written.
//
// Decoding normalises the two fields whose unused bytes carry garbage in the reference's
// datagrams, so that decode(encode(decode(x))) == decode(x): the PEER_INFO version string is
// zeroed after its first NUL (§2.9), and an IPv4 sock's unused address bytes are zero.
#include <algorithm>
#include <variant>
#include <vector>

#include "core/common/result.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::wire {

struct Register {  // 1
  std::uint32_t cookie = 0;
  Mac src_mac{};
  Mac dst_mac{};
  std::optional<Sock> sock{};
  IpSubnet dev_addr{};
  Description desc{};
  bool operator==(const Register&) const = default;
};

struct Packet {  // 3
  Mac src_mac{};
  Mac dst_mac{};
  std::optional<Sock> sock{};
  std::uint8_t compression = 1;  // compression id (§9.7): comes first on the wire
  std::uint8_t transform = 1;    // transform id (§9.1)
  ByteView payload{};            // decode: a view into the datagram
  // Compares the payload bytes, not the views.
  bool operator==(const Packet& o) const {
    return src_mac == o.src_mac && dst_mac == o.dst_mac && sock == o.sock &&
           compression == o.compression && transform == o.transform &&
           std::ranges::equal(payload, o.payload);
  }
};

struct RegisterAck {  // 4
  std::uint32_t cookie = 0;
  Mac dst_mac{};  // first on the wire
  Mac src_mac{};
  std::optional<Sock> sock{};
  bool operator==(const RegisterAck&) const = default;
};

struct RegisterSuper {  // 5
  std::uint32_t cookie = 0;
  Mac edge_mac{};
  std::optional<Sock> sock{};
  IpSubnet dev_addr{};
  Description desc{};
  Auth auth{};
  std::uint32_t key_time = 0;
  bool operator==(const RegisterSuper&) const = default;
};

struct UnregisterSuper {  // 6
  Auth auth{};            // before the MAC
  Mac src_mac{};
  bool operator==(const UnregisterSuper&) const = default;
};

struct SupernodeEntry {
  // Raw in-memory struct of a little-endian reference: family byte (2 AF_INET, 10 AF_INET6),
  // pad, port little-endian, 16 address bytes, MAC (§4.6). Decoding reads family 2 as IPv4
  // and any other value as IPv6 (AF_INET is 2 everywhere, AF_INET6 differs between OSes).
  Sock sock{};
  Mac mac{};
  std::uint8_t raw_family = 2;  // as received; encoders derive it from sock.ipv6
  bool operator==(const SupernodeEntry&) const = default;
};

struct RegisterSuperAck {  // 7
  std::uint32_t cookie = 0;
  Mac src_mac{};  // the supernode's
  IpSubnet dev_addr{};
  std::uint16_t lifetime = 15;
  Sock sock{};  // mandatory
  Auth auth{};
  std::vector<SupernodeEntry> supernodes{};  // at most 44
  std::uint32_t key_time = 0;
  bool operator==(const RegisterSuperAck&) const = default;
};

struct RegisterSuperNak {  // 8
  std::uint32_t cookie = 0;
  Mac src_mac{};  // the rejected edge's MAC
  Auth auth{};
  bool operator==(const RegisterSuperNak&) const = default;
};

struct PeerInfo {  // 10
  std::uint16_t aflags = 0;
  Mac src_mac{};
  Mac mac{};    // null = PONG
  Sock sock{};  // mandatory
  std::optional<Sock> preferred_sock{};
  std::uint32_t load = 0;
  std::uint32_t uptime = 0;
  std::array<std::uint8_t, kVersionStringSize> version{};  // NUL-terminated text
  bool is_pong() const { return mac == kNullMac; }
  bool operator==(const PeerInfo&) const = default;
};

struct QueryPeer {  // 11
  Mac src_mac{};
  Mac target_mac{};  // null = PING
  std::uint16_t aflags = 0;
  bool is_ping() const { return target_mac == kNullMac; }
  bool operator==(const QueryPeer&) const = default;
};

struct ReRegisterSuper {  // 12: common header only
  bool operator==(const ReRegisterSuper&) const = default;
};

using Message =
    std::variant<Register, Packet, RegisterAck, RegisterSuper, UnregisterSuper, RegisterSuperAck,
                 RegisterSuperNak, PeerInfo, QueryPeer, ReRegisterSuper>;

MsgType message_type(const Message& m);

struct Decoded {
  CommonHeader header;
  Message message;
  std::size_t consumed = 0;  // bytes of the datagram the message occupies (PACKET: all)
};

// Common header alone (version checked, type in range 0..31 kept raw in header.type).
Result<CommonHeader> decode_common_header(ByteView datagram);
Result<Decoded> decode(ByteView datagram);

// Encodes header + message into out; the type comes from the message, the SOCKET flag from
// the message's optional socks (kept as given in header.flags otherwise); type bits in
// header.flags are ignored. Returns the size, or token_too_large (auth size > 48),
// too_many_supernodes (> 44 entries), buffer_too_small.
Result<std::size_t> encode(const CommonHeader& header, const Message& message, MutableByteView out);
// Empty when encode() fails.
ByteVector encode_to_vector(const CommonHeader& header, const Message& message);

// PACKET header length: 38, or 46 with an IPv4 sock (58 with IPv6).
std::size_t packet_header_size(const std::optional<Sock>& sock);

}  // namespace n2nkit::wire
