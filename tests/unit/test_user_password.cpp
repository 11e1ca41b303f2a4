#include <doctest/doctest.h>

#include <algorithm>

#include "core/keys/user_password.hpp"
#include "core/wire/pearson.hpp"

using namespace n2nkit;
using namespace n2nkit::keys;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view hex) {
  const auto bytes = from_hex(hex);
  REQUIRE(bytes);
  REQUIRE(bytes->size() == N);
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}
Key32 key32(std::string_view hex) {
  return hex_array<32>(hex);
}
Key16 key16(std::string_view hex) {
  return hex_array<16>(hex);
}
ByteVector bytes(std::string_view hex) {
  auto b = from_hex(hex);
  REQUIRE(b);
  return *b;
}

// Built here rather than with wire::make_community so these tests stand on their own.
wire::Community community(std::string_view name) {
  wire::Community c{};
  std::copy_n(name.begin(), std::min(name.size(), c.size() - 1), c.begin());
  return c;
}

struct UserVector {
  const char* user;
  const char* password;
  const char* line;
  const char* private_hex;
  const char* public_hex;
  const char* shared_with_n2nkitfed_hex;
};

// vectors/README.md "Key material": outputs of the reference n2n-keygen and values derived
// by the reference library.
constexpr UserVector kUsers[] = {
    {"logan", "007", "* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG",
     "43d321c4c9dc4dff29b3f311e13ecb30fe397463cad2daf17ffc11442d4f9b74",
     "c51838c3ed440ae0743619d2a11fe03d4a3cbd415ef157376fdef2a5b5caab34",
     "561f9cf97d8b709673d8563fbe563868366010763980f34d49755d3643e31896"},
    {"alice", "alice-password-1", "* alice 98cFkh40rowC0PCFbIv4XpSI9azGxIjZ3gXMC-f-rGq",
     "164c3b056545d41fc8bd279108a7470f53cf031a4b9b89194bbf28bb6e0c4149",
     "24898fbab100d72e8c01930f952e44873712264f50ed2b630ea85633fa7fd50d",
     "aa41c3bb90c3f1abbf3dd3e0ef0812f98a5068f001b2366dd4fc1f62e1792b53"},
    {"bob", "bob-password-2", "* bob 7JYsjyaoY2C79hq37HPe-zZBrw0+RkK0TJ9eyOVay3e",
     "2350f111697ae9e063558b9c5f4afed3d1eee88eb4ea942e51c78e568fd548c9",
     "1d38b6b7c93288230726bd031d1668ffd8cbd7a03e6ee500753268f187e4f03a",
     "703f7ec2f624af64896bdc93cd3fe00e7f1bd507623cc3f0ac37ab725d04dd69"},
};

struct FederationVector {
  const char* name;
  const char* line;
  const char* private_hex;
  const char* public_hex;
};

constexpr FederationVector kFederations[] = {
    {"n2nkitFed", "-P qGWmWyQmV7NtLk+6UhnanRIM149wScrWC+4xk1EN0s8",
     "1d6a68cd8f256f81b422d2f5f260447b9f29b528fe4f5c7185dbb7127f21ab3d",
     "d1083083c6b07c75f756ef867abc64c5b49604427a726d6033e13bb813970362"},
    {"Federation", "-P i0IuBFO0RC22m2Ya32uUUFUA2yfQSwsxVZ3-S5F2k7O",
     "29069278cbbdbab41280a8eb2f16d3cc4de08c920a4783a5d4f35a1306fe1e67",
     "b004b82cf6006cc082c028a40c2e1e78f78a0bca5a73adbb7e30ff7053c2b876"},
    {"secretFed", "-P opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4",
     "35d7b32d00364aae91b72e771cf7c7e9f91435d094cf04f6096bba36159596bd",
     "cb34bc920ae0b545537176115f3531430a2fad181bd2ec221732bb1ef94d4731"},
};

// Functions, not constants: from_hex checks run inside a test, never at static init.
Key32 n2nkitfed_private() {
  return key32("1d6a68cd8f256f81b422d2f5f260447b9f29b528fe4f5c7185dbb7127f21ab3d");
}
Key32 n2nkitfed_public() {
  return key32("d1083083c6b07c75f756ef867abc64c5b49604427a726d6033e13bb813970362");
}

}  // namespace

