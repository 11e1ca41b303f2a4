#include "core/wire/types.hpp"

#include <arpa/inet.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>

namespace n2nkit::wire {
namespace {

constexpr std::array<std::string_view, 13> kTypeNames = {
    "",  // 0 has no name in the spec ("(ping)", unused)
    "REGISTER",
    "DEREGISTER",
    "PACKET",
    "REGISTER_ACK",
    "REGISTER_SUPER",
    "UNREGISTER_SUPER",
    "REGISTER_SUPER_ACK",
    "REGISTER_SUPER_NAK",
    "FEDERATION",
    "PEER_INFO",
    "QUERY_PEER",
    "RE_REGISTER_SUPER",
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Copies text into a NUL-padded array, keeping the last byte NUL.
template <std::size_t N>
std::array<std::uint8_t, N> padded_text(std::string_view text) {
  std::array<std::uint8_t, N> out{};
  const std::size_t n = std::min(text.size(), N - 1);
  std::copy_n(text.begin(), n, out.begin());
  return out;
}

template <std::size_t N>
std::string text_up_to_nul(const std::array<std::uint8_t, N>& field) {
  const auto end = std::find(field.begin(), field.end(), std::uint8_t{0});
  return std::string(field.begin(), end);
}

}  // namespace

std::string msg_type_name(std::uint8_t code) {
  if (code < kTypeNames.size() && !kTypeNames[code].empty()) return std::string(kTypeNames[code]);
  return fmt::format("TYPE_{}", code);
}

bool is_multicast_or_broadcast(const Mac& mac) {
  if (mac == kBroadcastMac) return true;
  if (mac[0] == 0x01 && mac[1] == 0x00 && mac[2] == 0x5e && (mac[3] & 0x80) == 0) return true;
  return mac[0] == 0x33 && mac[1] == 0x33;
}

std::string mac_to_string(const Mac& mac) {
  return fmt::format(FMT_COMPILE("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}"), mac[0], mac[1],
                     mac[2], mac[3], mac[4], mac[5]);
}

std::optional<Mac> parse_mac(std::string_view text) {
  // Six groups of one or two hex digits separated by ':' (or '-'), as `-m` accepts them.
  Mac mac{};
  std::size_t pos = 0;
  for (std::size_t group = 0; group < mac.size(); ++group) {
    if (group > 0) {
      if (pos >= text.size() || (text[pos] != ':' && text[pos] != '-')) return std::nullopt;
      ++pos;
    }
    int value = 0;
    std::size_t digits = 0;
    while (pos < text.size() && digits < 2 && hex_digit(text[pos]) >= 0) {
      value = value * 16 + hex_digit(text[pos]);
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    mac[group] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return mac;
}

Community make_community(std::string_view name) {
  return padded_text<kCommunitySize>(name);
}

std::string community_to_string(const Community& c) {
  return text_up_to_nul(c);
}

Description make_description(std::string_view text) {
  return padded_text<kDescriptionSize>(text);
}

std::string description_to_string(const Description& d) {
  return text_up_to_nul(d);
}

Sock Sock::ipv4(std::uint32_t host_order_addr, std::uint16_t port) {
  Sock s;
  s.port = port;
  store_be32(s.addr.data(), host_order_addr);
  return s;
}

std::string sock_to_string(const Sock& s) {
  if (!s.ipv6) {
    const std::uint32_t a = s.ipv4_host_order();
    return fmt::format(FMT_COMPILE("{}.{}.{}.{}:{}"), a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
                       a & 0xff, s.port);
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(AF_INET6, s.addr.data(), text, sizeof text) == nullptr) {
    return fmt::format("[{}]:{}", to_hex(s.addr), s.port);  // cannot happen for 16 bytes
  }
  return fmt::format("[{}]:{}", text, s.port);
}

std::string subnet_to_string(const IpSubnet& s) {
  return fmt::format(FMT_COMPILE("{}.{}.{}.{}/{}"), s.addr >> 24, (s.addr >> 16) & 0xff,
                     (s.addr >> 8) & 0xff, s.addr & 0xff, s.prefix);
}

}  // namespace n2nkit::wire
