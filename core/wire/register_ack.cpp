// REGISTER_ACK (§4.3).
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<RegisterAck> decode_register_ack(SpanReader& r, std::uint16_t flags) {
  RegisterAck m;
  r.be32(m.cookie);
  // dst before src, the reverse of REGISTER.
  read_mac(r, m.dst_mac);
  read_mac(r, m.src_mac);
  read_optional_sock(r, flags, m.sock);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const RegisterAck& m) {
  w.be32(m.cookie);
  write_mac(w, m.dst_mac);
  write_mac(w, m.src_mac);
  write_optional_sock(w, m.sock);
  return writer_status(w);
}

}  // namespace n2nkit::wire
