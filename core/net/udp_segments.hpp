#pragma once
// Grouping of outgoing datagrams for UDP generic segmentation offload (UDP_SEGMENT, Linux 4.18).
// A relay sends runs of equal-sized datagrams to one destination (a TCP flow between two
// relayed edges is a run of full-size PACKETs); one sendmsg with UDP_SEGMENT takes such a run
// through the UDP/IP stack once, and the kernel cuts it into the original datagrams. Pure: the
// socket code asks for the groups and sends each as one message.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

struct UdpDatagram {
  wire::Sock to;
  ByteView bytes;
};

// datagrams[first, first + count) go as one message. segment is the size every datagram of the
// group has but the last (which may be shorter); 0 for a group of one, sent without
// UDP_SEGMENT.
struct SegmentGroup {
  std::size_t first = 0;
  std::size_t count = 0;
  std::uint16_t segment = 0;
};

// The kernel's limits: at most 64 segments (UDP_MAX_SEGMENTS), and the whole run must fit in
// one IPv4 datagram (65535 − 20 − 8 bytes of UDP payload).
inline constexpr std::size_t kMaxSegments = 64;
inline constexpr std::size_t kMaxSegmentedBytes = 65507;

// Consecutive datagrams to the same destination, all of the first one's size except possibly a
// shorter last one, up to the limits; everything else is a group of one. Order is kept.
void plan_segment_groups(std::span<const UdpDatagram> datagrams, std::vector<SegmentGroup>& out,
                         std::size_t max_segments = kMaxSegments,
                         std::size_t max_bytes = kMaxSegmentedBytes);

}  // namespace n2nkit::net
