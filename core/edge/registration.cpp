// Registration with the supernodes (spec §11.1 steps 4 and 6, §11.2): REGISTER_SUPER with
// retries and supernode switching, the ACK and NAK, the gratuitous ARP after the first ACK.
#include <algorithm>

#include "core/edge/engine.hpp"
#include "core/packet/frame_builder.hpp"

namespace n2nkit::edge {

void Engine::start(wire::WallTime now, Outbox& net) {
  // With a choice of supernodes, ask them all; the first to answer is taken (§11.1 step 3).
  // Registration does not wait for it: the first supernode of the list is asked meanwhile.
  if (supernodes_.size() > 1) send_pings(kInitialPings, now, net);
  send_register_super(now, net);
}

unsigned Engine::attempts_per_supernode() const {
  // The address request moves on after one unanswered try (§11.1 step 4).
  return state_ == EdgeState::bootstrap_address ? 1 : kAttemptsPerSupernode;
}

void Engine::switch_supernode() {
  // The best other one (§11.2): the silent supernode goes to the end of the order; supernodes
  // that all failed rotate.
  if (!supernodes_.empty()) {
    supernodes_[current_].criterion = kCriterionBad;
    sort_supernodes();
    current_ = 0;
  }
  attempts_left_ = attempts_per_supernode();
}

void Engine::send_register_super(wire::WallTime now, Outbox& net) {
  if (supernodes_.empty()) return;
  if (state_ != EdgeState::registered) {
    // Each (re)send while waiting uses an attempt; with none left, try the next supernode.
    if (attempts_left_ == 0) switch_supernode();
    --attempts_left_;
  }
  if (state_ == EdgeState::registered) state_ = EdgeState::waiting;

  std::array<std::uint8_t, 4> cookie{};
  do {
    config_.random(cookie);
  } while (load_be32(cookie.data()) == 0);
  cookie_ = load_be32(cookie.data());

  wire::RegisterSuper msg;
  msg.cookie = cookie_;
  msg.auth = auth_;
  msg.desc = wire::make_description(config_.desc);
  if (state_ != EdgeState::bootstrap_address) {
    // The bootstrap asks with a null MAC and no address: the supernode records nothing (§11.1).
    msg.edge_mac = config_.mac;
    if (address_) msg.dev_addr = *address_;
  }
  last_sent_ = now.sec;
  send(msg, supernodes_[current_].sock, now, net);
}

void Engine::on_register_super_ack(const wire::CommonHeader& /*header*/,
                                   const wire::RegisterSuperAck& ack, std::size_t supernode,
                                   wire::WallTime now, Outbox& net) {
  if (state_ == EdgeState::registered) return drop(Reason::not_waiting);
  if (ack.cookie != cookie_ || supernode != current_) return drop(Reason::cookie_mismatch);
  cookie_ = 0;  // answered: a second copy is a replay
  starting_ = false;
  auto& sn = supernodes_[supernode];
  if (sn.mac == wire::kNullMac) sn.mac = ack.src_mac;
  for (const auto& entry : ack.supernodes) {
    const bool known = std::ranges::any_of(supernodes_, [&](const KnownSupernode& k) {
      return (k.mac != wire::kNullMac && k.mac == entry.mac) || k.sock == entry.sock;
    });
    if (known || entry.sock.ipv6) continue;
    KnownSupernode learnt;
    learnt.sock = entry.sock;
    learnt.mac = entry.mac;
    supernodes_.push_back(learnt);
  }
  if (state_ == EdgeState::bootstrap_address) {
    // The answer to the null-MAC request: our address, then the real registration at once.
    if (ack.dev_addr.addr != 0 && ack.dev_addr.prefix != 0) address_ = ack.dev_addr;
    state_ = EdgeState::waiting;
    attempts_left_ = attempts_per_supernode();
    return send_register_super(now, net);
  }
  attempts_left_ = attempts_per_supernode();
  state_ = EdgeState::registered;
  last_registered_ = now.sec;
  ++counters_.registrations;
  if (!announced_) {
    announced_ = true;
    send_gratuitous_arp(now, net);
  }
  drive_supernode_path(now, net);  // a new supernode is probed at once
}

void Engine::on_register_super_nak(const wire::RegisterSuperNak& nak) {
  if (state_ == EdgeState::registered) return drop(Reason::not_waiting);
  if (nak.cookie != cookie_) return drop(Reason::cookie_mismatch);
  // MAC or address in use, or (user/password) unknown credentials: the edge keeps trying, as the
  // reference does; the daemon reports it from the counter.
  ++counters_.naks;
}

void Engine::send_gratuitous_arp(wire::WallTime now, Outbox& net) {
  if (!address_) return;
  // Twice, through the normal transmit path (§11.12).
  const auto body =
      packet::arp_body(2, config_.mac, address_->addr, wire::kBroadcastMac, address_->addr);
  const auto frame = packet::ethernet_frame(wire::kBroadcastMac, config_.mac, 0x0806, body);
  on_frame(frame, now, net);
  on_frame(frame, now, net);
}

}  // namespace n2nkit::edge
