// Edge engine: frames through the supernode in every transform, compression and header
// encryption, and the -r / -E filters (spec §9, §11.6), against the supernode engine in memory.
#include <doctest/doctest.h>

#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("edge");

namespace {

struct Pair {
  explicit Pair(edge::EdgeConfig base, supernode::SupernodeConfig sn_config = {}) {
    sn = net.add_supernode(1, std::move(sn_config));
    auto ca = base;
    ca.address = wire::IpSubnet{ip4(10, 20, 30, 1), 24};
    auto cb = base;
    cb.address = wire::IpSubnet{ip4(10, 20, 30, 2), 24};
    a = net.add_edge(1, ca);
    b = net.add_edge(2, cb);
    net.start(a);
    net.start(b);
    REQUIRE(net.edge(a).accepted());
    REQUIRE(net.edge(b).accepted());
    net.nodes[a].tap.clear();
    net.nodes[b].tap.clear();
  }
  ByteVector ping(std::size_t data = 56, std::uint8_t fill = 0x6e) {
    return ping_frame(net.edge(a).config().mac, net.edge(b).config().mac, ip4(10, 20, 30, 1),
                      ip4(10, 20, 30, 2), data, fill);
  }
  Network net;
  std::size_t sn = 0, a = 0, b = 0;
};

}  // namespace

TEST_CASE("edge engine: a frame crosses in every transform, relayed and peer-to-peer") {
  for (const bool p2p : {false, true}) {
    for (const auto id :
         {crypto::TransformId::null, crypto::TransformId::twofish, crypto::TransformId::aes,
          crypto::TransformId::chacha20, crypto::TransformId::speck}) {
      CAPTURE(crypto::transform_name(id));
      CAPTURE(p2p);
      edge::EdgeConfig base;
      base.transform = id;
      base.key = id == crypto::TransformId::null ? "" : "n2nkit-secret-key1";
      base.p2p = p2p;
      Pair p(base);
      for (const std::size_t size : {std::size_t{0}, std::size_t{56}, std::size_t{1262}}) {
        const auto frame = p.ping(size);
        p.net.frame(p.a, frame);
        REQUIRE(p.net.nodes[p.b].tap.size() == 1);
        CHECK(p.net.nodes[p.b].tap[0] == frame);
        p.net.nodes[p.b].tap.clear();
      }
      // Peer-to-peer: the first frame goes via the supernode and sets up the direct path,
      // which the others take (the in-memory network has no NAT to punch through).
      CHECK(p.net.edge(p.a).counters().super_tx == (p2p ? 1u : 3u));
      CHECK(p.net.edge(p.a).counters().p2p_tx == (p2p ? 2u : 0u));
      CHECK(p.net.edge(p.b).counters().super_rx == (p2p ? 1u : 3u));
      CHECK(p.net.edge(p.b).counters().p2p_rx == (p2p ? 2u : 0u));
      CHECK(p.net.edge(p.b).counters().transop_rx == 3);
    }
  }
}

TEST_CASE("edge engine: compression is used only when it makes the frame shorter") {
  for (const auto z : {crypto::CompressionId::lzo, crypto::CompressionId::zstd}) {
    CAPTURE(crypto::compression_name(z));
    edge::EdgeConfig base;
    base.transform = crypto::TransformId::aes;
    base.key = "n2nkit-secret-key1";
    base.compression = z;
    Pair p(base);
    const auto repetitive = p.ping(1000, 0x6e);
    p.net.frame(p.a, repetitive);
    CHECK(p.net.edge(p.a).counters().compressed_tx == 1);
    // Random-looking data does not shrink: it goes as it is.
    ByteVector noise(800);
    std::uint32_t x = 12345;
    for (auto& byte : noise) {
      x = x * 1103515245u + 12345u;
      byte = static_cast<std::uint8_t>(x >> 24);
    }
    const auto frame = packet::ethernet_frame(
        p.net.edge(p.b).config().mac, p.net.edge(p.a).config().mac, 0x0800,
        packet::ipv4_packet(17, ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), noise));
    p.net.frame(p.a, frame);
    CHECK(p.net.edge(p.a).counters().compressed_tx == 1);
    REQUIRE(p.net.nodes[p.b].tap.size() == 2);
    CHECK(p.net.nodes[p.b].tap[0] == repetitive);
    CHECK(p.net.nodes[p.b].tap[1] == frame);
  }
}

