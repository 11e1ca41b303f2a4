#include "core/keys/mac_address.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

namespace n2nkit::keys {

namespace {

void make_local_unicast(wire::Mac& mac) {
  mac[0] = static_cast<std::uint8_t>((mac[0] & ~0x01U) | 0x02U);
}

void set_family(wire::Mac& mac, MacFamily family) {
  mac[0] = static_cast<std::uint8_t>((mac[0] & 0xf0U) | static_cast<std::uint8_t>(family));
}

}  // namespace

std::optional<MacFamily> parse_mac_family(std::string_view text) {
  if (text.size() == 2 && (text[0] == 'x' || text[0] == 'X')) text.remove_prefix(1);
  if (text.size() != 1) return std::nullopt;
  switch (text[0]) {
    case '2':
      return MacFamily::x2;
    case '6':
      return MacFamily::x6;
    case 'a':
    case 'A':
      return MacFamily::xa;
    case 'e':
    case 'E':
      return MacFamily::xe;
    default:
      return std::nullopt;
  }
}

char mac_family_digit(MacFamily family) {
  return "0123456789abcdef"[static_cast<std::uint8_t>(family)];
}

wire::Mac random_local_mac(const crypto::RandomSource& random) {
  wire::Mac mac{};
  random(MutableByteView{mac.data(), mac.size()});
  make_local_unicast(mac);
  return mac;
}

wire::Mac random_local_mac(MacFamily family, const crypto::RandomSource& random) {
  wire::Mac mac = random_local_mac(random);
  set_family(mac, family);
  return mac;
}

wire::Mac mac_from_name(std::string_view name, std::optional<MacFamily> family) {
  std::string input(kMacFromNamePrefix);
  input += name;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &digest_size, EVP_sha256(), nullptr) !=
      1) {
    std::abort();  // SHA-256 is always available in libcrypto; nothing sensible to return
  }
  wire::Mac mac{};
  std::copy_n(digest.begin(), mac.size(), mac.begin());
  make_local_unicast(mac);
  if (family) set_family(mac, *family);
  return mac;
}

}  // namespace n2nkit::keys
