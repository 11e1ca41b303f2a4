#include "core/mtu/probe_target.hpp"

#include <fmt/format.h>

#include <charconv>

namespace n2nkit::mtu {
namespace {

std::optional<unsigned> small_number(std::string_view text, unsigned max) {
  unsigned v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || p != end || v > max) return std::nullopt;
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
      error = fmt::format("'{}' has no port (want host:port, e.g. 192.0.2.1:7654)", text);
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
  const auto p = small_number(port, 65535);
  if (!p || *p == 0) {
    error = fmt::format("'{}': port '{}' is not a number in 1..65535", text, port);
    return std::nullopt;
  }
  hp.port = static_cast<std::uint16_t>(*p);
  return hp;
}

std::optional<crypto::TransformId> transform_option(std::string_view value) {
  if (value.empty()) return crypto::TransformId::aes;
  const auto n = small_number(value, 5);
  if (!n) return std::nullopt;
  return crypto::transform_from_cli(static_cast<int>(*n));
}

bool compression_option(std::string_view value, bool& compressed) {
  if (value.empty()) {
    compressed = true;
    return true;
  }
  const auto n = small_number(value, 2);
  if (!n) return false;
  compressed = *n != 0;
  return true;
}

std::string check_search_bounds(std::size_t lower, std::size_t upper, std::size_t smallest) {
  if (lower < smallest) {
    return fmt::format("--min {} is below {}, the smallest probe", lower, smallest);
  }
  if (upper > 65535) return fmt::format("--max {} is above 65535", upper);
  if (lower > upper) return fmt::format("--min {} is above --max {}", lower, upper);
  return {};
}

}  // namespace n2nkit::mtu
