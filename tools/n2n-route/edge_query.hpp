#pragma once
// What n2n-route asks the local edge's management port (core/mgmt/client).
#include <cstdint>
#include <string>
#include <vector>

#include "core/routes/overlay_report.hpp"

namespace n2nkit::routetool {

// The edge's supernodes and (optionally) peers with IPv4 sockets; false and error when the
// management port does not answer.
bool edge_endpoints(std::uint16_t port, const std::string& password, bool with_peers,
                    std::vector<routes::Endpoint>& out, std::string& error);

}  // namespace n2nkit::routetool
