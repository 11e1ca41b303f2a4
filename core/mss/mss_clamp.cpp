#include "core/mss/mss_clamp.hpp"

#include <algorithm>

#include "core/mss/syn_frame.hpp"
#include "core/mtu/overhead.hpp"
#include "core/packet/checksum.hpp"

namespace n2nkit::mss {
namespace {

std::uint16_t limit_of(std::size_t mss) {
  return static_cast<std::uint16_t>(std::min<std::size_t>(mss, 0xffff));
}

}  // namespace

ClampLimits clamp_limits_for_mtu(std::size_t tap_mtu) {
  return ClampLimits{limit_of(mtu::tcp_mss_for_mtu(tap_mtu, false)),
                     limit_of(mtu::tcp_mss_for_mtu(tap_mtu, true))};
}

ClampOutcome clamp_mss(MutableByteView frame, const ClampLimits& limits) {
  const SynFrame s = find_syn_frame(frame);
  ClampOutcome o;
  o.status = s.status;
  o.layer = s.layer;
  o.defect = s.defect;
  o.ip_version = s.ip.ip_version;
  o.tcp_flags = s.tcp_flags;
  if (s.status != ClampStatus::within_limit) return o;
  const std::uint16_t limit = s.ip.ip_version == 4 ? limits.ipv4 : limits.ipv6;
  o.old_mss = o.new_mss = s.mss_max;
  if (s.mss_max <= limit) return o;

  std::uint8_t* const checksum_at = frame.data() + s.tcp_offset + 16;
  std::uint16_t checksum = load_be16(checksum_at);
  for (std::size_t k = 0; k < s.mss_count; ++k) {
    if (s.mss_value[k] <= limit) continue;
    store_be16(frame.data() + s.mss_value_offset[k], limit);
    // After a lone NOP the value straddles two checksum words.
    const bool odd = ((s.mss_value_offset[k] - s.tcp_offset) & 1u) != 0;
    checksum = odd ? packet::checksum_update(checksum, packet::byte_swap16(s.mss_value[k]),
                                             packet::byte_swap16(limit))
                   : packet::checksum_update(checksum, s.mss_value[k], limit);
  }
  store_be16(checksum_at, checksum);
  o.status = ClampStatus::clamped;
  o.new_mss = limit;
  return o;
}

}  // namespace n2nkit::mss
