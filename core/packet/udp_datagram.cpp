#include "core/packet/udp_datagram.hpp"

#include <cstring>

#include "core/common/span_reader.hpp"
#include "core/packet/link_layer.hpp"

namespace n2nkit::packet {
namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86dd;
constexpr std::uint8_t kProtoUdp = 17;

Result<UdpDatagram> udp_payload(ByteView l4, IpEndpoint src, IpEndpoint dst) {
  if (l4.size() < 8) return fail(Reason::ip_truncated);
  const std::uint16_t udp_len = load_be16(l4.data() + 4);
  if (udp_len < 8 || udp_len > l4.size()) return fail(Reason::ip_truncated);
  src.port = load_be16(l4.data());
  dst.port = load_be16(l4.data() + 2);
  return UdpDatagram{src, dst, l4.subspan(8, udp_len - 8u)};
}

Result<UdpDatagram> from_ipv4(ByteView ip) {
  if (ip.size() < 20) return fail(Reason::ip_truncated);
  const std::size_t ihl = (ip[0] & 0x0fu) * 4u;
  const std::size_t total = load_be16(ip.data() + 2);
  if (ihl < 20 || total < ihl || total > ip.size()) return fail(Reason::ip_truncated);
  const std::uint16_t frag = load_be16(ip.data() + 6);
  if ((frag & 0x1fff) != 0 || (frag & 0x2000) != 0) return fail(Reason::ip_fragment);
  if (ip[9] != kProtoUdp) return fail(Reason::not_ip_udp);
  IpEndpoint src, dst;
  std::memcpy(src.addr.data(), ip.data() + 12, 4);
  std::memcpy(dst.addr.data(), ip.data() + 16, 4);
  return udp_payload(ip.subspan(ihl, total - ihl), src, dst);
}

Result<UdpDatagram> from_ipv6(ByteView ip) {
  if (ip.size() < 40) return fail(Reason::ip_truncated);
  const std::size_t total = 40u + load_be16(ip.data() + 4);
  if (total > ip.size()) return fail(Reason::ip_truncated);
  IpEndpoint src, dst;
  src.ipv6 = dst.ipv6 = true;
  std::memcpy(src.addr.data(), ip.data() + 8, 16);
  std::memcpy(dst.addr.data(), ip.data() + 24, 16);
  std::uint8_t next = ip[6];
  std::size_t off = 40;
  // Hop-by-hop, routing, destination options; a fragment header ends the walk.
  for (int hops = 0; hops < 8; ++hops) {
    if (next == kProtoUdp) return udp_payload(ip.subspan(off, total - off), src, dst);
    if (next == 44) return fail(Reason::ip_fragment);
    if (next != 0 && next != 43 && next != 60) return fail(Reason::not_ip_udp);
    if (total - off < 8) return fail(Reason::ip_truncated);
    const std::size_t len = (ip[off + 1] + 1u) * 8u;
    if (len > total - off) return fail(Reason::ip_truncated);
    next = ip[off];
    off += len;
  }
  return fail(Reason::not_ip_udp);
}

Result<UdpDatagram> by_ethertype(std::uint16_t type, ByteView rest) {
  if (type == kEtherIpv4) return from_ipv4(rest);
  if (type == kEtherIpv6) return from_ipv6(rest);
  return fail(Reason::not_ip_udp);
}

}  // namespace

Result<UdpDatagram> udp_from_ip(ByteView ip) {
  if (ip.empty()) return fail(Reason::ip_truncated);
  const int version = ip[0] >> 4;
  if (version == 4) return from_ipv4(ip);
  if (version == 6) return from_ipv6(ip);
  return fail(Reason::not_ip_udp);
}

Result<UdpDatagram> find_udp_datagram(int linktype, ByteView f) {
  const auto l = network_payload(linktype, f);
  if (!l) return fail(l.error());
  return by_ethertype(l->ethertype, l->packet);
}

}  // namespace n2nkit::packet
