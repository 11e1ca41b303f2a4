// Supernode engine with header encryption (spec §8.3–§8.6): per-community state, decryption
// by trial, stamps and replay windows, encrypted answers and relays, and a replay of the
// header-encrypted capture a1-null-he.pcap against the reference supernode's answers.
#include <doctest/doctest.h>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using supernode::HeaderEncryption;

TEST_SUITE_BEGIN("supernode");

namespace {

supernode::SupernodeConfig he_config() {
  auto config = open_config();
  config.communities = community_list("secret\nplain\nteam\\d+\n");
  return config;
}

// An edge stamp at the harness's current second (the engine's clock reads .500000).
std::uint64_t stamp_at(const SupernodeHarness& sn, std::uint32_t usec, std::int64_t sec = 0) {
  return wire::stamp_of(
      {static_cast<std::uint64_t>(static_cast<std::int64_t>(sn.now) + sec), usec});
}

HeaderEncryption state_of(const SupernodeHarness& sn, std::string_view community) {
  const auto* c = sn.engine.communities().find(wire::make_community(community));
  REQUIRE(c != nullptr);
  return c->header_encryption;
}

// Registers with an encrypted REGISTER_SUPER and checks the encrypted ACK.
void register_encrypted(SupernodeHarness& sn, const ScriptedEdge& e, std::uint64_t stamp) {
  const auto sent = sn.from_edge(e, he_sealed(e.register_super(), e.community, stamp));
  REQUIRE(sent.size() == 1);
  REQUIRE(sent[0].encrypted);
  REQUIRE(std::holds_alternative<wire::RegisterSuperAck>(sent[0].decoded.message));
}

}  // namespace

TEST_CASE("supernode engine: encrypted REGISTER_SUPER gets an ACK the edge decrypts") {
  SupernodeHarness sn(he_config());
  CHECK(state_of(sn, "secret") == HeaderEncryption::unknown);
  const auto a = scripted_edge(1, "secret");
  const auto sent =
      sn.from_edge(a, he_sealed(a.register_super(0xabcdef01), "secret", stamp_at(sn, 400000)));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == a.sock);
  CHECK(wire::looks_like_plaintext_header(sent[0].bytes) == false);

  // What the edge does: decrypt with its own community's static keys (§8.4).
  const auto opened = he_opened(sent[0].bytes, "secret");
  REQUIRE(opened);
  CHECK(opened->plain.size() == sent[0].bytes.size());
  CHECK(wire::check_stamp_frame(opened->stamp, wire::stamp_of({sn.now, 500000})));
  const auto decoded = wire::decode(opened->plain);
  REQUIRE(decoded);
  CHECK(decoded->header.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));
  CHECK(decoded->header.ttl == 2);
  CHECK(wire::community_to_string(decoded->header.community) == "secret");
  const auto* ack = std::get_if<wire::RegisterSuperAck>(&decoded->message);
  REQUIRE(ack != nullptr);
  CHECK(ack->cookie == 0xabcdef01);
  CHECK(ack->src_mac == kSupernodeMac);
  CHECK(ack->sock == a.sock);
  CHECK(ack->lifetime == supernode::kAckLifetime);
  // Another community's keys do not open it.
  CHECK_FALSE(he_opened(sent[0].bytes, "plain"));

  CHECK(state_of(sn, "secret") == HeaderEncryption::enabled);
  CHECK(state_of(sn, "plain") == HeaderEncryption::unknown);
  REQUIRE(sn.edge("secret", a.mac) != nullptr);
  CHECK(sn.edge("secret", a.mac)->auth == a.auth);
  CHECK(sn.total_drops() == 0);
}

