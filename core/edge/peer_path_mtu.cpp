// Path MTU towards known peers (n2nkit, spec §4.1: a REGISTER padded to any size gets the
// normal REGISTER_ACK, which echoes the cookie): one mtu::PathSearch per known peer, the
// probe id as the cookie. And what the result is for: a DF frame from the TAP larger than the
// peer's path is answered with ICMP instead of being lost on the way (spec §15 overhead).
#include <algorithm>

#include "core/edge/engine.hpp"
#include "core/mtu/overhead.hpp"

namespace n2nkit::edge {
namespace {

std::uint64_t micros(wire::WallTime t) {
  return t.sec * 1'000'000 + t.usec;
}

}  // namespace

void Engine::drive_peer_paths(wire::WallTime now, Outbox& net) {
  peer_wake_us_ = 0;
  if (!config_.path_mtu_discovery || !config_.p2p) {
    peer_paths_.clear();
    return;
  }
  // Forget searches of peers that are no longer known (stale, purged).
  std::erase_if(peer_paths_, [&](const auto& e) { return peers_.known(e.first) == nullptr; });
  for (const auto& [mac, peer] : peers_.known_peers()) {
    auto it = peer_paths_.find(mac);
    if (it != peer_paths_.end() && it->second.sock != peer.sock) {
      it->second.search.restart(mtu::Micros{micros(now)});  // a new path
      it->second.sock = peer.sock;
    }
    if (it == peer_paths_.end()) {
      mtu::PathSearchConfig cfg;
      cfg.lower = config_.path_mtu_lower;
      cfg.upper = std::max(config_.path_mtu_upper, cfg.lower);
      std::array<std::uint8_t, 4> r{};
      config_.random(r);
      // Room for 2^30 probes before the ids could leave the probe range.
      cfg.first_id = kProbeCookieBit | (load_be32(r.data()) & 0x3fffffff);
      auto search = mtu::PathSearch::create(cfg);
      if (!search) continue;
      it = peer_paths_.emplace(mac, PeerPath{peer.sock, std::move(*search), 0}).first;
    }
    PeerPath& path = it->second;
    const std::uint64_t us = micros(now);
    auto action = path.search.next_action(mtu::Micros{us});
    while (action.kind == mtu::ProbeAction::Kind::send) {
      wire::Register probe;
      probe.cookie = action.id;
      probe.src_mac = config_.mac;
      probe.dst_mac = mac;
      if (address_) probe.dev_addr = *address_;
      probe.desc = wire::make_description(config_.desc);
      send(probe, path.sock, now, net, 0, 0,
           action.size - mtu::underlay_header_bytes(mtu::Underlay::ipv4));
      action = path.search.next_action(mtu::Micros{us});
    }
    path.frame_limit = frame_limit_of(path.search);
    path.wake_us =
        action.kind == mtu::ProbeAction::Kind::wait
            ? std::max<std::uint64_t>(static_cast<std::uint64_t>(action.at.count()), us + 1)
            : 0;
    if (path.wake_us != 0 && (peer_wake_us_ == 0 || path.wake_us < peer_wake_us_)) {
      peer_wake_us_ = path.wake_us;
    }
  }
}

bool Engine::on_probe_ack(const wire::RegisterAck& msg, const Endpoint& from, wire::WallTime now) {
  if ((msg.cookie & kProbeCookieBit) == 0) return false;
  const auto it = peer_paths_.find(msg.src_mac);
  if (it == peer_paths_.end() || it->second.sock != from.sock) {
    drop(Reason::cookie_mismatch);  // a probe cookie, but not of a path we search
    return true;
  }
  it->second.search.on_answer(msg.cookie, mtu::Micros{micros(now)});
  it->second.frame_limit = frame_limit_of(it->second.search);
  // It came directly: the path is alive, as with any datagram from the peer; its priority
  // and confirmation stay as they were.
  if (Peer* known = peers_.known(msg.src_mac)) {
    if (known->sock == from.sock) {
      known->heard_on_sock(now.sec);
    } else {
      known->last_seen = now.sec;
    }
  }
  return true;
}

std::size_t Engine::frame_limit_of(const mtu::PathSearch& search) const {
  const auto r = search.result();
  // Only a finished search is a statement about the path; while searching, the lower bound
  // would refuse frames the path may well carry.
  if (r.state != mtu::SearchState::done) return 0;
  mtu::PathConfig path;
  path.transform = config_.transform;
  const std::size_t overhead = mtu::datagram_overhead_per_frame(path, mtu::Leg::direct);
  return r.pmtu > overhead ? r.pmtu - overhead : 0;
}

std::optional<std::size_t> Engine::peer_frame_limit(const wire::Mac& mac) const {
  // Per frame: a lookup, nothing computed (the limit is kept up to date by the search).
  const auto it = peer_paths_.find(mac);
  if (it == peer_paths_.end() || it->second.frame_limit == 0) return std::nullopt;
  return it->second.frame_limit;
}

bool Engine::too_big_for_peer(ByteView frame, const wire::Mac& mac, wire::WallTime now,
                              Outbox* tap) {
  const auto limit = peer_frame_limit(mac);
  if (!limit || frame.size() <= *limit) return false;
  mtu::TooBigSource source;
  source.mac = config_.mac;
  if (address_) {
    source.ipv4 = address_->addr;
    source.ipv4_prefix_length = address_->prefix;
  }
  // The IP packet the path carries: the frame limit less the Ethernet header (any VLAN tags
  // are the builder's to account for).
  const auto ip_limit = static_cast<std::uint32_t>(*limit - 14);
  const auto reply = mtu::build_too_big_reply(frame, ip_limit, source, too_big_reply_);
  if (!reply.built()) return false;  // DF clear, not IP, ...: sent, and the path may fragment
  drop(Reason::too_big_for_path);
  if (tap == nullptr) return true;
  if (!too_big_limit_.allow(micros(now) / 1000)) {
    ++counters_.too_big_limited;
    return true;
  }
  tap->push(Endpoint{}, ByteView{too_big_reply_.data(), reply.size});
  ++counters_.too_big_replies;
  return true;
}

}  // namespace n2nkit::edge
