#include "core/capture/syn_watch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/mtu/overhead.hpp"
#include "core/packet/link_layer.hpp"

namespace n2nkit::capture {

bool syn_linktype_supported(int linktype) {
  return packet::linktype_known(linktype);
}

std::string linktype_name(int linktype) {
  return packet::linktype_name(linktype);
}

std::optional<mss::SynInfo> syn_in_capture(int linktype, ByteView frame,
                                           std::vector<std::uint8_t>& scratch) {
  // inspect_syn parses Ethernet frames (tags included): other link types get one made with
  // the same IP packet.
  if (linktype == packet::dlt::ethernet) return mss::inspect_syn(frame);
  const auto l = packet::network_payload(linktype, frame);
  if (!l || (l->ethertype != packet::kEtherTypeIpv4 && l->ethertype != packet::kEtherTypeIpv6)) {
    return std::nullopt;
  }
  scratch.assign(14, 0);
  scratch[12] = static_cast<std::uint8_t>(l->ethertype >> 8);
  scratch[13] = static_cast<std::uint8_t>(l->ethertype & 0xff);
  scratch.insert(scratch.end(), l->packet.begin(), l->packet.end());
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
