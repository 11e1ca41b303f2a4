#include "core/edge/engine.hpp"

#include <algorithm>

namespace n2nkit::edge {

Engine::Engine(EdgeConfig config, wire::WallTime now)
    : config_(std::move(config)),
      community_(wire::make_community(config_.community)),
      transform_(crypto::make_transform(config_.transform, config_.key)),
      address_(config_.address) {
  if (config_.interval == 0) config_.interval = 1;
  tap_mtu_ = config_.tap_mtu;
  mss_limits_ = mss::clamp_limits_for_mtu(tap_mtu_);
  if (config_.header_encryption) header_keys_ = wire::HeaderKeys::from_community(community_);
  auth_.scheme = 1;
  auth_.size = 16;
  config_.random(MutableByteView{auth_.token.data(), auth_.size});
  for (const auto& sock : config_.supernodes) {
    KnownSupernode sn;
    sn.sock = sock;
    sn.from_command_line = true;
    supernodes_.push_back(sn);
  }
  state_ = address_ ? EdgeState::waiting : EdgeState::bootstrap_address;
  attempts_left_ = attempts_per_supernode();
  last_sent_ = now.sec;
  started_ = now.sec;
  next_peer_purge_ = now.sec + kPeerPurgeInterval;
  // The first regular sweep comes soon after the start, the next ones every kSweepInterval.
  next_sweep_ = now.sec + kFirstSweepDelay;
}

wire::CommonHeader Engine::header(std::uint16_t flags) const {
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.flags = flags;
  h.community = community_;
  return h;
}

bool Engine::send(const wire::Message& message, const wire::Sock& to, wire::WallTime now,
                  Outbox& net, std::uint16_t flags, std::size_t pad_to) {
  const auto slot = net.prepare();
  const auto encoded = wire::encode(header(flags), message, slot);
  if (!encoded) {
    drop(encoded.error());
    return false;
  }
  std::size_t size = *encoded;
  if (pad_to > size && pad_to <= slot.size()) {
    std::fill(slot.begin() + static_cast<std::ptrdiff_t>(size),
              slot.begin() + static_cast<std::ptrdiff_t>(pad_to), std::uint8_t{0});
    size = pad_to;
  }
  if (header_keys_) {
    const auto datagram = slot.first(size);
    std::array<std::uint8_t, 4> filler{};
    config_.random(filler);
    const auto sealed =
        wire::he_encrypt(datagram, wire::he_covered_length(datagram, false), *header_keys_,
                         stamps_.next(now), load_be32(filler.data()));
    if (!sealed) {
      drop(sealed.error());
      return false;
    }
  }
  net.commit(Endpoint{to, 0}, size, pad_to != 0);
  return true;
}

std::optional<std::size_t> Engine::supernode_index(const wire::Sock& sock) const {
  for (std::size_t i = 0; i < supernodes_.size(); ++i) {
    if (supernodes_[i].sock == sock) return i;
  }
  return std::nullopt;
}

void Engine::on_datagram(ByteView datagram, const Endpoint& from, wire::WallTime now, Outbox& net,
                         Outbox& tap) {
  if (datagram.size() < wire::kCommonHeaderSize) return drop(Reason::too_short);
  if (datagram.size() > plain_.size()) return drop(Reason::too_large);
  ByteView plaintext = datagram;
  std::optional<std::uint64_t> stamp;
  if (!wire::looks_like_plaintext_header(datagram)) {
    if (!header_keys_) return drop(Reason::he_no_key);
    const auto opened =
        wire::he_decrypt(datagram, datagram.size(), community_, *header_keys_, plain_);
    if (!opened) return drop(opened.error());
    stamp = opened->stamp;
    plaintext = ByteView{plain_.data(), datagram.size()};
  } else if (header_keys_) {
    return drop(Reason::he_required);
  }

  auto decoded = wire::decode(plaintext);
  if (!decoded) return drop(decoded.error());
  if (stamp) {
    // Stamps per sending socket: a supernode's and a peer's clocks are their own (§8.6);
    // PACKETs may arrive slightly out of order.
    const auto now_stamp = wire::stamp_of(now);
    auto it = std::ranges::find_if(replay_, [&](const auto& e) { return e.first == from.sock; });
    if (it == replay_.end()) {
      if (replay_.size() >= kReplayWindows) replay_.erase(replay_.begin());
      replay_.emplace_back(from.sock, wire::ReplayWindow(now_stamp));
      it = replay_.end() - 1;
    }
    const bool jitter = std::holds_alternative<wire::Packet>(decoded->message);
    if (auto s = it->second.accept(*stamp, now_stamp, jitter); !s) return drop(s.error());
  }
  const auto& h = decoded->header;
  if (h.ttl == 0) return drop(Reason::ttl_expired);
  if (wire::make_community(wire::community_to_string(h.community)) != community_) {
    return drop(Reason::unknown_community);
  }
  const bool from_supernode = (h.flags & wire::kFlagFromSupernode) != 0;
  std::optional<std::size_t> supernode;
  if (from_supernode) {
    supernode = supernode_index(from.sock);
    if (!supernode) return drop(Reason::unknown_supernode);
    supernodes_[*supernode].last_seen = now.sec;
  }

  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, wire::RegisterSuperAck>) {
          if (!supernode) return drop(Reason::unknown_supernode);
          on_register_super_ack(h, msg, *supernode, now, net);
        } else if constexpr (std::is_same_v<T, wire::RegisterSuperNak>) {
          if (!supernode) return drop(Reason::unknown_supernode);
          on_register_super_nak(msg);
        } else if constexpr (std::is_same_v<T, wire::Packet>) {
          on_packet(msg, from, from_supernode, now, net, tap);
        } else if constexpr (std::is_same_v<T, wire::Register>) {
          on_register(msg, from, from_supernode, now, net);
        } else if constexpr (std::is_same_v<T, wire::RegisterAck>) {
          if (from_supernode) return drop(Reason::not_for_edge);  // must come directly
          on_register_ack(msg, from, now, net);
        } else if constexpr (std::is_same_v<T, wire::PeerInfo>) {
          if (!supernode) return drop(Reason::unknown_supernode);
          if (msg.is_pong()) return on_pong(msg, *supernode, now, net);
          on_peer_info(msg, now, net);
        } else {
          // The rest is for supernodes.
          drop(Reason::not_for_edge);
        }
      },
      decoded->message);
}

