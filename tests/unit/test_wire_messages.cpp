// Round trips of every message, truncation at every length, trailing bytes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/wire/messages.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("wire");

namespace {

struct Sample {
  std::string name;
  CommonHeader header;
  Message message;
};

Sock v4_sock() {
  return Sock::ipv4(0xc613000b, 50001);
}

Sock v6_sock() {
  Sock s;
  s.ipv6 = true;
  s.port = 7654;
  s.addr = {0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  return s;
}

Auth auth_of_size(std::uint16_t scheme, std::uint16_t size) {
  Auth a;
  a.scheme = scheme;
  a.size = size;
  for (std::uint16_t i = 0; i < size; ++i) a.token[i] = static_cast<std::uint8_t>(0xa0 + i);
  return a;
}

CommonHeader header_with(std::uint16_t flags) {
  CommonHeader h;
  h.ttl = 2;
  h.flags = flags;
  h.community = make_community("n2nkit-testvector");
  return h;
}

const std::array<std::uint8_t, 42> kPayload = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x20,
                                               0x30, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x01};

std::vector<Sample> samples() {
  std::vector<Sample> out;
  const Mac a{0x02, 0x20, 0x30, 0x00, 0x00, 0x01};
  const Mac b{0x02, 0x20, 0x30, 0x00, 0x00, 0x02};
  const Mac sn{0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};

  for (const auto& sock :
       {std::optional<Sock>{}, std::optional<Sock>{v4_sock()}, std::optional<Sock>{v6_sock()}}) {
    const std::string suffix = !sock ? "" : sock->ipv6 ? " +v6 sock" : " +v4 sock";
    const CommonHeader h = header_with(sock ? kFlagFromSupernode | kFlagSocket : 0);
    out.push_back({"REGISTER" + suffix, h,
                   Register{0x1000, a, b, sock, {0x0a141e01, 24}, make_description("edge-a")}});
    out.push_back({"PACKET" + suffix, h, Packet{a, kBroadcastMac, sock, 2, 3, kPayload}});
    out.push_back({"PACKET empty payload" + suffix, h, Packet{a, b, sock, 1, 1, {}}});
    out.push_back({"REGISTER_ACK" + suffix, h, RegisterAck{0x1000, b, a, sock}});
    out.push_back({"REGISTER_SUPER" + suffix, h,
                   RegisterSuper{0x0bb961f3,
                                 a,
                                 sock,
                                 {0x0a141e01, 24},
                                 make_description("edge-a"),
                                 auth_of_size(1, 16),
                                 0}});
    PeerInfo info{0, sn, b, v4_sock(), sock, 0, 0, {}};
    out.push_back({"PEER_INFO" + suffix, h, info});
  }
  out.push_back({"REGISTER_SUPER no auth", header_with(0),
                 RegisterSuper{1, {}, {}, {}, {}, auth_of_size(0, 0), 600}});
  out.push_back(
      {"REGISTER_SUPER 48-byte token", header_with(0),
       RegisterSuper{2, a, {}, {}, make_description("alice"), auth_of_size(2, 48), 0x6b061fc1}});
  out.push_back({"UNREGISTER_SUPER", header_with(0), UnregisterSuper{auth_of_size(1, 16), a}});
  out.push_back(
      {"UNREGISTER_SUPER 48-byte token", header_with(0), UnregisterSuper{auth_of_size(2, 48), a}});
  out.push_back({"UNREGISTER_SUPER no token", header_with(0), UnregisterSuper{{}, a}});

  const CommonHeader from_sn = header_with(kFlagFromSupernode | kFlagSocket);
  out.push_back({"REGISTER_SUPER_ACK", from_sn,
                 RegisterSuperAck{0x2b093380, sn, {}, 15, v4_sock(), {}, {}, 0}});
  RegisterSuperAck ack{0x33207a0a,          sn, {0x0a141e63, 24}, 15, v6_sock(),
                       auth_of_size(2, 48), {}, 0x6b061fc1};
  ack.supernodes.push_back({Sock::ipv4(0xc6130002, 7655), {2, 0x53, 0x4e, 0, 0, 2}, 2});
  ack.supernodes.push_back({v6_sock(), {2, 0x53, 0x4e, 0, 0, 3}, 10});
  out.push_back({"REGISTER_SUPER_ACK v6 sock, token, 2 entries", from_sn, ack});
  RegisterSuperAck full{7, sn, {}, 15, v4_sock(), {}, {}, 0};
  for (std::uint32_t i = 0; i < kMaxSupernodeEntries; ++i) {
    full.supernodes.push_back({Sock::ipv4(0xc6130000 + i, static_cast<std::uint16_t>(7000 + i)),
                               {2, 0, 0, 0, 0, static_cast<std::uint8_t>(i)},
                               2});
  }
  out.push_back({"REGISTER_SUPER_ACK 44 entries", from_sn, full});
  out.push_back({"REGISTER_SUPER_ACK without SOCKET flag", header_with(kFlagFromSupernode),
                 RegisterSuperAck{9, sn, {}, 15, v4_sock(), {}, {}, 0}});

  out.push_back(
      {"REGISTER_SUPER_NAK", from_sn, RegisterSuperNak{0xfa3b5c73, a, auth_of_size(0, 0)}});
  out.push_back({"REGISTER_SUPER_NAK with token", header_with(kFlagFromSupernode),
                 RegisterSuperNak{1, a, auth_of_size(2, 48)}});

  PeerInfo pong{0, sn, kNullMac, v4_sock(), {}, 0, 7, {}};
  pong.version = {'3', '.', '1', '.', '1'};
  out.push_back({"PEER_INFO pong", header_with(kFlagFromSupernode), pong});
  PeerInfo long_version = pong;
  long_version.version.fill('v');  // 20 significant bytes, no NUL
  long_version.aflags = 0xffff;
  out.push_back({"PEER_INFO 20-byte version", header_with(kFlagFromSupernode), long_version});

  out.push_back({"QUERY_PEER", header_with(0), QueryPeer{a, b, 0}});
  out.push_back({"QUERY_PEER ping", header_with(kFlagFromSupernode), QueryPeer{a, kNullMac, 7}});
  out.push_back({"RE_REGISTER_SUPER", header_with(kFlagFromSupernode), ReRegisterSuper{}});
  return out;
}

bool has_optional_sock(const Message& m) {
  return std::visit(
      [](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, PeerInfo>) {
          return msg.preferred_sock.has_value();
        } else if constexpr (requires { msg.sock.has_value(); }) {
          return msg.sock.has_value();
        } else {
          return false;
        }
      },
      m);
}

