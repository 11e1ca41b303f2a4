#include <doctest/doctest.h>

#include <cstring>

#include "core/wire/header_encryption.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

namespace {
Community community(std::string_view name) {
  Community c{};
  std::memcpy(c.data(), name.data(), name.size());
  return c;
}
ByteVector hex(std::string_view h) {
  return from_hex(h).value();
}

const char* kPlainPacket =
    "030200036d79636f6d6d756e6974790000000000000000000102030405061011121314150105000102030405"
    "060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627";
const char* kCipherPacket =
    "a68d7e69b82c83c8f28b85900ce53b16f4286c4945ce62c67c3b8c0061326012459bebff2abd000102030405"
    "060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627";
}  // namespace

TEST_CASE("static header keys of the spec's example community") {
  const auto keys = HeaderKeys::from_community(community("mycommunity"));
  CHECK(to_hex(keys.header_key()) == "d3c94a1b83ed7e03518e6755910033aa");
  CHECK(to_hex(keys.iv_key()) == "9ea3c2d2c8b2b56435c696a3b063231e");
}

TEST_CASE("header keys of the capture communities and the dynamic key") {
  CHECK(to_hex(HeaderKeys::from_community(community("n2nkit-testvector")).header_key()) ==
        "a892ba536a2d1e43a8ed3726f0791f06");
  CHECK(to_hex(HeaderKeys::from_community(community("*Federation")).iv_key()) ==
        "de2da565d45aea249b5fcc8f42f8128a");
  std::array<std::uint8_t, 16> d{};
  const auto raw = hex("3014baa8a93878560fd331d2f1b30be6");
  std::copy(raw.begin(), raw.end(), d.begin());
  const auto keys = HeaderKeys::from_dynamic_key(d);
  CHECK(to_hex(keys.header_key()) == "5ce6eca297146257e25f0498897dc665");
  CHECK(to_hex(keys.iv_key()) == "43ea5522239724fde00922db9e0fc387");
}

TEST_CASE("encryption reproduces the spec's full vector") {
  auto p = hex(kPlainPacket);
  const auto keys = HeaderKeys::from_community(community("mycommunity"));
  CHECK(he_covered_length(p, false) == 38);
  REQUIRE(he_encrypt(p, 38, keys, 0x0123456789abcde0ULL, 0xc7dd61ee).ok());
  CHECK(to_hex(p) == kCipherPacket);
}

TEST_CASE("decryption recovers plaintext and stamp; the input is untouched") {
  const auto q = hex(kCipherPacket);
  const auto keys = HeaderKeys::from_community(community("mycommunity"));
  ByteVector out(q.size());
  auto r = he_decrypt(q, q.size(), community("mycommunity"), keys, out);
  REQUIRE(r);
  CHECK(r->stamp == 0x0123456789abcde0ULL);
  CHECK(r->covered == 38);
  CHECK(to_hex(out) == kPlainPacket);
  CHECK(to_hex(q) == kCipherPacket);
}

TEST_CASE("wrong key, tampering and short input are rejected") {
  const auto q = hex(kCipherPacket);
  ByteVector out(q.size());
  const auto other = HeaderKeys::from_community(community("othercommunity"));
  CHECK(he_decrypt(q, q.size(), community("othercommunity"), other, out).error() ==
        Reason::he_no_key);
  const auto keys = HeaderKeys::from_community(community("mycommunity"));
  // A flipped payload byte breaks the checksum (it covers the whole datagram).
  auto t = q;
  t.back() ^= 1;
  CHECK(he_decrypt(t, t.size(), community("mycommunity"), keys, out).error() ==
        Reason::he_checksum);
  CHECK(he_decrypt(q, 23, community("mycommunity"), keys, out).error() == Reason::too_short);
  ByteVector small(10);
  CHECK(he_decrypt(q, q.size(), community("mycommunity"), keys, small).error() ==
        Reason::buffer_too_small);
}

TEST_CASE("trial order: dynamic over the whole datagram, then static without the trailer") {
  const auto comm = community("n2nkit-authvector");
  const auto stat = HeaderKeys::from_community(comm);
  std::array<std::uint8_t, 16> d{};
  d[0] = 1;
  const auto dyn = HeaderKeys::from_dynamic_key(d);

  auto plain = hex(kPlainPacket);
  std::memset(plain.data() + 4, 0, 20);
  std::memcpy(plain.data() + 4, comm.data(), comm.size());

  // A dynamic-key message.
  auto m1 = plain;
  REQUIRE(he_encrypt(m1, he_covered_length(m1, true), dyn, 100, 7).ok());
  ByteVector out(m1.size());
  auto r1 = he_decrypt_trial(m1, comm, dyn, stat, out);
  REQUIRE(r1);
  CHECK(r1->kind == HeKeyKind::dynamic);
  CHECK(r1->covered == 54);  // PACKET header + 16 IV bytes in user/password mode
  CHECK(ByteVector(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r1->length)) == plain);

  // A static-key message with a 16-byte trailer appended after encryption.
  auto m2 = plain;
  REQUIRE(he_encrypt(m2, m2.size(), stat, 200, 9).ok());
  m2.insert(m2.end(), 16, 0xee);
  ByteVector out2(m2.size());
  auto r2 = he_decrypt_trial(m2, comm, dyn, stat, out2);
  REQUIRE(r2);
  CHECK(r2->kind == HeKeyKind::static_with_trailer);
  CHECK(r2->length == plain.size());
  CHECK(r2->stamp == 200);
}

TEST_CASE("covered length per message type") {
  ByteVector reg(61, 0);
  reg[0] = 3;
  reg[3] = 1;
  CHECK(he_covered_length(reg, false) == 61);
  ByteVector pkt(100, 0);
  pkt[0] = 3;
  pkt[3] = 3;
  CHECK(he_covered_length(pkt, false) == 38);
  CHECK(he_covered_length(pkt, true) == 54);
  pkt[3] = 3 | kFlagSocket | kFlagFromSupernode;
  CHECK(he_covered_length(pkt, false) == 46);
  CHECK(he_covered_length(pkt, true) == 62);
  ByteVector tiny(40, 0);
  tiny[3] = 3;
  CHECK(he_covered_length(tiny, true) == 40);
}

TEST_CASE("the supernode's plaintext detector") {
  ByteVector p(24, 0);
  p[0] = 3;
  p[3] = 5;
  CHECK(looks_like_plaintext_header(p));
  p[3] = 12;
  CHECK_FALSE(looks_like_plaintext_header(p));
  p[3] = 5;
  p[2] = 0x01;
  CHECK_FALSE(looks_like_plaintext_header(p));
  p[2] = 0;
  p[23] = 1;
  CHECK_FALSE(looks_like_plaintext_header(p));
  CHECK_FALSE(looks_like_plaintext_header(ByteView{p.data(), 23}));
}
