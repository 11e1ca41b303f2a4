// Real datagrams of the reference 3.1.1 (shared/vectors/pcap, copied here as literals; the
// header-encrypted ones as their decrypted_hex). Field values are those of index.json.
#include <doctest/doctest.h>

#include <string>

#include "core/wire/messages.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("wire");

namespace {

ByteVector hex(std::string_view text) {
  auto bytes = from_hex(text);
  REQUIRE(bytes);
  return *bytes;
}

// Decodes, checks the common header and that re-encoding gives the datagram back.
template <class T>
T decode_capture(const ByteVector& datagram, std::uint16_t flags, std::uint8_t ttl,
                 std::string_view community, bool reencodes_exactly = true) {
  const auto decoded = decode(datagram);
  REQUIRE(decoded);
  CHECK(decoded->header.version == 3);
  CHECK(decoded->header.ttl == ttl);
  CHECK(decoded->header.flags == flags);
  CHECK(community_to_string(decoded->header.community) == community);
  CHECK(decoded->consumed == datagram.size());
  REQUIRE(std::holds_alternative<T>(decoded->message));
  if (reencodes_exactly) CHECK(encode_to_vector(decoded->header, decoded->message) == datagram);
  return std::get<T>(decoded->message);
}

constexpr std::string_view kCommunity = "n2nkit-testvector";
constexpr std::uint16_t kFromSn = kFlagFromSupernode;
constexpr std::uint16_t kFromSnSocket = kFlagFromSupernode | kFlagSocket;
constexpr Mac kEdgeA{0x02, 0x20, 0x30, 0x00, 0x00, 0x01};
constexpr Mac kEdgeB{0x02, 0x20, 0x30, 0x00, 0x00, 0x02};
constexpr Mac kSn{0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};

}  // namespace

TEST_CASE("wire: capture a1-null frame 1: REGISTER_SUPER") {
  const auto m = decode_capture<RegisterSuper>(
      hex("030200056e326e6b69742d74657374766563746f720000000bb961f30220300000010a141e011865"
          "6467652d610000000000000000000000010010538f7e794f9057f2085bb9c80dab342700000000"),
      0, 2, kCommunity);
  CHECK(m.cookie == 0x0bb961f3);
  CHECK(m.edge_mac == kEdgeA);
  CHECK_FALSE(m.sock);
  CHECK(subnet_to_string(m.dev_addr) == "10.20.30.1/24");
  CHECK(description_to_string(m.desc) == "edge-a");
  CHECK(m.auth.scheme == 1);
  CHECK(to_hex(m.auth.token_view()) == "538f7e794f9057f2085bb9c80dab3427");
  CHECK(m.key_time == 0);
}

TEST_CASE("wire: capture a1-null frame 2: multicast REGISTER") {
  const auto m = decode_capture<Register>(
      hex("030200016e326e6b69742d74657374766563746f72000000004000000220300000010000000000000a"
          "141e0118656467652d6100000000000000000000"),
      0, 2, kCommunity);
  CHECK(m.cookie == 0x00400000);
  CHECK(m.src_mac == kEdgeA);
  CHECK(m.dst_mac == kNullMac);
  CHECK_FALSE(m.sock);
  CHECK(subnet_to_string(m.dev_addr) == "10.20.30.1/24");
  CHECK(description_to_string(m.desc) == "edge-a");
}

TEST_CASE("wire: capture auto-ip frame 20: REGISTER relayed by the supernode, with sock") {
  const auto m = decode_capture<Register>(
      hex("030100616e326e6b69742d74657374766563746f72000000000010000220300000010220300000020000"
          "c351c613000b0a141e6318656467652d6100000000000000000000"),
      kFromSnSocket, 1, kCommunity);
  CHECK(m.cookie == 0x00001000);
  CHECK(m.src_mac == kEdgeA);
  CHECK(m.dst_mac == kEdgeB);
  REQUIRE(m.sock);
  CHECK(sock_to_string(*m.sock) == "198.19.0.11:50001");
  CHECK(subnet_to_string(m.dev_addr) == "10.20.30.99/24");
}

TEST_CASE("wire: capture a1-null frame 3: REGISTER_SUPER_ACK without supernodes") {
  const auto m = decode_capture<RegisterSuperAck>(
      hex("030200676e326e6b69742d74657374766563746f720000000bb961f302534e0000010000000000000f00"
          "00c351c613000b000000000000000000"),
      kFromSnSocket, 2, kCommunity);
  CHECK(m.cookie == 0x0bb961f3);
  CHECK(m.src_mac == kSn);
  CHECK(m.dev_addr == IpSubnet{});
  CHECK(m.lifetime == 15);
  CHECK(sock_to_string(m.sock) == "198.19.0.11:50001");
  CHECK(m.auth == Auth{});
  CHECK(m.supernodes.empty());
  CHECK(m.key_time == 0);
}

