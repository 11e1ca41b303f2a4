#pragma once
// MAC addresses for edges and supernodes: random ones (what the daemons pick without -m and
// n2n-mac gen prints) and ones derived from a name (n2n-mac from-name).
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/crypto/random.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::keys {

// The four families of locally administered unicast addresses, named by the second hex digit
// of the first octet (x2, x6, xA, xE); the value is that digit.
enum class MacFamily : std::uint8_t { x2 = 0x2, x6 = 0x6, xa = 0xa, xe = 0xe };

// "2", "6", "a", "e" (either case, optionally with a leading 'x'); nullopt otherwise.
std::optional<MacFamily> parse_mac_family(std::string_view text);
char mac_family_digit(MacFamily family);  // '2', '6', 'a', 'e'

// A random unicast, locally administered MAC (multicast bit clear, local bit set): what the
// reference's edge and supernode pick without -m, and what is safe on any LAN.
wire::Mac random_local_mac(const crypto::RandomSource& random = crypto::system_random);
// The same within one family: the second hex digit of the first octet is the family's.
wire::Mac random_local_mac(MacFamily family,
                           const crypto::RandomSource& random = crypto::system_random);

// The bytes hashed before the name (domain separation: no other use of SHA-256 over a name
// gives the same input). Changing it changes every derived address: it is part of the format.
inline constexpr std::string_view kMacFromNamePrefix = "n2nkit-mac-v1:";

// The first 6 bytes of SHA-256(kMacFromNamePrefix + name) with the first octet's bit 0
// cleared and bit 1 set (or, with a family, its low four bits replaced by the family's digit).
// The same name gives the same address on every machine and in every version.
wire::Mac mac_from_name(std::string_view name, std::optional<MacFamily> family = std::nullopt);

}  // namespace n2nkit::keys
