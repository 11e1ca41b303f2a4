// User/password communities at the supernode (spec §10): the shared capture auth-userpw.pcap
// (reference 3.1.1 supernode, community.list with users alice and bob, federation
// "*n2nkitFed", key time 1795563456) replayed into the engine, plus refusals and the reload.
#include <doctest/doctest.h>

#include "core/keys/user_password.hpp"
#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

namespace {

ByteVector hex(std::string_view text) {
  return from_hex(text).value_or(ByteVector{});
}

constexpr std::uint64_t kKeyTime = 1795563456;
constexpr std::string_view kCommunity = "n2nkit-authvector";
constexpr std::string_view kCommunityList =
    "n2nkit-authvector\n"
    "* alice 98cFkh40rowC0PCFbIv4XpSI9azGxIjZ3gXMC-f-rGq\n"
    "* bob 7JYsjyaoY2C79hq37HPe-zZBrw0+RkK0TJ9eyOVay3e\n";

const wire::Sock kSockA = wire::Sock::ipv4(ipv4(198, 19, 0, 11), 50001);
const wire::Sock kSockB = wire::Sock::ipv4(ipv4(198, 19, 0, 12), 50002);
const wire::Mac kMacA{0x02, 0x20, 0x30, 0x00, 0x00, 0x01};
const wire::Mac kMacB{0x02, 0x20, 0x30, 0x00, 0x00, 0x02};

// Datagrams as captured (header-encrypted), edges to supernode.
const auto kRegisterA = hex(
    "1fbf78348bb35775c91430481d9b7e787e0f63e3f043a8eff0dd7a8664ae8ee3d643a1f7b0b5822e8dc208dd049d"
    "fc6304e69dd7054a15599e66f11a77b4bf3ece96b0733f20ddfa7a5435f832cd14c626a53e4e0a0686dfc78e0438"
    "bae2604758747f36c9e5942ed3d1c74a68a79f87331ff69591affe9670bac4e2fcd482");
const auto kBroadcastA = hex(
    "0f030ff6ddbeddffe5376b9ad05e1d0030482c86719958b015359ace94404289b6820c1e5e42dcfd331123da61f9"
    "48970a155f47a1e8310092a72c0ac9eaaa53e3ebfb97b8de176981178c233b0be3f913a379958040fceba7b552b8"
    "76a40934");
const auto kRegisterB = hex(
    "996950f737052fc4239f519f52985b93bb0000b3c24eb78b902edb79454e5f6850a53d3867511aea35d9d72324c1"
    "4e7757989b4441cb68a369a2669c89be3152dd324094066b057c837c556f0b95a89b4c080954fd40266bc8e8b930"
    "ca80e6a8370510a35787e01901dade7ea913263bfe68d45811c5048d6f91716bab9127");
const auto kBroadcastB = hex(
    "72abd604669eb23f0c17bc7e3f1ed738aa0a7f1b46261ef2d1866f3e27b9ac164deb4bf5a00735953fd11e2eb8c1"
    "f3b8884ba350a2a05484a224821aeccd13dd7636e55d3c5a506721300a6bad87520a1c73439adcf1079dff50afbc"
    "c0aba1c9");
const auto kForwardedRegisterA = hex(
    "8639183fbecc3b8e46728fdaa1b904dc7323ef01ce54f0d9ddf3f9dab8dd6133bdebfc8e95b29488b5d9b542dcc1"
    "22079bd2f865b68b2e7ca10bd4dc5c");
const auto kUnicastA = hex(
    "97ef8bd66efcef154256853a4bf985243f8a43c2b24d3b9f4e7298f527316b81762851bf4db56a9d2c904ae1e2a6"
    "6c748038fbb86bfab594380a19fc68c101dcf1c9729088c0e7a1c98a5a5a28ec0b2ebfc8013399d245ed7ceef5d0"
    "dbb9b73a");
const auto kUnregisterA = hex(
    "2bd57ffcf465093c4aa230f77939b2dffab73aa1b6b6be672f4961d179c5da2b88f743d92827367e27130eb108d5"
    "77bb7d7177b30a209822b6d9a6cd3ed526725a13abe333d026a2221248ba22453f694bc2");

// The reference supernode's answers, header decrypted (trailers removed).
const auto kAckA = hex(
    "030200676e326e6b69742d61757468766563746f7200000033207a0a02534e0000010000000000000f0000c351c6"
    "13000b00020030451797b187d0f5d90ef165d0177998603712264f50ed2b630ea85633fa7fd50dff9eae4693bec5"
    "46a0b303d86cc2b1250000000000");
const auto kAckB = hex(
    "030200676e326e6b69742d61757468766563746f720000001a0bf1ca02534e0000010000000000000f0000c352c6"
    "13000c00020030af2d00343d5ef0eeff60155bea8cf3ffd8cbd7a03e6ee500753268f187e4f03a8ebbe42546563e"
    "41103c9601a38450f30000000000");
const auto kRelayedBroadcastToA = hex(
    "030100636e326e6b69742d61757468766563746f72000000022030000002ffffffffffff0000c352c613000c0104"
    "a38315ea53b0032c735ea751a8870ed15484a224821aeccd13dd7636e55d3c5a506721300a6bad87520a1c73439a"
    "dcf1079dff50afbcc0aba1c9");
const auto kRelayedRegisterToB = hex(
    "030100616e326e6b69742d61757468766563746f72000000000010000220300000010220300000020000c351c613"
    "000b0a141e0118616c6963650000000000000000000000");
const auto kRelayedUnicastToB = hex(
    "030100636e326e6b69742d61757468766563746f72000000022030000001ffffffffffff0000c351c613000b0104"
    "f62403847ff761eb36d901a97e9f39f2b594380a19fc68c101dcf1c9729088c0e7a1c98a5a5a28ec0b2ebfc80133"
    "99d245ed7ceef5d0dbb9b73a");

// auth-nak.pcap: alice with a wrong password, and the reference's NAK (decrypted, no trailer).
const auto kRegisterWrongPassword = hex(
    "2b6e9ff144614928bdbb7155634bc1fa92c5a09e78d79f64f911ebed920a209c30d223ce5b90345a1611c7a55c38"
    "01d35d8fc1f6295319e0863b918f2daf232320c85b1fe0e18aa6db85c0ac0fd5a947842a0a09b277b381d5a4d20c"
    "bfd17f55a24433d096d882b8c0c318be3ef5bd9b63d42ba37fd23e8450289d0968e3f6");
const auto kNakWrongPassword =
    hex("030200686e326e6b69742d61757468766563746f72000000fa3b5c7302203000000100000000");

supernode::SupernodeConfig auth_config() {
  auto config = open_config();
  config.communities = community_list(kCommunityList);
  config.federation = "*n2nkitFed";
  return config;
}

keys::Key32 shared_secret_of(std::string_view user, std::string_view password) {
  const auto fed_public = keys::public_key(keys::federation_private_key("n2nkitFed"));
  return keys::shared_secret(keys::user_private_key(user, password), fed_public);
}

// What an edge checks on an answer with a trailer (§10.4).
void check_trailer(const SentDatagram& sent, const keys::Key32& shared) {
  REQUIRE(sent.with_trailer);
  const ByteView bytes = sent.bytes;
  const auto expected = keys::trailer(bytes.first(bytes.size() - 16), shared);
  CHECK(ByteVector(expected.begin(), expected.end()) == ByteVector(bytes.end() - 16, bytes.end()));
}

}  // namespace