TEST_CASE("wire: capture federation frame 6: 84-byte REGISTER_SUPER_ACK with one supernode") {
  const auto m = decode_capture<RegisterSuperAck>(
      hex("030200676e326e6b69742d74657374766563746f720000002b09338002534e0000010000000000000f00"
          "00c351c613000b00000000010200e71dc613000200000000000000000000000002534e00000200000000"),
      kFromSnSocket, 2, kCommunity);
  CHECK(m.cookie == 0x2b093380);
  CHECK(m.src_mac == kSn);
  CHECK(sock_to_string(m.sock) == "198.19.0.11:50001");
  REQUIRE(m.supernodes.size() == 1);
  CHECK(sock_to_string(m.supernodes[0].sock) == "198.19.0.2:7655");
  CHECK(mac_to_string(m.supernodes[0].mac) == "02:53:4e:00:00:02");
  CHECK(m.supernodes[0].raw_family == 2);
  CHECK(m.key_time == 0);
}

TEST_CASE(
    "wire: capture federation frame 5: REGISTER_SUPER forwarded to the federation, with sock") {
  const auto m = decode_capture<RegisterSuper>(
      hex("030200656e326e6b69742d74657374766563746f720000002b0933800220300000010000c351c613000b"
          "0a141e0118656467652d610000000000000000000000010010de12fc2eb3480d55c222e68e9e09ccab0000"
          "0000"),
      kFromSnSocket, 2, kCommunity);
  CHECK(m.cookie == 0x2b093380);
  CHECK(m.edge_mac == kEdgeA);
  REQUIRE(m.sock);
  CHECK(sock_to_string(*m.sock) == "198.19.0.11:50001");
  CHECK(to_hex(m.auth.token_view()) == "de12fc2eb3480d55c222e68e9e09ccab");
}

TEST_CASE("wire: capture auth-userpw frame 3: REGISTER_SUPER_ACK with a 48-byte token") {
  const auto m = decode_capture<RegisterSuperAck>(
      hex("030200676e326e6b69742d61757468766563746f7200000033207a0a02534e0000010000000000000f00"
          "00c351c613000b00020030451797b187d0f5d90ef165d0177998603712264f50ed2b630ea85633fa7fd5"
          "0dff9eae4693bec546a0b303d86cc2b1250000000000"),
      kFromSnSocket, 2, "n2nkit-authvector");
  CHECK(m.cookie == 0x33207a0a);
  CHECK(m.auth.scheme == 2);
  CHECK(to_hex(m.auth.token_view()) ==
        "451797b187d0f5d90ef165d0177998603712264f50ed2b630ea85633fa7fd50dff9eae4693bec546a0b303d8"
        "6cc2b125");
  CHECK(m.supernodes.empty());
}

TEST_CASE("wire: capture auth-nak frame 3: REGISTER_SUPER_NAK with SOCKET but no sock") {
  const auto m = decode_capture<RegisterSuperNak>(
      hex("030200686e326e6b69742d61757468766563746f72000000fa3b5c7302203000000100000000"),
      kFromSnSocket, 2, "n2nkit-authvector");
  CHECK(m.cookie == 0xfa3b5c73);
  CHECK(m.src_mac == kEdgeA);
  CHECK(m.auth == Auth{});
}

TEST_CASE("wire: capture auth-nak frame 3 with its 16-byte trailer still attached") {
  ByteVector with_trailer =
      hex("030200686e326e6b69742d61757468766563746f72000000fa3b5c7302203000000100000000");
  with_trailer.resize(54, 0xab);
  const auto decoded = decode(with_trailer);
  REQUIRE(decoded);
  CHECK(decoded->consumed == 38);
}

TEST_CASE("wire: capture a1-null frame 4: PACKET from an edge") {
  // The payload is a view: keep the datagram alive.
  const ByteVector datagram =
      hex("030200036e326e6b69742d74657374766563746f72000000022030000001ffffffffffff0101ffffffff"
          "ffff022030000001080600010800060400020220300000010a141e01ffffffffffff0a141e01");
  const auto m = decode_capture<Packet>(datagram, 0, 2, kCommunity);
  CHECK(m.src_mac == kEdgeA);
  CHECK(m.dst_mac == kBroadcastMac);
  CHECK_FALSE(m.sock);
  CHECK(m.compression == 1);
  CHECK(m.transform == 1);
  CHECK(m.payload.size() == 42);
  CHECK(m.payload[12] == 0x08);
  CHECK(m.payload[13] == 0x06);
}

