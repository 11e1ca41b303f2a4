// PACKET (§4.2): a transformed Ethernet frame.
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {
namespace {
constexpr std::size_t kPacketHeaderWithoutSock = kCommonHeaderSize + 6 + 6 + 1 + 1;
}  // namespace

std::size_t packet_header_size(const std::optional<Sock>& sock) {
  return kPacketHeaderWithoutSock + (sock ? sock->wire_size() : 0);
}

Result<Packet> decode_packet(SpanReader& r, std::uint16_t flags) {
  Packet m;
  read_mac(r, m.src_mac);
  read_mac(r, m.dst_mac);
  read_optional_sock(r, flags, m.sock);
  // Compression before transform: the reverse of the order the reference processes them in.
  r.u8(m.compression);
  r.u8(m.transform);
  if (!r.ok()) return fail(Reason::truncated);
  // The payload runs to the end of the datagram; its minimum length depends on the transform
  // and is checked there (§9).
  r.view(r.remaining(), m.payload);
  return m;
}

Status encode_body(SpanWriter& w, const Packet& m) {
  write_mac(w, m.src_mac);
  write_mac(w, m.dst_mac);
  write_optional_sock(w, m.sock);
  w.u8(m.compression);
  w.u8(m.transform);
  w.bytes(m.payload);
  return writer_status(w);
}

}  // namespace n2nkit::wire
