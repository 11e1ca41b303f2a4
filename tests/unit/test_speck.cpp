#include <doctest/doctest.h>

#include "core/crypto/speck.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;

namespace {
template <class A>
A arr(std::string_view hex) {
  A a{};
  auto v = from_hex(hex).value();
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}
}  // namespace

TEST_CASE("Speck128/128 standard vector, both directions") {
  Speck128_128 c(arr<Speck128_128::Key>("000102030405060708090a0b0c0d0e0f"));
  const auto pt = arr<Speck128_128::Block>("206d616465206974206571756976616c");
  const auto ct = c.encrypt(pt);
  CHECK(to_hex(ct) == "180d575cdffe60786532787951985da6");
  CHECK(c.decrypt(ct) == pt);
}

TEST_CASE("Speck128/256 standard vector, both directions") {
  Speck128_256 c(
      arr<Speck128_256::Key>("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  const auto pt = arr<Speck128_256::Block>("706f6f6e65722e20496e2074686f7365");
  const auto ct = c.encrypt(pt);
  CHECK(to_hex(ct) == "438f189c8db4ee4e3ef5c00504010941");
  CHECK(c.decrypt(ct) == pt);
}

TEST_CASE("Speck CTR: block i uses the IV's low 64 bits plus i, with no carry") {
  Speck128_256 c(Speck128_256::Key{});
  // IV whose low half wraps after one block.
  std::array<std::uint8_t, 16> iv{};
  for (int i = 0; i < 8; ++i) iv[static_cast<std::size_t>(i)] = 0xff;
  iv[8] = 0x42;
  ByteVector zeros(200), ks(200);
  c.ctr_xor(iv.data(), zeros.data(), ks.data(), zeros.size());
  // Block 1's counter is low = 0, high unchanged.
  std::array<std::uint8_t, 16> ctr1{};
  ctr1[8] = 0x42;
  const auto k1 = c.encrypt(ctr1);
  CHECK(std::equal(k1.begin(), k1.end(), ks.begin() + 16));
  // Every length decrypts back (4-block fast path and the tail).
  for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 63u, 64u, 65u, 130u, 200u}) {
    ByteVector data(len), enc(len), dec(len);
    for (std::size_t i = 0; i < len; ++i) data[i] = static_cast<std::uint8_t>(i * 7);
    c.ctr_xor(iv.data(), data.data(), enc.data(), len);
    c.ctr_xor(iv.data(), enc.data(), dec.data(), len);
    CHECK(dec == data);
    for (std::size_t i = 0; i < len; ++i) CHECK(enc[i] == (data[i] ^ ks[i]));
  }
}
