// The spec's worked examples (§4.6, §4.11) and the reference unit test's messages, byte for
// byte in both directions.
#include <doctest/doctest.h>

#include <string>

#include "core/wire/messages.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("wire");

namespace {

// Spaces are allowed for readability.
ByteVector hex(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits += c;
  }
  auto bytes = from_hex(digits);
  REQUIRE(bytes);
  return *bytes;
}

CommonHeader unit_test_header() {
  CommonHeader h;
  h.ttl = 2;
  h.flags = 0;
  h.community = make_community("abc123def456z");
  return h;
}

Auth unit_test_auth() {
  Auth auth;
  auth.scheme = 1;
  auth.size = 16;
  auth.token[0] = 0xfe;
  auth.token[4] = 0xfd;
  auth.token[8] = 0xfc;
  auth.token[15] = 0xfb;
  return auth;
}

}  // namespace

TEST_CASE("wire: §4.11 REGISTER example") {
  const ByteVector expected =
      hex("03020001616263313233646566343536"
          "7a000000000000000000000000010203"
          "0405101112131415202122231944756d"
          "6d795f4465765f4465736300 00");
  Register reg;
  reg.cookie = 0;
  reg.src_mac = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05};
  reg.dst_mac = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15};
  reg.dev_addr = {0x20212223, 25};
  reg.desc = make_description("Dummy_Dev_Desc");
  CHECK(encode_to_vector(unit_test_header(), reg) == expected);

  const auto decoded = decode(expected);
  REQUIRE(decoded);
  CHECK(decoded->header ==
        CommonHeader{3, 2, 0, MsgType::register_, make_community("abc123def456z")});
  CHECK(std::get<Register>(decoded->message) == reg);
  CHECK(decoded->consumed == 61);
}

TEST_CASE("wire: reference unit test REGISTER_SUPER (79 bytes)") {
  const ByteVector expected =
      hex("03020005616263313233646566343536"
          "7a000000000000000000000020212223"
          "2425202122231944756d6d795f446576"
          "5f446573630000000100 10fe000000fd"
          "000000fc000000000000fb00000258");
  RegisterSuper sup;
  sup.edge_mac = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25};
  sup.dev_addr = {0x20212223, 25};
  sup.desc = make_description("Dummy_Dev_Desc");
  sup.auth = unit_test_auth();
  sup.key_time = 600;
  CHECK(encode_to_vector(unit_test_header(), sup) == expected);
  const auto decoded = decode(expected);
  REQUIRE(decoded);
  CHECK(std::get<RegisterSuper>(decoded->message) == sup);
}

TEST_CASE("wire: reference unit test UNREGISTER_SUPER (50 bytes, auth before MAC)") {
  const ByteVector expected =
      hex("03020006616263313233646566343536"
          "7a000000000000000001 0010 fe000000"
          "fd000000fc000000000000fb30313233"
          "3435");
  UnregisterSuper unreg;
  unreg.auth = unit_test_auth();
  unreg.src_mac = {0x30, 0x31, 0x32, 0x33, 0x34, 0x35};
  CHECK(encode_to_vector(unit_test_header(), unreg) == expected);
  const auto decoded = decode(expected);
  REQUIRE(decoded);
  CHECK(std::get<UnregisterSuper>(decoded->message) == unreg);
}

TEST_CASE("wire: §4.6 REGISTER_SUPER_ACK example (84 bytes, little-endian supernode entry)") {
  const ByteVector expected =
      hex("0302006763 6f6d6d0000000000000000"
          "0000000000000000 11223344a0a1a2a3"
          "a4a50a8001011800 0f00009c40c63364"
          "0700000000010200611ec00002010000"
          "00000000000000000000b0b1b2b3b4b5"
          "00000000");
  CommonHeader h;
  h.flags = kFlagSocket | kFlagFromSupernode;
  h.community = make_community("comm");
  RegisterSuperAck ack;
  ack.cookie = 0x11223344;
  ack.src_mac = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5};
  ack.dev_addr = {0x0a800101, 24};
  ack.lifetime = 15;
  ack.sock = Sock::ipv4(0xc6336407, 40000);
  ack.supernodes.push_back({Sock::ipv4(0xc0000201, 7777), {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5}, 2});
  ack.key_time = 0;
  CHECK(encode_to_vector(h, ack) == expected);

  const auto decoded = decode(expected);
  REQUIRE(decoded);
  CHECK(decoded->header.flags == (kFlagSocket | kFlagFromSupernode));
  CHECK(decoded->header.type == MsgType::register_super_ack);
  const auto& got = std::get<RegisterSuperAck>(decoded->message);
  CHECK(got == ack);
  REQUIRE(got.supernodes.size() == 1);
  CHECK(sock_to_string(got.supernodes[0].sock) == "192.0.2.1:7777");
  CHECK(sock_to_string(got.sock) == "198.51.100.7:40000");
  CHECK(decoded->consumed == 84);
}

TEST_CASE("wire: §4.6 supernode entry example") {
  RegisterSuperAck ack;
  ack.supernodes.push_back({Sock::ipv4(0xc0000201, 7777), {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5}, 2});
  const ByteVector wire = encode_to_vector(CommonHeader{}, ack);
  REQUIRE(wire.size() == 58 + 26);
  const ByteVector entry(wire.begin() + 54, wire.begin() + 80);
  CHECK(to_hex(entry) == "0200611ec0000201000000000000000000000000b0b1b2b3b4b5");
}

TEST_SUITE_END();
