#pragma once
// The supernode's automatic address service (spec §11.8): which subnet a community gets from
// the pool, which address an edge gets inside it, and the `-a <min>-<max>/<n>` option (§14.3).
// Pure functions: the engine passes in what is taken, so the same code serves the daemon, the
// unit tests and the scale benchmark, and nothing here keeps state between calls.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

// Subnets of length `prefix` from `min_net` to `max_net` inclusive (both network addresses,
// host order). Valid pools have 1 <= prefix <= 30 and min_net <= max_net.
struct AutoIpPool {
  std::uint32_t min_net = 0;
  std::uint32_t max_net = 0;
  std::uint8_t prefix = 0;
  bool operator==(const AutoIpPool&) const = default;
};

// 10.128.0.0 ... 10.255.255.0 /24: 32768 subnets.
inline constexpr AutoIpPool kDefaultAutoIpPool{0x0A800000u, 0x0AFFFF00u, 24};

// 0 for prefix 0, all ones for 32 and above.
std::uint32_t prefix_netmask(std::uint8_t prefix);

// Two subnets overlap when they agree on the bits of the shorter prefix.
bool subnets_overlap(const wire::IpSubnet& a, const wire::IpSubnet& b);

// N = ((max - min) >> (32 - prefix)) + 1; 0 for an invalid pool.
std::uint32_t pool_subnet_count(const AutoIpPool& pool);

// The subnet the hash proposes, before any collision search: min + (pearson32 mod N) * 2^(32-p).
wire::IpSubnet proposed_community_subnet(const AutoIpPool& pool, const wire::Community& community);

// Answers "does this candidate overlap the subnet of another community?". The engine decides
// what counts: every community except the federation and the one being assigned, including
// subnets fixed in community.list (those are avoided although they are never checked).
using SubnetTaken = std::function<bool(const wire::IpSubnet& candidate)>;

// Searches from the proposal down to min, then up from proposal+1 to max. Returns 0.0.0.0/0
// (the wire's "no automatic addresses") when the pool is exhausted or invalid.
wire::IpSubnet choose_community_subnet(const AutoIpPool& pool, const wire::Community& community,
                                       const SubnetTaken& taken);
// Convenience form: `others` are the other communities' subnets; 0/0 entries (communities
// without a subnet) take nothing.
wire::IpSubnet choose_community_subnet(const AutoIpPool& pool, const wire::Community& community,
                                       std::span<const wire::IpSubnet> others);

// The address the description hashes to inside `subnet` (host order), before any search:
// pearson32(desc) AND hostmask, 0 -> 1, hostmask -> hostmask - 1, OR the network.
// nullopt when the subnet has no usable host range (prefix 0 or > 30).
std::optional<std::uint32_t> proposed_edge_address(const wire::IpSubnet& subnet,
                                                   const wire::Description& desc);

// Answers "does an edge of this community have exactly this address?" (host order).
using AddressTaken = std::function<bool(std::uint32_t address)>;

// Searches from the proposal down to network+1, then up to broadcast-1. Returns the address
// with the community's prefix, or nullopt when every host address is taken.
std::optional<wire::IpSubnet> choose_edge_address(const wire::IpSubnet& subnet,
                                                  const wire::Description& desc,
                                                  const AddressTaken& taken);
// Convenience form: `taken` lists the addresses (host order) the community's edges hold.
std::optional<wire::IpSubnet> choose_edge_address(const wire::IpSubnet& subnet,
                                                  const wire::Description& desc,
                                                  std::span<const std::uint32_t> taken);

// Parses the supernode's `-a <min>-<max>/<n>` value, e.g. "10.128.0.0-10.255.255.0/24".
// Both ends must be dotted quads (no leading zeros: the reference would read them as octal)
// with their host bits 0, neither 0.0.0.0 nor 255.255.255.255, min <= max, 1 <= n <= 30.
// On failure returns Reason::bad_field and sets `error` to one line naming the problem.
Result<AutoIpPool> parse_auto_ip_pool(std::string_view text, std::string& error);

// "10.128.0.0-10.255.255.0/24": the form parse_auto_ip_pool() reads.
std::string format_auto_ip_pool(const AutoIpPool& pool);

// Strict dotted quad to a host-order address; nullopt otherwise. Shared with the parser above.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

}  // namespace n2nkit::supernode
