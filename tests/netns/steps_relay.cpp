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
  // Bursts: the supernode sends runs of equal datagrams to one destination as one segmented
  // message (UDP_SEGMENT); each must still arrive whole and in order, also when the relayed
  // datagram is larger than the path MTU (1500 here: the kernel refuses the segmented send and
  // the datagrams go the plain way, as IP fragments).
  for (const auto& [count, size] : {std::pair<int, std::size_t>{30, 1400}, {6, 1700}}) {
    std::vector<ByteVector> sent;
    for (int i = 0; i < count; ++i) {
      auto payload = frame_payload(b.id().mac, a.id().mac, size);
      payload.back() = static_cast<std::uint8_t>(i);  // tells them apart
      if (!a.send(a.packet(b.id().mac, payload))) return;
      sent.push_back(std::move(payload));
    }
    int in_order = 0;
    std::string why;
    for (int i = 0; i < count; ++i) {
      std::string others;
      const auto got = b.expect<wire::Packet>(opt_.answer_wait, others);
      if (!got) {
        why = fmt::format("datagram {} missing ({})", i, others.empty() ? "nothing" : others);
        break;
      }
      if (!std::ranges::equal(got->second.payload, sent[static_cast<std::size_t>(i)])) {
        why = fmt::format("datagram {} differs or out of order", i);
        break;
      }
      ++in_order;
    }
    report_.check(
        in_order == count, step,
        fmt::format("a burst of {} PACKETs of {} bytes A→B arrives whole, in order", count, size),
        why);
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
