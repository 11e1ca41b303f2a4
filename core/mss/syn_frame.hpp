#pragma once
// Finds a TCP SYN or SYN-ACK in an Ethernet frame and the MSS options in it: the parser that
// clamp_mss() and inspect_syn() share. Reads only; never past the frame.
#include <array>

#include "core/mss/clamp_outcome.hpp"

namespace n2nkit::mss {

// 40 bytes of option space hold at most ten 4-byte MSS options.
inline constexpr std::size_t kMaxMssOptions = 10;

struct SynFrame {
  // A SYN with MSS options is reported as within_limit (no limit is applied here) and one
  // without as no_mss_option; never clamped. Malformed option lists are malformed/tcp_options.
  ClampStatus status = ClampStatus::malformed;
  packet::FrameLayer layer = packet::FrameLayer::none;
  packet::FrameDefect defect = packet::FrameDefect::none;
  packet::IpFrame ip;
  std::size_t tcp_offset = 0;  // in the frame
  std::uint8_t tcp_flags = 0;
  std::uint8_t mss_count = 0;
  std::array<std::size_t, kMaxMssOptions> mss_value_offset{};  // the 2-byte value, in the frame
  std::array<std::uint16_t, kMaxMssOptions> mss_value{};
  std::uint16_t mss_max = 0;
};

// Options: EOL ends the list, NOP is one byte, every other kind has a length byte >= 2 that
// must stay inside the header, and MSS (kind 2) must have length 4; anything else makes the
// list malformed. A SYN with RST set is not_syn (RFC 9293 gives it no meaning; iptables'
// --syn excludes it too).
SynFrame find_syn_frame(ByteView frame);

}  // namespace n2nkit::mss