TEST_CASE("x25519 is RFC 7748's function") {
  // RFC 7748 §5.2, first vector.
  const auto scalar = key32("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
  auto u = key32("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
  const auto expected = key32("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  CHECK(x25519(scalar, u) == expected);
  // The top bit of u is masked.
  u[31] |= 0x80;
  CHECK(x25519(scalar, u) == expected);
}

TEST_CASE("x25519 of the reference's tests-elliptic inputs uses u = 9 * 2^248") {
  Key32 k;
  k.fill(0x55);
  CHECK(to_hex(x25519(k, kN2nBasePoint)) ==
        "7f421bf9345a59844a30bc536474fa7c158177a44d346d2f8bc18c05d6a94454");
}

TEST_CASE("x25519 of a low-order point is all zeros") {
  Key32 k;
  k.fill(0x55);
  CHECK(x25519(k, Key32{}) == Key32{});
  Key32 one{};
  one[0] = 1;
  CHECK(x25519(k, one) == Key32{});
  CHECK(shared_secret(k, Key32{}) == wire::pearson256(Key32{}));
}

TEST_CASE("the reference's tests-auth key chain") {
  const auto prv = wire::pearson256(wire::pearson256(as_bytes("00420mG51WS82GeB30qE3m")));
  CHECK(to_hex(prv) == "a4f4b51c8a0a09f97e9822ca8accb3f94d5a0d020b9d08ea039b46418e3c0d49");
  CHECK(federation_private_key("00420mG51WS82GeB30qE3m") == prv);
  const auto pub = public_key(prv);
  CHECK(to_hex(pub) == "ca58616ff925d0cd1da56248a0155eada9f35c105f20b642b0a97c1e0ed7e94b");
  CHECK(to_hex(shared_secret(prv, pub)) ==
        "5d947b0bdb54e8708a09b0db6f0b0d311bb85fba577434bd3bc5c46cd5aea484");
}

TEST_CASE("user keys, public keys and n2n-keygen lines of the reference") {
  for (const auto& v : kUsers) {
    CAPTURE(v.user);
    const auto prv = user_private_key(v.user, v.password);
    CHECK(to_hex(prv) == v.private_hex);
    const auto pub = public_key(prv);
    CHECK(to_hex(pub) == v.public_hex);
    CHECK(keygen_user_line(v.user, v.password) == v.line);
    const std::string_view line = v.line;
    const auto parsed = key_from_text(line.substr(line.size() - kPublicKeyTextSize));
    REQUIRE(parsed);
    CHECK(*parsed == pub);
  }
}

TEST_CASE("user name and password are not interchangeable") {
  CHECK(user_private_key("logan", "007") != user_private_key("007", "logan"));
}

TEST_CASE("federation keys and n2n-keygen -F lines of the reference") {
  for (const auto& v : kFederations) {
    CAPTURE(v.name);
    const auto prv = federation_private_key(v.name);
    CHECK(to_hex(prv) == v.private_hex);
    CHECK(to_hex(public_key(prv)) == v.public_hex);
    CHECK(keygen_federation_line(v.name) == v.line);
  }
}

TEST_CASE("both sides derive the same shared secret") {
  for (const auto& v : kUsers) {
    CAPTURE(v.user);
    const auto user_prv = key32(v.private_hex);
    const auto user_pub = key32(v.public_hex);
    const auto edge_side = shared_secret(user_prv, n2nkitfed_public());
    const auto supernode_side = shared_secret(n2nkitfed_private(), user_pub);
    CHECK(to_hex(edge_side) == v.shared_with_n2nkitfed_hex);
    CHECK(supernode_side == edge_side);
  }
}

TEST_CASE("spec §10.2: logan/007 with the default federation") {
  const auto expected = "1f38919f200cf062e6c93e4ca86f5dcd894ea074490b5ff1a1f3dba2dd974453";
  const auto user_prv = user_private_key("logan", "007");
  const auto fed_prv = federation_private_key("Federation");
  CHECK(to_hex(shared_secret(user_prv, public_key(fed_prv))) == expected);
  CHECK(to_hex(shared_secret(fed_prv, public_key(user_prv))) == expected);
}

TEST_CASE("key text is exactly 43 characters of the alphabet") {
  const auto pub = key32(kUsers[0].public_hex);
  CHECK(key_to_text(pub) == "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG");
  CHECK(key_from_text("nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgp").error() ==
        Reason::bad_key_length);
  CHECK(key_from_text("nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpGG").error() ==
        Reason::bad_key_length);
  CHECK(key_from_text("").error() == Reason::bad_key_length);
  CHECK(key_from_text("nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgp=").error() ==
        Reason::bad_key_encoding);
  // The reference's '<' / '>' spellings of '+' / '-' load the same key.
  const auto alt = key_from_text("nHWum<r42k1qDXdIeH>WFKeylK5UyLStRzxofRNAgpG");
  REQUIRE(alt);
  CHECK(*alt == pub);
}

TEST_CASE("edge token round trip") {
  const auto shared = key32(kUsers[1].shared_with_n2nkitfed_hex);
  const auto pub = key32(kUsers[1].public_hex);
  const auto challenge = key16("00112233445566778899aabbccddeeff");
  const auto token = make_edge_token(pub, shared, challenge);
  CHECK(std::equal(pub.begin(), pub.end(), token.begin()));
  const auto back = challenge_from_edge_token(token, shared);
  REQUIRE(back);
  CHECK(*back == challenge);
  CHECK(challenge_from_edge_token(ByteView(token).first(47), shared).error() ==
        Reason::bad_key_length);
}

TEST_CASE("ack token round trip recovers the dynamic key") {
  const auto shared = key32(kUsers[2].shared_with_n2nkitfed_hex);
  const auto pub = key32(kUsers[2].public_hex);
  const auto challenge = key16("f0e0d0c0b0a090807060504030201000");
  const auto dynamic = key16("3014baa8a93878560fd331d2f1b30be6");
  const auto edge_token = make_edge_token(pub, shared, challenge);
  const auto ack = make_ack_token(edge_token, shared, dynamic);
  REQUIRE(ack);
  // The second half of the public key goes back unchanged.
  CHECK(std::equal(ack->begin() + 16, ack->begin() + 32, pub.begin() + 16));
  const auto recovered = dynamic_key_from_ack_token(*ack, shared, challenge);
  REQUIRE(recovered);
  CHECK(*recovered == dynamic);

  SUBCASE("another shared secret fails the challenge check") {
    const auto other = key32(kUsers[1].shared_with_n2nkitfed_hex);
    CHECK(dynamic_key_from_ack_token(*ack, other, challenge).error() ==
          Reason::auth_challenge_mismatch);
  }
  SUBCASE("another challenge fails the check") {
    auto wrong = challenge;
    wrong[15] ^= 1;
    CHECK(dynamic_key_from_ack_token(*ack, shared, wrong).error() ==
          Reason::auth_challenge_mismatch);
  }
  SUBCASE("tokens of the wrong size are refused") {
    CHECK(make_ack_token(ByteView(edge_token).first(32), shared, dynamic).error() ==
          Reason::bad_key_length);
    CHECK(dynamic_key_from_ack_token(ByteView(*ack).first(40), shared, challenge).error() ==
          Reason::bad_key_length);
    const ByteVector longer(49, 0);
    CHECK(dynamic_key_from_ack_token(longer, shared, challenge).error() == Reason::bad_key_length);
  }
}

TEST_CASE("auth-userpw.pcap: alice's REGISTER_SUPER and its ACK") {
  // index.json, auth-userpw.pcap frames 1 and 3.
  const auto alice_prv = user_private_key("alice", "alice-password-1");
  const auto shared = shared_secret(alice_prv, n2nkitfed_public());
  const auto register_token = bytes(
      "24898fbab100d72e8c01930f952e44873712264f50ed2b630ea85633fa7fd50d"
      "0531759b0aa09ac130413ad9c11be76b");
  const auto challenge = challenge_from_edge_token(register_token, shared);
  REQUIRE(challenge);
  CHECK(to_hex(*challenge) == "080e9f8a4404e1381f1f03c24c6b47bb");

  const auto ack_token = bytes(
      "451797b187d0f5d90ef165d0177998603712264f50ed2b630ea85633fa7fd50d"
      "ff9eae4693bec546a0b303d86cc2b125");
  const auto dynamic = dynamic_key_from_ack_token(ack_token, shared, *challenge);
  REQUIRE(dynamic);
  CHECK(to_hex(*dynamic) == "3014baa8a93878560fd331d2f1b30be6");

  // The supernode's side: the same answer from the edge token and the community's key.
  const auto sn_shared = shared_secret(n2nkitfed_private(), public_key(alice_prv));
  const auto answer = make_ack_token(register_token, sn_shared, *dynamic);
  REQUIRE(answer);
  CHECK(to_hex(*answer) == to_hex(ack_token));
}

TEST_CASE("auth-userpw.pcap: bob's REGISTER_SUPER and its ACK") {
  // index.json, auth-userpw.pcap frames 6 and 8.
  const auto shared = shared_secret(user_private_key("bob", "bob-password-2"), n2nkitfed_public());
  const auto challenge = challenge_from_edge_token(
      bytes("1d38b6b7c93288230726bd031d1668ffd8cbd7a03e6ee500753268f187e4f03a"
            "04a34b75a32ccd9f681ff18dbbc33a34"),
      shared);
  REQUIRE(challenge);
  CHECK(to_hex(*challenge) == "f0070cb5655c6c021f5da1a84206bb47");
  const auto dynamic = dynamic_key_from_ack_token(
      bytes("af2d00343d5ef0eeff60155bea8cf3ffd8cbd7a03e6ee500753268f187e4f03a"
            "8ebbe42546563e41103c9601a38450f3"),
      shared, *challenge);
  REQUIRE(dynamic);
  CHECK(to_hex(*dynamic) == "3014baa8a93878560fd331d2f1b30be6");
}

TEST_CASE("auth-nak.pcap: a wrong password gives another public key") {
  // index.json, auth-nak.pcap frame 1: alice with "wrong-password".
  const auto prv = user_private_key("alice", "wrong-password");
  const auto token = bytes(
      "8c75d3035f8fcf92c4ee24d2f4977d836ad4438a7ae3d58f88b5bd09959d480b"
      "a0bba2d46a2014c9c5f37b6f65d3850d");
  CHECK(std::equal(token.begin(), token.begin() + 32, public_key(prv).begin()));
  const auto challenge = challenge_from_edge_token(token, shared_secret(prv, n2nkitfed_public()));
  REQUIRE(challenge);
  CHECK(to_hex(*challenge) == "a5e110885d7a51b44bd0846a1267a5e2");
}

TEST_CASE("trailer of alice's REGISTER_SUPER and the supernode's ACK") {
  // The whole UDP payloads of auth-userpw.pcap frames 1 and 3: header-encrypted datagram,
  // then the 16-byte trailer; both made with alice's shared secret.
  const auto shared =
      shared_secret(user_private_key("alice", "alice-password-1"), n2nkitfed_public());
  for (
      const char* hex : {
          "1fbf78348bb35775c91430481d9b7e787e0f63e3f043a8eff0dd7a8664ae8ee3d643a1f7b0b5822e8dc208dd"
          "049dfc6304e69dd7054a15599e66f11a77b4bf3ece96b0733f20ddfa7a5435f832cd14c626a53e4e0a0686df"
          "c78e0438bae2604758747f36c9e5942ed3d1c74a68a79f87331ff69591affe9670bac4e2fcd482",
          "e73e80bfa9840ad04c21b67c81423c283fe12c1b8723e3cab5ac972cb3fb839090d382a308dd33c89ead80be"
          "94501874c6e384a629ae3c23fe6db2ba526d1fad95da8d041a155e4e2576cb62fd7ce958ff9699b286ba7d1f"
          "0c320879753e8ab702f95271c1a1693d50497291066e3914c16bfa3476373d02f1c8",
      }) {
    const auto datagram = bytes(hex);
    const ByteView body = ByteView(datagram).first(datagram.size() - 16);
    const ByteView tail = ByteView(datagram).last(16);
    const auto t = trailer(body, shared);
    CHECK(std::equal(t.begin(), t.end(), tail.begin()));
    const auto bob = shared_secret(user_private_key("bob", "bob-password-2"), n2nkitfed_public());
    const auto wrong = trailer(body, bob);
    CHECK_FALSE(std::equal(wrong.begin(), wrong.end(), tail.begin()));
  }
}

TEST_CASE("dynamic keys of spec §10.5 and of auth-userpw.pcap") {
  CHECK(to_hex(dynamic_key(community("mycommunity"), community("*Federation"), 1700000000)) ==
        "eba4d8a774e2442020eaec7638eeec69");
  CHECK(to_hex(dynamic_key(community("n2nkit-authvector"), community("*n2nkitFed"), 1795563456)) ==
        "3014baa8a93878560fd331d2f1b30be6");
}

TEST_CASE("the dynamic key depends on every input") {
  const auto base = dynamic_key(community("mycommunity"), community("*Federation"), 1700000000);
  CHECK(dynamic_key(community("mycommunity"), community("*Federation"), 1700000001) != base);
  CHECK(dynamic_key(community("mycommunitx"), community("*Federation"), 1700000000) != base);
  CHECK(dynamic_key(community("mycommunity"), community("Federation"), 1700000000) != base);
  // Byte order: a byte-swapped key_time is a different key (the value is hashed LE, not BE).
  CHECK(dynamic_key(community("mycommunity"), community("*Federation"), 0x00f15365U) != base);
}
