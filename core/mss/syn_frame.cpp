#include "core/mss/syn_frame.hpp"

#include "core/packet/tcp_header.hpp"

namespace n2nkit::mss {
namespace {

using packet::FrameDefect;
using packet::FrameLayer;

SynFrame malformed(SynFrame s, FrameLayer layer, FrameDefect defect) {
  s.status = ClampStatus::malformed;
  s.layer = layer;
  s.defect = defect;
  return s;
}

SynFrame scan_options(ByteView frame, std::size_t begin, std::size_t end, SynFrame s) {
  std::size_t i = begin;
  while (i < end) {
    const std::uint8_t kind = frame[i];
    if (kind == 0) break;  // end of option list; the rest is padding
    if (kind == 1) {
      ++i;
      continue;
    }
    if (end - i < 2) return malformed(s, FrameLayer::tcp_options, FrameDefect::truncated);
    const std::size_t len = frame[i + 1];
    if (len < 2) return malformed(s, FrameLayer::tcp_options, FrameDefect::invalid);
    if (len > end - i) return malformed(s, FrameLayer::tcp_options, FrameDefect::truncated);
    if (kind == 2) {
      if (len != 4) return malformed(s, FrameLayer::tcp_options, FrameDefect::invalid);
      // Cannot overflow: each MSS option takes 4 of at most 40 option bytes.
      if (s.mss_count < kMaxMssOptions) {
        const std::uint16_t value = load_be16(frame.data() + i + 2);
        s.mss_value_offset[s.mss_count] = i + 2;
        s.mss_value[s.mss_count] = value;
        ++s.mss_count;
        if (value > s.mss_max) s.mss_max = value;
      }
    }
    i += len;
  }
  s.status = s.mss_count > 0 ? ClampStatus::within_limit : ClampStatus::no_mss_option;
  return s;
}

}  // namespace

SynFrame find_syn_frame(ByteView frame) {
  SynFrame s;
  s.ip = packet::parse_ip_frame(frame);
  switch (s.ip.kind) {
    case packet::IpFrame::Kind::not_ip:
      s.status = ClampStatus::not_ip;
      return s;
    case packet::IpFrame::Kind::malformed:
      return malformed(s, s.ip.bad_layer, s.ip.defect);
    case packet::IpFrame::Kind::ip:
      break;
  }
  if (s.ip.protocol != packet::kIpProtoTcp) {
    s.status = ClampStatus::not_tcp;
    return s;
  }
  if (s.ip.later_fragment) {
    s.status = ClampStatus::fragment;
    return s;
  }
  s.tcp_offset = s.ip.l4_offset;
  const std::size_t available = s.ip.ip_end - s.tcp_offset;
  if (available < 20) return malformed(s, FrameLayer::tcp, FrameDefect::truncated);
  const std::size_t header = (frame[s.tcp_offset + 12] >> 4) * 4u;
  if (header < 20) return malformed(s, FrameLayer::tcp, FrameDefect::invalid);
  // A first fragment may end inside the header: the options are not all here to be checked.
  if (header > available) return malformed(s, FrameLayer::tcp, FrameDefect::truncated);
  s.tcp_flags = frame[s.tcp_offset + 13];
  if ((s.tcp_flags & packet::kTcpSyn) == 0 || (s.tcp_flags & packet::kTcpRst) != 0) {
    s.status = ClampStatus::not_syn;
    return s;
  }
  return scan_options(frame, s.tcp_offset + 20, s.tcp_offset + header, s);
}

}  // namespace n2nkit::mss