std::uint64_t Engine::registration_due() const {
  if (state_ == EdgeState::registered) return last_sent_ + config_.interval;
  if (state_ == EdgeState::bootstrap_address) return last_sent_ + kBootstrapTimeout;
  // While waiting: a retry once more than interval/10 has passed (§11.2).
  return last_sent_ + std::max<std::uint64_t>(config_.interval / 10, 1) + 1;
}

wire::WallTime Engine::next_deadline() const {
  const std::uint64_t sec = std::min({registration_due(), next_peer_purge_, next_sweep_});
  std::uint64_t us = sec * 1'000'000;
  for (const std::uint64_t wake : {path_wake_us_, peer_wake_us_}) {
    if (wake != 0) us = std::min(us, wake);
  }
  return {us / 1'000'000, static_cast<std::uint32_t>(us % 1'000'000)};
}

void Engine::on_tick(wire::WallTime now, Outbox& net, Outbox& /*tap*/) {
  if (now.sec >= next_peer_purge_) {
    // Known peers only while a supernode answers: without one they are all we have (§11.7).
    peers_.purge(now.sec, kPeerTimeout, state_ == EdgeState::registered);
    next_peer_purge_ = now.sec + kPeerPurgeInterval;
  }
  if (now.sec >= registration_due()) send_register_super(now, net);
  if (now.sec >= next_sweep_) sweep(now, net);
  drive_supernode_path(now, net);
  drive_peer_paths(now, net);
}

void Engine::stop(wire::WallTime now, Outbox& net) {
  if (state_ == EdgeState::bootstrap_address || supernodes_.empty()) return;
  wire::UnregisterSuper msg;
  msg.auth = auth_;
  msg.src_mac = config_.mac;
  send(msg, supernodes_[current_].sock, now, net);
}

}  // namespace n2nkit::edge
