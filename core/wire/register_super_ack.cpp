// REGISTER_SUPER_ACK (§4.6): a supernode accepts an edge and lists its federation peers.
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {
namespace {

// Linux's AF_INET / AF_INET6: the entries are raw copies of the reference's sockaddr-like
// structs, so the family is an OS constant, not the §2.4 marker.
constexpr std::uint8_t kRawFamilyIpv4 = 2;
constexpr std::uint8_t kRawFamilyIpv6 = 10;
constexpr std::size_t kIpv4AddrSize = 4;

void read_entry(SpanReader& r, SupernodeEntry& e) {
  std::array<std::uint8_t, 2> port{};
  std::uint8_t pad = 0;
  r.u8(e.raw_family);
  r.u8(pad);
  r.bytes(port);
  r.bytes(e.sock.addr);
  read_mac(r, e.mac);
  // Host order of a little-endian machine.
  e.sock.port = static_cast<std::uint16_t>(port[0] | (port[1] << 8));
  e.sock.ipv6 = e.raw_family != kRawFamilyIpv4;
  if (!e.sock.ipv6) std::fill(e.sock.addr.begin() + kIpv4AddrSize, e.sock.addr.end(), 0);
}

void write_entry(SpanWriter& w, const SupernodeEntry& e) {
  w.u8(e.sock.ipv6 ? kRawFamilyIpv6 : kRawFamilyIpv4);
  w.u8(0);
  w.u8(static_cast<std::uint8_t>(e.sock.port));
  w.u8(static_cast<std::uint8_t>(e.sock.port >> 8));
  if (e.sock.ipv6) {
    w.bytes(e.sock.addr);
  } else {
    w.bytes(ByteView(e.sock.addr).first(kIpv4AddrSize));
    w.zeros(e.sock.addr.size() - kIpv4AddrSize);
  }
  write_mac(w, e.mac);
}

}  // namespace

Result<RegisterSuperAck> decode_register_super_ack(SpanReader& r, std::uint16_t /*flags*/) {
  RegisterSuperAck m;
  r.be32(m.cookie);
  read_mac(r, m.src_mac);
  read_subnet(r, m.dev_addr);
  r.be16(m.lifetime);
  read_sock(r, m.sock);  // mandatory, whatever the SOCKET flag says
  if (const Reason why = read_auth(r, m.auth); why != Reason::ok) return fail(why);
  std::uint8_t count = 0;
  if (!r.u8(count)) return fail(Reason::truncated);
  // The reference decoder overflows its list beyond 44 entries.
  if (count > kMaxSupernodeEntries || r.remaining() < count * kSupernodeEntrySize) {
    return fail(Reason::too_many_supernodes);
  }
  m.supernodes.resize(count);
  for (auto& e : m.supernodes) read_entry(r, e);
  r.be32(m.key_time);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const RegisterSuperAck& m) {
  if (m.supernodes.size() > kMaxSupernodeEntries) return fail(Reason::too_many_supernodes);
  w.be32(m.cookie);
  write_mac(w, m.src_mac);
  write_subnet(w, m.dev_addr);
  w.be16(m.lifetime);
  write_sock(w, m.sock);
  if (const Status s = write_auth(w, m.auth); !s) return s;
  w.u8(static_cast<std::uint8_t>(m.supernodes.size()));
  for (const auto& e : m.supernodes) write_entry(w, e);
  w.be32(m.key_time);
  return writer_status(w);
}

}  // namespace n2nkit::wire
