#include <doctest/doctest.h>

#include "core/wire/types.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("wire");

TEST_CASE("wire: msg_type_name uses the spec's names and TYPE_<n> otherwise") {
  CHECK(msg_type_name(MsgType::register_) == "REGISTER");
  CHECK(msg_type_name(MsgType::deregister) == "DEREGISTER");
  CHECK(msg_type_name(MsgType::packet) == "PACKET");
  CHECK(msg_type_name(MsgType::register_ack) == "REGISTER_ACK");
  CHECK(msg_type_name(MsgType::register_super) == "REGISTER_SUPER");
  CHECK(msg_type_name(MsgType::unregister_super) == "UNREGISTER_SUPER");
  CHECK(msg_type_name(MsgType::register_super_ack) == "REGISTER_SUPER_ACK");
  CHECK(msg_type_name(MsgType::register_super_nak) == "REGISTER_SUPER_NAK");
  CHECK(msg_type_name(MsgType::federation) == "FEDERATION");
  CHECK(msg_type_name(MsgType::peer_info) == "PEER_INFO");
  CHECK(msg_type_name(MsgType::query_peer) == "QUERY_PEER");
  CHECK(msg_type_name(MsgType::re_register_super) == "RE_REGISTER_SUPER");
  CHECK(msg_type_name(std::uint8_t{0}) == "TYPE_0");
  CHECK(msg_type_name(std::uint8_t{13}) == "TYPE_13");
  CHECK(msg_type_name(std::uint8_t{31}) == "TYPE_31");
  CHECK(msg_type_name(std::uint8_t{255}) == "TYPE_255");
}

TEST_CASE("wire: mac_to_string is lower case with zero padding") {
  CHECK(mac_to_string(Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x01}) == "02:20:30:00:00:01");
  CHECK(mac_to_string(Mac{0xab, 0xcd, 0xef, 0xAB, 0x0f, 0xf0}) == "ab:cd:ef:ab:0f:f0");
  CHECK(mac_to_string(kNullMac) == "00:00:00:00:00:00");
}

TEST_CASE("wire: parse_mac") {
  CHECK(parse_mac("02:20:30:00:00:01") == Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x01});
  CHECK(parse_mac("DE:AD:be:EF:0a:0B") == Mac{0xde, 0xad, 0xbe, 0xef, 0x0a, 0x0b});
  CHECK(parse_mac("de-ad-be-ef-0a-0b") == Mac{0xde, 0xad, 0xbe, 0xef, 0x0a, 0x0b});
  CHECK(parse_mac("0:1:2:3:4:5") == Mac{0, 1, 2, 3, 4, 5});
  CHECK(parse_mac(mac_to_string(kBroadcastMac)) == kBroadcastMac);
  CHECK_FALSE(parse_mac(""));
  CHECK_FALSE(parse_mac("02:20:30:00:00"));
  CHECK_FALSE(parse_mac("02:20:30:00:00:01:02"));
  CHECK_FALSE(parse_mac("02:20:30:00:00:01 "));
  CHECK_FALSE(parse_mac("02:20:30:00:00:001"));
  CHECK_FALSE(parse_mac("02:20:30:00::01"));
  CHECK_FALSE(parse_mac("0g:20:30:00:00:01"));
  CHECK_FALSE(parse_mac("022030000001"));
}

TEST_CASE("wire: is_multicast_or_broadcast follows §2.2") {
  CHECK(is_multicast_or_broadcast(kBroadcastMac));
  CHECK(is_multicast_or_broadcast(Mac{0x01, 0x00, 0x5e, 0x00, 0x00, 0x44}));
  CHECK(is_multicast_or_broadcast(Mac{0x01, 0x00, 0x5e, 0x7f, 0xff, 0xff}));
  CHECK_FALSE(is_multicast_or_broadcast(Mac{0x01, 0x00, 0x5e, 0x80, 0x00, 0x00}));
  CHECK(is_multicast_or_broadcast(Mac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}));
  CHECK_FALSE(is_multicast_or_broadcast(Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x01}));
  CHECK_FALSE(is_multicast_or_broadcast(kNullMac));
}

TEST_CASE("wire: make_community pads with NULs and keeps at most 19 bytes") {
  const Community c = make_community("abc123def456z");
  CHECK(c[12] == 'z');
  CHECK(c[13] == 0);
  CHECK(c[19] == 0);
  CHECK(community_to_string(c) == "abc123def456z");

  const Community full = make_community("0123456789abcdefghijKLMN");
  CHECK(community_to_string(full) == "0123456789abcdefghi");
  CHECK(full[19] == 0);
  CHECK(community_to_string(make_community("")).empty());

  Community unterminated{};
  unterminated.fill('x');
  CHECK(community_to_string(unterminated) == std::string(20, 'x'));
}

TEST_CASE("wire: make_description keeps at most 15 bytes") {
  CHECK(description_to_string(make_description("Dummy_Dev_Desc")) == "Dummy_Dev_Desc");
  const Description d = make_description("a-very-long-hostname");
  CHECK(description_to_string(d) == "a-very-long-hos");
  CHECK(d[15] == 0);
}

TEST_CASE("wire: sock_to_string") {
  CHECK(sock_to_string(Sock::ipv4(0xc613000b, 50001)) == "198.19.0.11:50001");
  CHECK(sock_to_string(Sock::ipv4(0, 0)) == "0.0.0.0:0");
  CHECK(sock_to_string(Sock::ipv4(0xffffffff, 65535)) == "255.255.255.255:65535");
  Sock v6;
  v6.ipv6 = true;
  v6.port = 7654;
  v6.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  CHECK(sock_to_string(v6) == "[2001:db8::1]:7654");
  v6.addr = {};
  CHECK(sock_to_string(v6) == "[::]:7654");
}

TEST_CASE("wire: Sock::ipv4 stores the address in network order") {
  const Sock s = Sock::ipv4(0xc0000201, 7777);
  CHECK_FALSE(s.ipv6);
  CHECK(s.port == 7777);
  CHECK(s.addr[0] == 192);
  CHECK(s.addr[3] == 1);
  CHECK(s.ipv4_host_order() == 0xc0000201);
  CHECK(s.wire_size() == 8);
}

TEST_CASE("wire: subnet_to_string") {
  CHECK(subnet_to_string(IpSubnet{0x0a141e01, 24}) == "10.20.30.1/24");
  CHECK(subnet_to_string(IpSubnet{}) == "0.0.0.0/0");
  CHECK(subnet_to_string(IpSubnet{0x20212223, 25}) == "32.33.34.35/25");
}

TEST_SUITE_END();