// Where the supernode entries of an encoded REGISTER_SUPER_ACK start and end.
std::pair<std::size_t, std::size_t> entry_range(const RegisterSuperAck& m) {
  const std::size_t start =
      kCommonHeaderSize + 4 + 6 + 5 + 2 + m.sock.wire_size() + 4 + m.auth.size + 1;
  return {start, start + kSupernodeEntrySize * m.supernodes.size()};
}

}  // namespace

TEST_CASE("wire: every message survives encode and decode") {
  for (const auto& s : samples()) {
    CAPTURE(s.name);
    const ByteVector wire = encode_to_vector(s.header, s.message);
    REQUIRE_FALSE(wire.empty());

    const auto decoded = decode(wire);
    REQUIRE(decoded);
    CHECK(decoded->consumed == wire.size());
    CHECK(decoded->header.type == message_type(s.message));
    CHECK(decoded->header.version == s.header.version);
    CHECK(decoded->header.ttl == s.header.ttl);
    CHECK(decoded->header.community == s.header.community);
    CHECK(decoded->message == s.message);
    CHECK(msg_type_name(decoded->header.type) == msg_type_name(message_type(s.message)));

    // The SOCKET flag follows the optional sock; the ACK and NAK keep the flags as given.
    const bool follows_sock = std::holds_alternative<Register>(s.message) ||
                              std::holds_alternative<Packet>(s.message) ||
                              std::holds_alternative<RegisterAck>(s.message) ||
                              std::holds_alternative<RegisterSuper>(s.message) ||
                              std::holds_alternative<PeerInfo>(s.message);
    if (follows_sock) {
      CHECK(((decoded->header.flags & kFlagSocket) != 0) == has_optional_sock(s.message));
      CHECK((decoded->header.flags & ~kFlagSocket) == (s.header.flags & ~kFlagSocket));
    } else {
      CHECK(decoded->header.flags == s.header.flags);
    }

    // encode() into an exactly sized buffer gives the same bytes; one byte less fails.
    ByteVector exact(wire.size());
    const auto n = encode(s.header, s.message, exact);
    REQUIRE(n);
    CHECK(*n == wire.size());
    CHECK(exact == wire);
    ByteVector small(wire.size() - 1);
    CHECK(encode(s.header, s.message, small).error() == Reason::buffer_too_small);
  }
}

TEST_CASE("wire: encoded sizes match the spec's table") {
  const CommonHeader h = header_with(0);
  const auto size = [&h](const Message& m) { return encode_to_vector(h, m).size(); };
  Register reg;
  CHECK(size(reg) == 61);
  reg.sock = v4_sock();
  CHECK(size(reg) == 69);
  reg.sock = v6_sock();
  CHECK(size(reg) == 81);
  CHECK(size(Packet{}) == 38);
  RegisterAck ack;
  CHECK(size(ack) == 40);
  ack.sock = v4_sock();
  CHECK(size(ack) == 48);
  RegisterSuper sup;
  sup.auth = auth_of_size(1, 16);
  CHECK(size(sup) == 79);
  sup.sock = v4_sock();
  CHECK(size(sup) == 87);
  sup.sock.reset();
  sup.auth = auth_of_size(2, 48);
  CHECK(size(sup) == 111);
  UnregisterSuper unreg;
  unreg.auth = auth_of_size(1, 16);
  CHECK(size(unreg) == 50);
  CHECK(size(RegisterSuperAck{}) == 58);
  CHECK(size(RegisterSuperNak{}) == 38);
  PeerInfo info;
  CHECK(size(info) == 74);
  info.preferred_sock = v4_sock();
  CHECK(size(info) == 82);
  CHECK(size(QueryPeer{}) == 38);
  CHECK(size(ReRegisterSuper{}) == 24);
}

