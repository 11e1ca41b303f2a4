#include "core/crypto/cbc_cts.hpp"

#include <nettle/cbc.h>

#include <array>
#include <cstring>

namespace n2nkit::crypto {
namespace {

using Block = std::array<std::uint8_t, kCtsBlock>;

}  // namespace

void cbc_cs2_encrypt(const BlockCipher& cipher, const std::uint8_t* iv, const std::uint8_t* in,
                     std::uint8_t* out, std::size_t len) {
  Block chain;
  std::memcpy(chain.data(), iv, kCtsBlock);
  const std::size_t r = len % kCtsBlock;
  if (r == 0) {
    cbc_encrypt(cipher.ctx, cipher.encrypt, kCtsBlock, chain.data(), len, out, in);
    return;
  }
  // Everything up to and including the last full block is plain CBC; afterwards `chain`
  // holds C_{m-1}, which is also what out[q..q+16) holds.
  const std::size_t q = len - r - kCtsBlock;
  // Read the partial tail before any write could reach it (in-place use).
  Block last{};
  std::memcpy(last.data(), in + q + kCtsBlock, r);
  cbc_encrypt(cipher.ctx, cipher.encrypt, kCtsBlock, chain.data(), q + kCtsBlock, out, in);
  for (std::size_t i = 0; i < kCtsBlock; ++i) last[i] ^= chain[i];
  Block c_m;
  cipher.encrypt(cipher.ctx, kCtsBlock, c_m.data(), last.data());
  // The swap: C_m in full first, then the leading r bytes of C_{m-1}.
  std::memcpy(out + q, c_m.data(), kCtsBlock);
  std::memcpy(out + q + kCtsBlock, chain.data(), r);
}

void cbc_cs2_decrypt(const BlockCipher& cipher, const std::uint8_t* iv, const std::uint8_t* in,
                     std::uint8_t* out, std::size_t len) {
  Block chain;
  std::memcpy(chain.data(), iv, kCtsBlock);
  const std::size_t r = len % kCtsBlock;
  if (r == 0) {
    cbc_decrypt(cipher.ctx, cipher.decrypt, kCtsBlock, chain.data(), len, out, in);
    return;
  }
  const std::size_t q = len - r - kCtsBlock;
  // Copy the stolen tail out first: in may equal out.
  Block c_m, tail{};
  std::memcpy(c_m.data(), in + q, kCtsBlock);
  std::memcpy(tail.data(), in + q + kCtsBlock, r);
  if (q > 0) cbc_decrypt(cipher.ctx, cipher.decrypt, kCtsBlock, chain.data(), q, out, in);
  // D = E^-1(C_m) = C_{m-1} XOR (P_m || 0): its tail completes C_{m-1}, its head XOR the
  // received r bytes of C_{m-1} gives P_m.
  Block d;
  cipher.decrypt(cipher.ctx, kCtsBlock, d.data(), c_m.data());
  Block c_m1 = d;
  std::memcpy(c_m1.data(), tail.data(), r);
  Block p_m1;
  cipher.decrypt(cipher.ctx, kCtsBlock, p_m1.data(), c_m1.data());
  for (std::size_t i = 0; i < kCtsBlock; ++i)
    out[q + i] = static_cast<std::uint8_t>(p_m1[i] ^ chain[i]);
  for (std::size_t i = 0; i < r; ++i) {
    out[q + kCtsBlock + i] = static_cast<std::uint8_t>(d[i] ^ tail[i]);
  }
}

}  // namespace n2nkit::crypto
