#include <doctest/doctest.h>
#include <zstd.h>

#include "core/crypto/compress/compression.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/xorshift128.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;

namespace {

ByteVector reference_frame() {
  ByteVector v(512);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i % 16);
  return v;
}

ByteVector compress_all(CompressionId id, ByteView in) {
  ByteVector out(compress_bound(id, in.size()));
  auto n = compress(id, in, out);
  REQUIRE(n.has_value());
  REQUIRE(*n <= out.size());
  out.resize(*n);
  return out;
}

Result<ByteVector> decompress_all(CompressionId id, ByteView in) {
  ByteVector out(kMaxDecompressed);
  auto n = decompress(id, in, out);
  if (!n) return fail(n.error());
  out.resize(*n);
  return out;
}

// Text-like data that compresses, and random data that does not.
ByteVector sample(std::size_t len, bool compressible, std::uint64_t seed) {
  ByteVector v(len);
  Xorshift128Plus rng(seed, seed * 3 + 1);
  xorshift_source(rng)(v);
  if (compressible) {
    for (std::size_t i = 0; i < len; ++i) v[i] = static_cast<std::uint8_t>('a' + v[i] % 4);
  }
  return v;
}

}  // namespace

TEST_CASE("compression names and ids") {
  CHECK(compression_name(CompressionId::none) == "none");
  CHECK(compression_name(CompressionId::lzo) == "LZO1X");
  CHECK(compression_name(CompressionId::zstd) == "zstd");
  CHECK_FALSE(compression_from_wire(0).has_value());
  CHECK_FALSE(compression_from_wire(4).has_value());
  CHECK(compression_from_wire(1) == CompressionId::none);
  CHECK(compression_from_wire(2) == CompressionId::lzo);
  CHECK(compression_from_wire(3) == CompressionId::zstd);
}

TEST_CASE("LZO1X-1 and zstd level 7 reproduce the reference test bytes (tests-compress)") {
  const ByteVector frame = reference_frame();
  const ByteVector lzo = compress_all(CompressionId::lzo, frame);
  CHECK(to_hex(lzo) ==
        "0d000102030405060708090a0b0c0d0e0f2000bc3c0000020c0d0e0f000102030405060708090a0b0c0d0e0f"
        "110000");
  const ByteVector zstd = compress_all(CompressionId::zstd, frame);
  CHECK(to_hex(zstd) == "28b52ffd600001bd000080000102030405060708090a0b0c0d0e0f0100da479d4b");
  CHECK(decompress_all(CompressionId::lzo, lzo).value() == frame);
  CHECK(decompress_all(CompressionId::zstd, zstd).value() == frame);
}

TEST_CASE("compression round trips at many lengths, compressible or not") {
  for (CompressionId id : {CompressionId::none, CompressionId::lzo, CompressionId::zstd}) {
    for (bool compressible : {true, false}) {
      for (std::size_t len : {0u, 1u, 2u, 13u, 14u, 64u, 100u, 512u, 1400u, 1514u, 2048u}) {
        CAPTURE(compression_name(id));
        CAPTURE(compressible);
        CAPTURE(len);
        const ByteVector frame = sample(len, compressible, len + 1);
        const ByteVector packed = compress_all(id, frame);
        if (id == CompressionId::none) CHECK(packed == frame);
        if (id != CompressionId::none && compressible && len >= 512) {
          CHECK(packed.size() < frame.size());
        }
        const auto back = decompress_all(id, packed);
        REQUIRE(back.has_value());
        CHECK(back.value() == frame);
      }
    }
  }
}

