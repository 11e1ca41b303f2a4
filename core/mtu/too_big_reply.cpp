#include "core/mtu/too_big_reply.hpp"

#include <algorithm>
#include <cstring>

#include "core/packet/ip_frame.hpp"

namespace n2nkit::mtu {
namespace {

using packet::IpFrame;

constexpr std::size_t kIpv4MinMtu = 68;
constexpr std::size_t kIpv6MinMtu = 1280;
constexpr std::uint8_t kReplyHopLimit = 64;
constexpr std::uint8_t kPrecedenceInternetControl = 0xc0;

bool is_group_mac(const std::uint8_t* mac) {
  return (mac[0] & 1u) != 0;
}

// Linux answers only ICMP types it knows to be informational (echo, timestamp, information,
// address mask and their replies); anything else may be an error.
bool may_be_icmpv4_error(std::uint8_t type) {
  switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
      return false;
    default:
      return true;
  }
}

// RFC 4443 §2.1: errors have the high bit of the type clear; §2.4(e.2) adds redirects.
bool is_icmpv6_error(std::uint8_t type) {
  return type < 128 || type == 137;
}

// RFC 1122 §3.2.2: this-network, loopback, multicast, class E (with the limited broadcast),
// and the overlay subnet's broadcast address when its prefix is known.
bool ipv4_single_host(std::uint32_t a, const TooBigSource& source) {
  const std::uint32_t first = a >> 24;
  if (first == 0 || first == 127 || first >= 224) return false;
  const std::uint8_t prefix = source.ipv4_prefix_length;
  if (source.ipv4 && prefix >= 1 && prefix <= 30) {
    const std::uint32_t host_bits = 0xffffffffu >> prefix;
    if ((a & host_bits) == host_bits && ((a ^ *source.ipv4) & ~host_bits) == 0) return false;
  }
  return true;
}

bool ipv6_single_host(const std::uint8_t* a) {
  if (a[0] == 0xff) return false;  // multicast
  for (std::size_t i = 0; i < 15; ++i) {
    if (a[i] != 0) return true;
  }
  return a[15] > 1;  // :: and ::1
}

// Destination MAC = the frame's source, source MAC = the edge; the tags and the ethertype are
// the frame's own.
void write_ethernet(ByteView frame, const IpFrame& f, const TooBigSource& source,
                    std::uint8_t* out) {
  std::memcpy(out, frame.data() + 6, 6);
  std::memcpy(out + 6, source.mac.data(), 6);
  std::memcpy(out + 12, frame.data() + 12, f.ip_offset - 12);
}

TooBigReply refuse(TooBigStatus status) {
  return TooBigReply{status, 0};
}

TooBigReply ipv4_reply(ByteView frame, const IpFrame& f, std::uint32_t mtu,
                       const TooBigSource& source, MutableByteView out) {
  const std::uint8_t* ip = frame.data() + f.ip_offset;
  const std::size_t total = f.ip_end - f.ip_offset;
  const std::size_t ihl = f.l4_offset - f.ip_offset;
  if (total <= mtu) return refuse(TooBigStatus::fits);
  if (mtu < kIpv4MinMtu) return refuse(TooBigStatus::mtu_below_minimum);
  if ((load_be16(ip + 6) & 0x4000) == 0) return refuse(TooBigStatus::df_clear);
  if (f.later_fragment) return refuse(TooBigStatus::later_fragment);
  // total > mtu >= 68 >= the largest header (60) + 8, so this is always ihl + 8.
  const std::size_t quote = std::min(total, ihl + 8);
  if (f.protocol == packet::kIpProtoIcmp && may_be_icmpv4_error(ip[ihl])) {
    return refuse(TooBigStatus::icmp_error);
  }
  const std::uint32_t from = load_be32(ip + 12);
  const std::uint32_t to = load_be32(ip + 16);
  if (!ipv4_single_host(from, source) || is_group_mac(frame.data() + 6)) {
    return refuse(TooBigStatus::source_not_unicast);
  }
  if (!ipv4_single_host(to, source) || is_group_mac(frame.data())) {
    return refuse(TooBigStatus::destination_not_unicast);
  }
  if (!source.ipv4) return refuse(TooBigStatus::no_source_address);

  const std::size_t icmp_len = 8 + quote;
  const std::size_t size = f.ip_offset + 20 + icmp_len;
  if (out.size() < size) return refuse(TooBigStatus::output_too_small);
  write_ethernet(frame, f, source, out.data());
  std::uint8_t* r = out.data() + f.ip_offset;
  r[0] = 0x45;
  r[1] = kPrecedenceInternetControl;
  store_be16(r + 2, static_cast<std::uint16_t>(20 + icmp_len));
  // DF is clear, so the ID should differ between replies; the offending packet's does.
  store_be16(r + 4, load_be16(ip + 4));
  store_be16(r + 6, 0);
  r[8] = kReplyHopLimit;
  r[9] = packet::kIpProtoIcmp;
  store_be16(r + 10, 0);
  store_be32(r + 12, *source.ipv4 == from ? to : *source.ipv4);
  store_be32(r + 16, from);
  store_be16(r + 10, packet::internet_checksum(ByteView{r, 20}));
  std::uint8_t* icmp = r + 20;
  icmp[0] = 3;  // destination unreachable
  icmp[1] = 4;  // fragmentation needed and DF set
  store_be16(icmp + 2, 0);
  store_be16(icmp + 4, 0);
  store_be16(icmp + 6, static_cast<std::uint16_t>(mtu));  // < total <= 65535
  std::memcpy(icmp + 8, ip, quote);
  store_be16(icmp + 2, packet::internet_checksum(ByteView{icmp, icmp_len}));
  return TooBigReply{TooBigStatus::built, size};
}

TooBigReply ipv6_reply(ByteView frame, const IpFrame& f, std::uint32_t mtu,
                       const TooBigSource& source, MutableByteView out) {
  const std::uint8_t* ip = frame.data() + f.ip_offset;
  const std::size_t total = f.ip_end - f.ip_offset;
  if (total <= mtu) return refuse(TooBigStatus::fits);
  if (mtu < kIpv6MinMtu) return refuse(TooBigStatus::mtu_below_minimum);
  if (f.later_fragment) return refuse(TooBigStatus::later_fragment);
  if (f.protocol == packet::kIpProtoIcmpv6) {
    if (f.l4_offset >= f.ip_end) return refuse(TooBigStatus::malformed);
    if (is_icmpv6_error(frame[f.l4_offset])) return refuse(TooBigStatus::icmp_error);
  }
  if (!ipv6_single_host(ip + 8) || is_group_mac(frame.data() + 6)) {
    return refuse(TooBigStatus::source_not_unicast);
  }
  if (!source.ipv6) return refuse(TooBigStatus::no_source_address);

  const std::size_t quote = std::min(total, kIpv6MinMtu - 40 - 8);
  const std::size_t icmp_len = 8 + quote;
  const std::size_t size = f.ip_offset + 40 + icmp_len;
  if (out.size() < size) return refuse(TooBigStatus::output_too_small);
  write_ethernet(frame, f, source, out.data());
  std::uint8_t* r = out.data() + f.ip_offset;
  store_be32(r, 0x60000000);
  store_be16(r + 4, static_cast<std::uint16_t>(icmp_len));
  r[6] = packet::kIpProtoIcmpv6;
  r[7] = kReplyHopLimit;
  std::memcpy(r + 8, source.ipv6->data(), 16);
  std::memcpy(r + 24, ip + 8, 16);
  std::uint8_t* icmp = r + 40;
  icmp[0] = 2;  // packet too big
  icmp[1] = 0;
  store_be16(icmp + 2, 0);
  store_be32(icmp + 4, mtu);
  std::memcpy(icmp + 8, ip, quote);
  const std::uint32_t pseudo =
      packet::ipv6_pseudo_header_sum(r + 8, r + 24, packet::kIpProtoIcmpv6, icmp_len);
  store_be16(icmp + 2, packet::internet_checksum(ByteView{icmp, icmp_len}, pseudo));
  return TooBigReply{TooBigStatus::built, size};
}

}  // namespace

