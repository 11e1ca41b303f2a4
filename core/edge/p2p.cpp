// Peer-to-peer set-up (spec §11.5): REGISTER via the supernode and directly, REGISTER_ACK,
// QUERY_PEER and PEER_INFO, and the freshness rule for using a direct path.
#include <algorithm>

#include "core/edge/engine.hpp"

namespace n2nkit::edge {
namespace {

bool is_loopback(const wire::Sock& s) {
  return !s.ipv6 && (s.ipv4_host_order() >> 24) == 127;
}

void note_identity(Peer& peer, const wire::Register& msg) {
  peer.dev_addr = msg.dev_addr;
  peer.desc = msg.desc;
}

}  // namespace

const Peer* Engine::direct_peer(const wire::Mac& mac, std::uint64_t now) {
  if (!config_.p2p) return nullptr;
  const Peer* peer = peers_.known(mac);
  if (peer == nullptr) return nullptr;
  if (peer->last_seen + config_.interval / 2 >= now) return peer;
  peers_.forget_known(mac);  // stale: back to the supernode, and the cycle starts again
  return nullptr;
}

void Engine::send_register(const wire::Mac& dst, const wire::Sock& to, std::uint32_t cookie,
                           wire::WallTime now, Outbox& net, std::uint8_t ip_ttl) {
  wire::Register msg;
  msg.cookie = cookie;
  msg.src_mac = config_.mac;
  msg.dst_mac = dst;
  if (address_) msg.dev_addr = *address_;
  msg.desc = wire::make_description(config_.desc);
  send(msg, to, now, net, 0, ip_ttl);
}

void Engine::punch_towards(const wire::Mac& peer, const wire::Sock& sock, wire::WallTime now,
                           Outbox& net) {
  if (config_.register_ttl == 1) return;
  if (config_.register_ttl == 0) return send_register(peer, sock, kCookieRegular, now, net);
  // Guesses at the ports a port-changing NAT may give the peer next; the port wraps as a
  // 16-bit number does, as the reference's.
  constexpr unsigned kPredictedPorts = 16;
  const auto ttl = static_cast<std::uint8_t>(std::min(config_.register_ttl, 255U));
  wire::Sock guess = sock;
  for (unsigned i = 0; i < kPredictedPorts; ++i) {
    send_register(peer, guess, kCookiePort, now, net, ttl);
    guess.port = static_cast<std::uint16_t>(guess.port + 1);
  }
}

void Engine::want_peer(const wire::Mac& mac, wire::WallTime now, Outbox& net) {
  if (!config_.p2p || supernodes_.empty() || mac == config_.mac) return;
  // A known peer that sends via the supernode lost its direct path to us: ask again, from the
  // same entry.
  Peer* known = peers_.known(mac);
  Peer& peer = known != nullptr ? *known : peers_.pending_or_new(mac, now.sec);
  if (peer.last_query != 0 && peer.last_query + config_.interval > now.sec) return;
  peer.last_query = now.sec;
  const auto& sn = supernodes_[current_].sock;
  // The supernode relays the REGISTER (the peer answers with one of its own, opening its NAT)
  // and tells us where the peer is (§11.5 steps 1-2).
  send_register(mac, sn, kCookieForwarded, now, net);
  wire::QueryPeer query;
  query.src_mac = config_.mac;
  query.target_mac = mac;
  send(query, sn, now, net);
}

void Engine::on_peer_info(const wire::PeerInfo& msg, wire::WallTime now, Outbox& net) {
  if (msg.mac == wire::kNullMac) return drop(Reason::not_for_edge);  // a PONG: no PINGs yet
  if (!config_.p2p) return drop(Reason::not_for_edge);
  Peer* peer = peers_.pending(msg.mac);
  if (peer == nullptr) peer = peers_.known(msg.mac);
  if (peer == nullptr) return drop(Reason::unknown_destination);  // not asked for (any more)
  peer->sock = msg.sock;
  peer->preferred = msg.preferred_sock;
  if (msg.preferred_sock) send_register(msg.mac, *msg.preferred_sock, kCookieLocal, now, net);
  send_register(msg.mac, msg.sock, kCookieRegular, now, net);
}

void Engine::register_with_local_peers(wire::WallTime now, Outbox& net) {
  if (!multicast_discovery()) return;
  send_register(wire::kNullMac, kDiscoveryGroup, kCookieMulticast, now, net);
}

void Engine::on_register(const wire::Register& msg, const Endpoint& from, bool via_supernode,
                         wire::WallTime now, Outbox& net) {
  if (via_multicast_) {
    // A discovery REGISTER (null destination, checked in on_datagram); ours come back too.
    if (msg.src_mac == config_.mac) return drop(Reason::multicast_own);
    if (!multicast_discovery()) return drop(Reason::not_for_edge);
  } else if (msg.dst_mac != config_.mac) {
    return drop(Reason::unknown_destination);  // only REGISTERs for us
  }
  if (msg.src_mac == config_.mac || wire::is_multicast_or_broadcast(msg.src_mac)) {
    return drop(Reason::bad_field);
  }
  if (!config_.p2p) return drop(Reason::not_for_edge);  // -S1: no REGISTER, no REGISTER_ACK
  if (via_supernode) {
    // The peer wants a direct path: open ours towards its public socket (§11.5 step 4).
    if (!msg.sock || is_loopback(*msg.sock)) return drop(Reason::bad_field);
    if (peers_.known(msg.src_mac) == nullptr) {
      Peer& peer = peers_.pending_or_new(msg.src_mac, now.sec);
      peer.sock = *msg.sock;
      note_identity(peer, msg);
      punch_towards(msg.src_mac, *msg.sock, now, net);
      register_with_local_peers(now, net);  // it may be on our network too
    }
    return;
  }
  // Directly (or from the discovery group): the path works in this direction; answer to where
  // it came from (§11.5 step 5).
  wire::RegisterAck ack;
  ack.cookie = msg.cookie;
  ack.dst_mac = msg.src_mac;
  ack.src_mac = config_.mac;
  const wire::Sock reply_to = msg.sock && !is_loopback(*msg.sock) ? *msg.sock : from.sock;
  send(ack, reply_to, now, net);
  if (Peer* known = peers_.known(msg.src_mac)) {
    note_identity(*known, msg);
    if (known->sock != from.sock) {
      return notice_move(*known, from.sock, via_multicast_ ? kCookieMulticast : kCookieRegular, now,
                         net);
    }
    known->heard_on_sock(now.sec);
    known->local = known->local || via_multicast_;
    return;
  }
  const bool is_new = peers_.pending(msg.src_mac) == nullptr;
  Peer& peer = peers_.pending_or_new(msg.src_mac, now.sec);
  peer.sock = from.sock;
  peer.local = peer.local || via_multicast_;
  note_identity(peer, msg);
  send_register(msg.src_mac, from.sock, kCookieRegular, now, net);
  if (is_new) register_with_local_peers(now, net);
}

void Engine::notice_move(Peer& peer, const wire::Sock& to, std::uint32_t cookie, wire::WallTime now,
                         Outbox& net) {
  // At most one REGISTER a second towards the same new socket, however much arrives from it.
  if (peer.moved_to == to && peer.moved_at == now.sec) return;
  peer.moved_to = to;
  peer.moved_at = now.sec;
  peer.heard_since_move = false;
  send_register(peer.mac, to, cookie, now, net);
}

void Engine::recheck_moved_peer(const wire::Mac& mac, const wire::Sock& seen_by_supernode,
                                wire::WallTime now, Outbox& net) {
  if (!config_.p2p || supernodes_.empty()) return;
  Peer* known = peers_.known(mac);
  // A peer on our network, or one with an -e socket, is reached at another address than the
  // one the supernode sees: nothing to learn from the difference.
  if (known == nullptr || known->local || known->preferred || known->sock == seen_by_supernode) {
    return;
  }
  // It may have moved (restarted behind its NAT, another port) and cannot tell us directly: our
  // datagrams to its old socket are lost. A REGISTER through the supernode makes it register
  // with us directly, which opens its NAT; that REGISTER then moves it (notice_move). Behind a
  // NAT that maps every destination to another port this is a wasted REGISTER: at most one per
  // kMoveRecheckSeconds.
  if (known->last_move_recheck != 0 && known->last_move_recheck + kMoveRecheckSeconds > now.sec) {
    return;
  }
  known->last_move_recheck = now.sec;
  ++counters_.move_rechecks;
  send_register(mac, supernodes_[current_].sock, kCookieForwarded, now, net);
}

void Engine::on_register_ack(const wire::RegisterAck& msg, const Endpoint& from, wire::WallTime now,
                             Outbox& net) {
  if (msg.dst_mac != config_.mac) return drop(Reason::unknown_destination);
  if (!config_.p2p) return drop(Reason::not_for_edge);
  if (peers_.pending(msg.src_mac) == nullptr && peers_.known(msg.src_mac) == nullptr) {
    return drop(Reason::unknown_destination);  // we asked nobody by that MAC
  }
  if (on_probe_ack(msg, from, now)) return;
  if (Peer* known = peers_.known(msg.src_mac)) {
    if (known->sock == from.sock) {
      known->heard_since_move = true;  // confirm() below refreshes last_seen
    } else if (known->moved_to == from.sock && !known->heard_since_move &&
               (msg.cookie >= known->cookie || known->last_seen + 1 < now.sec)) {
      // The old socket fell silent when the new one spoke, and the new one answers: the peer
      // moved (a restart keeps the MAC, not the port). Without this the dead socket would be
      // used until it goes stale (interval / 2). A path of lower priority (a public socket
      // instead of one on our network) takes over only from a socket silent for a second.
      peers_.forget_known(msg.src_mac);
      ++counters_.peers_moved;
    }
  }
  peers_.confirm(msg.src_mac, from.sock, msg.cookie, now.sec);
  ++counters_.peers_confirmed;
  drive_peer_paths(now, net);  // a new direct path is probed at once
}

}  // namespace n2nkit::edge