TEST_CASE("supernode engine: relays between header-encrypted edges are re-encrypted") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  const auto b = scripted_edge(2, "secret");
  const auto c = scripted_edge(3, "secret");
  register_encrypted(sn, a, stamp_at(sn, 100000));
  register_encrypted(sn, b, stamp_at(sn, 100000));
  register_encrypted(sn, c, stamp_at(sn, 100000));

  const ByteVector frame{0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03};
  auto sent = sn.from_edge(a, he_sealed(a.packet(b.mac, frame), "secret", stamp_at(sn, 200000)));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == b.sock);
  auto opened = he_opened(sent[0].bytes, "secret");
  REQUIRE(opened);
  auto decoded = wire::decode(opened->plain);
  REQUIRE(decoded);
  CHECK(decoded->header.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));
  CHECK(decoded->header.ttl == 1);
  auto* packet = std::get_if<wire::Packet>(&decoded->message);
  REQUIRE(packet != nullptr);
  CHECK(packet->src_mac == a.mac);
  CHECK(packet->dst_mac == b.mac);
  CHECK(packet->sock == a.sock);
  CHECK(ByteVector(packet->payload.begin(), packet->payload.end()) == frame);
  // PACKET covers the header only (§8.2): the payload travels as it is.
  CHECK(std::equal(frame.begin(), frame.end(), sent[0].bytes.end() - 7));
  CHECK(sn.engine.counters().packets.forward == 1);

  // Broadcast: one copy per other edge, each with its own IV and a newer stamp.
  sent = sn.from_edge(
      b, he_sealed(b.packet(wire::kBroadcastMac, frame), "secret", stamp_at(sn, 300000)));
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].to.sock == a.sock);
  CHECK(sent[1].to.sock == c.sock);
  CHECK(sent[0].plain == sent[1].plain);
  CHECK(sent[0].bytes != sent[1].bytes);
  CHECK(sent[0].stamp < sent[1].stamp);
  for (const auto& s : sent) {
    REQUIRE(s.encrypted);
    const auto& p = std::get<wire::Packet>(s.decoded.message);
    CHECK(p.src_mac == b.mac);
    CHECK(p.sock == b.sock);
    CHECK(s.decoded.header.ttl == 1);
  }

  // REGISTER (unicast) is relayed the same way; it is covered whole.
  sent = sn.from_edge(c, he_sealed(c.register_(a.mac, 0x4242), "secret", stamp_at(sn, 400000)));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == a.sock);
  opened = he_opened(sent[0].bytes, "secret");
  REQUIRE(opened);
  decoded = wire::decode(opened->plain);
  REQUIRE(decoded);
  const auto* reg = std::get_if<wire::Register>(&decoded->message);
  REQUIRE(reg != nullptr);
  CHECK(reg->cookie == 0x4242);
  CHECK(reg->src_mac == c.mac);
  CHECK(reg->sock == c.sock);
  CHECK(decoded->header.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));

  // QUERY_PEER is answered encrypted too.
  sent = sn.from_edge(a, he_sealed(a.query_peer(c.mac), "secret", stamp_at(sn, 450000)));
  REQUIRE(sent.size() == 1);
  REQUIRE(sent[0].encrypted);
  const auto& info = std::get<wire::PeerInfo>(sent[0].decoded.message);
  CHECK(info.mac == c.mac);
  CHECK(info.sock == c.sock);
  CHECK(sn.total_drops() == 0);
}

TEST_CASE("supernode engine: the answers' stamps strictly increase and fillers come from config") {
  auto config = he_config();
  std::uint32_t calls = 0;
  config.random = [&calls](MutableByteView out) {
    ++calls;
    for (auto& b : out) b = 0x5a;
  };
  SupernodeHarness sn(std::move(config));
  std::uint64_t last = 0;
  for (std::uint8_t n = 1; n <= 5; ++n) {
    const auto e = scripted_edge(n, "secret");
    // The clock stands still: the generator must still step.
    const auto sent = sn.from_edge(e, he_sealed(e.register_super(), "secret", stamp_at(sn, 0)));
    REQUIRE(sent.size() == 1);
    REQUIRE(sent[0].encrypted);
    CHECK(sent[0].stamp > last);
    last = sent[0].stamp;
  }
  // One per answer's filler, plus the supernode's own federation token drawn at start.
  CHECK(calls == 6);
}

