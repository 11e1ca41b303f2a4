#pragma once
// A fast path for the replies the daemons send most: one flat JSON object, string keys, string
// and integer values, ASCII. nlohmann::json::parse takes about 3.5 µs for such a row of
// `edges`, most of it in its lexer; this reads it in about half, which counts when 10,000 of
// them come per refresh (bench/RESULTS.md, n2n-tui). Anything else (nesting, true/false/null,
// fractions, bytes above 0x7f, numbers beyond 64 bits) is left to nlohmann's parser, so the
// result is always the one it would give.
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace n2nkit::mgmt {

// The object, or nothing if `text` is not such an object (then nlohmann decides).
std::optional<nlohmann::json> parse_flat_object(std::string_view text);

}  // namespace n2nkit::mgmt
