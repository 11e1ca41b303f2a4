#pragma once
// The client side of the management API (spec §13): one read request to a daemon's management
// port on the loopback ("r TAG[:1:PASSWORD] METHOD"), its rows collected until "end". The
// tools that ask a local edge or supernode (n2n-route, n2n-mtu, n2n-mss) share it.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace n2nkit::mgmt {

struct ReadAnswer {
  std::vector<nlohmann::json> rows;
  std::string error;     // why there is no answer: nothing listens, a timeout, an error reply
  bool refused = false;  // the daemon answered with an error (e.g. an unknown method)
  bool ok = false;
};

ReadAnswer read_method(std::uint16_t port, const std::string& password, const std::string& method,
                       std::chrono::milliseconds timeout);

}  // namespace n2nkit::mgmt
