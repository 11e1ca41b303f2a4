// REGISTER_SUPER (§4.4): an edge registers with a supernode (or a supernode forwards that to
// the federation).
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<RegisterSuper> decode_register_super(SpanReader& r, std::uint16_t flags) {
  RegisterSuper m;
  r.be32(m.cookie);
  read_mac(r, m.edge_mac);
  read_optional_sock(r, flags, m.sock);
  read_subnet(r, m.dev_addr);
  read_description(r, m.desc);
  if (const Reason why = read_auth(r, m.auth); why != Reason::ok) return fail(why);
  r.be32(m.key_time);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const RegisterSuper& m) {
  w.be32(m.cookie);
  write_mac(w, m.edge_mac);
  write_optional_sock(w, m.sock);
  write_subnet(w, m.dev_addr);
  write_description(w, m.desc);
  if (const Status s = write_auth(w, m.auth); !s) return s;
  w.be32(m.key_time);
  return writer_status(w);
}

}  // namespace n2nkit::wire
