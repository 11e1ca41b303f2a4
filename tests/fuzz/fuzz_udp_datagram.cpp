// Link-layer/IP/UDP extraction for every link type the decoder reads; the first byte picks it.
#include "core/packet/frame_summary.hpp"
#include "core/packet/udp_datagram.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr int kLinkTypes[] = {0, 1, 12, 101, 108, 113, 228, 229, 276};
  const int lt = kLinkTypes[data[0] % (sizeof kLinkTypes / sizeof kLinkTypes[0])];
  const ByteView frame{data + 1, size - 1};
  auto d = packet::find_udp_datagram(lt, frame);
  if (d && (d->payload.data() < frame.data() ||
            d->payload.data() + d->payload.size() > frame.data() + frame.size())) {
    __builtin_trap();
  }
  const auto summary = packet::summarize_ethernet_frame(frame);
  (void)packet::describe_ethernet_frame(summary);
  return 0;
}
