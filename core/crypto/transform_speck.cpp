// Speck transform (§9.5): IV ‖ Speck128/256-CTR(key, IV) ⊕ frame.
#include "core/crypto/speck.hpp"
#include "core/crypto/transform_factories.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::crypto {
namespace {

class SpeckTransform final : public Transform {
 public:
  explicit SpeckTransform(std::string_view key) : cipher_(wire::pearson256(as_bytes(key))) {}

  TransformId id() const override { return TransformId::speck; }
  std::size_t overhead() const override { return kIvSize; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& random) const override {
    if (const Reason r = check_encrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    random(out.first(kIvSize));
    cipher_.ctr_xor(out.data(), in.data(), out.data() + kIvSize, in.size());
    return kIvSize + in.size();
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, kIvSize); r != Reason::ok) return fail(r);
    const std::size_t len = in.size() - kIvSize;
    cipher_.ctr_xor(in.data(), in.data() + kIvSize, out.data(), len);
    return len;
  }

 private:
  Speck128_256 cipher_;
};

}  // namespace

std::unique_ptr<Transform> make_speck_transform(std::string_view key) {
  return std::make_unique<SpeckTransform>(key);
}

}  // namespace n2nkit::crypto
