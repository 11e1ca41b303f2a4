// Key derivation from names and passwords (spec §10.1, §10.2).
#include <algorithm>

#include "core/keys/ascii6.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::keys {
namespace {

Key32 double_hash(std::string_view text) {
  const auto once = wire::pearson256(as_bytes(text));
  return wire::pearson256(once);
}

}  // namespace

Key32 user_private_key(std::string_view user, std::string_view password) {
  // The password alone is hashed twice and the name once, so swapping name and password
  // gives a different key.
  Key32 key = double_hash(password);
  const auto name_hash = wire::pearson256(as_bytes(user));
  for (std::size_t i = 0; i < key.size(); ++i) key[i] ^= name_hash[i];
  return key;
}

Key32 federation_private_key(std::string_view federation_name) {
  return double_hash(federation_name);
}

Key32 public_key(const Key32& private_key) {
  return x25519(private_key, kN2nBasePoint);
}

Key32 shared_secret(const Key32& own_private, const Key32& other_public) {
  return wire::pearson256(x25519(own_private, other_public));
}

std::string key_to_text(const Key32& key) {
  return ascii6_encode(key);
}

Result<Key32> key_from_text(std::string_view text) {
  if (text.size() != kPublicKeyTextSize) return fail(Reason::bad_key_length);
  auto bytes = ascii6_decode(text);
  if (!bytes) return fail(bytes.error());
  Key32 key{};
  // 43 characters carry 258 bits: always exactly 32 bytes.
  std::copy_n(bytes->begin(), key.size(), key.begin());
  return key;
}

std::string keygen_user_line(std::string_view user, std::string_view password) {
  const auto pub = public_key(user_private_key(user, password));
  std::string line = "* ";
  line.append(user);
  line.push_back(' ');
  line += key_to_text(pub);
  return line;
}

std::string keygen_federation_line(std::string_view federation_name) {
  return "-P " + key_to_text(public_key(federation_private_key(federation_name)));
}

}  // namespace n2nkit::keys
