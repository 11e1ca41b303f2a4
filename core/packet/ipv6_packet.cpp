#include "core/packet/ipv6_packet.hpp"

#include <algorithm>

namespace n2nkit::packet {

ByteVector ipv6_packet(std::uint8_t next_header, const Ipv6Address& src, const Ipv6Address& dst,
                       ByteView payload, std::uint8_t hop_limit) {
  ByteVector p(40 + payload.size());
  p[0] = 0x60;
  store_be16(p.data() + 4, static_cast<std::uint16_t>(payload.size()));
  p[6] = next_header;
  p[7] = hop_limit;
  std::copy(src.begin(), src.end(), p.begin() + 8);
  std::copy(dst.begin(), dst.end(), p.begin() + 24);
  std::copy(payload.begin(), payload.end(), p.begin() + 40);
  return p;
}

}  // namespace n2nkit::packet