TEST_CASE("supernode engine: plaintext after encrypted is dropped, encrypted after plaintext too") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  register_encrypted(sn, a, stamp_at(sn, 100000));
  CHECK(sn.from_edge(a, a.register_super()).empty());
  CHECK(sn.from_edge(a, a.query_peer(wire::kNullMac)).empty());
  CHECK(sn.from_edge(a, a.unregister_super()).empty());
  CHECK(sn.drops(Reason::he_required) == 3);
  CHECK(sn.edge("secret", a.mac) != nullptr);
  CHECK(state_of(sn, "secret") == HeaderEncryption::enabled);

  // The first plaintext datagram locks a listed community to plaintext: no upgrade either.
  const auto p = scripted_edge(2, "plain");
  sn.register_edge(p);
  CHECK(state_of(sn, "plain") == HeaderEncryption::none);
  CHECK(sn.from_edge(p, he_sealed(p.register_super(), "plain", stamp_at(sn, 200000))).empty());
  CHECK(sn.drops(Reason::he_no_key) == 1);
  CHECK(state_of(sn, "plain") == HeaderEncryption::none);
}

TEST_CASE("supernode engine: communities created on the fly never decrypt") {
  SUBCASE("open supernode") {
    SupernodeHarness sn;
    const auto a = scripted_edge(1, "net");
    CHECK(sn.from_edge(a, he_sealed(a.register_super(), "net", stamp_at(sn, 100000))).empty());
    CHECK(sn.drops(Reason::he_no_key) == 1);
    CHECK(sn.engine.communities().size() == 0);
    sn.register_edge(a);
    CHECK(state_of(sn, "net") == HeaderEncryption::none);
    CHECK(sn.from_edge(a, he_sealed(a.register_super(), "net", stamp_at(sn, 200000))).empty());
    CHECK(sn.drops(Reason::he_no_key) == 2);
  }
  SUBCASE("regular-expression match of a locked supernode") {
    SupernodeHarness sn(he_config());
    const auto a = scripted_edge(1, "team7");
    CHECK(sn.from_edge(a, he_sealed(a.register_super(), "team7", stamp_at(sn, 100000))).empty());
    sn.register_edge(a);
    CHECK(state_of(sn, "team7") == HeaderEncryption::none);
    CHECK(sn.from_edge(a, he_sealed(a.packet(wire::kBroadcastMac, ByteVector(20, 1)), "team7",
                                    stamp_at(sn, 200000)))
              .empty());
    CHECK(sn.drops(Reason::he_no_key) == 2);
  }
}

TEST_CASE("supernode engine: a datagram encrypted for another community is he_no_key") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  register_encrypted(sn, a, stamp_at(sn, 100000));
  auto intruder = scripted_edge(9, "intruder");
  CHECK(
      sn.from_edge(intruder, he_sealed(intruder.register_super(), "intruder", stamp_at(sn, 200000)))
          .empty());
  // Claiming the listed name in the plaintext does not help: the keys are what counts.
  intruder.community = "secret";
  CHECK(sn.from_edge(intruder, he_sealed(intruder.register_super(), "secreT", stamp_at(sn, 300000)))
            .empty());
  CHECK(sn.drops(Reason::he_no_key) == 2);
  CHECK(sn.edge("secret", intruder.mac) == nullptr);
  CHECK(state_of(sn, "plain") == HeaderEncryption::unknown);
}

