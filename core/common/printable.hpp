#pragma once
// User text quoted in a one-line error or warning: control characters would break the line.
#include <string>
#include <string_view>

namespace n2nkit {

// Control characters (and DEL) as \xNN; everything else unchanged.
std::string printable(std::string_view text);

}  // namespace n2nkit
