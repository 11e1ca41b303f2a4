#include "core/packet/frame_builder.hpp"

namespace n2nkit::packet {
namespace {

std::uint32_t pseudo_header_sum(std::uint32_t src, std::uint32_t dst, std::uint8_t proto,
                                std::size_t len) {
  return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto +
         static_cast<std::uint32_t>(len);
}

}  // namespace

std::uint16_t internet_checksum(ByteView data, std::uint32_t initial) {
  std::uint64_t sum = initial;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += load_be16(data.data() + i);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

ByteVector ethernet_frame(const MacAddress& dst, const MacAddress& src, std::uint16_t ethertype,
                          ByteView payload) {
  ByteVector f(14 + payload.size());
  std::copy(dst.begin(), dst.end(), f.begin());
  std::copy(src.begin(), src.end(), f.begin() + 6);
  store_be16(f.data() + 12, ethertype);
  std::copy(payload.begin(), payload.end(), f.begin() + 14);
  return f;
}

ByteVector ipv4_packet(std::uint8_t proto, std::uint32_t src, std::uint32_t dst, ByteView l4,
                       std::uint8_t ttl, bool dont_fragment, std::uint16_t id) {
  ByteVector p(20 + l4.size());
  p[0] = 0x45;
  store_be16(p.data() + 2, static_cast<std::uint16_t>(p.size()));
  store_be16(p.data() + 4, id);
  store_be16(p.data() + 6, dont_fragment ? 0x4000 : 0);
  p[8] = ttl;
  p[9] = proto;
  store_be32(p.data() + 12, src);
  store_be32(p.data() + 16, dst);
  store_be16(p.data() + 10, internet_checksum(ByteView{p.data(), 20}));
  std::copy(l4.begin(), l4.end(), p.begin() + 20);
  return p;
}

ByteVector udp_datagram(std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                        std::uint16_t dport, ByteView payload) {
  ByteVector u(8 + payload.size());
  store_be16(u.data(), sport);
  store_be16(u.data() + 2, dport);
  store_be16(u.data() + 4, static_cast<std::uint16_t>(u.size()));
  std::copy(payload.begin(), payload.end(), u.begin() + 8);
  std::uint16_t sum = internet_checksum(u, pseudo_header_sum(src, dst, 17, u.size()));
  store_be16(u.data() + 6, sum == 0 ? 0xffff : sum);
  return u;
}

ByteVector icmp_echo(bool request, std::uint16_t id, std::uint16_t seq, ByteView data) {
  ByteVector m(8 + data.size());
  m[0] = request ? 8 : 0;
  store_be16(m.data() + 4, id);
  store_be16(m.data() + 6, seq);
  std::copy(data.begin(), data.end(), m.begin() + 8);
  store_be16(m.data() + 2, internet_checksum(m));
  return m;
}

ByteVector tcp_segment(std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                       std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
                       std::uint8_t flags, std::optional<std::uint16_t> mss, std::uint16_t window) {
  const std::size_t header = mss ? 24 : 20;
  ByteVector t(header);
  store_be16(t.data(), sport);
  store_be16(t.data() + 2, dport);
  store_be32(t.data() + 4, seq);
  store_be32(t.data() + 8, ack);
  t[12] = static_cast<std::uint8_t>((header / 4) << 4);
  t[13] = flags;
  store_be16(t.data() + 14, window);
  if (mss) {
    t[20] = 2;
    t[21] = 4;
    store_be16(t.data() + 22, *mss);
  }
  store_be16(t.data() + 16, internet_checksum(t, pseudo_header_sum(src, dst, 6, t.size())));
  return t;
}

ByteVector arp_body(std::uint16_t op, const MacAddress& sender_mac, std::uint32_t sender_ip,
                    const MacAddress& target_mac, std::uint32_t target_ip) {
  ByteVector a(28);
  store_be16(a.data(), 1);
  store_be16(a.data() + 2, 0x0800);
  a[4] = 6;
  a[5] = 4;
  store_be16(a.data() + 6, op);
  std::copy(sender_mac.begin(), sender_mac.end(), a.begin() + 8);
  store_be32(a.data() + 14, sender_ip);
  std::copy(target_mac.begin(), target_mac.end(), a.begin() + 18);
  store_be32(a.data() + 24, target_ip);
  return a;
}

ByteVector udp_over_ethernet(const MacAddress& dst_mac, const MacAddress& src_mac,
                             std::uint32_t src, std::uint16_t sport, std::uint32_t dst,
                             std::uint16_t dport, ByteView payload) {
  const auto udp = udp_datagram(src, dst, sport, dport, payload);
  const auto ip = ipv4_packet(17, src, dst, udp, 64, false);
  return ethernet_frame(dst_mac, src_mac, 0x0800, ip);
}

}  // namespace n2nkit::packet