TEST_CASE("wire: packet_header_size") {
  CHECK(packet_header_size(std::nullopt) == 38);
  CHECK(packet_header_size(v4_sock()) == 46);
  CHECK(packet_header_size(v6_sock()) == 58);
}

TEST_CASE("wire: message_type of every alternative") {
  CHECK(message_type(Register{}) == MsgType::register_);
  CHECK(message_type(Packet{}) == MsgType::packet);
  CHECK(message_type(RegisterAck{}) == MsgType::register_ack);
  CHECK(message_type(RegisterSuper{}) == MsgType::register_super);
  CHECK(message_type(UnregisterSuper{}) == MsgType::unregister_super);
  CHECK(message_type(RegisterSuperAck{}) == MsgType::register_super_ack);
  CHECK(message_type(RegisterSuperNak{}) == MsgType::register_super_nak);
  CHECK(message_type(PeerInfo{}) == MsgType::peer_info);
  CHECK(message_type(QueryPeer{}) == MsgType::query_peer);
  CHECK(message_type(ReRegisterSuper{}) == MsgType::re_register_super);
}

TEST_CASE("wire: truncation at every length is rejected without reading past the end") {
  for (const auto& s : samples()) {
    CAPTURE(s.name);
    const ByteVector wire = encode_to_vector(s.header, s.message);
    REQUIRE_FALSE(wire.empty());
    const auto* packet = std::get_if<Packet>(&s.message);
    const auto* ack = std::get_if<RegisterSuperAck>(&s.message);
    for (std::size_t len = 0; len < wire.size(); ++len) {
      CAPTURE(len);
      // An exactly sized heap copy, so that a sanitizer build catches any over-read.
      const ByteVector prefix(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(len));
      const auto decoded = decode(prefix);
      if (len < kCommonHeaderSize) {
        CHECK(decoded.error() == Reason::too_short);
      } else if (packet != nullptr && len >= packet_header_size(packet->sock)) {
        // A shorter PACKET is still a PACKET, with a shorter payload.
        REQUIRE(decoded);
        CHECK(std::get<Packet>(decoded->message).payload.size() ==
              len - packet_header_size(packet->sock));
        CHECK(decoded->consumed == len);
      } else if (ack != nullptr && len >= entry_range(*ack).first &&
                 len < entry_range(*ack).second) {
        CHECK(decoded.error() == Reason::too_many_supernodes);
      } else {
        CHECK(decoded.error() == Reason::truncated);
      }
    }
  }
}

TEST_CASE("wire: trailing bytes after a non-PACKET message are allowed") {
  for (const auto& s : samples()) {
    if (std::holds_alternative<Packet>(s.message)) continue;
    CAPTURE(s.name);
    const ByteVector wire = encode_to_vector(s.header, s.message);
    for (std::size_t extra : {std::size_t{1}, std::size_t{16}, std::size_t{1000}}) {
      ByteVector padded = wire;
      padded.resize(wire.size() + extra, 0x5a);
      const auto decoded = decode(padded);
      REQUIRE(decoded);
      CHECK(decoded->consumed == wire.size());
      CHECK(decoded->message == s.message);
    }
  }
}

TEST_CASE("wire: a padded QUERY_PEER ping (path-MTU probe) decodes as a ping") {
  ByteVector probe = encode_to_vector(header_with(0), QueryPeer{{2, 0x20, 0x30, 0, 0, 1}});
  probe.resize(1938);
  const auto decoded = decode(probe);
  REQUIRE(decoded);
  CHECK(std::get<QueryPeer>(decoded->message).is_ping());
  CHECK(decoded->consumed == 38);
}

TEST_CASE("wire: the PACKET payload is the rest of the datagram") {
  const ByteVector wire =
      encode_to_vector(header_with(0), Packet{{}, {}, v4_sock(), 1, 5, kPayload});
  const auto decoded = decode(wire);
  REQUIRE(decoded);
  const auto& p = std::get<Packet>(decoded->message);
  CHECK(p.payload.size() == kPayload.size());
  CHECK(p.payload.data() == wire.data() + 46);
  CHECK(decoded->consumed == wire.size());
}

TEST_SUITE_END();