TEST_CASE("supernode engine: stamps outside the frame or replayed are dropped") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  const auto b = scripted_edge(2, "secret");

  // ±16 s around the engine's clock (now + 0.5 s).
  CHECK(
      sn.from_edge(a, he_sealed(a.register_super(), "secret", stamp_at(sn, 400000, -16))).empty());
  CHECK(sn.from_edge(a, he_sealed(a.register_super(), "secret", stamp_at(sn, 600000, 16))).empty());
  CHECK(sn.drops(Reason::stamp_out_of_window) == 2);
  // Nothing was learnt from them, not even the state of the community.
  CHECK(state_of(sn, "secret") == HeaderEncryption::unknown);
  CHECK(sn.edge("secret", a.mac) == nullptr);
  // Just inside the frame on both sides.
  register_encrypted(sn, b, stamp_at(sn, 600000, -16));
  register_encrypted(sn, a, stamp_at(sn, 400000, 15));

  // REGISTER_SUPER: the same datagram again, or any older stamp, is a replay (no jitter).
  const auto again = he_sealed(a.register_super(), "secret", stamp_at(sn, 400000, 15));
  CHECK(sn.from_edge(a, again).empty());
  CHECK(sn.from_edge(a, he_sealed(a.register_super(), "secret", stamp_at(sn, 390000, 15))).empty());
  CHECK(sn.drops(Reason::stamp_replayed) == 2);
  register_encrypted(sn, a, stamp_at(sn, 400001, 15));
}

TEST_CASE("supernode engine: PACKET and QUERY_PEER stamps may jitter by 160 ms") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  const auto b = scripted_edge(2, "secret");
  register_encrypted(sn, a, stamp_at(sn, 100000));
  register_encrypted(sn, b, stamp_at(sn, 100000));

  const ByteVector frame(30, 0x33);
  CHECK(sn.from_edge(a, he_sealed(a.packet(b.mac, frame), "secret", stamp_at(sn, 800000))).size() ==
        1);
  // 150 ms older than the newest: reordered in flight, accepted.
  CHECK(sn.from_edge(a, he_sealed(a.packet(b.mac, frame), "secret", stamp_at(sn, 650000))).size() ==
        1);
  CHECK(sn.from_edge(a, he_sealed(a.query_peer(b.mac), "secret", stamp_at(sn, 660000))).size() ==
        1);
  // 170 ms older: replayed.
  CHECK(sn.from_edge(a, he_sealed(a.packet(b.mac, frame), "secret", stamp_at(sn, 630000))).empty());
  CHECK(sn.from_edge(a, he_sealed(a.query_peer(b.mac), "secret", stamp_at(sn, 630000))).empty());
  CHECK(sn.drops(Reason::stamp_replayed) == 2);
  // The newest stays the reference: REGISTER and UNREGISTER_SUPER get no jitter.
  CHECK(sn.from_edge(a, he_sealed(a.register_(b.mac), "secret", stamp_at(sn, 790000))).empty());
  CHECK(sn.from_edge(a, he_sealed(a.unregister_super(), "secret", stamp_at(sn, 800000))).empty());
  CHECK(sn.drops(Reason::stamp_replayed) == 4);
  CHECK(sn.edge("secret", a.mac) != nullptr);
  CHECK(sn.from_edge(a, he_sealed(a.unregister_super(), "secret", stamp_at(sn, 800001))).empty());
  CHECK(sn.edge("secret", a.mac) == nullptr);
  CHECK(sn.drops(Reason::stamp_replayed) == 4);
}

TEST_CASE("supernode engine: replay windows survive the purge while they matter") {
  SupernodeHarness sn(he_config());
  const auto a = scripted_edge(1, "secret");
  register_encrypted(sn, a, stamp_at(sn, 900000, 15));
  sn.advance(31);  // one purge; the stamp above is still inside the frame of the new clock
  CHECK(
      sn.from_edge(a, he_sealed(a.register_super(), "secret", stamp_at(sn, 900000, -16))).empty());
  CHECK(sn.drops(Reason::stamp_replayed) == 1);
  register_encrypted(sn, a, stamp_at(sn, 900001, -16));
}