TEST_CASE("wire: capture a1-null frame 16: PACKET relayed by the supernode") {
  // The payload is a view: keep the datagram alive.
  const ByteVector datagram =
      hex("030100636e326e6b69742d74657374766563746f72000000022030000002ffffffffffff0000c352c613"
          "000c0101ffffffffffff022030000002080600010800060400020220300000020a141e02ffffffffffff0a"
          "141e02");
  const auto m = decode_capture<Packet>(datagram, kFromSnSocket, 1, kCommunity);
  CHECK(m.src_mac == kEdgeB);
  REQUIRE(m.sock);
  CHECK(sock_to_string(*m.sock) == "198.19.0.12:50002");
  CHECK(m.compression == 1);
  CHECK(m.transform == 1);
  CHECK(m.payload.size() == 42);
}

TEST_CASE("wire: capture a1-null frame 8: REGISTER_ACK, dst before src") {
  const auto m = decode_capture<RegisterAck>(
      hex("030200046e326e6b69742d74657374766563746f7200000000400000022030000002022030000001"), 0, 2,
      kCommunity);
  CHECK(m.cookie == 0x00400000);
  CHECK(m.dst_mac == kEdgeB);
  CHECK(m.src_mac == kEdgeA);
  CHECK_FALSE(m.sock);
}

TEST_CASE("wire: capture a1-null frame 31: UNREGISTER_SUPER") {
  const auto m = decode_capture<UnregisterSuper>(
      hex("030200066e326e6b69742d74657374766563746f7200000000010010538f7e794f9057f2085bb9c80dab"
          "3427022030000001"),
      0, 2, kCommunity);
  CHECK(m.auth.scheme == 1);
  CHECK(to_hex(m.auth.token_view()) == "538f7e794f9057f2085bb9c80dab3427");
  CHECK(m.src_mac == kEdgeA);
}

TEST_CASE("wire: capture a1-null-he frame 33: QUERY_PEER ping") {
  const auto m = decode_capture<QueryPeer>(
      hex("0302000b6e326e6b69742d74657374766563746f720000000220300000010000000000000000"), 0, 2,
      kCommunity);
  CHECK(m.src_mac == kEdgeA);
  CHECK(m.is_ping());
  CHECK(m.aflags == 0);
}

TEST_CASE("wire: capture relay-s1-aes frame 13: QUERY_PEER for a peer") {
  const auto m = decode_capture<QueryPeer>(
      hex("0302000b6e326e6b69742d74657374766563746f720000000220300000020220300000010000"), 0, 2,
      kCommunity);
  CHECK(m.src_mac == kEdgeB);
  CHECK(m.target_mac == kEdgeA);
  CHECK_FALSE(m.is_ping());
}

TEST_CASE("wire: capture a1-null-he frame 35: PEER_INFO pong with garbage after the version") {
  const ByteVector datagram =
      hex("0302002a6e326e6b69742d74657374766563746f72000000000002534e0000010000000000000000c351"
          "c613000b0000000000000007332e312e3100f18e927f0000b865ee8e927f0000");
  const auto m = decode_capture<PeerInfo>(datagram, kFromSn, 2, kCommunity, false);
  CHECK(m.is_pong());
  CHECK(m.aflags == 0);
  CHECK(m.src_mac == kSn);
  CHECK(sock_to_string(m.sock) == "198.19.0.11:50001");
  CHECK_FALSE(m.preferred_sock);
  CHECK(m.load == 0);
  CHECK(m.uptime == 7);
  CHECK(std::string(m.version.begin(), m.version.begin() + 6) == std::string("3.1.1\0", 6));
  // Re-encoded: identical up to the NUL, zeros after it.
  ByteVector expected = datagram;
  std::fill(expected.begin() + 60, expected.end(), 0);
  CHECK(encode_to_vector(
            CommonHeader{3, 2, kFromSn, MsgType::peer_info, make_community(kCommunity)}, m) ==
        expected);
}

TEST_CASE("wire: capture relay-s1-aes frame 15: PEER_INFO answer with uninitialised tail") {
  const auto m = decode_capture<PeerInfo>(
      hex("0302002a6e326e6b69742d74657374766563746f7200000000000220300000020220300000010000c351"
          "c613000bba736140b74e6bb0fd7f0000202030d5fb7f0000b8652dd5fb7f0000"),
      kFromSn, 2, kCommunity, false);
  CHECK_FALSE(m.is_pong());
  CHECK(m.src_mac == kEdgeB);
  CHECK(m.mac == kEdgeA);
  CHECK(sock_to_string(m.sock) == "198.19.0.11:50001");
  CHECK(m.load == 3128123712U);
  CHECK(m.uptime == 3075369904U);
}

TEST_SUITE_END();
