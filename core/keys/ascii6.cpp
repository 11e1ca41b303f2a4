#include "core/keys/ascii6.hpp"

#include <array>

namespace n2nkit::keys {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-";
static_assert(kAlphabet.size() == 64);

constexpr std::uint8_t kInvalid = 0xff;

// Reverse lookup built at compile time so decoding is one table load per character.
constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  // The reference's decoder also reads these two, so keys written with them still load.
  table[static_cast<unsigned char>('<')] = 62;
  table[static_cast<unsigned char>('>')] = 63;
  return table;
}
constexpr auto kDecode = make_decode_table();

}  // namespace

std::string ascii6_encode(ByteView data) {
  std::string out;
  out.reserve((data.size() * 8 + 5) / 6);
  std::uint32_t acc = 0;  // never holds more than 13 bits
  unsigned bits = 0;
  for (const std::uint8_t byte : data) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
    acc &= (1U << bits) - 1;
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

Result<ByteVector> ascii6_decode(std::string_view text) {
  ByteVector out;
  out.reserve(text.size() * 6 / 8);
  std::uint32_t acc = 0;  // never holds more than 13 bits
  unsigned bits = 0;
  for (const char c : text) {
    const std::uint8_t v = kDecode[static_cast<unsigned char>(c)];
    if (v == kInvalid) return fail(Reason::bad_key_encoding);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1U << bits) - 1;
    }
  }
  return out;
}

}  // namespace n2nkit::keys