// a1-null-he.pcap (3.1.1 supernode locked to "n2nkit-testvector", edges with -H): the edges'
// raw datagrams replayed at the capture's clock; our answers must decrypt with the community
// key to what the reference's answers decrypt to.
namespace {

ByteVector hex(std::string_view text) {
  return from_hex(text).value_or(ByteVector{});
}

constexpr std::string_view kCaptureCommunity = "n2nkit-testvector";

// Frame 1: edge A -> sn, REGISTER_SUPER (stamp 6b061f2add73a000, second 1795563306).
const auto kRegisterA =
    hex("0a4fefa0c9ce26f5cdf727bcb805ff2dff0675fb5dd87fea9cce1ca91b6bb81a0b5caf5fe275fa4e0c60c6f422"
        "9706937010e243d93b0f4d66b0dfb9fa06d53bcf33f80a06053ce76272cc6c7a03a1");
// Frame 3: the reference's REGISTER_SUPER_ACK to A.
const auto kAckA =
    hex("0fda558199f02f303675b6dc3a535301b3bd1afbc20d5c067907b3bc2d1329387c1d6b8262db59c8fb223f9538"
        "60d0ff69ab969155da8b145d89");
// Frame 6: edge B -> sn, REGISTER_SUPER (second 1795563307).
const auto kRegisterB =
    hex("ef954660084b507f3b209b9b5ad03cb8a6b646629b9e0159ebf4658360661f6d46548b2c82d4ad274cd4c2ff30"
        "d832eebcc78712c0bb13c4cab567f1887cf589b85449bb6f707b8674dc77e792c93a");
// Frame 9: the reference's REGISTER_SUPER_ACK to B.
const auto kAckB =
    hex("bfa14b4e1272264b9694fb141972ddd20852c1b5238df4fdc48645a9d73352817eb31b1e800bbf33fd5ec96e41"
        "45d6ed74b543784e99243ca537");
// Frame 24: A's ARP request, a broadcast PACKET (second 1795563311); frame 25: the relay to B.
const auto kBroadcastA =
    hex("9f684bb7a37b9b1377910c8ad34b873edbf99cb849bbc1e2a34e48b27329546e5c24ead84be0ffffffffffff02"
        "2030000001080600010800060400010220300000010a141e010000000000000a141e02");
const auto kRelayedToB =
    hex("5bd5aab55c46ba18cc77fafbee823d731a64afb93e2f4e4a9f769abe50d0bf9c8bec02b4b2c4cc25b34853e364"
        "78ffffffffffff022030000001080600010800060400010220300000010a141e010000000000000a141e02");
// Frame 34: A's UNREGISTER_SUPER (second 1795563313).
const auto kUnregisterA =
    hex("876e23d30f15668c395b2e09ca914c3baa59910e56d06b5249842659a72cf1641d96fed8f9facf568d60214e20"
        "67365216f4");

const wire::Sock kSockA = wire::Sock::ipv4(ipv4(198, 19, 0, 11), 50001);
const wire::Sock kSockB = wire::Sock::ipv4(ipv4(198, 19, 0, 12), 50002);

// The reference's answer as the edge reads it.
wire::Decoded reference_answer(const ByteVector& raw, ByteVector& plain) {
  auto opened = he_opened(raw, kCaptureCommunity);
  REQUIRE(opened);
  plain = std::move(opened->plain);
  auto decoded = wire::decode(plain);
  REQUIRE(decoded);
  return *decoded;
}

void check_same_ack(const SentDatagram& ours, const ByteVector& reference) {
  REQUIRE(ours.encrypted);
  const auto opened = he_opened(ours.bytes, kCaptureCommunity);
  REQUIRE(opened);
  ByteVector plain;
  const auto theirs = reference_answer(reference, plain);
  CHECK(ours.bytes.size() == reference.size());
  CHECK(ours.decoded.header == theirs.header);
  const auto& a = std::get<wire::RegisterSuperAck>(ours.decoded.message);
  const auto& b = std::get<wire::RegisterSuperAck>(theirs.message);
  CHECK(a.cookie == b.cookie);
  CHECK(a.src_mac == b.src_mac);
  CHECK(a.dev_addr == b.dev_addr);
  CHECK(a.lifetime == b.lifetime);
  CHECK(a.sock == b.sock);
  CHECK(a == b);
  CHECK(opened->plain == plain);
}

}  // namespace

