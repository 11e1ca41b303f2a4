#pragma once
// The edge's -R traffic rules (spec §11.13), with the reference's meaning:
//   SRC[/LEN][:PORT|:[FIRST,LAST]],DST[/LEN][:PORT|:[FIRST,LAST]],PROTO±[,PROTO±...]
// PROTO is TCP, UDP or ICMP, '+' accepts and '-' drops. A frame is judged by the most specific
// rule that matches it (the sum of both prefix lengths, +1 each; the first given wins a tie);
// a rule matches only the protocols it names, ICMP ignores ports; frames no rule matches (and
// ARP, IPv6, other protocols) pass. Rules apply to frames from the TAP and from the overlay.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"

namespace n2nkit::edge {

struct TrafficRule {
  struct Side {
    std::uint32_t net = 0;  // host order, as given (host bits make the side match nothing)
    std::uint8_t prefix = 32;
    std::uint16_t first_port = 0;
    std::uint16_t last_port = 65535;
  };
  Side src, dst;
  // Per protocol: not named (nullopt), accept (true) or drop (false).
  std::optional<bool> tcp, udp, icmp;
  std::string text;  // as given, for logs and --dump-options
};

// One rule; on error nullopt and one line in error naming the problem. warning gets a line when
// the rule is valid but cannot do what it looks like (no protocol, host bits in a network).
std::optional<TrafficRule> parse_traffic_rule(std::string_view text, std::string& error,
                                              std::string& warning);

class TrafficFilter {
 public:
  TrafficFilter() = default;
  explicit TrafficFilter(std::vector<TrafficRule> rules) : rules_(std::move(rules)) {}
  bool empty() const { return rules_.empty(); }
  // Whether the Ethernet frame may pass.
  bool allows(ByteView frame) const;

 private:
  std::vector<TrafficRule> rules_;
};

}  // namespace n2nkit::edge
