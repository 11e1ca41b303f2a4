#include "core/common/span_reader.hpp"
#include "core/wire/field_codec.hpp"
#include "core/wire/messages.hpp"

namespace n2nkit::wire {
namespace {
constexpr std::uint16_t kFlagsMask = static_cast<std::uint16_t>(~kTypeMask);
}  // namespace

Result<CommonHeader> decode_common_header(ByteView datagram) {
  if (datagram.size() < kCommonHeaderSize) return fail(Reason::too_short);
  SpanReader r(datagram);
  CommonHeader h;
  std::uint16_t flags_and_type = 0;
  r.u8(h.version);
  r.u8(h.ttl);
  r.be16(flags_and_type);
  r.bytes(h.community);
  if (h.version != kProtocolVersion) return fail(Reason::bad_version);
  // Unknown high bits stay in the flags: the supernode's plaintext detector (§8.5) looks at them.
  h.flags = static_cast<std::uint16_t>(flags_and_type & kFlagsMask);
  h.type = static_cast<MsgType>(flags_and_type & kTypeMask);
  return h;
}

void write_common_header(SpanWriter& w, const CommonHeader& header, MsgType type,
                         std::uint16_t flags) {
  w.u8(header.version);
  w.u8(header.ttl);
  w.be16(static_cast<std::uint16_t>((flags & kFlagsMask) |
                                    (static_cast<std::uint16_t>(type) & kTypeMask)));
  w.bytes(header.community);
}

}  // namespace n2nkit::wire
