// REGISTER_SUPER_NAK (§4.7). The reference sets SOCKET on it although it has no sock field;
// the flags therefore pass through unchanged in both directions.
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<RegisterSuperNak> decode_register_super_nak(SpanReader& r, std::uint16_t /*flags*/) {
  RegisterSuperNak m;
  r.be32(m.cookie);
  read_mac(r, m.src_mac);
  if (const Reason why = read_auth(r, m.auth); why != Reason::ok) return fail(why);
  return m;
}

Status encode_body(SpanWriter& w, const RegisterSuperNak& m) {
  w.be32(m.cookie);
  write_mac(w, m.src_mac);
  if (const Status s = write_auth(w, m.auth); !s) return s;
  return writer_status(w);
}

}  // namespace n2nkit::wire
