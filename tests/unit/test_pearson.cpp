#include <doctest/doctest.h>

#include "core/wire/pearson.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_CASE("pearson64 of the spec's vectors") {
  CHECK(pearson64(as_bytes("")) == 0xb4d055fcf2cbbd7bULL);
  CHECK(pearson64(as_bytes("abc")) == 0x582b9df2877cecc8ULL);
}

TEST_CASE("pearson256 and pearson128 of the spec's vectors") {
  CHECK(to_hex(pearson256(as_bytes("abc"))) ==
        "1e217c823e460b8a3250f472071865d5ddd72677a34de940582b9df2877cecc8");
  CHECK(to_hex(pearson128(as_bytes("n2n"))) == "3b34895bdd72c85f0c3cc37678291925");
}

TEST_CASE("narrow hashes are the low bits of pearson64") {
  ByteVector buf(512);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<std::uint8_t>(i % 16);
  CHECK(pearson64(buf) == 0xb2d98fa82ea108beULL);
  CHECK(pearson32(buf) == 0x2ea108beU);
  CHECK(pearson16(buf) == 0x08be);
  const auto h256 = pearson256(buf);
  const auto h128 = pearson128(buf);
  CHECK(std::equal(h128.begin(), h128.end(), h256.begin() + 16));
  CHECK(load_be64(h128.data() + 8) == pearson64(buf));
}

TEST_CASE("pearson hashes every tail length") {
  // Lengths 0..17 walk through every remainder of the 8-byte block loop.
  ByteVector buf;
  std::uint64_t previous = 0;
  for (int n = 0; n < 18; ++n) {
    const auto h = pearson64(buf);
    CHECK(h != previous);
    previous = h;
    buf.push_back(static_cast<std::uint8_t>(n));
  }
}
