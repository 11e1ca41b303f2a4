// Decrypting arbitrary PACKET payloads with the AES transform (all three key sizes).
#include "tests/fuzz/transform_decrypt_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using n2nkit::crypto::TransformId;
  // 22, 23 and 33 characters: AES-128, -192 and -256 (§9.1).
  static const auto aes128 =
      n2nkit::crypto::make_transform(TransformId::aes, "SoMEVer!S$cUREPassWORD");
  static const auto aes192 =
      n2nkit::crypto::make_transform(TransformId::aes, "SoMEVer!S$cUREPassWORD!");
  static const auto aes256 =
      n2nkit::crypto::make_transform(TransformId::aes, "SoMEVer!S$cUREPassWORD!0123456789");
  const auto& t = size == 0                 ? aes128
                  : data[size - 1] % 3 == 0 ? aes128
                  : data[size - 1] % 3 == 1 ? aes192
                                            : aes256;
  return n2nkit::fuzzing::fuzz_transform_decrypt(*t, data, size, false);
}
