#pragma once
// A management API client (spec §13) speaking over UDP from inside the supernode's host, like
// scripts/n2n-ctl: send one request line, collect the tagged replies until "end".
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace n2nkit::netnstest {

struct MgmtReply {
  std::vector<nlohmann::json> rows;
  std::string error;      // the "error" field of an error reply, or a transport problem
  bool complete = false;  // "end" arrived
};

// request e.g. "r 7 edges": the tag (second word) selects the replies that belong to it.
MgmtReply mgmt_query(const std::string& netns, std::uint16_t port, const std::string& request,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// Sends raw bytes to the management port (garbage tests); false if sending failed.
bool mgmt_send_raw(const std::string& netns, std::uint16_t port, const std::string& bytes);

}  // namespace n2nkit::netnstest
