#pragma once
// MSS clamping of the Ethernet frames that cross an n2n edge's TAP device, in both directions:
// the SYN-ACK needs it as much as the SYN, or the far side keeps its large MSS. Only ever
// downwards, in place, with the TCP checksum updated incrementally (RFC 1624); frames that are
// not SYNs with a too-large MSS option are left byte for byte as they were.
#include "core/mss/clamp_outcome.hpp"

namespace n2nkit::mss {

struct ClampLimits {
  // Largest MSS a SYN may announce; iptables' --clamp-mss-to-pmtu uses the route MTU − 40
  // (IPv4) and − 60 (IPv6). A limit of 0 would clamp every MSS to 0: pass a real one.
  std::uint16_t ipv4 = 0;
  std::uint16_t ipv6 = 0;
};

// TAP MTU − 40 and − 60 (spec §15, mtu::tcp_mss_for_mtu).
ClampLimits clamp_limits_for_mtu(std::size_t tap_mtu);

// Every MSS option above the limit is rewritten (a SYN should carry one; receivers differ on
// which of several they use). The frame must carry a complete TCP checksum, as a TAP without
// IFF_VNET_HDR does: a partial (offloaded) checksum does not cover the options.
ClampOutcome clamp_mss(MutableByteView frame, const ClampLimits& limits);

}  // namespace n2nkit::mss
