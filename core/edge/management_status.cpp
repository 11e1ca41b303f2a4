// The edge's text status report (spec §13.1), in the reference's layout. The reference sends a
// datagram after every table row, so each header goes out with the row after it; we cut the
// report at the same places, which keeps every datagram far below 1024 bytes.
#include <fmt/format.h>

#include "core/edge/management.hpp"

namespace n2nkit::edge {
namespace {

constexpr std::string_view kHeader =
    " ### | TAP             | MAC               | EDGE                  | HINT            | LAST "
    "SEEN |     UPTIME\n";

std::string rule(char c) {
  return std::string(109, c) + "\n";
}

// An age in seconds; the clock may have stepped back.
std::uint64_t age(std::uint64_t now, std::uint64_t then) {
  return now >= then ? now - then : 0;
}

std::string ipv4_or_empty(std::uint32_t addr) {
  if (addr == 0) return {};
  return fmt::format("{}.{}.{}.{}", addr >> 24, (addr >> 16) & 0xFFU, (addr >> 8) & 0xFFU,
                     addr & 0xFFU);
}

std::string peer_row(std::size_t n, const Peer& peer, std::uint64_t now) {
  return fmt::format("{:>4} | {:<15} | {:<17} | {:<21} | {:<15} | {:>9} |\n", n,
                     ipv4_or_empty(peer.dev_addr.addr), management_mac(peer.mac),
                     wire::sock_to_string(peer.sock), wire::description_to_string(peer.desc),
                     peer.last_seen != 0 ? fmt::format("{:>9}", age(now, peer.last_seen)) : "");
}

// The reference writes "now - 0" for an event that never happened; "never" reads better.
std::string ago(std::uint64_t now, std::uint64_t then) {
  return then == 0 ? std::string("never") : fmt::format("{} sec ago", age(now, then));
}

}  // namespace

std::vector<std::string> status_report(const Engine& engine, std::uint64_t now) {
  std::vector<std::string> out;
  std::string text =
      fmt::format("COMMUNITY '{}'\n\n",
                  engine.config().header_encryption
                      ? std::string("-- header encrypted --")
                      : wire::community_to_string(wire::make_community(engine.config().community)));
  text += kHeader;
  text += rule('=');

  text += "SUPERNODE FORWARD\n";
  std::size_t n = 0;
  for (const auto& [mac, peer] : engine.peers().pending_peers()) {
    text += peer_row(++n, peer, now);
    out.push_back(std::move(text));
    text.clear();
  }

  text += rule('-');
  text += "PEER TO PEER\n";
  n = 0;
  for (const auto& [mac, peer] : engine.peers().known_peers()) {
    text += peer_row(++n, peer, now);
    out.push_back(std::move(text));
    text.clear();
  }

  text += rule('-');
  text += "SUPERNODES\n";
  const auto& supernodes = engine.supernodes();
  for (std::size_t i = 0; i < supernodes.size(); ++i) {
    const KnownSupernode& sn = supernodes[i];
    std::string_view current;
    if (i == engine.current_supernode()) {
      current = engine.state() == EdgeState::registered ? "*" : ".";
    }
    // Version, selection and uptime come from PONGs: empty before the first, as the
    // reference shows them.
    text += fmt::format(
        "{:<19} {:>1}{:>1} | {:<17} | {:<21} | {:<15} | {:>9} | {:>10}\n", supernode_version(sn),
        sn.from_command_line ? "l" : "", current, management_mac(sn.mac),
        wire::sock_to_string(sn.sock),
        selection_text(engine.config().selection, sn.criterion, i == engine.current_supernode()),
        sn.last_seen != 0 ? fmt::format("{:>9}", age(now, sn.last_seen)) : "",
        sn.uptime != 0 ? fmt::format("{:>10}", sn.uptime) : "");
    out.push_back(std::move(text));
    text.clear();
  }

  const EdgeCounters& c = engine.counters();
  text += rule('=');
  text += fmt::format(
      "uptime {} | pend_peers {} | known_peers {} | transop {},{}\n"
      "super {},{} | p2p {},{}\n"
      "last_super {} | last_p2p {}\n",
      age(now, engine.started()), engine.peers().pending_peers().size(),
      engine.peers().known_peers().size(), c.transop_tx, c.transop_rx, super_tx(c), super_rx(c),
      c.p2p_tx, c.p2p_rx, ago(now, last_super(engine)), ago(now, c.last_p2p_rx));
  text += "\nType \"help\" to see more commands.\n\n";
  out.push_back(std::move(text));
  return out;
}

}  // namespace n2nkit::edge
