#include <doctest/doctest.h>

#include "core/crypto/speck.hpp"
#include "core/wire/pearson.hpp"
#include "tests/unit/transform_checks.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using namespace n2nkit::testing;

namespace {
constexpr std::string_view kR4 = "69c2174aab55f38d44172c3109b5b02f";
}  // namespace

TEST_CASE("Speck transform: reference test output (tests-transform, speck)") {
  const auto t = make_transform(TransformId::speck, kReferenceKey);
  REQUIRE(t);
  CHECK(t->id() == TransformId::speck);
  CHECK(t->overhead() == 16);
  check_reference_output(*t, kR4,
                         "69c2174aab55f38d44172c3109b5b02f0c87f2051359344972452c7951cf39f5",
                         "5896e2e7f220c6ac060539754a56cff8");
}

TEST_CASE("Speck transform: IV in clear, then Speck128/256-CTR with key pearson256(K)") {
  const auto t = make_transform(TransformId::speck, kReferenceKey);
  const Speck128_256 cipher(wire::pearson256(as_bytes(kReferenceKey)));
  const ByteVector iv = from_hex("ffffffffffffffff0102030405060708").value();  // wraps at once
  const ByteVector frame = patterned(100, 8);
  const ByteVector wire = encrypt_all(*t, frame, fixed_random(to_hex(iv)));
  CHECK(ByteVector(wire.begin(), wire.begin() + 16) == iv);
  // Block 1 uses low half 0 (wrapped), high half unchanged.
  std::array<std::uint8_t, 16> ctr1{};
  std::copy(iv.begin() + 8, iv.end(), ctr1.begin() + 8);
  const auto ks1 = cipher.encrypt(ctr1);
  for (std::size_t i = 0; i < 16; ++i) CHECK(wire[16 + 16 + i] == (frame[16 + i] ^ ks1[i]));
}

TEST_CASE("Speck transform: round trips, limits, garbage, fresh IVs") {
  const auto t = make_transform(TransformId::speck, "another key");
  check_round_trips(*t);
  check_limits(*t);
  check_garbage(*t);
  check_fresh_iv(*t);
}
