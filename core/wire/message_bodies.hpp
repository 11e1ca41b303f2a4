#pragma once
// Body codecs of the individual messages (everything after the 24-byte common header); private
// to core/wire, dispatched by message_codec.cpp. Decoders get the header's flags (for the
// SOCKET flag) and a reader positioned after the common header; they return truncated (or a
// more specific reason) and leave the reader where the message ended. Encoders check semantic
// limits before writing anything and report a full buffer as buffer_too_small.
#include "core/common/span_reader.hpp"
#include "core/wire/messages.hpp"

namespace n2nkit::wire {

Result<Register> decode_register(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const Register& m);

Result<Packet> decode_packet(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const Packet& m);

Result<RegisterAck> decode_register_ack(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const RegisterAck& m);

Result<RegisterSuper> decode_register_super(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const RegisterSuper& m);

Result<UnregisterSuper> decode_unregister_super(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const UnregisterSuper& m);

Result<RegisterSuperAck> decode_register_super_ack(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const RegisterSuperAck& m);

Result<RegisterSuperNak> decode_register_super_nak(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const RegisterSuperNak& m);

Result<PeerInfo> decode_peer_info(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const PeerInfo& m);

Result<QueryPeer> decode_query_peer(SpanReader& r, std::uint16_t flags);
Status encode_body(SpanWriter& w, const QueryPeer& m);

// RE_REGISTER_SUPER has no body.
inline Status encode_body(SpanWriter& w, const ReRegisterSuper&) {
  return w.ok() ? Status{} : Status{fail(Reason::buffer_too_small)};
}

}  // namespace n2nkit::wire
