#pragma once
// The TUI's I/O towards the daemons: every polled method of every management port, one read
// request each, all at once through mgmt::read_methods, into a Snapshot.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tui/model.hpp"

namespace n2nkit::tui {

struct Target {
  std::uint16_t port = 0;
  std::string password;  // empty: none sent (reads need none, unless the daemon has one)
};

struct PollSettings {
  std::chrono::milliseconds timeout{500};  // per method
  bool packed_rows = true;                 // false only to compare, in bench/tui
};

TargetSnapshot poll_target(const Target& t, const PollSettings& s);
Snapshot poll_all(const std::vector<Target>& targets, const PollSettings& s);

// The overlay's firewall, forwarding sysctls and n2n-mss check's findings (runs nft and
// iptables-save: seconds, not milliseconds; the Firewall view reads it less often).
FirewallSnapshot read_firewall(const std::string& overlay);

}  // namespace n2nkit::tui
