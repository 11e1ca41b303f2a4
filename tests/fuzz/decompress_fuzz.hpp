#pragma once
// Shared body of the fuzz_decompress_<name> targets: any input decompresses to at most
// kMaxDecompressed bytes or fails with a documented reason; and the input, compressed,
// decompresses back to itself.
#include <array>
#include <cstdlib>
#include <cstring>

#include "core/crypto/compress/compression.hpp"

namespace n2nkit::fuzzing {

inline int fuzz_decompress(crypto::CompressionId id, const std::uint8_t* data, std::size_t size) {
  static std::array<std::uint8_t, crypto::kMaxDecompressed> out;
  static std::array<std::uint8_t, 2 * crypto::kMaxDecompressed> packed;
  const ByteView in(data, size);

  const auto n = crypto::decompress(id, in, out);
  if (n) {
    if (*n > out.size()) std::abort();
  } else if (n.error() != Reason::decompress_failed &&
             n.error() != Reason::decompressed_too_large) {
    std::abort();
  }

  const ByteView frame = in.first(std::min(size, crypto::kMaxDecompressed));
  const auto c = crypto::compress(id, frame, packed);
  if (!c) std::abort();
  const auto d = crypto::decompress(id, ByteView(packed.data(), *c), out);
  if (!d || *d != frame.size()) std::abort();
  if (!frame.empty() && std::memcmp(out.data(), frame.data(), frame.size()) != 0) std::abort();
  return 0;
}

}  // namespace n2nkit::fuzzing