TEST_CASE("supernode engine: replay of a1-null-he.pcap matches the reference supernode") {
  auto config = open_config();
  config.communities = community_list("n2nkit-testvector\n");
  SupernodeHarness sn(std::move(config));

  sn.now = 1795563306;
  auto sent = sn.deliver(kRegisterA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockA);
  check_same_ack(sent[0], kAckA);
  CHECK(std::get<wire::RegisterSuperAck>(sent[0].decoded.message).cookie == 0xbec07442);

  sn.now = 1795563307;
  sent = sn.deliver(kRegisterB, kSockB);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  check_same_ack(sent[0], kAckB);
  CHECK(std::get<wire::RegisterSuperAck>(sent[0].decoded.message).sock == kSockB);

  sn.now = 1795563311;
  sent = sn.deliver(kBroadcastA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  REQUIRE(sent[0].encrypted);
  ByteVector plain;
  const auto theirs = reference_answer(kRelayedToB, plain);
  CHECK(sent[0].bytes.size() == kRelayedToB.size());
  CHECK(sent[0].plain == plain);
  CHECK(sent[0].decoded.header == theirs.header);
  CHECK(sent[0].decoded.header.flags == 0x0060);
  CHECK(sent[0].decoded.header.ttl == 1);
  const auto& ours = std::get<wire::Packet>(sent[0].decoded.message);
  const auto& ref = std::get<wire::Packet>(theirs.message);
  CHECK(ours.sock == kSockA);
  CHECK(ours.sock == ref.sock);
  CHECK(ours.src_mac == ref.src_mac);
  CHECK(ours.dst_mac == wire::kBroadcastMac);
  CHECK(ByteVector(ours.payload.begin(), ours.payload.end()) ==
        ByteVector(ref.payload.begin(), ref.payload.end()));
  CHECK(ours.payload.size() == 42);

  // Replaying A's REGISTER_SUPER is refused (no jitter for it). A PACKET's own stamp again
  // would pass: its 160 ms of jitter tolerate an equal stamp (§8.6 requires d > 0 after it).
  CHECK(sn.deliver(kRegisterA, kSockA).empty());
  CHECK(sn.drops(Reason::stamp_replayed) == 1);

  sn.now = 1795563313;
  CHECK(sn.deliver(kUnregisterA, kSockA).empty());
  CHECK(sn.edge(kCaptureCommunity, wire::Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x01}) == nullptr);
  CHECK(sn.edge(kCaptureCommunity, wire::Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x02}) != nullptr);
  CHECK(sn.total_drops() == 1);
  CHECK(sn.engine.counters().packets.broadcast == 1);

  // At today's clock the capture is stale.
  sn.now = kStart;
  CHECK(sn.deliver(kRegisterA, kSockA).empty());
  CHECK(sn.drops(Reason::stamp_out_of_window) == 1);
}

TEST_SUITE_END();

TEST_CASE("supernode engine: a socket that changes community is still understood") {
  // The engine tries the community that last opened a datagram from a socket first; that
  // must only ever be a shortcut.
  auto config = open_config();
  config.communities = community_list("secret\nother\n");
  SupernodeHarness sn(std::move(config));
  auto a = scripted_edge(1, "secret");
  register_encrypted(sn, a, stamp_at(sn, 100000));
  auto moved = scripted_edge(2, "other");
  moved.sock = a.sock;  // the same socket, another community
  register_encrypted(sn, moved, stamp_at(sn, 200000));
  register_encrypted(sn, a, stamp_at(sn, 300000));
  CHECK(sn.edge("secret", a.mac) != nullptr);
  CHECK(sn.edge("other", moved.mac) != nullptr);
  CHECK(sn.total_drops() == 0);
  // After a purge of everything, still decrypted by the full trial.
  sn.advance(200);
  register_encrypted(sn, moved, stamp_at(sn, 400000));
  CHECK(sn.total_drops() == 0);
}
