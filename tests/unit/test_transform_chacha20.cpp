#include <doctest/doctest.h>

#include <array>
#include <bit>

#include "core/wire/pearson.hpp"
#include "tests/unit/transform_checks.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using namespace n2nkit::testing;

namespace {

constexpr std::string_view kR3 = "f273c1146cdf4e12d67b2f27568ded74";

// A plain ChaCha20 block function (RFC 8439 §2.3) over the 16-word state of spec §9.4:
// constants, key, then the four IV words (word 12 = counter).
std::array<std::uint8_t, 64> chacha_block(ByteView key,
                                          const std::array<std::uint32_t, 4>& iv_words) {
  std::array<std::uint32_t, 16> s{0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (std::size_t i = 0; i < 8; ++i) s[4 + i] = load_le32(key.data() + 4 * i);
  for (std::size_t i = 0; i < 4; ++i) s[12 + i] = iv_words[i];
  auto x = s;
  auto qr = [&x](std::size_t a, std::size_t b, std::size_t c, std::size_t d) {
    x[a] += x[b], x[d] = std::rotl(x[d] ^ x[a], 16);
    x[c] += x[d], x[b] = std::rotl(x[b] ^ x[c], 12);
    x[a] += x[b], x[d] = std::rotl(x[d] ^ x[a], 8);
    x[c] += x[d], x[b] = std::rotl(x[b] ^ x[c], 7);
  };
  for (int round = 0; round < 10; ++round) {
    qr(0, 4, 8, 12), qr(1, 5, 9, 13), qr(2, 6, 10, 14), qr(3, 7, 11, 15);
    qr(0, 5, 10, 15), qr(1, 6, 11, 12), qr(2, 7, 8, 13), qr(3, 4, 9, 14);
  }
  std::array<std::uint8_t, 64> out;
  for (std::size_t i = 0; i < 16; ++i) store_le32(out.data() + 4 * i, x[i] + s[i]);
  return out;
}

// The reference's built-in behaviour: the counter word wraps, words 13..15 never change.
ByteVector reference_keystream_xor(ByteView key, ByteView iv, ByteView data) {
  std::array<std::uint32_t, 4> w{};
  for (std::size_t i = 0; i < 4; ++i) w[i] = load_le32(iv.data() + 4 * i);
  ByteVector out(data.begin(), data.end());
  for (std::size_t off = 0; off < out.size(); off += 64) {
    const auto ks = chacha_block(key, w);
    for (std::size_t i = 0; i < 64 && off + i < out.size(); ++i) out[off + i] ^= ks[i];
    ++w[0];  // uint32 arithmetic: 0xffffffff + 1 = 0, no carry
  }
  return out;
}

ByteVector iv_with_counter(std::uint32_t counter) {
  ByteVector iv = from_hex("00000000a1a2a3a4b1b2b3b4c1c2c3c4").value();
  store_le32(iv.data(), counter);
  return iv;
}

}  // namespace

TEST_CASE("ChaCha20 reference block function: RFC 8439 §2.3.2 test vector") {
  const ByteVector key =
      from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").value();
  const auto b = chacha_block(key, {1, 0x09000000, 0x4a000000, 0});
  CHECK(to_hex(ByteView(b).first(16)) == "10f1e7e4d13b5915500fdd1fa32071c4");
}

TEST_CASE("ChaCha20 transform: reference test output (tests-transform, cc20)") {
  const auto t = make_transform(TransformId::chacha20, kReferenceKey);
  REQUIRE(t);
  CHECK(t->id() == TransformId::chacha20);
  CHECK(t->overhead() == 16);
  check_reference_output(*t, kR3,
                         "f273c1146cdf4e12d67b2f27568ded74327a66530c74ad3fe7c8573fdc215c98",
                         "f580d915482412161476155fd0dc1e9c");
}

TEST_CASE("ChaCha20 transform: equals the reference block function, IV as given") {
  const auto t = make_transform(TransformId::chacha20, kReferenceKey);
  const auto key = wire::pearson256(as_bytes(kReferenceKey));
  for (std::uint32_t counter : {0u, 1u, 0x12345678u, 0x7fffffffu}) {
    const ByteVector iv = iv_with_counter(counter);
    const ByteVector frame = patterned(333, 2);
    const ByteVector wire = encrypt_all(*t, frame, fixed_random(to_hex(iv)));
    CHECK(ByteView(wire).first(16).size() == 16);
    CHECK(ByteVector(wire.begin(), wire.begin() + 16) == iv);
    CHECK(ByteVector(wire.begin() + 16, wire.end()) == reference_keystream_xor(key, iv, frame));
  }
}

TEST_CASE("ChaCha20 transform: the 32-bit block counter wraps without carry (spec §9.4)") {
  const auto t = make_transform(TransformId::chacha20, kReferenceKey);
  const auto key = wire::pearson256(as_bytes(kReferenceKey));
  // Counters just below the wrap, and lengths ending before, at and after it.
  for (std::uint32_t counter : {0xffffffffu, 0xfffffffeu, 0xfffffffcu, 0xffffffe1u, 0xffffffe0u}) {
    for (std::size_t len : std::initializer_list<std::size_t>{
             1u, 63u, 64u, 65u, 127u, 128u, 129u, 200u, 256u, 257u, 1400u, kMaxTransformInput}) {
      CAPTURE(counter);
      CAPTURE(len);
      const ByteVector iv = iv_with_counter(counter);
      const ByteVector frame = patterned(len, 4);
      const ByteVector wire = encrypt_all(*t, frame, fixed_random(to_hex(iv)));
      CHECK(ByteVector(wire.begin() + 16, wire.end()) == reference_keystream_xor(key, iv, frame));
      CHECK(decrypt_all(*t, wire) == frame);
    }
  }
}

TEST_CASE("ChaCha20 transform: round trips, limits, garbage, fresh IVs") {
  const auto t = make_transform(TransformId::chacha20, "another key");
  check_round_trips(*t);
  check_limits(*t);
  check_garbage(*t);
  check_fresh_iv(*t);
}
