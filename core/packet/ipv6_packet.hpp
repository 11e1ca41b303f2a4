#pragma once
// Builds IPv6 packets, the counterpart of ipv4_packet() in frame_builder.hpp: for tests and
// probes. Extension headers, if any, are the caller's payload (next_header says the first).
#include "core/packet/checksum.hpp"

namespace n2nkit::packet {

ByteVector ipv6_packet(std::uint8_t next_header, const Ipv6Address& src, const Ipv6Address& dst,
                       ByteView payload, std::uint8_t hop_limit = 64);

}  // namespace n2nkit::packet
