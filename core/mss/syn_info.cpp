#include "core/mss/syn_info.hpp"

#include <algorithm>

namespace n2nkit::mss {

std::optional<SynInfo> inspect_syn(ByteView frame) {
  const SynFrame s = find_syn_frame(frame);
  const bool bad_options =
      s.status == ClampStatus::malformed && s.layer == packet::FrameLayer::tcp_options;
  if (s.status != ClampStatus::within_limit && s.status != ClampStatus::no_mss_option &&
      !bad_options) {
    return std::nullopt;
  }
  SynInfo info;
  info.ip_version = s.ip.ip_version;
  const bool v6 = s.ip.ip_version == 6;
  const std::size_t addr_len = v6 ? 16 : 4;
  const std::uint8_t* addrs = frame.data() + s.ip.ip_offset + (v6 ? 8 : 12);
  info.src.ipv6 = info.dst.ipv6 = v6;
  std::copy_n(addrs, addr_len, info.src.addr.begin());
  std::copy_n(addrs + addr_len, addr_len, info.dst.addr.begin());
  info.src.port = load_be16(frame.data() + s.tcp_offset);
  info.dst.port = load_be16(frame.data() + s.tcp_offset + 2);
  info.tcp_flags = s.tcp_flags;
  info.options_malformed = bad_options;
  if (!bad_options) {
    info.mss_options = s.mss_count;
    if (s.mss_count > 0) info.mss = s.mss_max;
  }
  info.vlan = s.ip.vlan;
  return info;
}

}  // namespace n2nkit::mss
