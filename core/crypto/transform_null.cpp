// null transform (§9.2): the payload is the frame.
#include <cstring>

#include "core/crypto/transform_factories.hpp"

namespace n2nkit::crypto {
namespace {

class NullTransform final : public Transform {
 public:
  TransformId id() const override { return TransformId::null; }
  std::size_t overhead() const override { return 0; }

  Result<std::size_t> encrypt(ByteView in, MutableByteView out,
                              const RandomSource& /*random*/) const override {
    if (const Reason r = check_encrypt_sizes(in, out, 0); r != Reason::ok) return fail(r);
    return copy(in, out);
  }

  Result<std::size_t> decrypt(ByteView in, MutableByteView out) const override {
    if (const Reason r = check_decrypt_sizes(in, out, 0); r != Reason::ok) return fail(r);
    return copy(in, out);
  }

 private:
  static std::size_t copy(ByteView in, MutableByteView out) {
    if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
    return in.size();
  }
};

}  // namespace

std::unique_ptr<Transform> make_null_transform() {
  return std::make_unique<NullTransform>();
}

}  // namespace n2nkit::crypto
