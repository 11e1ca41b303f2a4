#pragma once
// The framing of n2n over TCP (spec §1, §11.11): every message is BE16 length ‖ message, in
// both directions, and a length above the largest datagram ends the connection. Shared by the
// supernode's listener and the edge's -S2 connection.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

inline constexpr std::size_t kTcpFrameHeader = 2;
inline constexpr std::size_t kMaxTcpFrame = kTcpFrameHeader + wire::kMaxDatagram;

struct FrameScan {
  enum class Kind { incomplete, frame, too_long };
  Kind kind = Kind::incomplete;
  std::size_t length = 0;  // of the message (frame, too_long), without the header
};

// What the bytes at the front of a received stream hold.
inline FrameScan scan_frame(ByteView buffered) {
  if (buffered.size() < kTcpFrameHeader) return {};
  const std::size_t length = load_be16(buffered.data());
  if (length > wire::kMaxDatagram) return {FrameScan::Kind::too_long, length};
  if (buffered.size() - kTcpFrameHeader < length) return {FrameScan::Kind::incomplete, length};
  return {FrameScan::Kind::frame, length};
}

// Writes header and message to out (at least kTcpFrameHeader + message.size() bytes); the
// caller has checked message.size() <= wire::kMaxDatagram.
inline void write_frame(std::uint8_t* out, ByteView message) {
  store_be16(out, static_cast<std::uint16_t>(message.size()));
  if (!message.empty()) std::memcpy(out + kTcpFrameHeader, message.data(), message.size());
}

}  // namespace n2nkit::net
