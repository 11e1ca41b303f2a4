// Every reason decode() and encode() reject with (§4.12), and the header flag rules.
#include <doctest/doctest.h>

#include "core/wire/messages.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("wire");

namespace {

CommonHeader plain_header() {
  CommonHeader h;
  h.community = make_community("n2nkit-testvector");
  return h;
}

ByteVector encoded(const Message& m, std::uint16_t flags = 0) {
  CommonHeader h = plain_header();
  h.flags = flags;
  ByteVector out = encode_to_vector(h, m);
  REQUIRE_FALSE(out.empty());
  return out;
}

void set_type(ByteVector& datagram, std::uint8_t code) {
  datagram[3] = static_cast<std::uint8_t>((datagram[3] & 0xe0) | code);
}

Auth token(std::uint16_t size) {
  Auth a;
  a.scheme = 2;
  a.size = size;
  return a;
}

// Offset of the auth token_size field in an encoded message without socks.
constexpr std::size_t kRegisterSuperAuthSize = 24 + 4 + 6 + 5 + 16 + 2;
constexpr std::size_t kUnregisterSuperAuthSize = 24 + 2;
constexpr std::size_t kAckAuthSize = 24 + 4 + 6 + 5 + 2 + 8 + 2;
constexpr std::size_t kNakAuthSize = 24 + 4 + 6 + 2;
constexpr std::size_t kAckNumSn = 24 + 4 + 6 + 5 + 2 + 8 + 4;

}  // namespace

TEST_CASE("wire: datagrams shorter than the common header are too_short") {
  const ByteVector full = encoded(QueryPeer{});
  for (std::size_t len = 0; len < kCommonHeaderSize; ++len) {
    const ByteVector prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    CHECK(decode(prefix).error() == Reason::too_short);
    CHECK(decode_common_header(prefix).error() == Reason::too_short);
  }
  CHECK(decode_common_header(ByteView(full).first(kCommonHeaderSize)));
}

TEST_CASE("wire: versions other than 3 are bad_version") {
  ByteVector d = encoded(QueryPeer{});
  for (int version : {0, 1, 2, 4, 0x83, 0xff}) {
    d[0] = static_cast<std::uint8_t>(version);
    CHECK(decode(d).error() == Reason::bad_version);
    CHECK(decode_common_header(d).error() == Reason::bad_version);
  }
}

TEST_CASE("wire: unused and undefined type codes are unknown_type") {
  ByteVector d = encoded(QueryPeer{});
  d.resize(200);  // long enough for any body
  std::vector<int> codes = {0, 2, 9};
  for (int c = 13; c < 32; ++c) codes.push_back(c);
  for (int code : codes) {
    CAPTURE(code);
    set_type(d, static_cast<std::uint8_t>(code));
    CHECK(decode(d).error() == Reason::unknown_type);
    // The common header alone keeps the raw code.
    const auto h = decode_common_header(d);
    REQUIRE(h);
    CHECK(static_cast<int>(h->type) == code);
  }
  for (int code : {1, 3, 4, 5, 6, 7, 8, 10, 11, 12}) {
    CAPTURE(code);
    set_type(d, static_cast<std::uint8_t>(code));
    CHECK(decode(d));
  }
}

TEST_CASE("wire: auth tokens larger than 48 bytes are token_too_large") {
  struct Case {
    const char* name;
    ByteVector datagram;
    std::size_t size_offset;
  };
  std::vector<Case> cases = {
      {"REGISTER_SUPER", encoded(RegisterSuper{}), kRegisterSuperAuthSize},
      {"UNREGISTER_SUPER", encoded(UnregisterSuper{}), kUnregisterSuperAuthSize},
      {"REGISTER_SUPER_ACK", encoded(RegisterSuperAck{}), kAckAuthSize},
      {"REGISTER_SUPER_NAK", encoded(RegisterSuperNak{}), kNakAuthSize},
  };
  for (auto& c : cases) {
    CAPTURE(c.name);
    ByteVector d = c.datagram;
    d.resize(d.size() + 2000);  // plenty of bytes: the size alone must be rejected
    for (std::uint16_t size : {std::uint16_t{49}, std::uint16_t{0x100}, std::uint16_t{0xffff}}) {
      store_be16(d.data() + c.size_offset, size);
      CHECK(decode(d).error() == Reason::token_too_large);
    }
    store_be16(d.data() + c.size_offset, 48);
    CHECK(decode(d));
    // Even when the datagram ends right after the size field.
    ByteVector cut(c.datagram.begin(),
                   c.datagram.begin() + static_cast<std::ptrdiff_t>(c.size_offset + 2));
    store_be16(cut.data() + c.size_offset, 49);
    CHECK(decode(cut).error() == Reason::token_too_large);
    store_be16(cut.data() + c.size_offset, 1);
    CHECK(decode(cut).error() == Reason::truncated);
  }
}

