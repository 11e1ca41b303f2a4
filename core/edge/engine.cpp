#include "core/edge/engine.hpp"

#include <algorithm>
#include <limits>

namespace n2nkit::edge {

Engine::Engine(EdgeConfig config, wire::WallTime now)
    : config_(std::move(config)),
      community_(wire::make_community(config_.community)),
      transform_(crypto::make_transform(config_.transform, config_.key)),
      address_(config_.address) {
  if (config_.interval == 0) config_.interval = 1;
  tap_mtu_ = config_.tap_mtu;
  mss_limits_ = mss::clamp_limits_for_mtu(tap_mtu_);
  filter_ = TrafficFilter(config_.rules);
  if (config_.password) {
    // Keys as the reference derives them after parsing (§10.1, §10.2): the user name is the
    // description as sent, at most 15 bytes.
    config_.header_encryption = true;
    const std::string_view user = std::string_view(config_.desc).substr(0, keys::kMaxUserNameBytes);
    const auto private_key = keys::user_private_key(user, *config_.password);
    const auto federation = config_.federation_public_key.value_or(
        keys::public_key(keys::federation_private_key(kDefaultFederationName)));
    UserPassword up;
    up.public_key = keys::public_key(private_key);
    up.shared_secret = keys::shared_secret(private_key, federation);
    // Random until the first ACK: nothing of a header-encrypted community without user/password
    // of the same name opens by accident (§10.5).
    config_.random(up.dynamic_key);
    user_password_ = up;
  }
  if (config_.header_encryption) {
    static_keys_ = wire::HeaderKeys::from_community(community_);
    header_keys_ = user_password_ ? wire::HeaderKeys::from_dynamic_key(user_password_->dynamic_key)
                                  : *static_keys_;
  }
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
  if (config_.tcp) {
    // Over TCP the reference edge neither PINGs nor probes: the connection is the path, and
    // its segments are the kernel's business.
    next_sweep_ = std::numeric_limits<std::uint64_t>::max();
    config_.path_mtu_discovery = false;
  }
}

wire::CommonHeader Engine::header(std::uint16_t flags) const {
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.flags = flags;
  h.community = community_;
  return h;
}

bool Engine::send(const wire::Message& message, const wire::Sock& to, wire::WallTime now,
                  Outbox& net, std::uint16_t flags, std::uint8_t ip_ttl, std::size_t pad_to) {
  const bool registration = std::holds_alternative<wire::RegisterSuper>(message);
  const bool trailer = registration && user_password_;
  const auto slot = net.prepare();
  const auto room = trailer ? slot.first(slot.size() - kUserPasswordTrailer) : slot;
  const auto encoded = wire::encode(header(flags), message, room);
  if (!encoded) {
    drop(encoded.error());
    return false;
  }
  std::size_t size = *encoded;
  // Probes only (PINGs and REGISTERs); a REGISTER_SUPER's trailer must follow its message.
  if (!trailer && pad_to > size && pad_to <= slot.size()) {
    std::fill(slot.begin() + static_cast<std::ptrdiff_t>(size),
              slot.begin() + static_cast<std::ptrdiff_t>(pad_to), std::uint8_t{0});
    size = pad_to;
  }
  std::size_t total = size;
  if (header_keys_) {
    const auto datagram = slot.first(size);
    std::array<std::uint8_t, 4> filler{};
    config_.random(filler);
    const auto sealed = wire::he_encrypt(
        datagram, wire::he_covered_length(datagram, user_password_.has_value()),
        registration ? *static_keys_ : *header_keys_, stamps_.next(now), load_be32(filler.data()));
    if (!sealed) {
      drop(sealed.error());
      return false;
    }
    if (trailer) {
      const auto t = keys::trailer(datagram, user_password_->shared_secret);
      std::ranges::copy(t, slot.begin() + static_cast<std::ptrdiff_t>(size));
      total += t.size();
    }
  }
  net.commit(Endpoint{to, 0, ip_ttl}, total, pad_to != 0);
  return true;
}

std::optional<std::size_t> Engine::supernode_index(const wire::Sock& sock) const {
  for (std::size_t i = 0; i < supernodes_.size(); ++i) {
    if (supernodes_[i].sock == sock) return i;
  }
  return std::nullopt;
}

bool Engine::multicast_discovery() const {
  return config_.multicast_discovery && config_.p2p && !config_.preferred_sock;
}

void Engine::on_multicast_datagram(ByteView datagram, const Endpoint& from, wire::WallTime now,
                                   Outbox& net, Outbox& tap) {
  via_multicast_ = true;
  on_datagram(datagram, from, now, net, tap);
  via_multicast_ = false;
}

void Engine::on_datagram(ByteView datagram, const Endpoint& from, wire::WallTime now, Outbox& net,
                         Outbox& tap) {
  if (datagram.size() < wire::kCommonHeaderSize) return drop(Reason::too_short);
  if (datagram.size() > plain_.size()) return drop(Reason::too_large);
  ByteView plaintext = datagram;
  std::optional<std::uint64_t> stamp;
  bool static_key = false;  // opened with the static keys over all but the trailer
  if (!wire::looks_like_plaintext_header(datagram)) {
    if (!header_keys_) return drop(Reason::he_no_key);
    if (user_password_) {
      const auto opened =
          wire::he_decrypt_trial(datagram, community_, *header_keys_, *static_keys_, plain_);
      if (!opened) return drop(opened.error());
      stamp = opened->stamp;
      static_key = opened->kind == wire::HeKeyKind::static_with_trailer;
      plaintext = ByteView{plain_.data(), opened->length};
    } else {
      const auto opened =
          wire::he_decrypt(datagram, datagram.size(), community_, *header_keys_, plain_);
      if (!opened) return drop(opened.error());
      stamp = opened->stamp;
      plaintext = ByteView{plain_.data(), datagram.size()};
    }
  } else if (header_keys_) {
    return drop(Reason::he_required);
  }

  auto decoded = wire::decode(plaintext);
  if (!decoded) return drop(decoded.error());
  if (user_password_) {
    // Only the supernode's answers to REGISTER_SUPER may use the static keys: everything else
    // needs the dynamic key, i.e. an authenticated member (§8.3).
    const bool ack = std::holds_alternative<wire::RegisterSuperAck>(decoded->message);
    const bool nak = std::holds_alternative<wire::RegisterSuperNak>(decoded->message);
    if (static_key && !ack && !nak) return drop(Reason::wrong_key_kind);
    if (ack) {
      if (!static_key) return drop(Reason::static_key_required);
      // Before the stamp is taken: an ACK that does not prove the shared secret moves no
      // replay window.
      const auto expected = keys::trailer(datagram.first(datagram.size() - kUserPasswordTrailer),
                                          user_password_->shared_secret);
      if (!std::ranges::equal(expected, datagram.last(kUserPasswordTrailer))) {
        return drop(Reason::trailer_mismatch);
      }
    }
  }
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
    // Multicast REGISTERs may overtake or trail the sender's direct messages (the reference
    // allows them jitter too).
    const bool jitter = std::holds_alternative<wire::Packet>(decoded->message) || via_multicast_;
    if (auto s = it->second.accept(*stamp, now_stamp, jitter); !s) return drop(s.error());
  }
  const auto& h = decoded->header;
  if (h.ttl == 0) return drop(Reason::ttl_expired);
  if (wire::make_community(wire::community_to_string(h.community)) != community_) {
    return drop(Reason::unknown_community);
  }
  const bool from_supernode = (h.flags & wire::kFlagFromSupernode) != 0;
  if (via_multicast_) {
    // The group carries discovery REGISTERs from edges on this network, nothing else.
    const auto* reg = std::get_if<wire::Register>(&decoded->message);
    if (reg == nullptr || from_supernode || reg->dst_mac != wire::kNullMac) {
      return drop(Reason::multicast_unexpected);
    }
  }
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
        } else if constexpr (std::is_same_v<T, wire::ReRegisterSuper>) {
          if (!supernode) return drop(Reason::unknown_supernode);
          // Only user/password edges need the new key at once; others re-register on time.
          if (!user_password_) return drop(Reason::not_for_edge);
          on_re_register_super(now, net);
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
  if (state_ == EdgeState::registered) return last_sent_ + config_.interval - reregister_pull_;
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
  peers_.clear();
  if (state_ == EdgeState::bootstrap_address || supernodes_.empty()) return;
  wire::UnregisterSuper msg;
  msg.auth = registration_token();
  msg.src_mac = config_.mac;
  send(msg, supernodes_[current_].sock, now, net);
}

}  // namespace n2nkit::edge
