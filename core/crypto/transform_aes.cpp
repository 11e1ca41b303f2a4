// AES transform (§9.3): AES-128/192/256 in CBC-CS2 with an all-zero IV over R ‖ frame, R being
// 16 random bytes. The block work is OpenSSL's AES-CBC (EVP, so AES-NI); the ciphertext
// stealing is done here.
//
// Why not OpenSSL's own "AES-xxx-CBC-CTS" (cts_mode CS2)? It produces the same bytes (the unit
// test uses it as the oracle), but it accepts one update per IV, so every packet would need
// EVP_CipherInit_ex2, which costs about as much as decrypting half a frame. Instead each
// direction keeps one CBC context that is never re-initialised: we track the chaining value
// the context holds after the previous packet (`chain`) and cancel it out by XOR, which
// leaves AES-NI doing all the block work in at most two EVP calls per packet.
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "core/crypto/evp_handles.hpp"
#include "core/crypto/transform_factories.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::crypto {
namespace {

constexpr std::size_t kBlock = 16;
using Block = std::array<std::uint8_t, kBlock>;

const char* cbc_cipher_name(std::size_t key_size) {
  switch (key_size) {
    case 32:
      return "AES-256-CBC";
    case 24:
      return "AES-192-CBC";
    default:
      return "AES-128-CBC";
  }
}

void xor_block(std::uint8_t* dst, const std::uint8_t* a, const std::uint8_t* b) {
  for (std::size_t i = 0; i < kBlock; ++i) dst[i] = static_cast<std::uint8_t>(a[i] ^ b[i]);
}

// One direction: a CBC context keyed once, without padding, and the chaining value it holds.
class ChainedCbc {
 public:
  ChainedCbc(const EVP_CIPHER* cipher, const std::uint8_t* key, int enc) {
    EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || cipher == nullptr) return;
    if (EVP_CipherInit_ex2(ctx.get(), cipher, key, chain_.data(), enc, nullptr) != 1) return;
    if (EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) return;
    ctx_ = std::move(ctx);
  }

  bool ok() const { return ctx_ != nullptr; }
  // The ciphertext block the context chains from next (encrypt: its last output; decrypt:
  // its last input).
  const Block& chain() const { return chain_; }

  // CBC over whole blocks (len a multiple of 16, > 0) from the current chaining value.
  // out may equal in. On failure the context is reset to a known chaining value.
  bool update(const std::uint8_t* in, std::uint8_t* out, std::size_t len, bool encrypt) {
    if (!encrypt) std::memcpy(chain_.data(), in + len - kBlock, kBlock);
    int outl = 0;
    if (EVP_CipherUpdate(ctx_.get(), out, &outl, in, static_cast<int>(len)) != 1 ||
        static_cast<std::size_t>(outl) != len) {
      resync();
      return false;
    }
    if (encrypt) std::memcpy(chain_.data(), out + len - kBlock, kBlock);
    return true;
  }

 private:
  void resync() {
    chain_ = {};
    if (EVP_CipherInit_ex2(ctx_.get(), nullptr, nullptr, chain_.data(), -1, nullptr) != 1) {
      ctx_.reset();
    }
  }

  EvpCipherCtxPtr ctx_;
  Block chain_{};
};

class AesTransform final : public Transform {
 public:
  explicit AesTransform(std::string_view key)
      : AesTransform(wire::pearson256(as_bytes(key)), aes_key_size(key.size())) {}

