// Prints what the reference's tests-hashing prints (reference-tests.md §5): every Pearson
// width over the 512-byte test buffer.
#include <cinttypes>
#include <cstdio>

#include "core/wire/pearson.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;
using testing::print_hexdump;

int main() {
  ByteVector buffer(512);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<std::uint8_t>(i % 16);

  std::printf("environment: input size = 0x%zx\n", buffer.size());
  print_hexdump(buffer);
  std::printf("\n");

  std::printf("pearson_hash_256: output:\n");
  print_hexdump(pearson256(buffer));
  std::printf("\n");

  std::printf("pearson_hash_128: output:\n");
  print_hexdump(pearson128(buffer));
  std::printf("\n");

  std::printf("pearson_hash_64: output = 0x%" PRIx64 "\n\n", pearson64(buffer));
  std::printf("pearson_hash_32: output = 0x%" PRIx32 "\n\n", pearson32(buffer));
  std::printf("pearson_hash_16: output = 0x%" PRIx16 "\n\n", pearson16(buffer));
  return 0;
}
