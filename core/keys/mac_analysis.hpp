#pragma once
// What the bits of a MAC address say and whether an edge should use it (n2n-mac check).
// "Safe" means: unicast, locally administered, not the null address. n2n-edge -m itself only
// refuses multicast addresses and the null address; a universally administered one is taken
// but may be a real network card's address somewhere on the LAN the edges bridge.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wire/types.hpp"

namespace n2nkit::keys {

// IEEE 802c (Structured Local Address Plan) quadrant of a locally administered address, told by
// bits 2 and 3 of the first octet, i.e. its second hex digit: x2, xA, xE or x6 for unicast.
enum class SlapQuadrant { aai, eli, sai, reserved };
std::string_view slap_quadrant_name(SlapQuadrant q);     // "AAI", "ELI", "SAI", "reserved"
std::string_view slap_quadrant_meaning(SlapQuadrant q);  // "administratively assigned", ...

struct MacAnalysis {
  bool group = false;  // I/G bit, bit 0 of the first octet: a multicast (group) address
  bool local = false;  // U/L bit, bit 1 of the first octet: locally administered
  bool null = false;
  bool broadcast = false;
  // What n2n treats as multicast when routing (spec §2.2): sent to every edge of the community,
  // and dropped at an edge without -E unless it is broadcast.
  bool n2n_multicast = false;
  std::optional<SlapQuadrant> quadrant;  // locally administered unicast addresses only
  std::string block;                     // a well-known range it is in, or empty
  std::vector<std::string> problems;     // why an edge should not use it; empty when safe
  bool edge_accepts = false;             // n2n-edge -m takes it (unicast, not null)
  bool safe() const { return problems.empty(); }
};

MacAnalysis analyse_mac(const wire::Mac& mac);

// "00:11:22", the first three octets (the vendor's block of a universal address).
std::string mac_oui(const wire::Mac& mac);

}  // namespace n2nkit::keys
