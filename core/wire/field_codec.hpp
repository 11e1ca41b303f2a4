#pragma once
// Readers and writers of the primitive fields (spec §2), shared by the message codecs; private
// to core/wire. Readers follow SpanReader's convention: after a failed read the reader stays
// failed, so a body decoder can read all its fields and check ok() once at the end.
#include "core/common/result.hpp"
#include "core/common/span_reader.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::wire {

inline bool read_mac(SpanReader& r, Mac& mac) {
  return r.bytes(mac);
}
inline bool write_mac(SpanWriter& w, const Mac& mac) {
  return w.bytes(mac);
}

inline bool read_description(SpanReader& r, Description& d) {
  return r.bytes(d);
}
inline bool write_description(SpanWriter& w, const Description& d) {
  return w.bytes(d);
}

// §2.4: BE16 family marker (bit 15 = IPv6), BE16 port, 4 or 16 address bytes.
bool read_sock(SpanReader& r, Sock& sock);
bool write_sock(SpanWriter& w, const Sock& sock);

// The optional sock of a message: present iff the SOCKET flag is set.
inline bool read_optional_sock(SpanReader& r, std::uint16_t flags, std::optional<Sock>& sock) {
  if ((flags & kFlagSocket) == 0) {
    sock.reset();
    return r.ok();
  }
  Sock s;
  if (!read_sock(r, s)) return false;
  sock = s;
  return true;
}
inline bool write_optional_sock(SpanWriter& w, const std::optional<Sock>& sock) {
  return sock ? write_sock(w, *sock) : w.ok();
}

// §2.5
bool read_subnet(SpanReader& r, IpSubnet& subnet);
bool write_subnet(SpanWriter& w, const IpSubnet& subnet);

// §2.8. ok, truncated, or token_too_large (checked before the token is read).
Reason read_auth(SpanReader& r, Auth& auth);
// token_too_large is checked before anything is written.
Status write_auth(SpanWriter& w, const Auth& auth);

// §3: version, TTL, BE16 flags|type, community.
void write_common_header(SpanWriter& w, const CommonHeader& header, MsgType type,
                         std::uint16_t flags);

inline Status writer_status(const SpanWriter& w) {
  return w.ok() ? Status{} : Status{fail(Reason::buffer_too_small)};
}

}  // namespace n2nkit::wire
