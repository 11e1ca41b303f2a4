#pragma once
// PACKET payload transforms (spec §9): null, Twofish, AES, ChaCha20, Speck. Each turns an
// (optionally compressed) Ethernet frame into the bytes after the PACKET header and back.
//
// A Transform object is NOT thread-safe: the cipher contexts (OpenSSL EVP) are created once
// with the key and reused for every packet, so encrypt/decrypt mutate them even though they
// are const. Give every thread its own object (make_transform is cheap).
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/common/result.hpp"
#include "core/crypto/random.hpp"

namespace n2nkit::crypto {

enum class TransformId : std::uint8_t { null = 1, twofish = 2, aes = 3, chacha20 = 4, speck = 5 };

// Largest encrypt() input: every transform's output then fits the 2048-byte datagram limit
// (§1) on its own. The reference accepts less (frame ≤ 1978 bytes for Twofish/AES, §9.8) and a
// PACKET header still has to fit around it; the sender enforces the MTU, this only bounds
// the buffers. Larger input fails with frame_too_large.
inline constexpr std::size_t kMaxTransformInput = 2048 - 16;
// Largest decrypt() input (the biggest datagram payload anyone can receive); larger input
// fails with frame_too_large.
inline constexpr std::size_t kMaxTransformCiphertext = 2048;

std::string_view transform_name(TransformId id);  // "null", "Twofish", "AES", "ChaCha20", "Speck"
// From the edge's -A number (1..5); nullopt otherwise.
std::optional<TransformId> transform_from_cli(int a);
// From the PACKET's transform byte (1..5); nullopt otherwise.
std::optional<TransformId> transform_from_wire(std::uint8_t id);

// AES key size in bytes chosen from the length of the -k string (§9.1): 32 if ≥ 33
// characters, 24 if ≥ 23, else 16.
std::size_t aes_key_size(std::size_t key_string_length);

class Transform {
 public:
  virtual ~Transform() = default;
  virtual TransformId id() const = 0;
  // Bytes added to a frame (0 for null, 16 for every cipher). Also the shortest ciphertext
  // decrypt() accepts (shorter: payload_too_short).
  virtual std::size_t overhead() const = 0;
  // out must hold in.size() + overhead() (else buffer_too_small); in and out must not
  // overlap. Returns the bytes written, always in.size() + overhead(). Draws the 16-byte
  // IV/preamble from `random` (the null transform draws nothing).
  virtual Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                                      const RandomSource& random) const = 0;
  // out must hold in.size() − overhead() (else buffer_too_small); in and out must not
  // overlap. Returns the frame length, always in.size() − overhead(). A wrong key is not
  // detected (no transform authenticates, §9.3/§9.4): it yields garbage.
  virtual Result<std::size_t> decrypt(ByteView in, MutableByteView out) const = 0;
};

// The key string is the edge's -k value (bytes, no NUL); ignored by null. Never fails: if
// the cipher library cannot provide the cipher, encrypt/decrypt return cipher_failure.
std::unique_ptr<Transform> make_transform(TransformId id, std::string_view key);

}  // namespace n2nkit::crypto
