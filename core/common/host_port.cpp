#include "core/common/host_port.hpp"

#include <fmt/format.h>

#include <charconv>

namespace n2nkit {
namespace {

std::optional<unsigned> port_number(std::string_view text) {
  unsigned v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || p != end || v > 65535) return std::nullopt;
  return v;
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view text, std::string& error) {
  HostPort hp;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = fmt::format("'{}' is not [IPv6 address]:port", text);
      return std::nullopt;
    }
    hp.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = fmt::format("'{}' is not HOST:PORT: it has no port (e.g. 192.0.2.1:7654)", text);
      return std::nullopt;
    }
    if (text.find(':') != colon) {
      error = fmt::format("'{}': write an IPv6 address in brackets, [address]:port", text);
      return std::nullopt;
    }
    hp.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (hp.host.empty()) {
    error = fmt::format("'{}' has no host before the port", text);
    return std::nullopt;
  }
  const auto p = port_number(port);
  if (!p || *p == 0) {
    error = fmt::format("'{}': '{}' is not a port (1..65535)", text, port);
    return std::nullopt;
  }
  hp.port = static_cast<std::uint16_t>(*p);
  return hp;
}

}  // namespace n2nkit