TEST_CASE(
    "wire: more than 44 supernode entries, or entries past the end, are too_many_supernodes") {
  ByteVector d = encoded(RegisterSuperAck{});
  REQUIRE(d.size() == 58);
  CHECK(d[kAckNumSn] == 0);
  d.resize(d.size() + 46 * kSupernodeEntrySize, 0);
  for (std::size_t i = 0; i < 46; ++i) d[kAckNumSn + 1 + i * kSupernodeEntrySize] = 2;
  d[kAckNumSn] = 45;
  CHECK(decode(d).error() == Reason::too_many_supernodes);
  d[kAckNumSn] = 255;
  CHECK(decode(d).error() == Reason::too_many_supernodes);
  d[kAckNumSn] = 44;
  const auto ok = decode(d);
  REQUIRE(ok);
  CHECK(std::get<RegisterSuperAck>(ok->message).supernodes.size() == 44);
  CHECK(ok->consumed == 58 + 44 * kSupernodeEntrySize);

  // Two entries announced, one present, then the key_time.
  ByteVector one = encoded(RegisterSuperAck{});
  one.insert(one.begin() + kAckNumSn + 1, kSupernodeEntrySize, 0);
  one[kAckNumSn] = 2;
  REQUIRE(one.size() == 58 + kSupernodeEntrySize);
  CHECK(decode(one).error() == Reason::too_many_supernodes);
  one[kAckNumSn] = 1;
  CHECK(decode(one));
  // All entries present but no key_time.
  one.resize(one.size() - 4);
  CHECK(decode(one).error() == Reason::truncated);
}

TEST_CASE("wire: the encoder refuses what the decoder would reject") {
  const CommonHeader h = plain_header();
  RegisterSuperAck ack;
  ack.supernodes.resize(kMaxSupernodeEntries + 1);
  CHECK(encode_to_vector(h, ack).empty());
  std::array<std::uint8_t, kMaxDatagram> buf{};
  CHECK(encode(h, ack, buf).error() == Reason::too_many_supernodes);
  ack.supernodes.resize(kMaxSupernodeEntries);
  CHECK(encode(h, ack, buf));

  for (const Message& m :
       {Message{RegisterSuper{.auth = token(49)}}, Message{UnregisterSuper{.auth = token(49)}},
        Message{RegisterSuperNak{.auth = token(49)}}}) {
    CHECK(encode(h, m, buf).error() == Reason::token_too_large);
    CHECK(encode_to_vector(h, m).empty());
  }
  RegisterSuperAck big_token;
  big_token.auth = token(49);
  CHECK(encode(h, big_token, buf).error() == Reason::token_too_large);

  CHECK(encode(h, QueryPeer{}, std::span(buf).first(37)).error() == Reason::buffer_too_small);
  CHECK(encode(h, ReRegisterSuper{}, std::span(buf).first(23)).error() == Reason::buffer_too_small);
  CHECK(encode(h, ReRegisterSuper{}, std::span(buf).first(0)).error() == Reason::buffer_too_small);
}

TEST_CASE("wire: unknown high flag bits are kept on decode and written back") {
  ByteVector d = encoded(QueryPeer{});
  d[2] = 0xff;
  d[3] = static_cast<std::uint8_t>(0x80 | 0x20 | 11);
  const auto decoded = decode(d);
  REQUIRE(decoded);
  CHECK(decoded->header.flags == 0xffa0);
  CHECK(decoded->header.type == MsgType::query_peer);
  CHECK(encode_to_vector(decoded->header, decoded->message) == d);
}

TEST_CASE("wire: type bits in header.flags are ignored by the encoder") {
  CommonHeader h = plain_header();
  h.flags = kFlagFromSupernode | 0x001f;
  const ByteVector d = encode_to_vector(h, QueryPeer{});
  CHECK(load_be16(d.data() + 2) == (kFlagFromSupernode | 11));
}

TEST_CASE("wire: the SOCKET flag follows the optional sock") {
  CommonHeader h = plain_header();
  h.flags = kFlagSocket | kFlagFromSupernode;
  ByteVector d = encode_to_vector(h, Register{});
  CHECK(d.size() == 61);
  CHECK(load_be16(d.data() + 2) == (kFlagFromSupernode | 1));

  h.flags = 0;
  PeerInfo info;
  info.preferred_sock = Sock::ipv4(0x7f000001, 1);
  d = encode_to_vector(h, info);
  CHECK(d.size() == 82);
  CHECK(load_be16(d.data() + 2) == (kFlagSocket | 10));

  // A NAK keeps SOCKET although it has no sock field (the reference sets it).
  h.flags = kFlagSocket | kFlagFromSupernode;
  d = encode_to_vector(h, RegisterSuperNak{});
  CHECK(d.size() == 38);
  CHECK(load_be16(d.data() + 2) == (kFlagSocket | kFlagFromSupernode | 8));
  // And an ACK without SOCKET still carries its mandatory sock.
  h.flags = kFlagFromSupernode;
  d = encode_to_vector(h, RegisterSuperAck{});
  CHECK(d.size() == 58);
  const auto decoded = decode(d);
  REQUIRE(decoded);
  CHECK(decoded->header.flags == kFlagFromSupernode);
}

