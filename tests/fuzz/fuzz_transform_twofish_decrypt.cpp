// Decrypting arbitrary PACKET payloads with the twofish transform.
#include "tests/fuzz/transform_decrypt_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto t = n2nkit::crypto::make_transform(n2nkit::crypto::TransformId::twofish,
                                                       "SoMEVer!S$cUREPassWORD");
  return n2nkit::fuzzing::fuzz_transform_decrypt(*t, data, size, false);
}
