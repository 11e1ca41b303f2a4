#pragma once
// n2n-mac check's report of one address, for people and as JSON.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/keys/mac_analysis.hpp"
#include "core/keys/mac_text.hpp"

namespace n2nkit::tools {

// Indented lines, one per finding, ending in the verdict.
std::string check_text(std::string_view input, const keys::MacText& text,
                       const keys::MacAnalysis& analysis);

nlohmann::ordered_json check_json(std::string_view input, const keys::MacText& text,
                                  const keys::MacAnalysis& analysis);

}  // namespace n2nkit::tools
