// Prints what the reference's tests-compress prints (reference-tests.md §4): the 512-byte test
// buffer, then its LZO1X-1 and zstd (level 7) compressions, each checked by decompressing.
// Exits 1 when a compression fails or does not round-trip.
#include <algorithm>
#include <cstdio>

#include "core/crypto/compress/compression.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using testing::print_hexdump;

namespace {

bool section(const char* label, CompressionId id, const ByteVector& input) {
  ByteVector packed(compress_bound(id, input.size()));
  const auto n = compress(id, input, packed);
  if (!n) {
    std::fprintf(stderr, "%s: compression failed: %s\n", label, reason_name(n.error()).data());
    return false;
  }
  packed.resize(*n);
  std::printf("%s: output size = 0x%zx\n", label, packed.size());
  print_hexdump(packed);
  std::printf("\n");

  ByteVector back(kMaxDecompressed);
  const auto m = decompress(id, packed, back);
  if (!m || *m != input.size() || !std::equal(input.begin(), input.end(), back.begin())) {
    std::fprintf(stderr, "%s: decompression does not give the input back\n", label);
    return false;
  }
  std::fprintf(stderr, "%s: tested\n", label);
  return true;
}

}  // namespace

int main() {
  ByteVector buffer(512);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<std::uint8_t>(i % 16);

  std::printf("original: input size = 0x%zx\n", buffer.size());
  print_hexdump(buffer);
  std::printf("\n");

  if (!section("lzo1x", CompressionId::lzo, buffer)) return 1;
  if (!section("zstd", CompressionId::zstd, buffer)) return 1;
  return 0;
}