std::string_view too_big_status_name(TooBigStatus status) {
  switch (status) {
    case TooBigStatus::built:
      return "built";
    case TooBigStatus::not_ip:
      return "not_ip";
    case TooBigStatus::malformed:
      return "malformed";
    case TooBigStatus::fits:
      return "fits";
    case TooBigStatus::df_clear:
      return "df_clear";
    case TooBigStatus::later_fragment:
      return "later_fragment";
    case TooBigStatus::icmp_error:
      return "icmp_error";
    case TooBigStatus::source_not_unicast:
      return "source_not_unicast";
    case TooBigStatus::destination_not_unicast:
      return "destination_not_unicast";
    case TooBigStatus::no_source_address:
      return "no_source_address";
    case TooBigStatus::mtu_below_minimum:
      return "mtu_below_minimum";
    case TooBigStatus::output_too_small:
      return "output_too_small";
  }
  return "invalid";
}

TooBigReply build_too_big_reply(ByteView frame, std::uint32_t mtu, const TooBigSource& source,
                                MutableByteView out) {
  const IpFrame f = packet::parse_ip_frame(frame);
  if (f.kind == IpFrame::Kind::not_ip) return refuse(TooBigStatus::not_ip);
  if (f.kind == IpFrame::Kind::malformed) return refuse(TooBigStatus::malformed);
  return f.ip_version == 4 ? ipv4_reply(frame, f, mtu, source, out)
                           : ipv6_reply(frame, f, mtu, source, out);
}

TooBigRateLimit::TooBigRateLimit(std::uint32_t per_second, std::uint32_t burst)
    : rate_(per_second), capacity_(std::uint64_t{burst} * 1000), tokens_(capacity_) {}

bool TooBigRateLimit::allow(std::uint64_t now_ms) {
  if (now_ms > last_ms_) {
    const std::uint64_t elapsed = now_ms - last_ms_;
    const std::uint64_t room = capacity_ - tokens_;
    // Compared before multiplying, so that a long silence cannot overflow.
    if (rate_ > 0) tokens_ += elapsed > room / rate_ ? room : elapsed * rate_;
    last_ms_ = now_ms;
  }
  if (tokens_ < 1000) return false;
  tokens_ -= 1000;
  return true;
}

}  // namespace n2nkit::mtu
