#include "core/packet/checksum.hpp"

namespace n2nkit::packet {

std::uint32_t ipv4_pseudo_header_sum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                     std::size_t length) {
  return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + protocol +
         static_cast<std::uint32_t>(length & 0xffff);
}

std::uint32_t ipv6_pseudo_header_sum(const std::uint8_t* src, const std::uint8_t* dst,
                                     std::uint8_t next_header, std::size_t length) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < 16; i += 2)
    sum += std::uint32_t{load_be16(src + i)} + load_be16(dst + i);
  const auto len32 = static_cast<std::uint32_t>(length);
  return sum + (len32 >> 16) + (len32 & 0xffff) + next_header;
}

}  // namespace n2nkit::packet
