#pragma once
// Random community names and -k keys (n2n-keygen secret).
//
// The alphabet is the 62 ASCII letters and digits. Everything else is left out because some
// place that carries n2n secrets gives it a meaning: '+' and '.*?[]\' turn a community.list
// line into a regular expression; blanks end a value in a supernode's configuration file and
// split community.list lines; quotes are stripped from both ends of configuration lines; '#'
// starts a comment line, '=' separates option and value; '$', '`', '!', '&', ';', '|', '<',
// '>', '(', ')', '{', '}', '~', '*', '?' and '\' mean something to a shell; a leading '-' looks
// like an option. Letters and digits need no quoting anywhere and survive a double-click copy.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/random.hpp"

namespace n2nkit::keys {

inline constexpr std::string_view kSecretAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

enum class SecretUse { community, key };
std::optional<SecretUse> parse_secret_use(std::string_view text);  // "community", "key"
std::string_view secret_use_name(SecretUse use);

// 19: a community name has at most 19 significant bytes (the 20-byte field ends in a NUL) and
// all 19 go into the header encryption key (pearson128 of the 20-byte field), so 19 is the most a
// community name can hold; the same length serves -k keys (113 bits; AES then takes 16 bytes).
inline constexpr std::size_t kDefaultSecretLength = 19;
// Below this a warning: 16 characters are 95 bits, the least we call strong.
inline constexpr std::size_t kRecommendedSecretLength = 16;
// Longest accepted: a community name's 19 bytes; for keys 64 (AES takes its largest key from
// 33 characters on, and every cipher hashes the string to at most 32 bytes anyway).
std::size_t max_secret_length(SecretUse use);

// `length` characters drawn uniformly from kSecretAlphabet (rejection sampling: no bias).
std::string random_secret(std::size_t length,
                          const crypto::RandomSource& random = crypto::system_random);

// length × log2(62).
double secret_entropy_bits(std::size_t length);

}  // namespace n2nkit::keys
