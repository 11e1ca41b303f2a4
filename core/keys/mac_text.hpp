#pragma once
// MAC addresses as people type them (n2n-mac check): every spelling n2n-edge -m takes, read by
// the edge's own parser (wire::parse_mac), plus twelve bare hex digits; anything else gets one
// phrase naming what is wrong.
#include <optional>
#include <string>
#include <string_view>

#include "core/wire/types.hpp"

namespace n2nkit::keys {

struct MacText {
  std::optional<wire::Mac> mac;
  // Set when there is no mac: "5 octets, expected 6", "'g' is not a hex digit", ...
  std::string problem;
  // n2n-edge -m and n2n-supernode -m take the text as written.
  bool edge_spelling = false;
  // ntop/n2n's edge reads it right too: it takes two hex digits at fixed offsets
  // (0, 3, ..., 15) and skips one separator after each, so only "hh:hh:hh:hh:hh:hh" (or '-').
  bool reference_spelling = false;
};

MacText read_mac_text(std::string_view text);

}  // namespace n2nkit::keys
