#pragma once
// TCP header fields the tools look at: ports, flags and the MSS option.
#include <optional>
#include <string>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

inline constexpr std::uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08,
                              kTcpAck = 0x10, kTcpUrg = 0x20, kTcpEce = 0x40, kTcpCwr = 0x80;

// "SYN,ACK"
std::string tcp_flags_to_string(std::uint8_t flags);

// The MSS option of a TCP header (options walked safely); nullopt if absent or malformed.
std::optional<std::uint16_t> tcp_mss_option(ByteView tcp_header);

}  // namespace n2nkit::packet
