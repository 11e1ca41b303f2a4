// PING/PONG and supernode selection (spec §11.1 step 3, §11.2 "sweep", §11.4): every sweep
// sorts the supernodes by what their PONGs said, moves to the best one if it is not the
// current, resets the criteria and PINGs a budget of them again.
#include <algorithm>

#include "core/edge/engine.hpp"

namespace n2nkit::edge {
namespace {

std::uint64_t micros(wire::WallTime t) {
  return t.sec * 1'000'000 + t.usec;
}

}  // namespace

void Engine::sort_supernodes() {
  if (supernodes_.empty()) return;
  const wire::Sock current = supernodes_[current_].sock;
  std::ranges::stable_sort(supernodes_, {}, &KnownSupernode::criterion);
  current_ = supernode_index(current).value_or(0);
}

void Engine::move_to_supernode(std::size_t index, wire::WallTime now, Outbox& net) {
  if (index == current_ || index >= supernodes_.size()) return;
  if (state_ != EdgeState::bootstrap_address && accepted()) stop(now, net);
  current_ = index;
  if (state_ == EdgeState::registered) state_ = EdgeState::waiting;
  attempts_left_ = attempts_per_supernode();
  send_register_super(now, net);
}

void Engine::send_ping(std::size_t supernode, wire::WallTime now, Outbox& net) {
  if (supernode == current_ && sn_path_ && probe_outstanding(supernodes_[supernode], now)) {
    // Its PONG could not be told from the probe's: sent once the probe is settled.
    ping_deferred_ = true;
    return;
  }
  wire::QueryPeer ping;
  ping.src_mac = config_.mac;  // target null: a PING
  if (send(ping, supernodes_[supernode].sock, now, net)) {
    supernodes_[supernode].ping_sent_us = micros(now);
    supernodes_[supernode].ping_was_probe = false;
  }
}

void Engine::send_pings(std::size_t budget, wire::WallTime now, Outbox& net) {
  std::array<std::uint8_t, 4> r{};
  config_.random(r);
  const std::size_t spare = supernodes_.size() > budget ? supernodes_.size() - budget : 0;
  const auto targets =
      ping_targets(supernodes_.size(), budget, biased_skip(spare, load_be32(r.data())));
  for (const std::size_t i : targets) send_ping(i, now, net);
}

void Engine::sweep(wire::WallTime now, Outbox& net) {
  // "More than 30 s" after the last one, as the reference counts (§11.2).
  next_sweep_ = now.sec + kSweepInterval + 1;
  if (supernodes_.empty()) return;
  if (state_ == EdgeState::registered) {
    // Only while registered: a move while an answer is outstanding would abandon it.
    sort_supernodes();
    if (current_ != 0) move_to_supernode(0, now, net);
  }
  for (std::size_t i = 0; i < supernodes_.size(); ++i) {
    supernodes_[i].criterion = i == current_ ? kCriterionGood : kCriterionDefault;
  }
  std::uint64_t pending = peers_.pending_peers().size();
  if (config_.header_encryption) pending *= 2;  // as the reference weighs them
  selection_common_ = pending / supernodes_.size();
  send_pings(ping_budget_, now, net);
  ping_budget_ = kRegularPings;
}

void Engine::on_pong(const wire::PeerInfo& msg, std::size_t supernode, wire::WallTime now,
                     Outbox& net) {
  KnownSupernode& sn = supernodes_[supernode];
  if (sn.ping_sent_us == 0) return drop(Reason::unsolicited_pong);
  if (sn.mac == wire::kNullMac && !wire::is_multicast_or_broadcast(msg.src_mac)) {
    sn.mac = msg.src_mac;
  }
  sn.load = msg.load;
  sn.uptime = msg.uptime;
  sn.version = msg.version;
  ++sn.pongs;
  sn.rtt_ms = rtt_criterion(sn.ping_sent_us, micros(now));
  switch (config_.selection) {
    case SelectionStrategy::load:
      sn.criterion = load_criterion({msg.load, selection_common_, supernode == current_,
                                     peers_.known_peers().size() + peers_.pending_peers().size()});
      break;
    case SelectionStrategy::rtt:
      sn.criterion = sn.rtt_ms;
      break;
    case SelectionStrategy::mac:
      sn.criterion = mac_criterion(sn.mac);
      break;
  }
  sn.ping_sent_us = 0;
  if (sn.ping_was_probe && sn_path_ && sn.sock == sn_path_sock_) {
    sn.ping_was_probe = false;
    sn_path_->on_answer_unlabelled(mtu::Micros{micros(now)});
    drive_supernode_path(now, net);
  }
  if (starting_) {
    // The first supernode to answer the start-up PINGs is the one to register with (§11.1
    // step 3): the others have not answered and keep their default criterion.
    starting_ = false;
    if (!accepted()) move_to_supernode(supernode, now, net);
  }
}

}  // namespace n2nkit::edge
