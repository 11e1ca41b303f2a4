#pragma once
// n2n-mss check: the facts of a host that decide whether TCP through the overlay gets its MSS
// right, and the diagnosis drawn from them. diagnose() is pure; read_host_facts() gathers the
// facts (netlink, /proc/sys, the ethtool ioctl, the firewall) and needs no privilege except
// for the firewall, which it then reports as unread instead of failing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/firewall/ruleset_model.hpp"

namespace n2nkit::diag {

struct Offloads {
  std::optional<bool> tso, gso, gro;  // none: the driver does not say
};

struct IfaceFacts {
  std::string name;
  int ifindex = 0;
  std::uint32_t mtu = 0;
  Offloads offloads;
};

// What the n2n edge on this host says about its own MSS clamping (management method `mss`,
// which only n2nkit's edge answers).
struct EdgeClamp {
  std::uint16_t port = 0;
  bool answered = false;    // something answers on the management port
  bool has_method = false;  // ... and knows `mss` (n2nkit's edge)
  bool clamps = false;      // clamping on (not --no-mss-clamp)
  std::uint32_t mss_ipv4 = 0, mss_ipv6 = 0;
  std::string error;  // why there is no answer
};

struct HostFacts {
  IfaceFacts overlay;
  std::optional<IfaceFacts> uplink;  // the interface of the route towards uplink_target
  std::string uplink_target;         // the address looked up (supernode or the default route)
  std::string uplink_error;          // why there is no uplink
  std::vector<std::string> overlay_routes;  // IPv4 routes out of the overlay, as text
  std::optional<bool> ipv4_forwarding;
  std::optional<bool> ipv6_forwarding;
  firewall::FirewallState firewall;
  std::optional<EdgeClamp> edge;  // none: not asked (-t 0)
};

struct Finding {
  bool problem = false;            // false: a note, which does not make the check fail
  std::string code;                // stable, for --json: "no_clamp_into_overlay", ...
  std::string text;                // one sentence for people
  std::vector<std::string> fixes;  // exact commands, one per line
};

std::vector<Finding> diagnose(const HostFacts& facts);

// uplink_target: an IPv4 address ("" = the default route). Fails (nullopt, one line in error)
// only when the overlay interface does not exist or netlink cannot be opened.
std::optional<HostFacts> read_host_facts(const std::string& overlay_iface,
                                         const std::string& uplink_target, std::string& error);

}  // namespace n2nkit::diag
