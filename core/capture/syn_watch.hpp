#pragma once
// What n2n-mss watch works out for each TCP SYN or SYN-ACK it captures, without I/O: the SYN
// from any link type libpcap delivers, the capture filter, whether the MSS fits the path this
// host sees, and the summary.
//
// Which path: the MSS in a SYN from A to B caps the segments B sends back to A. Where they
// cross this host they arrive over the route towards B and leave over the route towards A, so
// the largest segment that fits is bounded by both routes' MTUs (a route to this host's own
// address, type local, bounds nothing).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/mss/syn_info.hpp"
#include "core/net/route_lookup.hpp"

namespace n2nkit::capture {

// Link types the watch reads: Ethernet, Linux cooked v1/v2 (`-i any`), raw IP, IPv4, IPv6,
// BSD loopback/null.
bool syn_linktype_supported(int linktype);
std::string linktype_name(int linktype);  // "EN10MB", "LINUX_SLL2", ... or "DLT <n>"

// The SYN in a captured frame, whatever its link type; frames of other link types and
// non-SYNs give nullopt. `scratch` holds a rebuilt Ethernet frame for non-Ethernet types.
std::optional<mss::SynInfo> syn_in_capture(int linktype, ByteView frame,
                                           std::vector<std::uint8_t>& scratch);

// BPF filter for SYNs and SYN-ACKs, IPv4 and IPv6 (libpcap's tcp[] does not reach into IPv6,
// so IPv6 without extension headers is matched by offset), optionally only these ports.
std::string syn_capture_filter(const std::vector<std::uint16_t>& ports);

struct SynVerdict {
  std::optional<net::RouteFacts> towards_src;
  std::optional<net::RouteFacts> towards_dst;
  std::uint32_t path_mtu = 0;   // the smaller of the two routes' (0: unknown)
  std::uint16_t mss_limit = 0;  // path_mtu − 40 (IPv4) / − 60 (IPv6); 0: unknown
  bool oversized = false;       // the MSS exceeds mss_limit
};

SynVerdict judge_syn(const mss::SynInfo& syn, const std::optional<net::RouteFacts>& towards_src,
                     const std::optional<net::RouteFacts>& towards_dst);

struct WatchSummary {
  std::uint64_t syns = 0;
  std::uint64_t syn_acks = 0;
  std::uint64_t without_mss = 0;
  std::uint64_t malformed_options = 0;
  std::uint64_t oversized = 0;
  std::uint64_t route_unknown = 0;
  std::uint64_t not_syn_frames = 0;  // frames the filter let through that held no SYN
  std::map<std::uint16_t, std::uint64_t> mss_seen;  // MSS value -> count

  void add(const mss::SynInfo& syn, const SynVerdict& v);
};

}  // namespace n2nkit::capture