TEST_CASE("wire: socks: bit 15 of the marker alone selects IPv6") {
  Register reg;
  reg.sock = Sock::ipv4(0xc613000b, 50001);
  ByteVector d = encoded(reg);
  REQUIRE(d.size() == 69);
  CHECK(to_hex(ByteView(d).subspan(40, 8)) == "0000c351c613000b");
  d[40] = 0x00;
  d[41] = 0x02;  // other bits are ignored
  auto decoded = decode(d);
  REQUIRE(decoded);
  CHECK(std::get<Register>(decoded->message).sock == reg.sock);

  Sock v6;
  v6.ipv6 = true;
  v6.port = 1;
  for (std::size_t i = 0; i < 16; ++i) v6.addr[i] = static_cast<std::uint8_t>(i);
  reg.sock = v6;
  d = encoded(reg);
  REQUIRE(d.size() == 81);
  CHECK(to_hex(ByteView(d).subspan(40, 20)) == "80000001000102030405060708090a0b0c0d0e0f");
  d[40] = 0xff;
  d[41] = 0xff;
  decoded = decode(d);
  REQUIRE(decoded);
  CHECK(std::get<Register>(decoded->message).sock == v6);
  // An IPv6 marker in a datagram only long enough for an IPv4 sock is truncated.
  ByteVector v4 = encoded(Register{.sock = Sock::ipv4(1, 2)});
  v4[40] = 0x80;
  CHECK(decode(v4).error() == Reason::truncated);
}

TEST_CASE("wire: supernode entries: family 2 is IPv4, anything else IPv6, raw family kept") {
  RegisterSuperAck ack;
  ack.supernodes.push_back({Sock::ipv4(0xc6130002, 7655), {2, 0x53, 0x4e, 0, 0, 2}, 2});
  ByteVector d = encoded(ack, kFlagSocket | kFlagFromSupernode);
  const std::size_t entry = kAckNumSn + 1;
  CHECK(to_hex(ByteView(d).subspan(entry, 26)) ==
        "0200e71dc613000200000000000000000000000002534e000002");

  // Garbage in the pad byte and the unused IPv4 address bytes is ignored.
  d[entry + 1] = 0x77;
  d[entry + 10] = 0x55;
  auto decoded = decode(d);
  REQUIRE(decoded);
  CHECK(std::get<RegisterSuperAck>(decoded->message) == ack);

  for (std::uint8_t family : {std::uint8_t{10}, std::uint8_t{28}, std::uint8_t{30}}) {
    d[entry] = family;
    decoded = decode(d);
    REQUIRE(decoded);
    const auto& e = std::get<RegisterSuperAck>(decoded->message).supernodes.at(0);
    CHECK(e.raw_family == family);
    CHECK(e.sock.ipv6);
    CHECK(e.sock.port == 7655);
    CHECK(e.sock.addr[0] == 0xc6);
    CHECK(e.sock.addr[6] == 0x55);
    // Re-encoded with Linux's AF_INET6.
    const ByteVector again = encode_to_vector(decoded->header, decoded->message);
    CHECK(again[entry] == 10);
    CHECK(again[entry + 1] == 0);
  }
}

TEST_CASE("wire: PEER_INFO version string: read up to the NUL, write NUL padding") {
  PeerInfo pong;
  pong.version = {'3', '.', '1', '.', '1', 0, 0xf1, 0x8e, 0x92, 0x7f};
  const ByteVector d = encoded(pong, kFlagFromSupernode);
  CHECK(to_hex(ByteView(d).subspan(54, 20)) == "332e312e31000000000000000000000000000000");
  ByteVector garbage = d;
  garbage[61] = 0xee;
  const auto decoded = decode(garbage);
  REQUIRE(decoded);
  const auto& info = std::get<PeerInfo>(decoded->message);
  CHECK(info.version[4] == '1');
  CHECK(std::all_of(info.version.begin() + 5, info.version.end(), [](auto b) { return b == 0; }));
}

TEST_CASE("wire: RE_REGISTER_SUPER is the common header alone") {
  ByteVector d = encoded(ReRegisterSuper{}, kFlagFromSupernode);
  CHECK(d.size() == 24);
  auto decoded = decode(d);
  REQUIRE(decoded);
  CHECK(std::holds_alternative<ReRegisterSuper>(decoded->message));
  CHECK(decoded->consumed == 24);
  d.resize(40, 0xaa);
  decoded = decode(d);
  REQUIRE(decoded);
  CHECK(decoded->consumed == 24);
}

TEST_SUITE_END();
