#pragma once
// One read request to the local edge's management port (spec §13: "r TAG[:1:PASSWORD] METHOD",
// rows until "end"), as scripts/n2n-ctl sends it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/routes/overlay_report.hpp"

namespace n2nkit::routetool {

struct EdgeAnswer {
  std::vector<nlohmann::json> rows;
  std::string error;  // why there is no answer: a timeout or the edge's error reply
  bool ok = false;
};

EdgeAnswer query_edge(std::uint16_t port, const std::string& password, const std::string& method,
                      std::chrono::milliseconds timeout);

// The edge's supernodes and (optionally) peers with IPv4 sockets; false and error when the
// management port does not answer.
bool edge_endpoints(std::uint16_t port, const std::string& password, bool with_peers,
                    std::vector<routes::Endpoint>& out, std::string& error);

}  // namespace n2nkit::routetool
