// UNREGISTER_SUPER (§4.5): an edge leaves its supernode.
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<UnregisterSuper> decode_unregister_super(SpanReader& r, std::uint16_t /*flags*/) {
  UnregisterSuper m;
  // Auth comes before the MAC here, unlike in every other message that carries both.
  if (const Reason why = read_auth(r, m.auth); why != Reason::ok) return fail(why);
  read_mac(r, m.src_mac);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const UnregisterSuper& m) {
  if (const Status s = write_auth(w, m.auth); !s) return s;
  write_mac(w, m.src_mac);
  return writer_status(w);
}

}  // namespace n2nkit::wire
