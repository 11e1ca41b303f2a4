#include "core/keys/secret.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace n2nkit::keys {

std::optional<SecretUse> parse_secret_use(std::string_view text) {
  if (text == "community") return SecretUse::community;
  if (text == "key") return SecretUse::key;
  return std::nullopt;
}

std::string_view secret_use_name(SecretUse use) {
  return use == SecretUse::community ? "community" : "key";
}

std::size_t max_secret_length(SecretUse use) {
  return use == SecretUse::community ? 19 : 64;
}

std::string random_secret(std::size_t length, const crypto::RandomSource& random) {
  // The largest multiple of 62 that fits a byte is 248: bytes from 248 on are drawn again.
  constexpr unsigned kAlphabetSize = kSecretAlphabet.size();
  constexpr unsigned kLimit = 256 / kAlphabetSize * kAlphabetSize;
  std::string secret;
  secret.reserve(length);
  std::array<std::uint8_t, 64> pool{};
  while (secret.size() < length) {
    random(MutableByteView{pool.data(), pool.size()});
    for (const std::uint8_t byte : pool) {
      if (byte >= kLimit) continue;
      secret += kSecretAlphabet[byte % kAlphabetSize];
      if (secret.size() == length) break;
    }
  }
  pool.fill(0);
  return secret;
}

double secret_entropy_bits(std::size_t length) {
  return static_cast<double>(length) * std::log2(static_cast<double>(kSecretAlphabet.size()));
}

}  // namespace n2nkit::keys
