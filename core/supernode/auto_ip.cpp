#include "core/supernode/auto_ip.hpp"

#include "core/common/printable.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/wire/pearson.hpp"

namespace n2nkit::supernode {

namespace {

std::string ipv4_text(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xFFu, (a >> 8) & 0xFFu, a & 0xFFu);
}

bool pool_is_valid(const AutoIpPool& pool) {
  if (pool.prefix < 1 || pool.prefix > 30 || pool.min_net > pool.max_net) return false;
  const std::uint32_t host = ~prefix_netmask(pool.prefix);
  return (pool.min_net & host) == 0 && (pool.max_net & host) == 0;
}

}  // namespace

std::uint32_t prefix_netmask(std::uint8_t prefix) {
  if (prefix == 0) return 0;
  if (prefix >= 32) return 0xFFFFFFFFu;
  return ~std::uint32_t{0} << (32u - prefix);
}

bool subnets_overlap(const wire::IpSubnet& a, const wire::IpSubnet& b) {
  const std::uint32_t mask = prefix_netmask(std::min(a.prefix, b.prefix));
  return ((a.addr ^ b.addr) & mask) == 0;
}

std::uint32_t pool_subnet_count(const AutoIpPool& pool) {
  if (!pool_is_valid(pool)) return 0;
  return ((pool.max_net - pool.min_net) >> (32u - pool.prefix)) + 1u;
}

wire::IpSubnet proposed_community_subnet(const AutoIpPool& pool, const wire::Community& community) {
  const std::uint32_t count = pool_subnet_count(pool);
  if (count == 0) return {};
  const std::uint32_t index = wire::pearson32(community) % count;
  return {pool.min_net + (index << (32u - pool.prefix)), pool.prefix};
}

wire::IpSubnet choose_community_subnet(const AutoIpPool& pool, const wire::Community& community,
                                       const SubnetTaken& taken) {
  const std::uint32_t count = pool_subnet_count(pool);
  if (count == 0) return {};
  const std::uint32_t proposal = wire::pearson32(community) % count;
  const unsigned shift = 32u - pool.prefix;
  // Downward first, so a community keeps its subnet as long as nothing below it changes.
  for (std::uint32_t i = proposal + 1; i-- > 0;) {
    const wire::IpSubnet candidate{pool.min_net + (i << shift), pool.prefix};
    if (!taken(candidate)) return candidate;
  }
  for (std::uint32_t i = proposal + 1; i < count; ++i) {
    const wire::IpSubnet candidate{pool.min_net + (i << shift), pool.prefix};
    if (!taken(candidate)) return candidate;
  }
  return {};
}

wire::IpSubnet choose_community_subnet(const AutoIpPool& pool, const wire::Community& community,
                                       std::span<const wire::IpSubnet> others) {
  return choose_community_subnet(pool, community, [others](const wire::IpSubnet& candidate) {
    return std::any_of(others.begin(), others.end(), [&](const wire::IpSubnet& other) {
      return other.prefix != 0 && subnets_overlap(candidate, other);
    });
  });
}

std::optional<std::uint32_t> proposed_edge_address(const wire::IpSubnet& subnet,
                                                   const wire::Description& desc) {
  if (subnet.prefix < 1 || subnet.prefix > 30) return std::nullopt;
  const std::uint32_t hostmask = ~prefix_netmask(subnet.prefix);
  std::uint32_t host = wire::pearson32(desc) & hostmask;
  if (host == 0) host = 1;
  if (host == hostmask) host = hostmask - 1;
  return (subnet.addr & ~hostmask) | host;
}

std::optional<wire::IpSubnet> choose_edge_address(const wire::IpSubnet& subnet,
                                                  const wire::Description& desc,
                                                  const AddressTaken& taken) {
  const auto proposal = proposed_edge_address(subnet, desc);
  if (!proposal) return std::nullopt;
  const std::uint32_t hostmask = ~prefix_netmask(subnet.prefix);
  const std::uint32_t network = subnet.addr & ~hostmask;
  const std::uint32_t broadcast = network | hostmask;
  for (std::uint32_t a = *proposal; a > network; --a) {
    if (!taken(a)) return wire::IpSubnet{a, subnet.prefix};
  }
  for (std::uint32_t a = *proposal + 1; a < broadcast; ++a) {
    if (!taken(a)) return wire::IpSubnet{a, subnet.prefix};
  }
  return std::nullopt;
}

