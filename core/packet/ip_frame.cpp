#include "core/packet/ip_frame.hpp"

namespace n2nkit::packet {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kMaxVlanTags = 2;

IpFrame malformed(IpFrame f, FrameLayer layer, FrameDefect defect) {
  f.kind = IpFrame::Kind::malformed;
  f.bad_layer = layer;
  f.defect = defect;
  return f;
}

IpFrame parse_ipv4(ByteView frame, IpFrame f) {
  const ByteView ip = frame.subspan(f.ip_offset);
  if (ip.empty()) return malformed(f, FrameLayer::ipv4, FrameDefect::truncated);
  if ((ip[0] >> 4) != 4) return malformed(f, FrameLayer::ipv4, FrameDefect::invalid);
  if (ip.size() < 20) return malformed(f, FrameLayer::ipv4, FrameDefect::truncated);
  const std::size_t ihl = (ip[0] & 0x0fu) * 4u;
  const std::size_t total = load_be16(ip.data() + 2);
  if (ihl < 20 || total < ihl) return malformed(f, FrameLayer::ipv4, FrameDefect::invalid);
  if (total > ip.size()) return malformed(f, FrameLayer::ipv4, FrameDefect::truncated);
  f.kind = IpFrame::Kind::ip;
  f.ip_version = 4;
  f.ip_end = f.ip_offset + total;
  f.l4_offset = f.ip_offset + ihl;
  f.protocol = ip[9];
  f.later_fragment = (load_be16(ip.data() + 6) & 0x1fff) != 0;
  return f;
}

IpFrame parse_ipv6(ByteView frame, IpFrame f) {
  const ByteView ip = frame.subspan(f.ip_offset);
  if (ip.empty()) return malformed(f, FrameLayer::ipv6, FrameDefect::truncated);
  if ((ip[0] >> 4) != 6) return malformed(f, FrameLayer::ipv6, FrameDefect::invalid);
  if (ip.size() < 40) return malformed(f, FrameLayer::ipv6, FrameDefect::truncated);
  const std::size_t total = 40u + load_be16(ip.data() + 4);
  if (total > ip.size()) return malformed(f, FrameLayer::ipv6, FrameDefect::truncated);
  f.ip_version = 6;
  f.ip_end = f.ip_offset + total;
  std::uint8_t next = ip[6];
  std::size_t off = 40;
  // Every header is at least 8 bytes, so the walk ends within the packet's length.
  for (;;) {
    const bool generic = next == 0 || next == 43 || next == 60;
    if (!generic && next != 44 && next != 51) break;
    if (total - off < 8) return malformed(f, FrameLayer::ipv6_extension, FrameDefect::truncated);
    std::size_t len = 8;
    if (generic) len = (ip[off + 1] + 1u) * 8u;
    if (next == 51) len = (ip[off + 1] + 2u) * 4u;  // AH counts 4-byte words (RFC 4302)
    if (len > total - off) {
      return malformed(f, FrameLayer::ipv6_extension, FrameDefect::truncated);
    }
    const bool fragment = next == 44;
    const bool later = fragment && (load_be16(ip.data() + off + 2) & 0xfff8) != 0;
    next = ip[off];
    off += len;
    if (later) {
      f.later_fragment = true;
      break;
    }
  }
  f.kind = IpFrame::Kind::ip;
  f.l4_offset = f.ip_offset + off;
  f.protocol = next;
  return f;
}

}  // namespace

std::string_view frame_layer_name(FrameLayer layer) {
  switch (layer) {
    case FrameLayer::none:
      return "none";
    case FrameLayer::ethernet:
      return "ethernet";
    case FrameLayer::vlan:
      return "vlan";
    case FrameLayer::ipv4:
      return "ipv4";
    case FrameLayer::ipv6:
      return "ipv6";
    case FrameLayer::ipv6_extension:
      return "ipv6_extension";
    case FrameLayer::tcp:
      return "tcp";
    case FrameLayer::tcp_options:
      return "tcp_options";
    case FrameLayer::icmp:
      return "icmp";
  }
  return "invalid";
}

std::string_view frame_defect_name(FrameDefect defect) {
  switch (defect) {
    case FrameDefect::none:
      return "none";
    case FrameDefect::truncated:
      return "truncated";
    case FrameDefect::invalid:
      return "invalid";
    case FrameDefect::unsupported:
      return "unsupported";
  }
  return "invalid";
}

IpFrame parse_ip_frame(ByteView frame) {
  IpFrame f;
  if (frame.size() < kEthernetHeader) {
    return malformed(f, FrameLayer::ethernet, FrameDefect::truncated);
  }
  std::size_t off = 12;
  std::uint16_t type = load_be16(frame.data() + off);
  while (type == kEtherTypeVlan || type == kEtherTypeQinQ) {
    if (f.vlan.count == kMaxVlanTags) {
      return malformed(f, FrameLayer::vlan, FrameDefect::unsupported);
    }
    // The tag's TCI and the next ethertype must both be there.
    if (frame.size() - off < 6) return malformed(f, FrameLayer::vlan, FrameDefect::truncated);
    f.vlan.tci[f.vlan.count++] = load_be16(frame.data() + off + 2);
    off += 4;
    type = load_be16(frame.data() + off);
  }
  f.ethertype = type;
  f.ip_offset = off + 2;
  if (type == kEtherTypeIpv4) return parse_ipv4(frame, f);
  if (type == kEtherTypeIpv6) return parse_ipv6(frame, f);
  f.kind = IpFrame::Kind::not_ip;
  return f;
}

}  // namespace n2nkit::packet
