// Supernode engine: malformed and unexpected datagrams are counted by reason, never answered
// and never crash the engine (spec §4.12, §8.5).
#include <doctest/doctest.h>

#include "core/crypto/xorshift128.hpp"
#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

namespace {

struct Sample {
  const char* name;
  ByteVector bytes;
  std::size_t minimum;  // shorter prefixes must be rejected
};

std::vector<Sample> samples(const ScriptedEdge& a, const ScriptedEdge& b) {
  const ByteVector frame(60, 0x11);
  std::vector<Sample> out;
  out.push_back({"REGISTER_SUPER", a.register_super(), 0});
  out.push_back({"UNREGISTER_SUPER", a.unregister_super(), 0});
  out.push_back({"QUERY_PEER", a.query_peer(b.mac), 0});
  out.push_back({"PING", a.query_peer(wire::kNullMac), 0});
  out.push_back({"PACKET", a.packet(b.mac, frame), 38});
  out.push_back({"REGISTER", a.register_(b.mac), 0});
  for (auto& s : out) {
    if (s.minimum == 0) s.minimum = s.bytes.size();
  }
  return out;
}

}  // namespace

TEST_CASE("supernode engine: every truncation of every message is dropped and counted") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  const auto b = scripted_edge(2);
  sn.register_edge(a);
  sn.register_edge(b);
  for (const auto& s : samples(a, b)) {
    INFO(s.name);
    for (std::size_t n = 0; n < s.minimum; ++n) {
      INFO(n);
      const auto before = sn.total_drops();
      CHECK(sn.from_edge(a, ByteView{s.bytes.data(), n}).empty());
      CHECK(sn.total_drops() == before + 1);
    }
  }
  CHECK(sn.drops(Reason::too_short) == 6 * 24);
  CHECK(sn.drops(Reason::truncated) > 0);
  // Nothing changed: both edges are still there with their tokens.
  CHECK(sn.edge("net", a.mac)->auth == a.auth);
  CHECK(sn.edge("net", b.mac) != nullptr);
}

TEST_CASE("supernode engine: messages a supernode does not take from edges") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  const auto h = edge_header("net");

  wire::RegisterAck ack;
  ack.src_mac = a.mac;
  CHECK(sn.from_edge(a, encoded(h, ack)).empty());
  wire::RegisterSuperAck sack;
  CHECK(sn.from_edge(a, encoded(h, sack)).empty());
  CHECK(sn.from_edge(a, encoded(h, wire::RegisterSuperNak{})).empty());
  wire::PeerInfo info;
  CHECK(sn.from_edge(a, encoded(h, info)).empty());
  CHECK(sn.drops(Reason::not_for_supernode) == 4);
  // Type 12 is always header-encrypted: the plaintext detector (types <= 11) sends it to the
  // decryption attempts.
  CHECK(sn.from_edge(a, encoded(h, wire::ReRegisterSuper{})).empty());
  CHECK(sn.drops(Reason::he_no_key) == 1);

  // FROM_SUPERNODE from a source that is no federation member.
  const auto from_sn = edge_header("net", wire::kFlagFromSupernode);
  wire::RegisterSuper rs;
  rs.edge_mac = edge_mac(7);
  CHECK(sn.from_edge(a, encoded(from_sn, rs)).empty());
  CHECK(sn.from_edge(a, encoded(from_sn, info)).empty());
  CHECK(sn.drops(Reason::from_unknown_supernode) == 2);
  CHECK(sn.edge("net", edge_mac(7)) == nullptr);

  // Types 0, 2 and 9 look like plaintext but no message uses them.
  for (const int type : {0, 2, 9}) {
    auto bytes = a.query_peer(wire::kNullMac);
    bytes[3] = static_cast<std::uint8_t>(type);
    CHECK(sn.from_edge(a, bytes).empty());
  }
  CHECK(sn.drops(Reason::unknown_type) == 3);
}

TEST_CASE("supernode engine: headers that do not look like plaintext count as he_no_key") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  const auto good = a.query_peer(wire::kNullMac);
  auto version2 = good;
  version2[0] = 2;
  auto type13 = good;
  type13[3] = 13;
  auto options = good;
  options[3] = static_cast<std::uint8_t>(options[3] | 0x80);
  auto long_name = good;
  long_name[23] = 'x';
  for (const auto& bytes : {version2, type13, options, long_name}) {
    CHECK(sn.from_edge(a, bytes).empty());
  }
  CHECK(sn.drops(Reason::he_no_key) == 4);
  CHECK(sn.total_drops() == 4);
}

TEST_CASE("supernode engine: an oversized token is rejected") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  auto bytes = a.unregister_super();
  store_be16(bytes.data() + 26, 49);  // auth size field
  CHECK(sn.from_edge(a, bytes).empty());
  CHECK(sn.drops(Reason::token_too_large) + sn.drops(Reason::truncated) == 1);
}

TEST_CASE("supernode engine: mutated datagrams never crash and every answer decodes") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  const auto b = scripted_edge(2);
  sn.register_edge(a);
  sn.register_edge(b);
  const auto base = samples(a, b);
  crypto::Xorshift128Plus rng(0x5eed, 0x1234);
  std::size_t answered = 0;
  for (int i = 0; i < 20000; ++i) {
    auto bytes = base[rng.next() % base.size()].bytes;
    const auto flips = 1 + rng.next() % 4;
    for (std::uint64_t f = 0; f < flips; ++f) {
      bytes[rng.next() % bytes.size()] = static_cast<std::uint8_t>(rng.next());
    }
    if (rng.next() % 8 == 0) bytes.resize(rng.next() % (bytes.size() + 1));
    const auto& from = (i % 2 == 0) ? a : b;
    const auto sent = sn.from_edge(from, bytes);  // the harness REQUIREs every answer decodes
    for (const auto& s : sent) CHECK(s.bytes.size() <= wire::kMaxDatagram);
    if (!sent.empty()) ++answered;
    if (i % 1000 == 0) sn.advance(7);
  }
  CHECK(answered > 0);
}

TEST_SUITE_END();
