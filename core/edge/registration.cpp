// Registration with the supernodes (spec §11.1 steps 4 and 6, §11.2): REGISTER_SUPER with
// retries and supernode switching, the ACK and NAK, the gratuitous ARP after the first ACK;
// in user/password mode the challenge, its answer with the dynamic key and RE_REGISTER_SUPER
// (§10.3, §10.5).
#include <algorithm>

#include "core/edge/engine.hpp"
#include "core/packet/frame_builder.hpp"

namespace n2nkit::edge {

void Engine::start(wire::WallTime now, Outbox& net) {
  // With a choice of supernodes, ask them all; the first to answer is taken (§11.1 step 3).
  // Registration does not wait for it: the first supernode of the list is asked meanwhile.
  if (supernodes_.size() > 1 && !config_.tcp) send_pings(kInitialPings, now, net);
  send_register_super(now, net);
}

unsigned Engine::attempts_per_supernode() const {
  // The address request moves on after one unanswered try (§11.1 step 4); so does every
  // registration over TCP (§11.2), where a lost message means a broken connection.
  return state_ == EdgeState::bootstrap_address || config_.tcp ? 1 : kAttemptsPerSupernode;
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
  ++switches_;
}

void Engine::on_supernode_connected(wire::WallTime now, Outbox& net) {
  if (state_ == EdgeState::registered || supernodes_.empty()) return;
  transmit_register_super(now, net);
}

void Engine::on_supernode_connection_lost(wire::WallTime now) {
  if (state_ != EdgeState::registered) return;
  state_ = EdgeState::waiting;
  // The retry (and, unanswered, the move to the next supernode) follows the usual cadence from
  // here; the daemon's reconnection normally re-registers before that.
  last_sent_ = now.sec;
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
  reregister_pull_ = 0;
  transmit_register_super(now, net);
  // Every registration cycle also looks for peers on our own network (§11.2); the address
  // request comes before the edge has an identity worth announcing.
  if (state_ != EdgeState::bootstrap_address) register_with_local_peers(now, net);
}

void Engine::transmit_register_super(wire::WallTime now, Outbox& net) {
  std::array<std::uint8_t, 4> cookie{};
  do {
    config_.random(cookie);
  } while (load_be32(cookie.data()) == 0);
  cookie_ = load_be32(cookie.data());

  wire::RegisterSuper msg;
  msg.cookie = cookie_;
  msg.auth = registration_token();
  msg.desc = wire::make_description(config_.desc);
  msg.sock = config_.preferred_sock;  // -e: SOCKET flag and the socket (§11.2)
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
  if (user_password_ && !accept_answer_token(ack.auth)) return;
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
  // reference does (giving up would let anyone stop an edge); the daemon reports it from the
  // counters.
  ++counters_.naks;
  const wire::Mac ours = state_ == EdgeState::bootstrap_address ? wire::kNullMac : config_.mac;
  if (user_password_ && nak.src_mac == ours) ++counters_.auth_refusals;
}

wire::Auth Engine::registration_token() {
  if (!user_password_) return auth_;
  // A fresh challenge each time: an old answer (a replayed ACK) no longer verifies.
  config_.random(user_password_->challenge);
  const auto token = keys::make_edge_token(
      user_password_->public_key, user_password_->shared_secret, user_password_->challenge);
  wire::Auth auth;
  auth.scheme = 2;
  auth.size = static_cast<std::uint16_t>(token.size());
  std::ranges::copy(token, auth.token.begin());
  return auth;
}

bool Engine::accept_answer_token(const wire::Auth& answer) {
  if (answer.scheme != 2 || answer.size != keys::kAuthTokenSize) {
    drop(Reason::auth_scheme_mismatch);
    return false;
  }
  // A mismatch means the supernode computed another shared secret: most likely -P is not the
  // public key of the supernode's federation.
  const auto key = keys::dynamic_key_from_ack_token(
      answer.token_view(), user_password_->shared_secret, user_password_->challenge);
  if (!key) {
    drop(key.error());
    return false;
  }
  if (*key != user_password_->dynamic_key) {
    user_password_->dynamic_key = *key;
    header_keys_ = wire::HeaderKeys::from_dynamic_key(*key);
    ++counters_.dynamic_key_changes;
  }
  return true;
}

void Engine::on_re_register_super(wire::WallTime now, Outbox& net) {
  // The supernode is about to change the community's key: ask for the new one at once.
  ++counters_.re_register_requests;
  std::array<std::uint8_t, 4> r{};
  config_.random(r);
  const std::uint64_t spread = config_.interval * 3 / 4;
  send_register_super(now, net);
  reregister_pull_ = spread == 0 ? 0 : load_be32(r.data()) % spread;
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
