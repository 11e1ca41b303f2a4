#include <doctest/doctest.h>

#include "core/crypto/gcrypt_handles.hpp"
#include "core/wire/pearson.hpp"
#include "tests/unit/transform_checks.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using namespace n2nkit::testing;

namespace {

constexpr std::string_view kR1 = "bd2901eeee61ddc7f1d745cc513655ff";

// Independent of the transform's CTS code: zero-pad R ‖ P, plain CBC with zero IV, swap the
// last two blocks when padding was added, truncate (spec §9.3 steps 1-5).
ByteVector cbc_then_swap(std::string_view key, ByteView preamble, ByteView frame) {
  const auto k = wire::pearson256(as_bytes(key));
  const GcryCipherPtr cbc = open_gcry_cipher(GCRY_CIPHER_TWOFISH, GCRY_CIPHER_MODE_CBC, 0, k);
  REQUIRE(cbc);
  ByteVector a(preamble.begin(), preamble.end());
  a.insert(a.end(), frame.begin(), frame.end());
  const std::size_t n = a.size();
  a.resize((n + 15) / 16 * 16, 0);
  const std::uint8_t iv[16] = {};
  REQUIRE(gcry_cipher_setiv(cbc.get(), iv, sizeof iv) == 0);
  REQUIRE(gcry_cipher_encrypt(cbc.get(), a.data(), a.size(), nullptr, 0) == 0);
  if (a.size() != n) {
    std::swap_ranges(a.end() - 32, a.end() - 16, a.end() - 16);
  }
  a.resize(n);
  return a;
}

}  // namespace

TEST_CASE("Twofish transform: reference test output (tests-transform, tf)") {
  const auto t = make_transform(TransformId::twofish, kReferenceKey);
  REQUIRE(t);
  CHECK(t->id() == TransformId::twofish);
  CHECK(t->overhead() == 16);
  check_reference_output(*t, kR1,
                         "6954bab7b9007e1f4e436b6ec0b75abbe16a7d8bf6419efb7ec1a86c676bc727",
                         "77cf9e0d3985ebe0addbd640b79499ca");
}

TEST_CASE("Twofish transform: ciphertext stealing equals CBC-then-swap at every length") {
  const auto t = make_transform(TransformId::twofish, kReferenceKey);
  const ByteVector r = from_hex(kR1).value();
  for (std::size_t len = 0; len <= 100; ++len) {
    CAPTURE(len);
    const ByteVector frame = patterned(len, 7);
    CHECK(encrypt_all(*t, frame, fixed_random(kR1)) == cbc_then_swap(kReferenceKey, r, frame));
  }
  const ByteVector frame = patterned(1401, 9);  // 1417 bytes: r = 9, blocks swapped
  CHECK(encrypt_all(*t, frame, fixed_random(kR1)) == cbc_then_swap(kReferenceKey, r, frame));
}

TEST_CASE("Twofish transform: round trips, limits, garbage, fresh IVs") {
  const auto t = make_transform(TransformId::twofish, "another key");
  check_round_trips(*t);
  check_limits(*t);
  check_garbage(*t);
  check_fresh_iv(*t);
}

TEST_CASE("Twofish transform: a different key gives different bytes and garbage back") {
  const auto a = make_transform(TransformId::twofish, "key one");
  const auto b = make_transform(TransformId::twofish, "key two");
  const ByteVector frame = patterned(64, 3);
  const ByteVector wire = encrypt_all(*a, frame, fixed_random(kR1));
  CHECK(wire != encrypt_all(*b, frame, fixed_random(kR1)));
  CHECK(decrypt_all(*b, wire) != frame);
}
