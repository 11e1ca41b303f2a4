#include "core/crypto/transform.hpp"

#include "core/crypto/transform_factories.hpp"

namespace n2nkit::crypto {

std::string_view transform_name(TransformId id) {
  switch (id) {
    case TransformId::null:
      return "null";
    case TransformId::twofish:
      return "Twofish";
    case TransformId::aes:
      return "AES";
    case TransformId::chacha20:
      return "ChaCha20";
    case TransformId::speck:
      return "Speck";
  }
  return "invalid";
}

std::optional<TransformId> transform_from_cli(int a) {
  if (a < 1 || a > 5) return std::nullopt;
  return static_cast<TransformId>(a);
}

std::optional<TransformId> transform_from_wire(std::uint8_t id) {
  return transform_from_cli(id);
}

std::size_t aes_key_size(std::size_t key_string_length) {
  if (key_string_length >= 33) return 32;
  if (key_string_length >= 23) return 24;
  return 16;
}

std::unique_ptr<Transform> make_transform(TransformId id, std::string_view key) {
  switch (id) {
    case TransformId::null:
      return make_null_transform();
    case TransformId::twofish:
      return make_twofish_transform(key);
    case TransformId::aes:
      return make_aes_transform(key);
    case TransformId::chacha20:
      return make_chacha20_transform(key);
    case TransformId::speck:
      return make_speck_transform(key);
  }
  return nullptr;
}

}  // namespace n2nkit::crypto
