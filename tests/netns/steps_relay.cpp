// e: PACKET relay through the supernode, unicast and broadcast (spec §11.6).
#include <fmt/format.h>

#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

void Suite::relay() {
  const char* step = "e";
  for (const char* role : {"A", "B", "C"}) {
    if (!ensure_registered(role, step)) return;
  }
  drain_all();
  WireEdge& a = edge("A");
  WireEdge& b = edge("B");
  WireEdge& c = edge("C");
  std::string seen;

  for (const std::size_t size : {std::size_t{100}, std::size_t{1400}}) {
    const auto payload = frame_payload(b.id().mac, a.id().mac, size);
    if (!a.send(a.packet(b.id().mac, payload))) return;
    check_relayed(step, a, b, b.id().mac, payload, fmt::format("unicast A→B, {} bytes", size));
  }
  seen.clear();
  report_.check(silent(c, seen), step, "unicast A→B does not reach C", seen);
  seen.clear();
  report_.check(silent(a, seen), step, "unicast A→B does not come back to A", seen);

  const auto broadcast = frame_payload(wire::kBroadcastMac, a.id().mac, 300);
  if (!a.send(a.packet(wire::kBroadcastMac, broadcast))) return;
  check_relayed(step, a, b, wire::kBroadcastMac, broadcast, "broadcast from A");
  check_relayed(step, a, c, wire::kBroadcastMac, broadcast, "broadcast from A");
  seen.clear();
  report_.check(silent(a, seen), step, "broadcast from A does not come back to A", seen);

  const wire::Mac nobody{0x02, 0x6e, 0x32, 0x01, 0x00, 0x98};
  const auto lost = frame_payload(nobody, a.id().mac, 100);
  if (!a.send(a.packet(nobody, lost))) return;
  seen.clear();
  const bool quiet = silent(b, seen) && silent(c, seen) && silent(a, seen);
  report_.check(quiet, step, "unicast to an unknown MAC reaches nobody", seen);
}

}  // namespace n2nkit::netnstest
