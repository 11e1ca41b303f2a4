#include "core/crypto/speck.hpp"

#include <bit>

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
  // Four independent blocks per step keep the rotate/add chains of the CPU busy.
  const std::uint64_t ctr0 = load_le64(iv);
  const std::uint64_t high = load_le64(iv + 8);
  std::uint64_t block = 0;
  std::size_t off = 0;
  while (len - off >= 64) {
    std::uint64_t y[4], x[4];
    for (int j = 0; j < 4; ++j) {
      y[j] = ctr0 + block + static_cast<std::uint64_t>(j);
      x[j] = high;
    }
    for (std::uint64_t k : rk_) {
      for (int j = 0; j < 4; ++j) round_enc(x[j], y[j], k);
    }
    for (int j = 0; j < 4; ++j) {
      const std::size_t o = off + 16 * static_cast<std::size_t>(j);
      store_le64(out + o, load_le64(in + o) ^ y[j]);
      store_le64(out + o + 8, load_le64(in + o + 8) ^ x[j]);
    }
    block += 4;
    off += 64;
  }
  while (off < len) {
    std::uint64_t y = ctr0 + block, x = high;
    for (std::uint64_t k : rk_) round_enc(x, y, k);
    std::uint8_t ks[16];
    store_le64(ks, y);
    store_le64(ks + 8, x);
    const std::size_t n = len - off < 16 ? len - off : 16;
    for (std::size_t i = 0; i < n; ++i)
      out[off + i] = static_cast<std::uint8_t>(in[off + i] ^ ks[i]);
    ++block;
    off += n;
  }
}

template class Speck128<2>;
template class Speck128<4>;

}  // namespace n2nkit::crypto
