// decode() and encode(): the common header plus dispatch to the body codecs by type.
#include <array>

#include "core/wire/field_codec.hpp"
#include "core/wire/message_bodies.hpp"

namespace n2nkit::wire {
namespace {

// In the order of the Message variant's alternatives.
constexpr std::array<MsgType, std::variant_size_v<Message>> kVariantTypes = {
    MsgType::register_,          MsgType::packet,           MsgType::register_ack,
    MsgType::register_super,     MsgType::unregister_super, MsgType::register_super_ack,
    MsgType::register_super_nak, MsgType::peer_info,        MsgType::query_peer,
    MsgType::re_register_super,
};

template <class T>
Result<Message> as_message(Result<T> body) {
  if (!body) return fail(body.error());
  return Message{std::move(*body)};
}

Result<Message> decode_body(SpanReader& r, const CommonHeader& h) {
  switch (h.type) {
    case MsgType::register_:
      return as_message(decode_register(r, h.flags));
    case MsgType::packet:
      return as_message(decode_packet(r, h.flags));
    case MsgType::register_ack:
      return as_message(decode_register_ack(r, h.flags));
    case MsgType::register_super:
      return as_message(decode_register_super(r, h.flags));
    case MsgType::unregister_super:
      return as_message(decode_unregister_super(r, h.flags));
    case MsgType::register_super_ack:
      return as_message(decode_register_super_ack(r, h.flags));
    case MsgType::register_super_nak:
      return as_message(decode_register_super_nak(r, h.flags));
    case MsgType::peer_info:
      return as_message(decode_peer_info(r, h.flags));
    case MsgType::query_peer:
      return as_message(decode_query_peer(r, h.flags));
    case MsgType::re_register_super:
      return Message{ReRegisterSuper{}};
    case MsgType::ping:
    case MsgType::deregister:
    case MsgType::federation:
      break;
  }
  // 0, 2, 9 (defined, never used) and 13..31.
  return fail(Reason::unknown_type);
}

std::uint16_t with_socket_flag(std::uint16_t flags, bool present) {
  return present ? static_cast<std::uint16_t>(flags | kFlagSocket)
                 : static_cast<std::uint16_t>(flags & ~kFlagSocket);
}

// The SOCKET flag follows the optional sock of the messages that have one; the others keep
// the flags as given (REGISTER_SUPER_ACK and REGISTER_SUPER_NAK carry SOCKET without an
// optional sock).
template <class T>
std::uint16_t wire_flags(std::uint16_t flags, const T&) {
  return flags;
}
std::uint16_t wire_flags(std::uint16_t flags, const Register& m) {
  return with_socket_flag(flags, m.sock.has_value());
}
std::uint16_t wire_flags(std::uint16_t flags, const Packet& m) {
  return with_socket_flag(flags, m.sock.has_value());
}
std::uint16_t wire_flags(std::uint16_t flags, const RegisterAck& m) {
  return with_socket_flag(flags, m.sock.has_value());
}
std::uint16_t wire_flags(std::uint16_t flags, const RegisterSuper& m) {
  return with_socket_flag(flags, m.sock.has_value());
}
std::uint16_t wire_flags(std::uint16_t flags, const PeerInfo& m) {
  return with_socket_flag(flags, m.preferred_sock.has_value());
}

}  // namespace

MsgType message_type(const Message& m) {
  return kVariantTypes[m.index()];
}

Result<Decoded> decode(ByteView datagram) {
  auto header = decode_common_header(datagram);
  if (!header) return fail(header.error());
  SpanReader r(datagram);
  r.skip(kCommonHeaderSize);
  auto body = decode_body(r, *header);
  if (!body) return fail(body.error());
  return Decoded{*header, std::move(*body), r.position()};
}

Result<std::size_t> encode(const CommonHeader& header, const Message& message,
                           MutableByteView out) {
  SpanWriter w(out);
  const std::uint16_t flags =
      std::visit([&header](const auto& m) { return wire_flags(header.flags, m); }, message);
  write_common_header(w, header, message_type(message), flags);
  const Status body = std::visit([&w](const auto& m) { return encode_body(w, m); }, message);
  if (!body) return fail(body.error());
  return w.size();
}

ByteVector encode_to_vector(const CommonHeader& header, const Message& message) {
  std::size_t capacity = kMaxDatagram;
  if (const auto* packet = std::get_if<Packet>(&message)) {
    capacity = packet_header_size(packet->sock) + packet->payload.size();
  }
  ByteVector out(capacity);
  const auto size = encode(header, message, out);
  if (!size) return {};
  out.resize(*size);
  return out;
}

}  // namespace n2nkit::wire
