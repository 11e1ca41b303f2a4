#pragma once
// PACKET payload transforms (spec §9): null, Twofish, AES, ChaCha20, Speck. Each turns an
// (optionally compressed) Ethernet frame into the bytes after the PACKET header and back.
#include <memory>
#include <string_view>

#include "core/common/result.hpp"
#include "core/crypto/random.hpp"

namespace n2nkit::crypto {

enum class TransformId : std::uint8_t { null = 1, twofish = 2, aes = 3, chacha20 = 4, speck = 5 };

std::string_view transform_name(TransformId id);  // "null", "Twofish", "AES", "ChaCha20", "Speck"
// From the edge's -A number (1..5); nullopt otherwise.
std::optional<TransformId> transform_from_cli(int a);

class Transform {
 public:
  virtual ~Transform() = default;
  virtual TransformId id() const = 0;
  // Bytes added to a frame (0 for null, 16 for every cipher).
  virtual std::size_t overhead() const = 0;
  // out must hold in.size() + overhead(); returns the bytes written. Draws the IV/preamble
  // from `random`.
  virtual Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                                      const RandomSource& random) const = 0;
  // out must hold in.size(); returns the frame length.
  virtual Result<std::size_t> decrypt(ByteView in, MutableByteView out) const = 0;
};

// The key string is the edge's -k value (bytes, no NUL); ignored by null.
std::unique_ptr<Transform> make_transform(TransformId id, std::string_view key);

}  // namespace n2nkit::crypto
