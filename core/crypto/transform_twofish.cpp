// Twofish transform (§9.3): Twofish-256 in CBC-CS2 with an all-zero IV over R ‖ frame, R being
// 16 random bytes. libgcrypt provides the cipher and the chaining.
//
// CS2 (NIST SP 800-38A addendum) is plain CBC when the length is a multiple of 16; otherwise
// the last partial block is zero-padded, CBC-encrypted, and the last two ciphertext blocks are
// swapped before truncation. libgcrypt's GCRY_CIPHER_CBC_CTS is CS3, which always swaps; for
// lengths that are not a multiple of 16 the two agree. So each transform keeps two handles,
// plain CBC for whole blocks and CBC-CTS for the rest, and hands libgcrypt all of a frame's
// blocks in one call: its CBC decryption runs many blocks in parallel only within a call.
#include <array>
#include <cstring>

#include "core/crypto/gcrypt_handles.hpp"
#include "core/crypto/transform_factories.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::crypto {
namespace {

constexpr std::size_t kBlock = 16;

class TwofishTransform final : public Transform {
 public:
  explicit TwofishTransform(std::string_view key) {
    const wire::Hash256 k = wire::pearson256(as_bytes(key));
    cbc_ = open_gcry_cipher(GCRY_CIPHER_TWOFISH, GCRY_CIPHER_MODE_CBC, 0, k);
    cts_ = open_gcry_cipher(GCRY_CIPHER_TWOFISH, GCRY_CIPHER_MODE_CBC, GCRY_CIPHER_CBC_CTS, k);
  }

  TransformId id() const override { return TransformId::twofish; }
  std::size_t overhead() const override { return kIvSize; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& random) const override {
    if (const Reason r = check_encrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!cbc_ || !cts_) return fail(Reason::cipher_failure);
    const std::size_t n = kIvSize + in.size();
    gcry_cipher_hd_t h = handle_for(n);
    const std::array<std::uint8_t, kIvSize> zero_iv{};
    if (gcry_cipher_setiv(h, zero_iv.data(), zero_iv.size()) != 0) {
      return fail(Reason::cipher_failure);
    }
    if (in.size() < kBlock) {
      // Stealing would reach into the random block: run the whole message at once.
      std::array<std::uint8_t, 2 * kBlock> msg{};
      random(MutableByteView{msg.data(), kIvSize});
      if (!in.empty()) std::memcpy(msg.data() + kIvSize, in.data(), in.size());
      if (gcry_cipher_encrypt(h, out.data(), n, msg.data(), n) != 0) {
        return fail(Reason::cipher_failure);
      }
      return n;
    }
    // The frame never has to be copied next to R: a 16-byte call is plain CBC in either
    // mode, leaves C_1 = E(R) as the chaining value, and the stealing happens within the
    // frame.
    std::array<std::uint8_t, kIvSize> preamble;
    random(preamble);
    if (gcry_cipher_encrypt(h, out.data(), kIvSize, preamble.data(), kIvSize) != 0 ||
        gcry_cipher_encrypt(h, out.data() + kIvSize, in.size(), in.data(), in.size()) != 0) {
      return fail(Reason::cipher_failure);
    }
    return n;
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!cbc_ || !cts_) return fail(Reason::cipher_failure);
    gcry_cipher_hd_t h = handle_for(in.size());
    const std::size_t len = in.size() - kIvSize;
    if (len < kBlock) {
      // The swapped blocks include C_1: decrypt the whole (short) message.
      const std::array<std::uint8_t, kIvSize> zero_iv{};
      std::array<std::uint8_t, 2 * kBlock> msg;
      if (gcry_cipher_setiv(h, zero_iv.data(), zero_iv.size()) != 0 ||
          gcry_cipher_decrypt(h, msg.data(), in.size(), in.data(), in.size()) != 0) {
        return fail(Reason::cipher_failure);
      }
      if (len > 0) std::memcpy(out.data(), msg.data() + kIvSize, len);
      return len;
    }
    // C_1 is untouched by the stealing; it chains into the rest, and R = D(C_1) is dropped.
    if (gcry_cipher_setiv(h, in.data(), kIvSize) != 0 ||
        gcry_cipher_decrypt(h, out.data(), len, in.data() + kIvSize, len) != 0) {
      return fail(Reason::cipher_failure);
    }
    return len;
  }

 private:
  // The handle for a message of n bytes (R included), n ≥ 16.
  gcry_cipher_hd_t handle_for(std::size_t n) const {
    return n % kBlock == 0 ? cbc_.get() : cts_.get();
  }

  // Mutable state (the handles' chaining values): see "not thread-safe" in transform.hpp.
  GcryCipherPtr cbc_;
  GcryCipherPtr cts_;
};

}  // namespace

std::unique_ptr<Transform> make_twofish_transform(std::string_view key) {
  return std::make_unique<TwofishTransform>(key);
}

}  // namespace n2nkit::crypto