std::optional<wire::IpSubnet> choose_edge_address(const wire::IpSubnet& subnet,
                                                  const wire::Description& desc,
                                                  std::span<const std::uint32_t> taken) {
  return choose_edge_address(subnet, desc, [taken](std::uint32_t address) {
    return std::find(taken.begin(), taken.end(), address) != taken.end();
  });
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  int parts = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = pos;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    const std::size_t digits = end - pos;
    if (digits == 0 || digits > 3) return std::nullopt;
    if (digits > 1 && text[pos] == '0') return std::nullopt;
    std::uint32_t value = 0;
    for (std::size_t k = pos; k < end; ++k)
      value = value * 10u + static_cast<std::uint32_t>(text[k] - '0');
    if (value > 255) return std::nullopt;
    address = (address << 8) | value;
    ++parts;
    if (parts == 4)
      return end == text.size() ? std::optional<std::uint32_t>(address) : std::nullopt;
    if (end >= text.size() || text[end] != '.') return std::nullopt;
    pos = end + 1;
  }
}

Result<AutoIpPool> parse_auto_ip_pool(std::string_view text, std::string& error) {
  const auto bad = [&](std::string message) -> Result<AutoIpPool> {
    error = fmt::format("-a {}: {}", printable(text), message);
    return fail(Reason::bad_field);
  };
  const std::size_t dash = text.find('-');
  const std::size_t slash = text.find('/', dash == std::string_view::npos ? 0 : dash);
  if (dash == std::string_view::npos || slash == std::string_view::npos) {
    return bad("expected <min>-<max>/<n>, e.g. 10.128.0.0-10.255.255.0/24");
  }
  const std::string_view min_text = text.substr(0, dash);
  const std::string_view max_text = text.substr(dash + 1, slash - dash - 1);
  const std::string_view prefix_text = text.substr(slash + 1);

  const auto min_net = parse_ipv4(min_text);
  if (!min_net)
    return bad(fmt::format("'{}' is not an IPv4 address (a.b.c.d)", printable(min_text)));
  const auto max_net = parse_ipv4(max_text);
  if (!max_net)
    return bad(fmt::format("'{}' is not an IPv4 address (a.b.c.d)", printable(max_text)));

  if (prefix_text.empty() || prefix_text.size() > 2 ||
      !std::all_of(prefix_text.begin(), prefix_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return bad(
        fmt::format("prefix length '{}' is not a number from 1 to 30", printable(prefix_text)));
  }
  unsigned prefix = 0;
  for (const char c : prefix_text) prefix = prefix * 10u + static_cast<unsigned>(c - '0');
  if (prefix < 1 || prefix > 30) {
    return bad(fmt::format("prefix length {} is not from 1 to 30", prefix));
  }

  for (const std::uint32_t net : {*min_net, *max_net}) {
    if (net == 0 || net == 0xFFFFFFFFu) {
      return bad(fmt::format("{} cannot be a pool network", ipv4_text(net)));
    }
  }
  const std::uint32_t host = ~prefix_netmask(static_cast<std::uint8_t>(prefix));
  for (const std::uint32_t net : {*min_net, *max_net}) {
    if ((net & host) != 0) {
      return bad(fmt::format("{} is not a /{} network address (host bits set; did you mean {}?)",
                             ipv4_text(net), prefix, ipv4_text(net & ~host)));
    }
  }
  if (*min_net > *max_net) {
    return bad(fmt::format("{} is above {}", ipv4_text(*min_net), ipv4_text(*max_net)));
  }
  return AutoIpPool{*min_net, *max_net, static_cast<std::uint8_t>(prefix)};
}

std::string format_auto_ip_pool(const AutoIpPool& pool) {
  return fmt::format("{}-{}/{}", ipv4_text(pool.min_net), ipv4_text(pool.max_net), pool.prefix);
}

}  // namespace n2nkit::supernode
