// ascii6_decode on arbitrary text: never reads past the input, accepts exactly the alphabet
// (plus '<' and '>'), and agrees with ascii6_encode; key_from_text on top of it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/keys/ascii6.hpp"
#include "core/keys/user_password.hpp"

using namespace n2nkit;

namespace {

bool in_alphabet(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+' ||
         c == '-' || c == '<' || c == '>';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bool valid = true;
  for (const char c : text) valid = valid && in_alphabet(c);

  const auto decoded = keys::ascii6_decode(text);
  if (decoded.has_value() != valid) __builtin_trap();
  if (!decoded && decoded.error() != Reason::bad_key_encoding) __builtin_trap();
  if (decoded) {
    if (decoded->size() != size * 6 / 8) __builtin_trap();
    const auto again = keys::ascii6_decode(keys::ascii6_encode(*decoded));
    if (!again || *again != *decoded) __builtin_trap();
  }

  // Any bytes survive encoding and decoding.
  const ByteView bytes(data, size);
  const auto text_of_bytes = keys::ascii6_encode(bytes);
  if (text_of_bytes.size() != (size * 8 + 5) / 6) __builtin_trap();
  const auto round_trip = keys::ascii6_decode(text_of_bytes);
  if (!round_trip ||
      !std::equal(round_trip->begin(), round_trip->end(), bytes.begin(), bytes.end())) {
    __builtin_trap();
  }

  const auto key = keys::key_from_text(text);
  if (key.has_value() != (valid && size == keys::kPublicKeyTextSize)) __builtin_trap();
  return 0;
}
