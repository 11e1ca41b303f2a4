#include "core/packet/tcp_header.hpp"

namespace n2nkit::packet {

std::string tcp_flags_to_string(std::uint8_t flags) {
  static constexpr const char* kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
  std::string out;
  for (unsigned i = 0; i < 8; ++i) {
    if (flags & (1u << i)) {
      if (!out.empty()) out += ',';
      out += kNames[i];
    }
  }
  return out;
}

std::optional<std::uint16_t> tcp_mss_option(ByteView tcp) {
  if (tcp.size() < 20) return std::nullopt;
  const std::size_t header_len = (tcp[12] >> 4) * 4u;
  if (header_len < 20 || header_len > tcp.size()) return std::nullopt;
  std::size_t i = 20;
  while (i < header_len) {
    const std::uint8_t kind = tcp[i];
    if (kind == 0) break;  // end of options
    if (kind == 1) {       // no-op
      ++i;
      continue;
    }
    if (i + 1 >= header_len) break;
    const std::uint8_t len = tcp[i + 1];
    if (len < 2 || i + len > header_len) break;
    if (kind == 2 && len == 4) return load_be16(tcp.data() + i + 2);
    i += len;
  }
  return std::nullopt;
}

}  // namespace n2nkit::packet
