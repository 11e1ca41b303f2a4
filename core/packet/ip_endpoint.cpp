#include "core/packet/ip_endpoint.hpp"

#include <arpa/inet.h>

#include <fmt/format.h>

namespace n2nkit::packet {

std::string ipv4_to_string(const std::uint8_t* a) {
  return fmt::format("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
}

std::string ipv6_to_string(const std::uint8_t* a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, a, buf, sizeof buf);
  return buf;
}

std::string address_to_string(const IpEndpoint& e) {
  return e.ipv6 ? ipv6_to_string(e.addr.data()) : ipv4_to_string(e.addr.data());
}

std::string endpoint_to_string(const IpEndpoint& e) {
  return e.ipv6 ? fmt::format("[{}]:{}", address_to_string(e), e.port)
                : fmt::format("{}:{}", address_to_string(e), e.port);
}

}  // namespace n2nkit::packet
