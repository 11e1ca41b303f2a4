#include "core/wire/field_codec.hpp"

namespace n2nkit::wire {
namespace {
constexpr std::uint16_t kSockFamilyIpv6 = 0x8000;
constexpr std::size_t kIpv4AddrSize = 4;
constexpr std::size_t kIpv6AddrSize = 16;
}  // namespace

bool read_sock(SpanReader& r, Sock& sock) {
  std::uint16_t family = 0;
  if (!r.be16(family)) return false;
  Sock s;
  // Only bit 15 decides; the reference ignores the other bits of the marker.
  s.ipv6 = (family & kSockFamilyIpv6) != 0;
  r.be16(s.port);
  r.bytes(std::span(s.addr).first(s.ipv6 ? kIpv6AddrSize : kIpv4AddrSize));
  if (!r.ok()) return false;
  sock = s;
  return true;
}

bool write_sock(SpanWriter& w, const Sock& sock) {
  w.be16(sock.ipv6 ? kSockFamilyIpv6 : 0);
  w.be16(sock.port);
  return w.bytes(ByteView(sock.addr).first(sock.ipv6 ? kIpv6AddrSize : kIpv4AddrSize));
}

bool read_subnet(SpanReader& r, IpSubnet& subnet) {
  r.be32(subnet.addr);
  return r.u8(subnet.prefix);
}

bool write_subnet(SpanWriter& w, const IpSubnet& subnet) {
  w.be32(subnet.addr);
  return w.u8(subnet.prefix);
}

Reason read_auth(SpanReader& r, Auth& auth) {
  Auth a;
  r.be16(a.scheme);
  if (!r.be16(a.size)) return Reason::truncated;
  // The reference copies the token into a 48-byte buffer without this check.
  if (a.size > kMaxAuthToken) return Reason::token_too_large;
  if (!r.bytes(std::span(a.token).first(a.size))) return Reason::truncated;
  auth = a;
  return Reason::ok;
}

Status write_auth(SpanWriter& w, const Auth& auth) {
  if (auth.size > kMaxAuthToken) return fail(Reason::token_too_large);
  w.be16(auth.scheme);
  w.be16(auth.size);
  w.bytes(auth.token_view());
  return writer_status(w);
}

}  // namespace n2nkit::wire
