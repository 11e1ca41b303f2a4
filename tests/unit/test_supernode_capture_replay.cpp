// Supernode engine against the reference supernode: the edge datagrams of the shared capture
// a1-null.pcap (3.1.1 supernode, locked to "n2nkit-testvector", MAC 02:53:4e:00:00:01) are
// replayed from the same sockets and our answers compared with the reference's. The datagrams
// are copied here as hex so that unit tests do not depend on /work/shared at run time.
#include <doctest/doctest.h>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

namespace {

ByteVector hex(std::string_view text) {
  // Namespace-scope constants: no doctest assertion here; an empty vector fails the checks.
  return from_hex(text).value_or(ByteVector{});
}

// Frame 1: edge A -> sn, REGISTER_SUPER, cookie 0bb961f3, 10.20.30.1/24 "edge-a".
const auto kRegisterA =
    hex("030200056e326e6b69742d74657374766563746f720000000bb961f30220300000010a141e0118656467652d61"
        "0000000000000000000000010010538f7e794f9057f2085bb9c80dab342700000000");
// Frame 3: the reference's REGISTER_SUPER_ACK to A.
const auto kAckA =
    hex("030200676e326e6b69742d74657374766563746f720000000bb961f302534e0000010000000000000f0000c351"
        "c613000b000000000000000000");
// Frame 6: edge B -> sn, REGISTER_SUPER, cookie c452b861, 10.20.30.2/24 "edge-b".
const auto kRegisterB =
    hex("030200056e326e6b69742d74657374766563746f72000000c452b8610220300000020a141e0218656467652d62"
        "0000000000000000000000010010186ccbb1168aab0cf0328f2482b19fef00000000");
// Frame 11: the reference's REGISTER_SUPER_ACK to B.
const auto kAckB =
    hex("030200676e326e6b69742d74657374766563746f72000000c452b86102534e0000010000000000000f0000c352"
        "c613000c000000000000000000");
// Frame 14: B's gratuitous ARP (broadcast PACKET); frame 16: the reference's relay to A.
const auto kBroadcastB =
    hex("030200036e326e6b69742d74657374766563746f72000000022030000002ffffffffffff0101ffffffffffff02"
        "2030000002080600010800060400020220300000020a141e02ffffffffffff0a141e02");
const auto kRelayedToA =
    hex("030100636e326e6b69742d74657374766563746f72000000022030000002ffffffffffff0000c352c613000c01"
        "01ffffffffffff022030000002080600010800060400020220300000020a141e02ffffffffffff0a141e02");
// Frame 22: A's ARP request (broadcast PACKET); frame 23: the reference's relay to B.
const auto kBroadcastA =
    hex("030200036e326e6b69742d74657374766563746f72000000022030000001ffffffffffff0101ffffffffffff02"
        "2030000001080600010800060400010220300000010a141e010000000000000a141e02");
const auto kRelayedToB =
    hex("030100636e326e6b69742d74657374766563746f72000000022030000001ffffffffffff0000c351c613000b01"
        "01ffffffffffff022030000001080600010800060400010220300000010a141e010000000000000a141e02");
// Frame 31: A's UNREGISTER_SUPER.
const auto kUnregisterA =
    hex("030200066e326e6b69742d74657374766563746f7200000000010010538f7e794f9057f2085bb9c80dab342702"
        "2030000001");

const wire::Sock kSockA = wire::Sock::ipv4(ipv4(198, 19, 0, 11), 50001);
const wire::Sock kSockB = wire::Sock::ipv4(ipv4(198, 19, 0, 12), 50002);

supernode::SupernodeConfig capture_config() {
  auto config = open_config();
  config.communities = community_list("n2nkit-testvector\n");
  return config;
}

void check_same_ack(const SentDatagram& ours, const ByteVector& reference) {
  const auto theirs = wire::decode(reference);
  REQUIRE(theirs);
  CHECK(ours.decoded.header == theirs->header);
  const auto& a = std::get<wire::RegisterSuperAck>(ours.decoded.message);
  const auto& b = std::get<wire::RegisterSuperAck>(theirs->message);
  CHECK(a.cookie == b.cookie);
  CHECK(a.src_mac == b.src_mac);
  CHECK(a.src_mac == kSupernodeMac);
  CHECK(a.dev_addr == b.dev_addr);
  CHECK(a.dev_addr == wire::IpSubnet{});
  CHECK(a.lifetime == b.lifetime);
  CHECK(a.sock == b.sock);
  CHECK(a == b);
  CHECK(ours.bytes == reference);
}

}  // namespace

TEST_CASE("supernode engine: replay of a1-null.pcap matches the reference supernode") {
  SupernodeHarness sn(capture_config());

  auto sent = sn.deliver(kRegisterA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockA);
  check_same_ack(sent[0], kAckA);

  sent = sn.deliver(kRegisterB, kSockB);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  check_same_ack(sent[0], kAckB);

  sent = sn.deliver(kBroadcastB, kSockB);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockA);
  CHECK(sent[0].bytes == kRelayedToA);

  sent = sn.deliver(kBroadcastA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  CHECK(sent[0].bytes == kRelayedToB);

  CHECK(sn.deliver(kUnregisterA, kSockA).empty());
  CHECK(sn.edge("n2nkit-testvector", wire::Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x01}) == nullptr);
  CHECK(sn.edge("n2nkit-testvector", wire::Mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x02}) != nullptr);
  CHECK(sn.total_drops() == 0);
  CHECK(sn.engine.counters().packets.reg_super_rx == 2);
  CHECK(sn.engine.counters().packets.broadcast == 2);
}

TEST_SUITE_END();