TEST_CASE("supernode user/password: replay of auth-userpw.pcap matches the reference") {
  SupernodeHarness sn(auth_config(), kKeyTime);
  const auto* community = sn.engine.communities().find(wire::make_community(kCommunity));
  REQUIRE(community != nullptr);
  CHECK(to_hex(community->dynamic_key) == "3014baa8a93878560fd331d2f1b30be6");
  CHECK(sn.engine.key_time() == kKeyTime);

  sn.now = kKeyTime + 1;
  auto sent = sn.deliver(kRegisterA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockA);
  CHECK(sent[0].plain == kAckA);
  check_trailer(sent[0], shared_secret_of("alice", "alice-password-1"));

  // Nobody else to hear alice's broadcast yet.
  CHECK(sn.deliver(kBroadcastA, kSockA).empty());

  sn.now = kKeyTime + 2;
  sent = sn.deliver(kRegisterB, kSockB);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].plain == kAckB);
  check_trailer(sent[0], shared_secret_of("bob", "bob-password-2"));

  sent = sn.deliver(kBroadcastB, kSockB);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockA);
  CHECK_FALSE(sent[0].with_trailer);
  CHECK(sent[0].plain == kRelayedBroadcastToA);

  sent = sn.deliver(kForwardedRegisterA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  CHECK(sent[0].plain == kRelayedRegisterToB);

  sn.now = kKeyTime + 5;
  sent = sn.deliver(kUnicastA, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == kSockB);
  CHECK(sent[0].plain == kRelayedUnicastToB);

  sn.now = kKeyTime + 7;
  CHECK(sn.deliver(kUnregisterA, kSockA).empty());
  CHECK(sn.edge(kCommunity, kMacA) == nullptr);
  CHECK(sn.edge(kCommunity, kMacB) != nullptr);
  CHECK(sn.total_drops() == 0);
}

