#include <doctest/doctest.h>

#include "core/crypto/random.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;

TEST_CASE("xorshift128+ from the reference's default state gives the tests' IVs") {
  // reference-tests.md §3: the unseeded generator's first four 16-byte blocks.
  Xorshift128Plus rng;
  const auto source = xorshift_source(rng);
  const char* expected[] = {"bd2901eeee61ddc7f1d745cc513655ff", "3d455c6129d2fa4f61467f93738063f7",
                            "f273c1146cdf4e12d67b2f27568ded74", "69c2174aab55f38d44172c3109b5b02f"};
  for (const char* e : expected) {
    std::array<std::uint8_t, 16> block{};
    source(block);
    CHECK(to_hex(block) == e);
  }
}

TEST_CASE("xorshift source fills partial groups with the leading bytes of one output") {
  Xorshift128Plus a, b;
  std::array<std::uint8_t, 3> three{};
  xorshift_source(a)(three);
  std::array<std::uint8_t, 8> eight{};
  store_be64(eight.data(), b.next());
  CHECK(std::equal(three.begin(), three.end(), eight.begin()));
}

TEST_CASE("the system generator fills every byte") {
  std::array<std::uint8_t, 4096> buf{};
  system_random(buf);
  int zeros = 0;
  for (auto v : buf) zeros += v == 0;
  CHECK(zeros < 64);  // ~16 expected; all-zero would mean nothing was written
}

TEST_CASE("buffered system random fills any length across refills") {
  auto random = n2nkit::crypto::buffered_system_random();
  std::vector<std::uint8_t> a(5000), b(16);
  random(a);  // more than one 4 KiB refill
  random(b);
  std::size_t zero = 0;
  for (auto x : a) zero += x == 0;
  CHECK(zero < 100);  // ~20 expected from 5000 random bytes
  CHECK(a != std::vector<std::uint8_t>(5000, 0));
  CHECK(b != std::vector<std::uint8_t>(16, 0));
  CHECK(!std::equal(b.begin(), b.end(), a.begin()));
  random(n2nkit::MutableByteView{});  // nothing asked, nothing drawn
}
