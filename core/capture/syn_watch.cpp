#include "core/capture/syn_watch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/mtu/overhead.hpp"

namespace n2nkit::capture {
namespace {

constexpr int kDltNull = 0;
constexpr int kDltEthernet = 1;
constexpr int kDltRaw = 12;
constexpr int kDltRawAlt = 101;
constexpr int kDltLoop = 108;
constexpr int kDltLinuxSll = 113;
constexpr int kDltIpv4 = 228;
constexpr int kDltIpv6 = 229;
constexpr int kDltLinuxSll2 = 276;

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

// The IP packet's ethertype and offset in a frame of a non-Ethernet link type.
std::optional<std::pair<std::uint16_t, std::size_t>> ip_in(int linktype, ByteView f) {
  const auto by_version =
      [&](std::size_t off) -> std::optional<std::pair<std::uint16_t, std::size_t>> {
    if (f.size() <= off) return std::nullopt;
    const int v = f[off] >> 4;
    if (v == 4) return std::make_pair(std::uint16_t{0x0800}, off);
    if (v == 6) return std::make_pair(std::uint16_t{0x86dd}, off);
    return std::nullopt;
  };
  switch (linktype) {
    case kDltLinuxSll:
      if (f.size() < 16) return std::nullopt;
      return std::make_pair(be16(f.data() + 14), std::size_t{16});
    case kDltLinuxSll2:
      if (f.size() < 20) return std::nullopt;
      return std::make_pair(be16(f.data()), std::size_t{20});
    case kDltRaw:
    case kDltRawAlt:
    case kDltIpv4:
    case kDltIpv6:
      return by_version(0);
    case kDltNull:
    case kDltLoop:
      return by_version(4);
    default:
      return std::nullopt;
  }
}

}  // namespace

bool syn_linktype_supported(int linktype) {
  switch (linktype) {
    case kDltNull:
    case kDltEthernet:
    case kDltRaw:
    case kDltRawAlt:
    case kDltLoop:
    case kDltLinuxSll:
    case kDltIpv4:
    case kDltIpv6:
    case kDltLinuxSll2:
      return true;
    default:
      return false;
  }
}

std::string linktype_name(int linktype) {
  switch (linktype) {
    case kDltNull:
      return "NULL";
    case kDltEthernet:
      return "EN10MB";
    case kDltRaw:
    case kDltRawAlt:
      return "RAW";
    case kDltLoop:
      return "LOOP";
    case kDltLinuxSll:
      return "LINUX_SLL";
    case kDltIpv4:
      return "IPV4";
    case kDltIpv6:
      return "IPV6";
    case kDltLinuxSll2:
      return "LINUX_SLL2";
    default:
      return fmt::format("DLT {}", linktype);
  }
}

std::optional<mss::SynInfo> syn_in_capture(int linktype, ByteView frame,
                                           std::vector<std::uint8_t>& scratch) {
  if (linktype == kDltEthernet) return mss::inspect_syn(frame);
  const auto ip = ip_in(linktype, frame);
  if (!ip || (ip->first != 0x0800 && ip->first != 0x86dd)) return std::nullopt;
  // inspect_syn parses Ethernet frames: give it one with the same IP packet.
  scratch.assign(14, 0);
  scratch[12] = static_cast<std::uint8_t>(ip->first >> 8);
  scratch[13] = static_cast<std::uint8_t>(ip->first & 0xff);
  scratch.insert(scratch.end(), frame.begin() + static_cast<std::ptrdiff_t>(ip->second),
                 frame.end());
  return mss::inspect_syn(ByteView(scratch.data(), scratch.size()));
}

std::string syn_capture_filter(const std::vector<std::uint16_t>& ports) {
  std::string f =
      "((tcp[tcpflags] & tcp-syn != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 0x02 != 0))";
  if (ports.empty()) return f;
  f += " and (";
  for (std::size_t i = 0; i < ports.size(); ++i)
    f += fmt::format("{}tcp port {}", i ? " or " : "", ports[i]);
  return f + ")";
}

SynVerdict judge_syn(const mss::SynInfo& syn, const std::optional<net::RouteFacts>& towards_src,
                     const std::optional<net::RouteFacts>& towards_dst) {
  SynVerdict v;
  v.towards_src = towards_src;
  v.towards_dst = towards_dst;
  for (const auto* r : {&towards_src, &towards_dst}) {
    if (!*r || (*r)->local || (*r)->path_mtu() == 0) continue;
    v.path_mtu = v.path_mtu == 0 ? (*r)->path_mtu() : std::min(v.path_mtu, (*r)->path_mtu());
  }
  // Both ends on this host (loopback): the local routes' MTU is what bounds.
  if (v.path_mtu == 0) {
    for (const auto* r : {&towards_src, &towards_dst})
      if (*r && (*r)->path_mtu() != 0)
        v.path_mtu = v.path_mtu == 0 ? (*r)->path_mtu() : std::min(v.path_mtu, (*r)->path_mtu());
  }
  const bool ipv6 = syn.ip_version == 6;
  if (v.path_mtu > (ipv6 ? 60u : 40u)) {
    const std::size_t limit = mtu::tcp_mss_for_mtu(v.path_mtu, ipv6);
    v.mss_limit = static_cast<std::uint16_t>(std::min<std::size_t>(limit, 65535));
  }
  v.oversized = syn.mss && v.mss_limit != 0 && *syn.mss > v.mss_limit;
  return v;
}

void WatchSummary::add(const mss::SynInfo& syn, const SynVerdict& v) {
  ++(syn.syn_ack() ? syn_acks : syns);
  if (syn.options_malformed) ++malformed_options;
  if (!syn.mss) {
    if (!syn.options_malformed) ++without_mss;
  } else {
    ++mss_seen[*syn.mss];
  }
  if (v.oversized) ++oversized;
  if (v.mss_limit == 0) ++route_unknown;
}

}  // namespace n2nkit::capture
