#pragma once
// One line for people per dissected message, from the same record --json prints.
#include <nlohmann/json.hpp>
#include <string>

#include "core/decode/dissector.hpp"

namespace n2nkit::decode {

// "12:00:01.000163 198.19.0.1:7654 > 198.19.0.11:50001 REGISTER_SUPER_ACK ..."
std::string text_line(const nlohmann::ordered_json& record);
// The end-of-run summary, several lines.
std::string text_summary(const DissectorStats& stats);
nlohmann::ordered_json json_summary(const DissectorStats& stats);

}  // namespace n2nkit::decode
