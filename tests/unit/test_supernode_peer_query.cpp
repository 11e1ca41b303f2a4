// Supernode engine: PING/PONG and QUERY_PEER (spec §4.8, §4.9, §11.4, §11.5).
#include <doctest/doctest.h>

#include <cstring>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

TEST_CASE("supernode engine: PING is answered with a PONG") {
  SupernodeHarness sn;
  sn.now += 7;
  const auto a = scripted_edge(1);  // not registered: a PING needs no registration
  const auto sent = sn.from_edge(a, a.query_peer(wire::kNullMac));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == a.sock);
  const auto& h = sent[0].decoded.header;
  CHECK(h.ttl == 2);
  CHECK(h.flags == wire::kFlagFromSupernode);
  CHECK(h.community == wire::make_community("net"));
  const auto& pong = std::get<wire::PeerInfo>(sent[0].decoded.message);
  CHECK(pong.is_pong());
  CHECK(pong.aflags == 0);
  CHECK(pong.src_mac == kSupernodeMac);
  CHECK(pong.sock == a.sock);
  CHECK_FALSE(pong.preferred_sock);
  CHECK(pong.load == 0);
  CHECK(pong.uptime == 7);
  CHECK(std::strcmp(reinterpret_cast<const char*>(pong.version.data()), "3.1.1") == 0);
  CHECK(sent[0].bytes.size() == 74);
  // Answering a PING creates no community.
  CHECK(sn.engine.communities().size() == 0);
}

TEST_CASE("supernode engine: a padded PING gets the normal PONG, the version is configurable") {
  auto config = open_config();
  config.version = "a-very-long-version-string-indeed";
  SupernodeHarness sn(config);
  const auto a = scripted_edge(1);
  auto ping = a.query_peer(wire::kNullMac);
  ping.resize(1400, 0xAB);
  const auto sent = sn.from_edge(a, ping);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].bytes.size() == 74);
  const auto& pong = std::get<wire::PeerInfo>(sent[0].decoded.message);
  CHECK(std::string(reinterpret_cast<const char*>(pong.version.data())) ==
        config.version.substr(0, 19));
}

TEST_CASE("supernode engine: QUERY_PEER for a known edge returns its sockets") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  auto b = scripted_edge(2);
  sn.register_edge(a);
  sn.register_edge(b);

  auto sent = sn.from_edge(a, a.query_peer(b.mac));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == a.sock);
  CHECK(sent[0].decoded.header.flags == wire::kFlagFromSupernode);
  auto info = std::get<wire::PeerInfo>(sent[0].decoded.message);
  CHECK(info.src_mac == a.mac);
  CHECK(info.mac == b.mac);
  CHECK(info.sock == b.sock);
  CHECK_FALSE(info.preferred_sock);
  CHECK(info.load == 0);
  CHECK(info.uptime == 0);
  CHECK(info.version == decltype(info.version){});

  // With a preferred (-e) socket it comes along, with the SOCKET flag.
  b.preferred = wire::Sock::ipv4(ipv4(192, 168, 0, 2), 50002);
  sn.register_edge(b);
  sent = sn.from_edge(a, a.query_peer(b.mac));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].decoded.header.flags == (wire::kFlagFromSupernode | wire::kFlagSocket));
  info = std::get<wire::PeerInfo>(sent[0].decoded.message);
  CHECK(info.preferred_sock == b.preferred);
  CHECK(sent[0].bytes.size() == 82);
}

TEST_CASE("supernode engine: QUERY_PEER for an unknown edge is counted, not answered") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  CHECK(sn.from_edge(a, a.query_peer(edge_mac(9))).empty());
  CHECK(sn.drops(Reason::unknown_destination) == 1);
  auto lost = scripted_edge(2, "elsewhere");
  CHECK(sn.from_edge(lost, lost.query_peer(a.mac)).empty());
  CHECK(sn.drops(Reason::unknown_community) == 1);
}

TEST_SUITE_END();
