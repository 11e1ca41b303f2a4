#include "core/crypto/speck.hpp"

#include <bit>
#include <cstring>

namespace n2nkit::crypto {
namespace {

inline void round_enc(std::uint64_t& x, std::uint64_t& y, std::uint64_t k) {
  x = (std::rotr(x, 8) + y) ^ k;
  y = std::rotl(y, 3) ^ x;
}

inline void round_dec(std::uint64_t& x, std::uint64_t& y, std::uint64_t k) {
  y = std::rotr(y ^ x, 3);
  x = std::rotl((x ^ k) - y, 8);
}

// The CTR keystream is computed in batches with GCC/Clang generic vectors of two 64-bit lanes
// (one 128-bit register on x86-64 SSE2, AArch64 NEON, POWER VSX, s390x; the compiler splits
// it where there is none). Four vectors per Speck word make eight independent blocks in
// flight, which hides the latency of Speck's serial add/rotate chain; the 8 vectors stay in
// the 16 registers of the baseline targets. No intrinsics: the same code serves every
// architecture and byte order.
using Vec = std::uint64_t __attribute__((vector_size(16)));
constexpr std::size_t kVectors = 4;
constexpr std::size_t kBatchBlocks = 2 * kVectors;
constexpr std::size_t kBatchBytes = 16 * kBatchBlocks;

inline Vec rotr8(Vec v) {
  return (v >> 8) | (v << 56);
}
inline Vec rotl3(Vec v) {
  return (v << 3) | (v >> 61);
}

// Keystream of the counter blocks first, first + 1, … (64-bit wrap, no carry into `high`):
// ks[j] holds block j's output words (y, x), i.e. its bytes 0..7 and 8..15 as LE64.
template <std::size_t Rounds>
inline void keystream_batch(const std::array<std::uint64_t, Rounds>& rk, std::uint64_t first,
                            std::uint64_t high, Vec (&ks)[kBatchBlocks]) {
  Vec y[kVectors], x[kVectors];
#pragma GCC unroll 8
  for (std::size_t j = 0; j < kVectors; ++j) {
    y[j] = Vec{first + 2 * j, first + 2 * j + 1};
    x[j] = Vec{high, high};
  }
  for (const std::uint64_t k : rk) {
    // Unrolled so that the vectors stay in registers (GCC keeps a rolled loop's array in
    // memory).
#pragma GCC unroll 8
    for (std::size_t j = 0; j < kVectors; ++j) {
      x[j] = (rotr8(x[j]) + y[j]) ^ k;
      y[j] = rotl3(y[j]) ^ x[j];
    }
  }
#pragma GCC unroll 8
  for (std::size_t j = 0; j < kVectors; ++j) {
    ks[2 * j] = Vec{y[j][0], x[j][0]};
    ks[2 * j + 1] = Vec{y[j][1], x[j][1]};
  }
}

// out[0..n) = in[0..n) ^ keystream block ks (n ≤ 16). in may equal out.
inline void xor_block(const Vec& ks, const std::uint8_t* in, std::uint8_t* out, std::size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    if (n == 16) {
      Vec data;
      std::memcpy(&data, in, 16);
      data ^= ks;
      std::memcpy(out, &data, 16);
      return;
    }
  }
  std::uint8_t bytes[16];
  store_le64(bytes, ks[0]);
  store_le64(bytes + 8, ks[1]);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(in[i] ^ bytes[i]);
}

}  // namespace

template <std::size_t KeyWords>
Speck128<KeyWords>::Speck128(const Key& key) {
  std::uint64_t a = load_le64(key.data());
  std::array<std::uint64_t, KeyWords - 1> l{};
  for (std::size_t i = 0; i + 1 < KeyWords; ++i) l[i] = load_le64(key.data() + 8 * (i + 1));
  for (std::size_t i = 0; i < kRounds; ++i) {
    rk_[i] = a;
    std::uint64_t& li = l[i % (KeyWords - 1)];
    round_enc(li, a, i);
  }
}

template <std::size_t KeyWords>
void Speck128<KeyWords>::encrypt_block(const std::uint8_t* in, std::uint8_t* out) const {
  std::uint64_t y = load_le64(in);
  std::uint64_t x = load_le64(in + 8);
  for (std::uint64_t k : rk_) round_enc(x, y, k);
  store_le64(out, y);
  store_le64(out + 8, x);
}

template <std::size_t KeyWords>
void Speck128<KeyWords>::decrypt_block(const std::uint8_t* in, std::uint8_t* out) const {
  std::uint64_t y = load_le64(in);
  std::uint64_t x = load_le64(in + 8);
  for (std::size_t i = kRounds; i-- > 0;) round_dec(x, y, rk_[i]);
  store_le64(out, y);
  store_le64(out + 8, x);
}

template <std::size_t KeyWords>
void Speck128<KeyWords>::ctr_xor(const std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out,
                                 std::size_t len) const {
  const std::uint64_t ctr0 = load_le64(iv);
  const std::uint64_t high = load_le64(iv + 8);
  std::uint64_t block = 0;
  std::size_t off = 0;
  Vec ks[kBatchBlocks];
  while (len - off >= kBatchBytes) {
    keystream_batch(rk_, ctr0 + block, high, ks);
    for (std::size_t j = 0; j < kBatchBlocks; ++j) {
      xor_block(ks[j], in + off + 16 * j, out + off + 16 * j, 16);
    }
    block += kBatchBlocks;
    off += kBatchBytes;
  }
  const std::size_t rest = len - off;
  if (rest > 32) {
    // One more batch costs less than three or more serial single blocks.
    keystream_batch(rk_, ctr0 + block, high, ks);
    for (std::size_t j = 0; off < len; ++j) {
      const std::size_t n = len - off < 16 ? len - off : 16;
      xor_block(ks[j], in + off, out + off, n);
      off += n;
    }
    return;
  }
  // Short messages (header encryption: a few dozen bytes) and short tails: single blocks.
  while (off < len) {
    std::uint64_t y = ctr0 + block, x = high;
    for (std::uint64_t k : rk_) round_enc(x, y, k);
    const std::size_t n = len - off < 16 ? len - off : 16;
    xor_block(Vec{y, x}, in + off, out + off, n);
    ++block;
    off += n;
  }
}

template class Speck128<2>;
template class Speck128<4>;

}  // namespace n2nkit::crypto
