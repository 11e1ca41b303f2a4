// c: PING → PONG; d: QUERY_PEER → PEER_INFO (spec §4.8, §4.9, §11.4, §11.5).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

namespace {

std::string version_text(const wire::PeerInfo& p) {
  const auto end = std::find(p.version.begin(), p.version.end(), std::uint8_t{0});
  return {p.version.begin(), end};
}

bool printable(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isprint(static_cast<unsigned char>(ch)) != 0;
  });
}

}  // namespace

void Suite::ping() {
  const char* step = "c";
  if (!ensure_registered("A", step)) return;
  WireEdge& a = edge("A");
  std::string seen;
  if (!a.send(a.query_peer(wire::kNullMac))) return;
  const auto pong = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  if (!report_.check(pong && pong->second.is_pong(), step,
                     "PING (QUERY_PEER, null target) answered by a PONG (PEER_INFO, null mac)",
                     seen.empty() ? "no answer" : seen)) {
    return;
  }
  const auto& p = pong->second;
  const std::string version = version_text(p);
  report_.check(printable(version), step, fmt::format("PONG version string \"{}\"", version));
  report_.check(
      p.sock == a.public_sock(), step,
      fmt::format("PONG sock = our public socket {}", wire::sock_to_string(a.public_sock())),
      wire::sock_to_string(p.sock));
  report_.check(
      supernode_mac_ok(p.src_mac), step,
      fmt::format("PONG srcMac = the supernode's MAC ({})", wire::mac_to_string(p.src_mac)));
  report_.check(p.uptime < 86400, step, fmt::format("PONG uptime {} s", p.uptime));

  // An open supernode answers a PING for a community it does not host.
  WireEdge& stranger = edge("stranger");
  seen.clear();
  if (!stranger.send(stranger.query_peer(wire::kNullMac))) return;
  const auto other = stranger.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  report_.check(other && other->second.is_pong() && other->second.sock == stranger.public_sock(),
                step, "PING in a community nobody registered (open supernode): PONG",
                seen.empty() ? "no answer" : seen);
}

void Suite::query_peer() {
  const char* step = "d";
  if (!ensure_registered("A", step) || !ensure_registered("B", step)) return;
  WireEdge& a = edge("A");
  WireEdge& b = edge("B");
  std::string seen;
  if (!a.send(a.query_peer(b.id().mac))) return;
  auto info = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  if (report_.check(info && !info->second.is_pong(), step,
                    fmt::format("QUERY_PEER for B ({}) answered by PEER_INFO",
                                wire::mac_to_string(b.id().mac)),
                    seen.empty() ? "no answer" : seen)) {
    const auto& p = info->second;
    report_.check(p.mac == b.id().mac && p.sock == b.public_sock(), step,
                  fmt::format("PEER_INFO mac = B, sock = B's public socket {}",
                              wire::sock_to_string(b.public_sock())),
                  wire::mac_to_string(p.mac) + " " + wire::sock_to_string(p.sock));
    report_.check(p.src_mac == a.id().mac, step, "PEER_INFO srcMac = the asking edge (A)",
                  wire::mac_to_string(p.src_mac));
    report_.check(
        (info->first.decoded->header.flags & wire::kFlagFromSupernode) != 0 && !p.preferred_sock,
        step, "PEER_INFO has FROM_SUPERNODE and no preferred socket (B sent none)");
  }

  // P registers with a preferred local socket (-e, SOCKET flag): it comes back in PEER_INFO.
  // (A fresh edge: the reference stores the preferred socket only when it creates the record
  // or the edge's public socket changes.)
  WireEdge& p = edge("P");
  const wire::Sock preferred = wire::Sock::ipv4(0xc0000263, p.public_sock().port);  // 192.0.2.99
  auto c = cookie();
  seen.clear();
  if (!addr_.contains("P")) {
    // Like a real edge: bootstrap first, then register with the address (an edge registered
    // with 0/0 would make the reference refuse every later bootstrap of the community).
    const auto boot = ack_for(p, p.register_super(c, {}, true), c, seen);
    if (!report_.check(boot.has_value(), step, "bootstrap of edge P answered", seen)) return;
    addr_["P"] = boot->second.dev_addr;
    c = cookie();
  }
  const auto ack = ack_for(p, p.register_super(c, addr_["P"], false, preferred), c, seen);
  if (report_.check(ack.has_value(), step,
                    "edge P registers with a preferred socket (SOCKET flag) and is acknowledged",
                    seen)) {
    seen.clear();
    if (!a.send(a.query_peer(p.id().mac))) return;
    info = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
    report_.check(
        info && info->second.preferred_sock == preferred && info->second.sock == p.public_sock(),
        step,
        fmt::format("PEER_INFO for P carries its preferred socket {}",
                    wire::sock_to_string(preferred)),
        info ? (info->second.preferred_sock ? wire::sock_to_string(*info->second.preferred_sock)
                                            : std::string("no preferred socket"))
             : seen);
  }

  seen.clear();
  const wire::Mac unknown{0x02, 0x6e, 0x32, 0x01, 0x00, 0x99};
  if (!a.send(a.query_peer(unknown))) return;
  report_.check(silent(a, seen), step, "QUERY_PEER for an unknown MAC: no answer", seen);
}

}  // namespace n2nkit::netnstest
