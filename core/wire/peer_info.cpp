// PEER_INFO (§4.8): a supernode's answer to QUERY_PEER, or a PONG (null mac).
#include <algorithm>

#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {

Result<PeerInfo> decode_peer_info(SpanReader& r, std::uint16_t flags) {
  PeerInfo m;
  r.be16(m.aflags);
  read_mac(r, m.src_mac);
  read_mac(r, m.mac);
  read_sock(r, m.sock);  // mandatory, whatever the SOCKET flag says
  read_optional_sock(r, flags, m.preferred_sock);
  r.be32(m.load);
  r.be32(m.uptime);
  r.bytes(m.version);
  if (!r.ok()) return fail(Reason::truncated);
  // The reference leaves stack garbage after the NUL (§2.9); drop it so that re-encoding is
  // stable.
  const auto nul = std::find(m.version.begin(), m.version.end(), std::uint8_t{0});
  std::fill(nul, m.version.end(), std::uint8_t{0});
  return m;
}

Status encode_body(SpanWriter& w, const PeerInfo& m) {
  w.be16(m.aflags);
  write_mac(w, m.src_mac);
  write_mac(w, m.mac);
  write_sock(w, m.sock);
  write_optional_sock(w, m.preferred_sock);
  w.be32(m.load);
  w.be32(m.uptime);
  // Text up to the first NUL, then NUL padding.
  const auto nul = std::find(m.version.begin(), m.version.end(), std::uint8_t{0});
  const auto text = static_cast<std::size_t>(nul - m.version.begin());
  w.bytes(ByteView(m.version).first(text));
  w.zeros(kVersionStringSize - text);
  return writer_status(w);
}

}  // namespace n2nkit::wire
