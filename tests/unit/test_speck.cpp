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

namespace {

// CTR by definition, one encrypt() per block: counter block i is the IV with i added to its
// little-endian low 64 bits (wrapping, bytes 8..15 unchanged).
template <class Cipher>
ByteVector ctr_by_blocks(const Cipher& c, const std::array<std::uint8_t, 16>& iv, ByteView in) {
  ByteVector out(in.size());
  const std::uint64_t low = load_le64(iv.data());
  for (std::size_t off = 0; off < in.size(); off += 16) {
    typename Cipher::Block ctr;
    std::copy(iv.begin(), iv.end(), ctr.begin());
    store_le64(ctr.data(), low + off / 16);
    const auto ks = c.encrypt(ctr);
    for (std::size_t i = off; i < in.size() && i < off + 16; ++i) {
      out[i] = static_cast<std::uint8_t>(in[i] ^ ks[i - off]);
    }
  }
  return out;
}

template <class Cipher>
void check_ctr_against_blocks(const Cipher& c) {
  ByteVector data(300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 13 + 5);
  // Low halves that wrap inside, at the start of and after a batch of blocks, and far away.
  const std::uint64_t lows[] = {0,
                                0x0123456789abcdefu,
                                ~std::uint64_t{0},
                                ~std::uint64_t{0} - 1,
                                ~std::uint64_t{0} - 6,
                                ~std::uint64_t{0} - 7,
                                ~std::uint64_t{0} - 8,
                                ~std::uint64_t{0} - 15,
                                ~std::uint64_t{0} - 18};
  for (const std::uint64_t low : lows) {
    std::array<std::uint8_t, 16> iv;
    store_le64(iv.data(), low);
    store_le64(iv.data() + 8, 0xfedcba9876543210u);
    for (std::size_t len = 0; len <= data.size(); ++len) {
      CAPTURE(low);
      CAPTURE(len);
      const ByteView in(data.data(), len);
      const ByteVector expected = ctr_by_blocks(c, iv, in);
      ByteVector out(len);
      c.ctr_xor(iv.data(), in.data(), out.data(), len);
      CHECK(out == expected);
      ByteVector in_place(in.begin(), in.end());  // out == in, as header encryption uses it
      c.ctr_xor(iv.data(), in_place.data(), in_place.data(), len);
      CHECK(in_place == expected);
    }
  }
}

}  // namespace

TEST_CASE("Speck CTR: batched keystream equals single-block CTR at every length and wrap") {
  check_ctr_against_blocks(Speck128_256(
      arr<Speck128_256::Key>("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")));
  check_ctr_against_blocks(
      Speck128_128(arr<Speck128_128::Key>("0f0e0d0c0b0a09080706050403020100")));
}
