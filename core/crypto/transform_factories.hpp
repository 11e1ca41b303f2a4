#pragma once
// Private to core/crypto: one factory per transform (each in its own transform_<name>.cpp)
// and the size checks every transform shares, so that all of them reject the same inputs
// with the same reasons.
#include <memory>
#include <string_view>

#include "core/crypto/transform.hpp"

namespace n2nkit::crypto {

inline constexpr std::size_t kIvSize = 16;  // IV / random preamble of every cipher

std::unique_ptr<Transform> make_null_transform();
std::unique_ptr<Transform> make_twofish_transform(std::string_view key);
std::unique_ptr<Transform> make_aes_transform(std::string_view key);
std::unique_ptr<Transform> make_chacha20_transform(std::string_view key);
std::unique_ptr<Transform> make_speck_transform(std::string_view key);

// Reason::ok when encrypt(in → out) with this overhead is acceptable.
inline Reason check_encrypt_sizes(ByteView in, MutableByteView out, std::size_t overhead) {
  if (in.size() > kMaxTransformInput) return Reason::frame_too_large;
  if (out.size() < in.size() + overhead) return Reason::buffer_too_small;
  return Reason::ok;
}

inline Reason check_decrypt_sizes(ByteView in, MutableByteView out, std::size_t overhead) {
  if (in.size() > kMaxTransformCiphertext) return Reason::frame_too_large;
  if (in.size() < overhead) return Reason::payload_too_short;
  if (out.size() < in.size() - overhead) return Reason::buffer_too_small;
  return Reason::ok;
}

}  // namespace n2nkit::crypto
