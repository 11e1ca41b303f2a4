#pragma once
// Speck with 128-bit blocks (spec §6), hand-written: no packaged library offers it.
// Byte convention of the Speck implementation guide (little-endian words), the one the
// standard test vectors and n2n use.
#include <array>

#include "core/common/bytes.hpp"

namespace n2nkit::crypto {

template <std::size_t KeyWords>
class Speck128 {
 public:
  static constexpr std::size_t kKeySize = 8 * KeyWords;
  static constexpr std::size_t kRounds = KeyWords == 2 ? 32 : 34;
  using Key = std::array<std::uint8_t, kKeySize>;
  using Block = std::array<std::uint8_t, 16>;

  explicit Speck128(const Key& key);

  void encrypt_block(const std::uint8_t* in, std::uint8_t* out) const;
  void decrypt_block(const std::uint8_t* in, std::uint8_t* out) const;
  Block encrypt(const Block& in) const {
    Block out;
    encrypt_block(in.data(), out.data());
    return out;
  }
  Block decrypt(const Block& in) const {
    Block out;
    decrypt_block(in.data(), out.data());
    return out;
  }

  // n2n's CTR mode: counter block i is iv with its first 8 bytes (LE64) plus i, no carry into
  // bytes 8..15. out may equal in.
  void ctr_xor(const std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out,
               std::size_t len) const;

 private:
  std::array<std::uint64_t, kRounds> rk_{};
};

using Speck128_128 = Speck128<2>;  // header encryption, auth challenge, trailers
using Speck128_256 = Speck128<4>;  // payload transform

extern template class Speck128<2>;
extern template class Speck128<4>;

}  // namespace n2nkit::crypto
