#pragma once
// One path-MTU search over a ProbeSocket, from the first probe to the verdict.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/mtu/path_search.hpp"
#include "probe_socket.hpp"

namespace n2nkit::mtutool {

// How probes look on the wire, and how their answers are recognised.
struct ProbeFormat {
  // The payload for probe `id` of `size` IP-datagram bytes; empty = cannot build it.
  std::function<std::vector<std::uint8_t>(std::uint32_t id, std::size_t size)> build;
  // The probe id an ordinary reply answers; 0 = an answer that names no probe (PONG); nullopt =
  // not an answer.
  std::function<std::optional<std::uint32_t>(const Arrival&)> answer;
  bool port_unreachable_answers = false;  // UDP to a closed port: that ICMP is the answer
  // Once a probe has been lost, at least this long between probes (0: no pacing). Hosts limit
  // the ICMP errors they send (Linux: a burst of 6, then 1/s), and an answer withheld by that
  // limit would look like a lost probe of a size that passes.
  std::chrono::milliseconds pace_after_loss{0};
};

struct RunOutcome {
  mtu::PathSearchResult result;
  std::chrono::microseconds elapsed{0};  // until the verdict (or the timeout)
  bool timed_out = false;
  std::string unreachable;       // non-empty: the destination cannot be reached (why)
  std::size_t icmp_too_big = 0;  // "fragmentation needed" / local refusals seen
  // Answers that came back in fragments: the smallest "largest fragment" seen (0: none) and
  // the size of the probe it answered.
  std::size_t reply_fragment = 0;
  std::size_t fragmented_reply_to = 0;
};

RunOutcome run_search(ProbeSocket& socket, const ProbeFormat& format,
                      const mtu::PathSearchConfig& config, std::chrono::milliseconds timeout);

}  // namespace n2nkit::mtutool
