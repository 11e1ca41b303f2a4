// Decompressing arbitrary PACKET payloads as zstd.
#include "tests/fuzz/decompress_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return n2nkit::fuzzing::fuzz_decompress(n2nkit::crypto::CompressionId::zstd, data, size);
}
