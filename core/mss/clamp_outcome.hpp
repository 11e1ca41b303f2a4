#pragma once
// What the MSS clamp did with one frame, in enough detail for the edge to count it: every
// frame ends in exactly one status, and malformed ones name the layer at fault.
#include <string_view>

#include "core/packet/ip_frame.hpp"

namespace n2nkit::mss {

enum class ClampStatus : std::uint8_t {
  clamped,        // an MSS option above the limit was rewritten to the limit
  within_limit,   // SYN whose MSS option is at or below the limit: untouched
  no_mss_option,  // SYN without an MSS option: untouched (adding one would change the length)
  not_syn,        // TCP, but not SYN or SYN-ACK (a SYN with RST counts here)
  not_tcp,        // IPv4/IPv6 carrying something else (ESP, ICMP, UDP, no next header, ...)
  not_ip,         // neither IPv4 nor IPv6 (ARP, LLDP, ...)
  fragment,       // a fragment other than the first: no TCP header in it
  malformed,      // layer and defect say where; untouched
};

// Stable short names for counters and JSON ("no_mss_option").
std::string_view clamp_status_name(ClampStatus status);

struct ClampOutcome {
  ClampStatus status = ClampStatus::malformed;
  packet::FrameLayer layer = packet::FrameLayer::none;  // malformed only
  packet::FrameDefect defect = packet::FrameDefect::none;
  std::uint8_t ip_version = 0;  // 4 or 6 once an IP header was read
  std::uint8_t tcp_flags = 0;   // once a TCP header was read
  // clamped and within_limit: the MSS found (the largest, should a SYN carry several) and the
  // MSS the SYN carries now. Equal unless clamped.
  std::uint16_t old_mss = 0;
  std::uint16_t new_mss = 0;
};

}  // namespace n2nkit::mss
