#pragma once
// The body shared by the wire fuzz targets: decode, and if that succeeds, re-encode and check
// that the re-encoding decodes to the same header and fields. A per-message target forces the
// version and its type code into a copy of the input so that libFuzzer spends its time inside
// that message's decoder.
#include <cstdint>
#include <cstdlib>

#include "core/wire/messages.hpp"

namespace n2nkit::testing {

inline void fuzz_require(bool condition) {
  if (!condition) std::abort();
}

// decode() normalises the supernode entries' family to 2/10 only when re-encoding; align the
// first decoding with that before comparing.
inline void normalise_raw_families(wire::Message& m) {
  if (auto* ack = std::get_if<wire::RegisterSuperAck>(&m)) {
    for (auto& e : ack->supernodes) e.raw_family = e.sock.ipv6 ? 10 : 2;
  }
}

inline void fuzz_wire_datagram(ByteView datagram) {
  const auto header = wire::decode_common_header(datagram);
  auto decoded = wire::decode(datagram);
  if (!decoded) {
    fuzz_require(decoded.error() != Reason::ok);
    return;
  }
  fuzz_require(header && *header == decoded->header);
  fuzz_require(decoded->consumed >= wire::kCommonHeaderSize);
  fuzz_require(decoded->consumed <= datagram.size());
  fuzz_require(wire::message_type(decoded->message) == decoded->header.type);

  const ByteVector again = wire::encode_to_vector(decoded->header, decoded->message);
  // Whatever decodes is within the encoder's limits.
  fuzz_require(!again.empty());
  fuzz_require(again.size() == decoded->consumed);

  const auto redecoded = wire::decode(again);
  fuzz_require(redecoded.has_value());
  fuzz_require(redecoded->consumed == again.size());
  fuzz_require(redecoded->header == decoded->header);
  normalise_raw_families(decoded->message);
  fuzz_require(redecoded->message == decoded->message);
}

inline int fuzz_wire_message(const std::uint8_t* data, std::size_t size, wire::MsgType type) {
  ByteVector copy(data, data + size);
  if (copy.size() > 0) copy[0] = wire::kProtocolVersion;
  if (copy.size() > 3) {
    copy[3] =
        static_cast<std::uint8_t>((copy[3] & ~wire::kTypeMask) | static_cast<std::uint8_t>(type));
  }
  fuzz_wire_datagram(copy);
  return 0;
}

}  // namespace n2nkit::testing
