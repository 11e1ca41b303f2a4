// -L and -e in the edge engine (spec §11.5): how a relayed REGISTER from a new peer is answered
// directly (one REGISTER, none, or a port-prediction burst with a short IP TTL), and the
// preferred local socket going to the supernode and, through PEER_INFO, to peers.
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

struct SentRegister {
  wire::Register msg;
  net::Endpoint to;
};

const wire::Mac kStranger{0x02, 0x99, 0x00, 0x00, 0x00, 0x07};
const wire::Sock kStrangerSock = wire::Sock::ipv4(ip4(203, 0, 113, 7), 40000);

// What a registered edge with -L register_ttl sends in answer to a REGISTER the supernode
// relays from a peer it has never heard of (at an address outside the test network).
std::vector<SentRegister> answers_to_relayed_register(unsigned register_ttl,
                                                      std::uint16_t port = kStrangerSock.port) {
  Network net;
  net.add_supernode(1);
  auto config = static_edge(2);
  config.register_ttl = register_ttl;
  const auto b = net.add_edge(2, config);
  net.start(b);
  REQUIRE(net.edge(b).accepted());
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.flags = wire::kFlagFromSupernode;
  h.community = wire::make_community("net");
  wire::Register relayed;
  relayed.cookie = edge::kCookieForwarded;
  relayed.src_mac = kStranger;
  relayed.dst_mac = net.edge(b).config().mac;
  relayed.sock = wire::Sock::ipv4(kStrangerSock.ipv4_host_order(), port);
  std::array<std::uint8_t, wire::kMaxDatagram> buf{};
  const auto size = wire::encode(h, relayed, buf);
  REQUIRE(size);
  std::vector<SentRegister> sent;
  net.on_send = [&](std::size_t from, const net::OutgoingDatagram& d) {
    if (from != b) return;
    const auto decoded = wire::decode(d.bytes);
    REQUIRE(decoded);
    if (const auto* r = std::get_if<wire::Register>(&decoded->message)) sent.push_back({*r, d.to});
  };
  net.inject(b, ByteView{buf.data(), *size}, Network::supernode_sock(1));
  net.on_send = nullptr;
  CHECK(net.edge(b).peers().pending(kStranger) != nullptr);
  for (const auto& s : sent) CHECK(s.msg.dst_mac == kStranger);
  return sent;
}

}  // namespace

TEST_CASE("edge -L 0: a relayed REGISTER from a new peer is answered with one direct REGISTER") {
  const auto sent = answers_to_relayed_register(0);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].msg.cookie == edge::kCookieRegular);
  CHECK(sent[0].to.sock == kStrangerSock);
  CHECK(sent[0].to.ip_ttl == 0);
}

TEST_CASE("edge -L 1: no direct answer (the peer's own REGISTER is expected to get through)") {
  CHECK(answers_to_relayed_register(1).empty());
}

TEST_CASE("edge -L 3: 16 REGISTERs to the peer's port and the 15 after it, with IP TTL 3") {
  const auto sent = answers_to_relayed_register(3);
  REQUIRE(sent.size() == 16);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CHECK(sent[i].msg.cookie == edge::kCookiePort);
    CHECK(sent[i].to.ip_ttl == 3);
    CHECK(sent[i].to.sock.ipv4_host_order() == kStrangerSock.ipv4_host_order());
    CHECK(sent[i].to.sock.port == kStrangerSock.port + i);
  }
}

TEST_CASE("edge -L 255: the predicted ports wrap at 65535") {
  const auto sent = answers_to_relayed_register(255, 65530);
  REQUIRE(sent.size() == 16);
  CHECK(sent[5].to.sock.port == 65535);
  CHECK(sent[6].to.sock.port == 0);
  CHECK(sent[15].to.sock.port == 9);
  CHECK(sent[15].to.ip_ttl == 255);
}

TEST_CASE("edge -e: the preferred socket goes in REGISTER_SUPER and peers REGISTER to it") {
  Network net;
  const auto sn = net.add_supernode(1);
  auto config_a = static_edge(1);
  const auto preferred = wire::Sock::ipv4(ip4(192, 168, 7, 1), 50001);
  config_a.preferred_sock = preferred;
  const auto a = net.add_edge(1, config_a);
  const auto b = net.add_edge(2, static_edge(2));
  std::optional<wire::RegisterSuper> register_super;
  std::vector<SentRegister> from_b;
  net.on_send = [&](std::size_t from, const net::OutgoingDatagram& d) {
    const auto decoded = wire::decode(d.bytes);
    REQUIRE(decoded);
    if (const auto* r = std::get_if<wire::RegisterSuper>(&decoded->message); r && from == a) {
      CHECK((decoded->header.flags & wire::kFlagSocket) != 0);
      register_super = *r;
    }
    if (const auto* r = std::get_if<wire::Register>(&decoded->message); r && from == b) {
      from_b.push_back({*r, d.to});
    }
  };
  net.start(a);
  net.start(b);
  REQUIRE(register_super);
  CHECK(register_super->sock == preferred);
  const auto* community = net.supernode(sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  const auto& mac_a = net.edge(a).config().mac;
  const auto& mac_b = net.edge(b).config().mac;
  CHECK(community->edges.find(mac_a)->preferred_sock == preferred);
  // B looks for A: the PEER_INFO carries the preferred socket, B registers there (LOCAL).
  net.frame(b, ping_frame(mac_b, mac_a, ip4(10, 20, 30, 2), ip4(10, 20, 30, 1)));
  const auto local = std::ranges::find_if(
      from_b, [](const SentRegister& s) { return s.msg.cookie == edge::kCookieLocal; });
  REQUIRE(local != from_b.end());
  CHECK(local->to.sock == preferred);
  CHECK(local->msg.dst_mac == mac_a);
}

TEST_SUITE_END();
