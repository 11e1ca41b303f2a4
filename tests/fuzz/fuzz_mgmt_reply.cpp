// The client side of the management API: whatever a port answers (a daemon, the reference's,
// or anything else listening there), the reply collector never crashes, and the flat-object
// fast path (core/mgmt/flat_json) never disagrees with nlohmann's parser where it answers.
// Input: datagrams separated by NUL bytes, fed in order as one reply.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/mgmt/client.hpp"
#include "core/mgmt/flat_json.hpp"

using namespace n2nkit::mgmt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  ReplyCollector collector("7");
  while (pos <= text.size()) {
    std::size_t end = text.find('\0', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view datagram = text.substr(pos, end - pos);
    if (const auto flat = parse_flat_object(datagram)) {
      const auto full = nlohmann::json::parse(datagram.begin(), datagram.end(), nullptr, false);
      if (full.is_discarded() || full != *flat) __builtin_trap();
    }
    if (!collector.finished()) collector.feed(datagram);
    pos = end + 1;
  }
  if (collector.state() == ReplyCollector::State::done && collector.errored_inside()) {
    __builtin_trap();  // an error inside a reply makes it refused, never done
  }
  (void)printable(text);
  return 0;
}
