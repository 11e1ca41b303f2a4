#include "core/routes/ipv4_route.hpp"

#include <fmt/format.h>

#include <charconv>

namespace n2nkit::routes {
std::optional<std::uint32_t> parse_ipv4_address(std::string_view text) {
  std::uint32_t value = 0;
  int parts = 0;
  while (parts < 4) {
    unsigned part = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, part);
    if (ec != std::errc{} || ptr == begin || part > 255 || ptr - begin > 3) return std::nullopt;
    value = value << 8 | part;
    ++parts;
    text.remove_prefix(static_cast<std::size_t>(ptr - begin));
    if (parts < 4) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return value;
}

namespace {

std::optional<std::uint32_t> parse_address(std::string_view text) {
  return parse_ipv4_address(text);
}

}  // namespace

std::uint32_t prefix_mask(std::uint8_t prefix) {
  return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - (prefix > 32 ? 32 : prefix));
}

bool covers(std::uint32_t net, std::uint8_t prefix, std::uint32_t addr) {
  return ((net ^ addr) & prefix_mask(prefix)) == 0;
}

std::string ipv4_text(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

std::string route_text(const Ipv4Route& r) {
  std::string text = fmt::format("{}/{}", ipv4_text(r.dst), r.prefix);
  if (r.gateway != 0) text += " via " + ipv4_text(r.gateway);
  if (r.ifindex != 0) text += fmt::format(" dev #{}", r.ifindex);
  return text;
}

std::optional<OverlayRoute> parse_overlay_route(std::string_view text, std::string& error) {
  const auto slash = text.find('/');
  const auto colon = text.find(':');
  if (slash == std::string_view::npos || colon == std::string_view::npos || colon < slash) {
    error = fmt::format("'{}': expected NET/LEN:GATEWAY, e.g. 10.10.10.0/24:10.20.30.254", text);
    return std::nullopt;
  }
  const auto net = parse_address(text.substr(0, slash));
  if (!net) {
    error = fmt::format("'{}': '{}' is not an IPv4 network", text, text.substr(0, slash));
    return std::nullopt;
  }
  const auto len_text = text.substr(slash + 1, colon - slash - 1);
  unsigned len = 0;
  const auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc{} || ptr != len_text.data() + len_text.size() || len_text.empty() ||
      len > 32) {
    error = fmt::format("'{}': '{}' is not a prefix length (0-32)", text, len_text);
    return std::nullopt;
  }
  const auto gateway = parse_address(text.substr(colon + 1));
  if (!gateway || *gateway == 0) {
    error = fmt::format("'{}': '{}' is not a gateway address", text, text.substr(colon + 1));
    return std::nullopt;
  }
  const auto prefix = static_cast<std::uint8_t>(len);
  if ((*net & ~prefix_mask(prefix)) != 0) {
    error = fmt::format("'{}': {} has host bits set for /{} (network {})", text, ipv4_text(*net),
                        len, ipv4_text(*net & prefix_mask(prefix)));
    return std::nullopt;
  }
  return OverlayRoute{*net, prefix, *gateway};
}

std::string overlay_route_text(const OverlayRoute& r) {
  return fmt::format("{}/{}:{}", ipv4_text(r.net), r.prefix, ipv4_text(r.gateway));
}

std::vector<Ipv4Route> kernel_routes(const OverlayRoute& r, int tap_ifindex) {
  if (r.prefix == 0) {
    return {Ipv4Route{0x00000000, 1, r.gateway, tap_ifindex, 0},
            Ipv4Route{0x80000000, 1, r.gateway, tap_ifindex, 0}};
  }
  return {Ipv4Route{r.net, r.prefix, r.gateway, tap_ifindex, 0}};
}

std::optional<Ipv4Net> parse_ipv4_net(std::string_view text, std::string& error) {
  if (text == "default") return Ipv4Net{0, 0};
  const auto slash = text.find('/');
  const auto address_text = text.substr(0, slash);
  const auto net = parse_address(address_text);
  if (!net) {
    error = fmt::format("'{}' is not an IPv4 network (expected NET/LEN, e.g. 10.10.10.0/24)", text);
    return std::nullopt;
  }
  unsigned len = 32;
  if (slash != std::string_view::npos) {
    const auto len_text = text.substr(slash + 1);
    const auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (ec != std::errc{} || ptr != len_text.data() + len_text.size() || len_text.empty() ||
        len > 32) {
      error = fmt::format("'{}': '{}' is not a prefix length (0-32)", text, len_text);
      return std::nullopt;
    }
  }
  const auto prefix = static_cast<std::uint8_t>(len);
  if ((*net & ~prefix_mask(prefix)) != 0) {
    error = fmt::format("'{}': {} has host bits set for /{} (network {})", text, ipv4_text(*net),
                        len, ipv4_text(*net & prefix_mask(prefix)));
    return std::nullopt;
  }
  return Ipv4Net{*net, prefix};
}

std::string net_text(const Ipv4Net& n) {
  return n.prefix == 0 ? std::string("default") : fmt::format("{}/{}", ipv4_text(n.net), n.prefix);
}

}  // namespace n2nkit::routes
