#pragma once
// Read-only questions to the local edge's management port (spec §13: "r TAG METHOD", JSON
// rows until "end"), for --overlay: which peer has the address, and its path search.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace n2nkit::mtutool {

// The rows of METHOD, or nullopt when no complete answer came within `timeout_ms`.
std::optional<std::vector<nlohmann::json>> management_rows(std::uint16_t port,
                                                           const std::string& method,
                                                           int timeout_ms);

}  // namespace n2nkit::mtutool