  TransformId id() const override { return TransformId::aes; }
  std::size_t overhead() const override { return kIvSize; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& random) const override {
    if (const Reason r = check_encrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!enc_.ok()) return fail(Reason::cipher_failure);
    const std::size_t n = kIvSize + in.size();
    std::uint8_t* a = out.data();
    random(out.first(kIvSize));
    if (!in.empty()) std::memcpy(a + kIvSize, in.data(), in.size());
    // The scheme's IV is zero; the context chains from enc_.chain(). Feeding R ⊕ chain
    // makes the first block E(R), exactly what a zero IV gives.
    xor_block(a, a, enc_.chain().data());
    const std::size_t r = n % kBlock;
    if (r == 0) {
      if (!enc_.update(a, a, n, true)) return fail(Reason::cipher_failure);
      return n;
    }
    // Full blocks up to and including P_{m-1} (C_{m-1} lands at q), then the zero-padded
    // partial block P_m chained from C_{m-1}, then the swap.
    const std::size_t q = n - r - kBlock;
    if (!enc_.update(a, a, q + kBlock, true)) return fail(Reason::cipher_failure);
    Block last{};
    std::memcpy(last.data(), a + q + kBlock, r);
    const Block c_m1 = enc_.chain();
    if (!enc_.update(last.data(), a + q, kBlock, true)) return fail(Reason::cipher_failure);
    std::memcpy(a + q + kBlock, c_m1.data(), r);
    return n;
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!dec_.ok()) return fail(Reason::cipher_failure);
    const std::size_t n = in.size();
    const std::size_t len = n - kIvSize;
    const std::uint8_t* c = in.data();
    std::uint8_t* p = out.data();
    const std::size_t r = n % kBlock;
    if (len == 0) return len;
    if (len < kBlock) {
      // c = C_2 ‖ C_1[0..r). D(C_2) = C_1 ⊕ (P_2 ‖ 0): its head gives P_2 directly.
      Block d;
      const Block stale = dec_.chain();
      if (!dec_.update(c, d.data(), kBlock, false)) return fail(Reason::cipher_failure);
      xor_block(d.data(), d.data(), stale.data());
      for (std::size_t i = 0; i < r; ++i) p[i] = static_cast<std::uint8_t>(d[i] ^ c[kBlock + i]);
      return len;
    }
    // Decrypt from C_2 on; R = D(C_1) is never needed. The context chains from a stale
    // value instead of C_1, which only affects the first output block: fix it by XOR.
    const Block stale = dec_.chain();
    const std::size_t bulk = r == 0 ? len : n - r - kBlock;  // r > 0: C_2 .. C_{m-2}, C_m
    if (!dec_.update(c + kIvSize, p, bulk, false)) return fail(Reason::cipher_failure);
    xor_block(p, p, stale.data());
    xor_block(p, p, c);
    if (r == 0) return len;
    // The stolen pair. The bulk ended with C_m (at q), so p[q-16..q) = D(C_m) ⊕ C_{m-2}.
    const std::size_t q = n - r - kBlock;  // offset of C_m in c; ≥ 16 here
    const std::uint8_t* c_m = c + q;
    const std::uint8_t* c_m2 = c + q - kBlock;
    const std::uint8_t* tail = c + q + kBlock;  // the r bytes kept of C_{m-1}
    std::uint8_t* p_m1 = p + q - kIvSize;       // where C_m's output block landed
    Block d;                                    // D(C_m) = C_{m-1} ⊕ (P_m ‖ 0)
    xor_block(d.data(), p_m1, c_m2);
    Block c_m1 = d;
    std::memcpy(c_m1.data(), tail, r);
    Block y;  // D(C_{m-1}) ⊕ C_m, the context chaining from C_m
    if (!dec_.update(c_m1.data(), y.data(), kBlock, false)) return fail(Reason::cipher_failure);
    for (std::size_t i = 0; i < kBlock; ++i) {
      p_m1[i] = static_cast<std::uint8_t>(y[i] ^ c_m[i] ^ c_m2[i]);
    }
    for (std::size_t i = 0; i < r; ++i)
      p_m1[kBlock + i] = static_cast<std::uint8_t>(d[i] ^ tail[i]);
    return len;
  }

 private:
  AesTransform(const wire::Hash256& h, std::size_t key_size)
      : cipher_(EVP_CIPHER_fetch(nullptr, cbc_cipher_name(key_size), nullptr)),
        // The key is the LAST key_size bytes of the hash (§9.1).
        enc_(cipher_.get(), h.data() + (h.size() - key_size), 1),
        dec_(cipher_.get(), h.data() + (h.size() - key_size), 0) {}

  EvpCipherPtr cipher_;
  // Mutable state (the contexts and their chaining values): see "not thread-safe" in
  // transform.hpp.
  mutable ChainedCbc enc_;
  mutable ChainedCbc dec_;
};

}  // namespace

std::unique_ptr<Transform> make_aes_transform(std::string_view key) {
  return std::make_unique<AesTransform>(key);
}

}  // namespace n2nkit::crypto