TEST_CASE("supernode user/password: a wrong password gets the reference's NAK") {
  SupernodeHarness sn(auth_config(), kKeyTime);
  sn.now = 1795563635;
  const auto sent = sn.deliver(kRegisterWrongPassword, kSockA);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].with_trailer);
  CHECK(sent[0].plain == kNakWrongPassword);
  CHECK(sn.drops(Reason::unknown_user) == 1);
  CHECK(sn.edge(kCommunity, kMacA) == nullptr);
  CHECK(sn.engine.counters().packets.reg_super_nak == 1);
}

TEST_CASE("supernode user/password: a bad trailer is dropped without an answer") {
  SupernodeHarness sn(auth_config(), kKeyTime);
  sn.now = kKeyTime + 1;
  auto tampered = kRegisterA;
  tampered.back() ^= 0x01;
  CHECK(sn.deliver(tampered, kSockA).empty());
  CHECK(sn.drops(Reason::trailer_mismatch) == 1);
  // The bad copy did not use up the stamp: the genuine datagram still registers alice.
  CHECK(sn.deliver(kRegisterA, kSockA).size() == 1);
  CHECK(sn.edge(kCommunity, kMacA) != nullptr);
}

TEST_CASE("supernode user/password: scheme mismatches are refused both ways") {
  SupernodeHarness sn(auth_config(), kKeyTime);
  sn.now = kKeyTime + 1;
  // A simple-id edge in the user/password community, sealed like -H would seal it: without a
  // trailer the static keys never match (they cover L - 16 bytes there).
  auto simple = scripted_edge(1, std::string(kCommunity));
  CHECK(sn.deliver(he_sealed(simple.register_super(), kCommunity, wire::stamp_of({sn.now, 0})),
                   simple.sock)
            .empty());
  CHECK(sn.drops(Reason::he_no_key) == 1);

  // Sealed with the dynamic keys (only a member knows them), a REGISTER_SUPER still lacks the
  // trailer that proves the user.
  auto datagram = simple.register_super();
  const auto* community = sn.engine.communities().find(wire::make_community(kCommunity));
  REQUIRE(wire::he_encrypt(datagram, wire::he_covered_length(datagram, true),
                           *community->dynamic_keys, wire::stamp_of({sn.now, 0}), 7));
  CHECK(sn.deliver(datagram, simple.sock).empty());
  CHECK(sn.drops(Reason::trailer_missing) == 1);

  // A user/password token in an ordinary community: NAK.
  SupernodeHarness open(open_config(), kKeyTime);
  auto edge = scripted_edge(2, "plain");
  edge.auth.scheme = 2;
  edge.auth.size = 48;
  const auto sent = open.from_edge(edge, edge.register_super());
  REQUIRE(sent.size() == 1);
  CHECK(std::holds_alternative<wire::RegisterSuperNak>(sent[0].decoded.message));
  CHECK(open.drops(Reason::auth_scheme_mismatch) == 1);
}

TEST_CASE("supernode user/password: reload sends RE_REGISTER_SUPER with the old keys") {
  SupernodeHarness sn(auth_config(), kKeyTime);
  sn.now = kKeyTime + 1;
  REQUIRE(sn.deliver(kRegisterA, kSockA).size() == 1);
  const auto old_keys =
      *sn.engine.communities().find(wire::make_community(kCommunity))->dynamic_keys;

  sn.out.clear();
  const std::uint64_t reload_at = kKeyTime + 100;
  sn.engine.reload_communities(community_list(kCommunityList), {reload_at, 0}, sn.out);
  REQUIRE(sn.out.size() == 1);
  CHECK(sn.out[0].to.sock == kSockA);
  const ByteVector bytes(sn.out[0].bytes.begin(), sn.out[0].bytes.end());
  ByteVector plain(bytes.size());
  const auto name = wire::make_community(kCommunity);
  REQUIRE(wire::he_decrypt(bytes, bytes.size(), name, old_keys, plain));
  const auto decoded = wire::decode(plain);
  REQUIRE(decoded);
  CHECK(std::holds_alternative<wire::ReRegisterSuper>(decoded->message));
  CHECK(decoded->header.flags == wire::kFlagFromSupernode);

  // Edges are gone, the key time moved, the dynamic key with it.
  CHECK(sn.edge(kCommunity, kMacA) == nullptr);
  CHECK(sn.engine.key_time() == reload_at);
  const auto* community = sn.engine.communities().find(name);
  REQUIRE(community != nullptr);
  CHECK(community->dynamic_key == keys::dynamic_key(name, wire::make_community("*n2nkitFed"),
                                                    static_cast<std::uint32_t>(reload_at)));
}

TEST_SUITE_END();
