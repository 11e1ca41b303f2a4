// Twofish transform (§9.3): Twofish-256 in CBC-CS2 with an all-zero IV over R ‖ frame, R being
// 16 random bytes. nettle provides the cipher; cbc_cts.cpp the ciphertext stealing.
#include <nettle/twofish.h>

#include <array>
#include <cstring>

#include "core/crypto/cbc_cts.hpp"
#include "core/crypto/transform_factories.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::crypto {
namespace {

void twofish_encrypt_blocks(const void* ctx, std::size_t length, std::uint8_t* dst,
                            const std::uint8_t* src) {
  twofish_encrypt(static_cast<const twofish_ctx*>(ctx), length, dst, src);
}

void twofish_decrypt_blocks(const void* ctx, std::size_t length, std::uint8_t* dst,
                            const std::uint8_t* src) {
  twofish_decrypt(static_cast<const twofish_ctx*>(ctx), length, dst, src);
}

class TwofishTransform final : public Transform {
 public:
  explicit TwofishTransform(std::string_view key) {
    const wire::Hash256 k = wire::pearson256(as_bytes(key));
    twofish256_set_key(&ctx_, k.data());
  }

  TransformId id() const override { return TransformId::twofish; }
  std::size_t overhead() const override { return kIvSize; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& random) const override {
    if (const Reason r = check_encrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    const BlockCipher cipher = block_cipher();
    const std::array<std::uint8_t, kIvSize> zero_iv{};
    if (in.size() < kCtsBlock) {
      // Stealing would reach into the random block: run the whole message at once.
      std::array<std::uint8_t, 2 * kCtsBlock> msg{};
      random(MutableByteView{msg.data(), kIvSize});
      if (!in.empty()) std::memcpy(msg.data() + kIvSize, in.data(), in.size());
      const std::size_t n = kIvSize + in.size();
      cbc_cs2_encrypt(cipher, zero_iv.data(), msg.data(), out.data(), n);
      return n;
    }
    // With a zero IV, C_1 = E(R), and the rest is CBC-CS2 of the frame chained from C_1:
    // the frame never has to be copied next to R.
    std::array<std::uint8_t, kIvSize> preamble;
    random(preamble);
    cipher.encrypt(cipher.ctx, kIvSize, out.data(), preamble.data());
    cbc_cs2_encrypt(cipher, out.data(), in.data(), out.data() + kIvSize, in.size());
    return kIvSize + in.size();
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    const BlockCipher cipher = block_cipher();
    const std::size_t len = in.size() - kIvSize;
    if (len < kCtsBlock) {
      // The swapped blocks include C_1: decrypt the whole (short) message.
      std::array<std::uint8_t, 2 * kCtsBlock> msg{};
      const std::array<std::uint8_t, kIvSize> zero_iv{};
      cbc_cs2_decrypt(cipher, zero_iv.data(), in.data(), msg.data(), in.size());
      if (len > 0) std::memcpy(out.data(), msg.data() + kIvSize, len);
      return len;
    }
    // C_1 is untouched by the stealing; it chains into the rest, and R = D(C_1) is dropped.
    cbc_cs2_decrypt(cipher, in.data(), in.data() + kIvSize, out.data(), len);
    return len;
  }

 private:
  BlockCipher block_cipher() const {
    return {&ctx_, &twofish_encrypt_blocks, &twofish_decrypt_blocks};
  }

  twofish_ctx ctx_{};
};

}  // namespace

std::unique_ptr<Transform> make_twofish_transform(std::string_view key) {
  return std::make_unique<TwofishTransform>(key);
}

}  // namespace n2nkit::crypto