TEST_CASE("edge engine: with -H every datagram is header-encrypted, plaintext is refused") {
  edge::EdgeConfig base;
  base.transform = crypto::TransformId::chacha20;
  base.key = "n2nkit-secret-key1";
  base.header_encryption = true;
  supernode::SupernodeConfig sn_config;
  std::vector<std::string> warnings;
  std::string error;
  auto list = supernode::parse_community_list("net\n", "t", warnings, error);
  REQUIRE(list);
  sn_config.communities = std::move(*list);
  Pair p(base, std::move(sn_config));
  const auto frame = p.ping();
  p.net.frame(p.a, frame);
  REQUIRE(p.net.nodes[p.b].tap.size() == 1);
  CHECK(p.net.nodes[p.b].tap[0] == frame);
  const auto* community = p.net.supernode(p.sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->header_encryption == supernode::HeaderEncryption::enabled);
  // A plaintext datagram to an edge with -H.
  wire::CommonHeader h;
  h.ttl = 2;
  h.community = wire::make_community("net");
  wire::Packet m;
  m.src_mac = p.net.edge(p.a).config().mac;
  m.dst_mac = p.net.edge(p.b).config().mac;
  m.transform = 4;
  const ByteVector payload(80, 1);
  m.payload = payload;
  p.net.inject(p.b, wire::encode_to_vector(h, m), Network::edge_sock(1));
  CHECK(p.net.edge(p.b).counters().drops_of(Reason::he_required) == 1);
}

TEST_CASE("edge engine: the transform must match, garbage payloads are counted") {
  edge::EdgeConfig base;
  base.transform = crypto::TransformId::aes;
  base.key = "n2nkit-secret-key1";
  Pair p(base);
  wire::CommonHeader h;
  h.ttl = 2;
  h.community = wire::make_community("net");
  wire::Packet m;
  m.src_mac = p.net.edge(p.a).config().mac;
  m.dst_mac = p.net.edge(p.b).config().mac;
  const ByteVector payload(10, 1);  // shorter than the AES preamble
  m.payload = payload;
  m.transform = 5;
  p.net.inject(p.b, wire::encode_to_vector(h, m), Network::edge_sock(1));
  CHECK(p.net.edge(p.b).counters().drops_of(Reason::transform_mismatch) == 1);
  m.transform = 9;
  p.net.inject(p.b, wire::encode_to_vector(h, m), Network::edge_sock(1));
  CHECK(p.net.edge(p.b).counters().drops_of(Reason::unknown_transform) == 1);
  m.transform = 3;
  p.net.inject(p.b, wire::encode_to_vector(h, m), Network::edge_sock(1));
  CHECK(p.net.edge(p.b).counters().drops_of(Reason::payload_too_short) == 1);
  m.compression = 7;
  p.net.inject(p.b, wire::encode_to_vector(h, m), Network::edge_sock(1));
  CHECK(p.net.edge(p.b).counters().drops_of(Reason::unknown_compression) == 1);
  CHECK(p.net.nodes[p.b].tap.empty());
}

TEST_CASE("edge engine: without -r foreign addresses are dropped, with -r they pass") {
  for (const bool routing : {false, true}) {
    CAPTURE(routing);
    edge::EdgeConfig base;
    base.routing = routing;
    Pair p(base);
    const auto mac_a = p.net.edge(p.a).config().mac;
    const auto mac_b = p.net.edge(p.b).config().mac;
    // From a LAN host behind A, and for a LAN host behind B.
    p.net.frame(p.a, ping_frame(mac_a, mac_b, ip4(10, 10, 10, 5), ip4(10, 20, 30, 2)));
    p.net.frame(p.a, ping_frame(mac_a, mac_b, ip4(10, 20, 30, 1), ip4(10, 10, 20, 7)));
    if (routing) {
      CHECK(p.net.nodes[p.b].tap.size() == 2);
    } else {
      CHECK(p.net.edge(p.a).counters().drops_of(Reason::foreign_source) == 1);
      CHECK(p.net.edge(p.b).counters().drops_of(Reason::foreign_destination) == 1);
      CHECK(p.net.nodes[p.b].tap.empty());
    }
  }
}

TEST_CASE("edge engine: IPv4/IPv6 multicast needs -E, broadcast always passes") {
  for (const bool accept : {false, true}) {
    CAPTURE(accept);
    edge::EdgeConfig base;
    base.accept_multicast = accept;
    Pair p(base);
    const auto mac_a = p.net.edge(p.a).config().mac;
    const wire::Mac mdns{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    const wire::Mac v6{0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
    p.net.frame(p.a, ping_frame(mac_a, mdns, ip4(10, 20, 30, 1), ip4(224, 0, 0, 251)));
    p.net.frame(p.a, packet::ethernet_frame(v6, mac_a, 0x86dd, ByteVector(40, 0)));
    p.net.frame(p.a,
                ping_frame(mac_a, wire::kBroadcastMac, ip4(10, 20, 30, 1), ip4(10, 20, 30, 255)));
    CHECK(p.net.nodes[p.b].tap.size() == (accept ? 3u : 1u));
    if (!accept) CHECK(p.net.edge(p.a).counters().drops_of(Reason::multicast_filtered) == 2);
  }
}

TEST_CASE("edge engine: frames before the first registration are dropped") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  net.frame(a, ping_frame(net.edge(a).config().mac, wire::kBroadcastMac, ip4(10, 20, 30, 1),
                          ip4(10, 20, 30, 2)));
  CHECK(net.edge(a).counters().drops_of(Reason::not_registered) == 1);
  CHECK(net.delivered == 0);
}
