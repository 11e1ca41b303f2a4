// QUERY_PEER (§4.9): an edge asks a supernode for a peer's socket, or PINGs it (null target).
#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<QueryPeer> decode_query_peer(SpanReader& r, std::uint16_t /*flags*/) {
  QueryPeer m;
  read_mac(r, m.src_mac);
  read_mac(r, m.target_mac);
  // aflags last here, first in PEER_INFO.
  r.be16(m.aflags);
  if (!r.ok()) return fail(Reason::truncated);
  return m;
}

Status encode_body(SpanWriter& w, const QueryPeer& m) {
  write_mac(w, m.src_mac);
  write_mac(w, m.target_mac);
  w.be16(m.aflags);
  return writer_status(w);
}

}  // namespace n2nkit::wire
