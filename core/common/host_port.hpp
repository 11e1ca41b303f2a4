#pragma once
// HOST:PORT as people write it on a command line (n2n-mtu probe's supernode, n2n-route
// --supernode).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace n2nkit {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
};

// "sn.example.org:7654", "198.51.100.1:7654", "[2001:db8::1]:7654". nullopt with `error` set
// to a phrase naming the problem (no port, port not 1..65535, empty host, bad brackets).
std::optional<HostPort> parse_host_port(std::string_view text, std::string& error);

}  // namespace n2nkit