TEST_CASE("decompression refuses output beyond 2048 bytes") {
  const ByteVector big(4096, 0x41);
  for (CompressionId id : {CompressionId::lzo, CompressionId::zstd}) {
    CAPTURE(compression_name(id));
    const ByteVector packed = compress_all(id, big);
    CHECK(decompress_all(id, packed).error() == Reason::decompressed_too_large);
    // Exactly the limit is fine.
    const ByteVector max(kMaxDecompressed, 0x42);
    CHECK(decompress_all(id, compress_all(id, max)).value() == max);
    // A smaller output buffer is the limit.
    ByteVector small(100);
    CHECK(decompress(id, compress_all(id, ByteVector(101, 1)), small).error() ==
          Reason::decompressed_too_large);
  }
  CHECK(decompress_all(CompressionId::none, big).error() == Reason::decompressed_too_large);
}

TEST_CASE("zstd: a frame without its content size is refused") {
  const ByteVector frame(300, 0x33);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  REQUIRE(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0) == 0);
  ByteVector out(ZSTD_compressBound(frame.size()));
  ZSTD_outBuffer ob{out.data(), out.size(), 0};
  ZSTD_inBuffer ib{frame.data(), frame.size(), 0};
  REQUIRE(ZSTD_compressStream2(cctx, &ob, &ib, ZSTD_e_end) == 0);
  ZSTD_freeCCtx(cctx);
  out.resize(ob.pos);
  CHECK(decompress_all(CompressionId::zstd, out).error() == Reason::decompress_failed);
}

TEST_CASE("zstd: two concatenated frames decode as one payload, within the limit") {
  const ByteVector a(100, 1), b(200, 2);
  ByteVector both = compress_all(CompressionId::zstd, a);
  const ByteVector pb = compress_all(CompressionId::zstd, b);
  both.insert(both.end(), pb.begin(), pb.end());
  ByteVector expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  CHECK(decompress_all(CompressionId::zstd, both).value() == expected);
  // Each frame below the limit, the sum above it.
  ByteVector over = compress_all(CompressionId::zstd, ByteVector(1500, 3));
  const ByteVector second = compress_all(CompressionId::zstd, ByteVector(1000, 4));
  over.insert(over.end(), second.begin(), second.end());
  CHECK(decompress_all(CompressionId::zstd, over).error() == Reason::decompressed_too_large);
}

TEST_CASE("corrupt and truncated compressed payloads fail cleanly") {
  const ByteVector frame = sample(1400, true, 99);
  for (CompressionId id : {CompressionId::lzo, CompressionId::zstd}) {
    CAPTURE(compression_name(id));
    const ByteVector packed = compress_all(id, frame);
    for (std::size_t cut = 0; cut < packed.size(); ++cut) {
      const auto r = decompress_all(id, ByteView(packed).first(cut));
      if (r) CHECK(r.value() != frame);  // a prefix can never decode to the whole frame
    }
    // Bit flips: anything may come out, but only a valid result or a failure reason.
    for (std::size_t i = 0; i < packed.size(); ++i) {
      ByteVector bad = packed;
      bad[i] ^= 0x5a;
      const auto r = decompress_all(id, bad);
      if (!r) {
        CHECK((r.error() == Reason::decompress_failed ||
               r.error() == Reason::decompressed_too_large));
      }
    }
    CHECK(decompress_all(id, ByteVector{}).error() == Reason::decompress_failed);
  }
  Xorshift128Plus rng;
  const auto random = xorshift_source(rng);
  for (std::size_t len = 1; len < 300; ++len) {
    ByteVector junk(len);
    random(junk);
    for (CompressionId id : {CompressionId::lzo, CompressionId::zstd})
      (void)decompress_all(id, junk);
  }
}

TEST_CASE("unknown compression ids and short output buffers") {
  const ByteVector frame(64, 7);
  ByteVector out(4096);
  for (int raw : {0, 4, 255}) {
    const auto id = static_cast<CompressionId>(raw);
    CHECK(compress(id, frame, out).error() == Reason::unknown_compression);
    CHECK(decompress(id, frame, out).error() == Reason::unknown_compression);
  }
  for (CompressionId id : {CompressionId::none, CompressionId::lzo, CompressionId::zstd}) {
    ByteVector small(compress_bound(id, frame.size()) - 1);
    CHECK(compress(id, frame, small).error() == Reason::buffer_too_small);
  }
}
