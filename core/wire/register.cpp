// REGISTER (§4.1): edge-to-edge registration, direct, relayed or multicast.
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<Register> decode_register(SpanReader& r, std::uint16_t flags) {
  Register m;
  r.be32(m.cookie);
  read_mac(r, m.src_mac);
  read_mac(r, m.dst_mac);
  read_optional_sock(r, flags, m.sock);
  read_subnet(r, m.dev_addr);
  read_description(r, m.desc);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const Register& m) {
  w.be32(m.cookie);
  write_mac(w, m.src_mac);
  write_mac(w, m.dst_mac);
  write_optional_sock(w, m.sock);
  write_subnet(w, m.dev_addr);
  write_description(w, m.desc);
  return writer_status(w);
}

}  // namespace n2nkit::wire
