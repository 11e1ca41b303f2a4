// ChaCha20 transform (§9.4): IV ‖ ChaCha20(key, IV) ⊕ frame through OpenSSL, IV bytes 0..3
// being the 32-bit block counter and 4..15 the nonce.
#include <array>
#include <cstring>

#include "core/crypto/evp_handles.hpp"
#include "core/crypto/transform_factories.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::crypto {
namespace {

constexpr std::size_t kChachaBlock = 64;

class ChaCha20Transform final : public Transform {
 public:
  explicit ChaCha20Transform(std::string_view key) {
    const wire::Hash256 k = wire::pearson256(as_bytes(key));
    const EvpCipherPtr cipher(EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr));
    EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx || !cipher) return;
    const std::array<std::uint8_t, kIvSize> zero_iv{};
    if (EVP_CipherInit_ex2(ctx.get(), cipher.get(), k.data(), zero_iv.data(), 1, nullptr) != 1) {
      return;
    }
    ctx_ = std::move(ctx);
  }

  TransformId id() const override { return TransformId::chacha20; }
  std::size_t overhead() const override { return kIvSize; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& random) const override {
    if (const Reason r = check_encrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!ctx_) return fail(Reason::cipher_failure);
    random(out.first(kIvSize));
    if (!keystream_xor(out.data(), in.data(), out.data() + kIvSize, in.size())) {
      return fail(Reason::cipher_failure);
    }
    return kIvSize + in.size();
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    if (!ctx_) return fail(Reason::cipher_failure);
    const std::size_t len = in.size() - kIvSize;
    if (!keystream_xor(in.data(), in.data() + kIvSize, out.data(), len)) {
      return fail(Reason::cipher_failure);
    }
    return len;
  }

 private:
  // The reference's built-in ChaCha20 wraps the 32-bit counter without carrying into the
  // nonce word; OpenSSL carries. So a message crossing the wrap is split there and the
  // second part restarts at counter 0 with the same nonce (§9.4).
  bool keystream_xor(const std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out,
                     std::size_t len) const {
    const std::uint64_t blocks_to_wrap = (std::uint64_t{1} << 32) - load_le32(iv);
    const std::uint64_t bytes_to_wrap = blocks_to_wrap * kChachaBlock;
    if (len <= bytes_to_wrap) return run(iv, in, out, len);
    const std::size_t first = static_cast<std::size_t>(bytes_to_wrap);
    std::array<std::uint8_t, kIvSize> wrapped;
    std::memcpy(wrapped.data(), iv, kIvSize);
    store_le32(wrapped.data(), 0);
    return run(iv, in, out, first) && run(wrapped.data(), in + first, out + first, len - first);
  }

  bool run(const std::uint8_t* iv, const std::uint8_t* in, std::uint8_t* out,
           std::size_t len) const {
    if (EVP_CipherInit_ex2(ctx_.get(), nullptr, nullptr, iv, 1, nullptr) != 1) return false;
    if (len == 0) return true;
    if (len % kChachaBlock == 0) return update(in, out, len);
    // OpenSSL makes a separate keystream call for a partial last block, which costs as
    // much as several full blocks; a frame rounded up to whole blocks in scratch space is
    // one call, and the two copies are cheaper (≈ 20 % faster on 1400-byte frames).
    const std::size_t rounded = (len + kChachaBlock - 1) / kChachaBlock * kChachaBlock;
    std::memcpy(scratch_.data(), in, len);
    if (!update(scratch_.data(), scratch_.data(), rounded)) return false;
    std::memcpy(out, scratch_.data(), len);
    return true;
  }

  bool update(const std::uint8_t* in, std::uint8_t* out, std::size_t len) const {
    int outl = 0;
    if (EVP_CipherUpdate(ctx_.get(), out, &outl, in, static_cast<int>(len)) != 1) return false;
    return static_cast<std::size_t>(outl) == len;
  }

  // Mutable state (the context and the scratch frame): see "not thread-safe" in
  // transform.hpp.
  EvpCipherCtxPtr ctx_;
  mutable std::array<std::uint8_t, kMaxTransformCiphertext + kChachaBlock> scratch_{};
};

}  // namespace

std::unique_ptr<Transform> make_chacha20_transform(std::string_view key) {
  return std::make_unique<ChaCha20Transform>(key);
}

}  // namespace n2nkit::crypto
