#pragma once
// An IPv4 or IPv6 address with a port, as seen in captured traffic.
#include <array>
#include <string>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

struct IpEndpoint {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> addr{};  // IPv4 in the first 4 bytes
  std::uint16_t port = 0;

  bool operator==(const IpEndpoint&) const = default;
  auto operator<=>(const IpEndpoint&) const = default;
};

std::string address_to_string(const IpEndpoint& e);   // "198.19.0.1" / "fe80::1"
std::string endpoint_to_string(const IpEndpoint& e);  // "198.19.0.1:7654" / "[fe80::1]:7654"
std::string ipv4_to_string(const std::uint8_t* four_bytes);
std::string ipv6_to_string(const std::uint8_t* sixteen_bytes);

}  // namespace n2nkit::packet
