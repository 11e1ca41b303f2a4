// Decompressing arbitrary PACKET payloads as lzo.
#include "tests/fuzz/decompress_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return n2nkit::fuzzing::fuzz_decompress(n2nkit::crypto::CompressionId::lzo, data, size);
}
