#include <doctest/doctest.h>

#include "tests/unit/transform_checks.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using namespace n2nkit::testing;

TEST_CASE("transform names and ids") {
  CHECK(transform_name(TransformId::null) == "null");
  CHECK(transform_name(TransformId::twofish) == "Twofish");
  CHECK(transform_name(TransformId::aes) == "AES");
  CHECK(transform_name(TransformId::chacha20) == "ChaCha20");
  CHECK(transform_name(TransformId::speck) == "Speck");
  CHECK_FALSE(transform_from_cli(0).has_value());
  CHECK_FALSE(transform_from_cli(6).has_value());
  CHECK_FALSE(transform_from_cli(-1).has_value());
  for (int a = 1; a <= 5; ++a) {
    REQUIRE(transform_from_cli(a).has_value());
    CHECK(static_cast<int>(*transform_from_cli(a)) == a);
    const auto t = make_transform(*transform_from_cli(a), kReferenceKey);
    REQUIRE(t);
    CHECK(t->id() == *transform_from_cli(a));
    CHECK(t->overhead() == (a == 1 ? 0u : 16u));
  }
  CHECK_FALSE(transform_from_wire(0).has_value());
  CHECK_FALSE(transform_from_wire(64).has_value());
  CHECK(transform_from_wire(4) == TransformId::chacha20);
}

TEST_CASE("the unseeded xorshift128+ yields the reference test's random blocks in order") {
  Xorshift128Plus rng;
  const auto random = xorshift_source(rng);
  for (std::string_view expected :
       {"bd2901eeee61ddc7f1d745cc513655ff", "3d455c6129d2fa4f61467f93738063f7",
        "f273c1146cdf4e12d67b2f27568ded74", "69c2174aab55f38d44172c3109b5b02f"}) {
    std::array<std::uint8_t, 16> block{};
    random(block);
    CHECK(to_hex(block) == expected);
  }
}

TEST_CASE("every cipher draws exactly 16 random bytes per packet") {
  for (TransformId id :
       {TransformId::twofish, TransformId::aes, TransformId::chacha20, TransformId::speck}) {
    CAPTURE(transform_name(id));
    const auto t = make_transform(id, kReferenceKey);
    for (std::size_t len : {0u, 5u, 16u, 1400u}) {
      std::size_t drawn = 0;
      const RandomSource counting = [&drawn](MutableByteView out) {
        drawn += out.size();
        std::fill(out.begin(), out.end(), std::uint8_t{0x5a});
      };
      (void)encrypt_all(*t, patterned(len, 0), counting);
      CHECK(drawn == 16);
    }
  }
}
