#include <doctest/doctest.h>

#include "core/keys/ascii6.hpp"

using namespace n2nkit;
using namespace n2nkit::keys;

namespace {

ByteVector counting(std::size_t n) {
  ByteVector v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i);
  return v;
}

}  // namespace

TEST_CASE("ascii6 encodes the reference's 16-byte vector") {
  CHECK(ascii6_encode(counting(16)) == "00420mG51WS82GeB30qE3m");
}

TEST_CASE("ascii6 decodes 22 characters to 16 bytes, dropping the leftover bits") {
  const auto decoded = ascii6_decode("00420mG51WS82GeB30qE3m");
  REQUIRE(decoded);
  CHECK(*decoded == counting(16));
}

TEST_CASE("ascii6 walks the whole alphabet in order") {
  // 48 bytes = 64 groups of 6 bits; groups 0, 1, ..., 63.
  ByteVector bits(48);
  for (unsigned g = 0; g < 64; ++g) {
    for (unsigned b = 0; b < 6; ++b) {
      if ((g >> (5 - b)) & 1U) {
        const unsigned pos = g * 6 + b;
        bits[pos / 8] = static_cast<std::uint8_t>(bits[pos / 8] | (0x80U >> (pos % 8)));
      }
    }
  }
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-";
  CHECK(ascii6_encode(bits) == alphabet);
  const auto back = ascii6_decode(alphabet);
  REQUIRE(back);
  CHECK(*back == bits);
}

TEST_CASE("ascii6 pads the last group with zero bits") {
  CHECK(ascii6_encode(ByteVector{}).empty());
  CHECK(ascii6_encode(ByteVector{0xff}) == "-m");         // 111111 11(0000)
  CHECK(ascii6_encode(ByteVector{0xff, 0xff}) == "--y");  // ... 1111(00)
  CHECK(ascii6_encode(ByteVector{0xff, 0xff, 0xff}) == "----");
  CHECK(ascii6_encode(ByteVector(32, 0)).size() == 43);
}

TEST_CASE("ascii6 round-trips every length") {
  for (std::size_t n = 0; n < 70; ++n) {
    ByteVector data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(0x5a ^ (i * 37));
    const auto text = ascii6_encode(data);
    CHECK(text.size() == (n * 8 + 5) / 6);
    const auto back = ascii6_decode(text);
    REQUIRE(back);
    CHECK(*back == data);
  }
}

TEST_CASE("ascii6 accepts the reference's '<' and '>' for 62 and 63") {
  const auto a = ascii6_decode("<>");
  const auto b = ascii6_decode("+-");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);
  CHECK(*a == ByteVector{0xfb});
}

TEST_CASE("ascii6 rejects characters outside the alphabet") {
  for (const char* bad : {"abc=", " abc", "ab/c", "abc\n", "a.b", "a_b", "=", "*"}) {
    const auto r = ascii6_decode(bad);
    CHECK_FALSE(r);
    CHECK(r.error() == Reason::bad_key_encoding);
  }
  const std::string with_nul("ab\0c", 4);
  CHECK(ascii6_decode(with_nul).error() == Reason::bad_key_encoding);
  const std::string high("ab\xc3\xa9", 4);
  CHECK(ascii6_decode(high).error() == Reason::bad_key_encoding);
}

TEST_CASE("ascii6 decodes short inputs to what their whole bytes hold") {
  CHECK(ascii6_decode("")->empty());
  CHECK(ascii6_decode("Z")->empty());  // 6 bits: no whole byte
  CHECK(*ascii6_decode("-m") == ByteVector{0xff});
}
