// f: the same exchanges with header encryption (spec §8): a community listed in the locked
// supernode's community.list, every message sealed with its static keys; the answers must
// decrypt with them, replays and plaintext downgrades must be ignored.
#include <fmt/format.h>

#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

namespace {

bool fresh(const Incoming& in) {
  return in.encrypted && wire::check_stamp_frame(in.stamp, wire::stamp_of(wall_now()));
}

}  // namespace

void Suite::header_encryption() {
  const char* step = "f";
  WireEdge& a = edge("HA");
  WireEdge& b = edge("HB");
  WireEdge& c = edge("HC");
  std::string seen;

  auto k = cookie();
  const auto boot = ack_for(a, a.register_super(k, {}, true), k, seen);
  if (!report_.check(boot.has_value(), step,
                     fmt::format("sealed bootstrap REGISTER_SUPER in \"{}\" answered by an ACK "
                                 "that decrypts with the static keys",
                                 opt_.he_community),
                     seen)) {
    return;
  }
  report_.check(fresh(boot->first), step, "ACK header encrypted, time stamp within ±16 s");
  report_.check(boot->second.sock == a.public_sock() && boot->second.dev_addr.addr != 0, step,
                fmt::format("ACK sock = {}, address {}", wire::sock_to_string(a.public_sock()),
                            subnet_text(boot->second.dev_addr)),
                wire::sock_to_string(boot->second.sock));
  addr_["HA"] = boot->second.dev_addr;

  ByteVector last_registration;
  for (const char* role : {"HA", "HB", "HC"}) {
    WireEdge& e = edge(role);
    if (!addr_.contains(role)) {
      seen.clear();
      k = cookie();
      const auto b0 = ack_for(e, e.register_super(k, {}, true), k, seen);
      if (!report_.check(b0.has_value(), step, fmt::format("sealed bootstrap of {}", role), seen)) {
        return;
      }
      addr_[role] = b0->second.dev_addr;
    }
    seen.clear();
    k = cookie();
    const auto datagram = e.register_super(k, addr_[role]);
    const auto ack = ack_for(e, datagram, k, seen);
    if (!report_.check(ack && fresh(ack->first), step,
                       fmt::format("sealed registration of {} acknowledged (encrypted ACK)", role),
                       seen)) {
      return;
    }
    if (std::string(role) == "HA") last_registration = datagram;
  }

  seen.clear();
  if (!a.send(a.query_peer(wire::kNullMac))) return;
  const auto pong = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  report_.check(
      pong && pong->second.is_pong() && fresh(pong->first) && pong->second.sock == a.public_sock(),
      step, "sealed PING answered by an encrypted PONG with our socket",
      seen.empty() ? "no answer" : seen);

  seen.clear();
  if (!a.send(a.query_peer(b.id().mac))) return;
  const auto info = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  report_.check(info && fresh(info->first) && info->second.mac == b.id().mac &&
                    info->second.sock == b.public_sock(),
                step, "sealed QUERY_PEER for HB answered by an encrypted PEER_INFO with its socket",
                seen.empty() ? "no answer" : seen);

  drain_all();
  const auto payload = frame_payload(b.id().mac, a.id().mac, 500);
  if (!a.send(a.packet(b.id().mac, payload))) return;
  check_relayed(step, a, b, b.id().mac, payload, "sealed unicast HA→HB");
  seen.clear();
  report_.check(silent(c, seen), step, "sealed unicast HA→HB does not reach HC", seen);

  const auto broadcast = frame_payload(wire::kBroadcastMac, a.id().mac, 200);
  if (!a.send(a.packet(wire::kBroadcastMac, broadcast))) return;
  check_relayed(step, a, b, wire::kBroadcastMac, broadcast, "sealed broadcast from HA");
  check_relayed(step, a, c, wire::kBroadcastMac, broadcast, "sealed broadcast from HA");
  seen.clear();
  report_.check(silent(a, seen), step, "sealed broadcast does not come back to HA", seen);

  // §8.6: REGISTER_SUPER stamps must strictly increase; the same datagram again is a replay.
  seen.clear();
  if (!a.send(last_registration)) return;
  report_.check(silent(a, seen), step, "replayed sealed REGISTER_SUPER: no answer", seen);

  // §8.5: no plaintext for a community seen encrypted.
  WireEdge& plain = edge("H-plain");
  seen.clear();
  k = cookie();
  if (!plain.send(plain.register_super(k, {}, false))) return;
  report_.check(silent(plain, seen), step,
                "plaintext REGISTER_SUPER in the encrypted community: no answer (no downgrade)",
                seen);
}

}  // namespace n2nkit::netnstest
