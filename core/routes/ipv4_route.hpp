#pragma once
// IPv4 routes as n2nkit reasons about them: the -n routes of an edge, the kernel's main table as
// read through netlink, and longest-prefix lookups over it. Pure values, no I/O: the netlink
// side is core/net/route_netlink.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace n2nkit::routes {

// One kernel route in the main table. gateway 0: directly on the link (scope link).
struct Ipv4Route {
  std::uint32_t dst = 0;  // host order, masked to prefix
  std::uint8_t prefix = 0;
  std::uint32_t gateway = 0;
  int ifindex = 0;
  std::uint32_t metric = 0;
  bool operator==(const Ipv4Route&) const = default;
};

// An `-n NET/LEN:GATEWAY` route through the overlay.
struct OverlayRoute {
  std::uint32_t net = 0;  // host order, masked
  std::uint8_t prefix = 0;
  std::uint32_t gateway = 0;
  bool operator==(const OverlayRoute&) const = default;
};

// A kernel route with the attributes that must come back exactly when n2n-route restores a
// route it replaced or deleted (`ip route` shows them: proto, scope, src).
struct KernelRoute {
  Ipv4Route route;
  std::uint8_t protocol = 4;  // RTPROT_STATIC, what n2nkit's own routes carry
  std::uint8_t scope = 0;     // RT_SCOPE_UNIVERSE (0) with a gateway, RT_SCOPE_LINK (253) without
  std::uint32_t prefsrc = 0;  // host order; 0: none
  bool operator==(const KernelRoute&) const = default;
};

// A network as a command line gives it: NET/LEN, a bare address (a /32) or "default" (0/0).
struct Ipv4Net {
  std::uint32_t net = 0;  // host order, masked
  std::uint8_t prefix = 0;
  bool operator==(const Ipv4Net&) const = default;
};

std::uint32_t prefix_mask(std::uint8_t prefix);
bool covers(std::uint32_t net, std::uint8_t prefix, std::uint32_t addr);
std::string ipv4_text(std::uint32_t host_order);
std::string route_text(const Ipv4Route& r);  // "10.10.10.0/24 via 10.20.30.254 dev #5"

// "NET/LEN:GATEWAY" as the reference's -n takes it; host bits in NET are an error (they would
// make the kernel refuse the route later with a less helpful message). On error: nullopt and
// one line in error.
std::optional<OverlayRoute> parse_overlay_route(std::string_view text, std::string& error);
std::string overlay_route_text(const OverlayRoute& r);  // "10.10.10.0/24:10.20.30.254"

// A dotted-quad IPv4 address (exactly four decimal parts), host order.
std::optional<std::uint32_t> parse_ipv4_address(std::string_view text);
// NET/LEN, ADDRESS (/32) or "default"; host bits set are an error, as in parse_overlay_route.
std::optional<Ipv4Net> parse_ipv4_net(std::string_view text, std::string& error);
std::string net_text(const Ipv4Net& n);  // "10.10.10.0/24"

// The kernel routes that carry an -n route through the TAP. A default route becomes two /1
// routes, as the reference does: they win over the underlay's default route without replacing
// it, so the underlay gateway stays known (for the supernode's host route) and comes back
// untouched when the edge stops.
std::vector<Ipv4Route> kernel_routes(const OverlayRoute& r, int tap_ifindex);

// Longest-prefix match over a table snapshot (lowest metric among equals), skipping the routes
// `skip` returns true for.
template <class Skip>
std::optional<Ipv4Route> lookup(std::span<const Ipv4Route> table, std::uint32_t addr, Skip skip) {
  std::optional<Ipv4Route> best;
  for (const Ipv4Route& r : table) {
    if (skip(r) || !covers(r.dst, r.prefix, addr)) continue;
    if (!best || r.prefix > best->prefix || (r.prefix == best->prefix && r.metric < best->metric)) {
      best = r;
    }
  }
  return best;
}

}  // namespace n2nkit::routes
