#pragma once
// Shared body of the fuzz_transform_<name>_decrypt targets: decrypting any bytes must either
// fail with the documented reason or return exactly size − 16 bytes, never touch memory it
// does not own; and encrypt/decrypt must round-trip whatever the fuzzer hands in.
#include <array>
#include <cstdlib>
#include <cstring>

#include "core/crypto/transform.hpp"

namespace n2nkit::fuzzing {

// Deterministic "random" bytes so that a crash reproduces.
inline void fixed_random(MutableByteView out) {
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(0xa5 ^ i);
}

// iv_in_clear: the transform is a stream cipher whose output starts with the IV, so
// re-encrypting the plaintext with that IV must reproduce the input exactly.
inline int fuzz_transform_decrypt(const crypto::Transform& t, const std::uint8_t* data,
                                  std::size_t size, bool iv_in_clear) {
  static std::array<std::uint8_t, crypto::kMaxTransformCiphertext + 64> out;
  static std::array<std::uint8_t, crypto::kMaxTransformCiphertext + 64> again;
  const ByteView in(data, size);

  const auto n = t.decrypt(in, out);
  if (size > crypto::kMaxTransformCiphertext) {
    if (n.error() != Reason::frame_too_large) std::abort();
  } else if (size < t.overhead()) {
    if (n.error() != Reason::payload_too_short) std::abort();
  } else {
    if (!n || *n != size - t.overhead()) std::abort();
    if (iv_in_clear) {
      const crypto::RandomSource same_iv = [data](MutableByteView iv) {
        std::memcpy(iv.data(), data, iv.size());
      };
      const auto m = t.encrypt(ByteView(out.data(), *n), again, same_iv);
      if (!m || *m != size || std::memcmp(again.data(), data, size) != 0) std::abort();
    }
  }

  // The other direction: the input as a frame survives encrypt + decrypt.
  const ByteView frame = in.first(std::min(size, crypto::kMaxTransformInput));
  const auto e = t.encrypt(frame, again, fixed_random);
  if (!e || *e != frame.size() + t.overhead()) std::abort();
  const auto d = t.decrypt(ByteView(again.data(), *e), out);
  if (!d || *d != frame.size()) std::abort();
  if (!frame.empty() && std::memcmp(out.data(), frame.data(), frame.size()) != 0) std::abort();
  return 0;
}

}  // namespace n2nkit::fuzzing
