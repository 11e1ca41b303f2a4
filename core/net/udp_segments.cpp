#include "core/net/udp_segments.hpp"

namespace n2nkit::net {

void plan_segment_groups(std::span<const UdpDatagram> datagrams, std::vector<SegmentGroup>& out,
                         std::size_t max_segments, std::size_t max_bytes) {
  out.clear();
  std::size_t i = 0;
  while (i < datagrams.size()) {
    const auto& head = datagrams[i];
    const std::size_t size = head.bytes.size();
    std::size_t count = 1;
    std::size_t bytes = size;
    // size 0 cannot be a segment size; a lone datagram needs no segmentation.
    while (size != 0 && i + count < datagrams.size() && count < max_segments) {
      const auto& next = datagrams[i + count];
      if (next.to != head.to || next.bytes.size() > size || next.bytes.empty()) break;
      if (bytes + next.bytes.size() > max_bytes) break;
      bytes += next.bytes.size();
      ++count;
      if (next.bytes.size() < size) break;  // a shorter datagram ends the run
    }
    out.push_back({i, count, count > 1 ? static_cast<std::uint16_t>(size) : std::uint16_t{0}});
    i += count;
  }
}

}  // namespace n2nkit::net
