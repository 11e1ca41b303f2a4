// Path-MTU discovery towards the current supernode (n2nkit, spec §4.9: a PING padded to any
// size gets the normal PONG): mtu::PathSearch picks the sizes, padded PINGs carry them. A
// PONG cannot say which PING it answers, so one probe is in flight at a time and the sweep's
// plain PING to the same supernode never overlaps one (it waits, or the probe waits).
#include <algorithm>

#include "core/edge/engine.hpp"
#include "core/mtu/overhead.hpp"

namespace n2nkit::edge {
namespace {

// Longer than any probe timeout PathSearch uses (max_timeout, 3 s): after it, a PING's PONG is
// not coming.
constexpr std::uint64_t kAnswerWindowUs = 3'000'000;

std::uint64_t micros(wire::WallTime t) {
  return t.sec * 1'000'000 + t.usec;
}

}  // namespace

bool Engine::probe_outstanding(const KnownSupernode& sn, wire::WallTime now) const {
  return sn.ping_sent_us != 0 && sn.ping_was_probe &&
         micros(now) < sn.ping_sent_us + kAnswerWindowUs;
}

void Engine::send_path_probe(std::size_t size, wire::WallTime now, Outbox& net) {
  KnownSupernode& sn = supernodes_[current_];
  wire::QueryPeer ping;
  ping.src_mac = config_.mac;
  const std::size_t payload = size - mtu::underlay_header_bytes(mtu::Underlay::ipv4);
  if (send(ping, sn.sock, now, net, 0, 0, payload)) {
    sn.ping_sent_us = micros(now);
    sn.ping_was_probe = true;
  }
}

void Engine::drive_supernode_path(wire::WallTime now, Outbox& net) {
  path_wake_us_ = 0;
  if (!config_.path_mtu_discovery || !accepted() || supernodes_.empty()) return;
  KnownSupernode& sn = supernodes_[current_];
  if (!sn_path_ || sn_path_sock_ != sn.sock) {
    if (state_ != EdgeState::registered) return;  // the supernode we will stay with
    mtu::PathSearchConfig cfg;
    cfg.lower = config_.path_mtu_lower;
    cfg.upper = std::max(config_.path_mtu_upper, cfg.lower);
    std::array<std::uint8_t, 4> r{};
    config_.random(r);
    cfg.first_id = load_be32(r.data());
    auto search = mtu::PathSearch::create(cfg);
    if (!search) return;
    sn_path_.emplace(std::move(*search));
    sn_path_sock_ = sn.sock;
    ping_deferred_ = false;
  }
  if (ping_deferred_ && !probe_outstanding(sn, now)) {
    ping_deferred_ = false;
    send_ping(current_, now, net);
  }
  const std::uint64_t us = micros(now);
  if (sn.ping_sent_us != 0 && !sn.ping_was_probe && us < sn.ping_sent_us + kAnswerWindowUs) {
    path_wake_us_ = sn.ping_sent_us + kAnswerWindowUs;  // a plain PONG is due first
    return;
  }
  auto action = sn_path_->next_action(mtu::Micros{us});
  if (action.kind == mtu::ProbeAction::Kind::send) {
    send_path_probe(action.size, now, net);
    action = sn_path_->next_action(mtu::Micros{us});
  }
  if (action.kind == mtu::ProbeAction::Kind::wait) {
    path_wake_us_ = std::max<std::uint64_t>(static_cast<std::uint64_t>(action.at.count()), us + 1);
  }
  update_tap_mtu();
}

void Engine::on_probe_too_big(std::size_t size, std::size_t local_mtu, wire::WallTime now) {
  if (!sn_path_) return;
  // The local stack knows its limit at once: as good as an ICMP hint. Without the figure the
  // probe is left to time out like a loss.
  if (local_mtu != 0 && local_mtu < size) {
    sn_path_->on_too_big(local_mtu, size, mtu::Micros{micros(now)});
  }
}

void Engine::update_tap_mtu() {
  if (!config_.tap_mtu_auto || !sn_path_) return;
  const auto result = sn_path_->result();
  if (result.state != mtu::SearchState::done &&
      result.state != mtu::SearchState::black_hole_suspected) {
    return;
  }
  mtu::PathConfig path;
  path.transform = config_.transform;
  path.header_encryption = config_.header_encryption;
  path.compression = config_.compression != crypto::CompressionId::none;
  // Relayed frames are the longest: a frame that may go through a supernode must fit then.
  std::size_t want = mtu::tap_mtu_for_path(result.pmtu, path, true);
  want = std::clamp<std::size_t>(want, kMinAutoTapMtu, mtu::kMaxTapMtu);
  if (want == tap_mtu_) return;
  tap_mtu_ = want;
  mss_limits_ = mss::clamp_limits_for_mtu(tap_mtu_);
}

}  // namespace n2nkit::edge
