#include "core/edge/peer_table.hpp"

namespace n2nkit::edge {

Peer* PeerTable::pending(const wire::Mac& mac) {
  const auto it = pending_.find(mac);
  return it == pending_.end() ? nullptr : &it->second;
}

const Peer* PeerTable::pending(const wire::Mac& mac) const {
  const auto it = pending_.find(mac);
  return it == pending_.end() ? nullptr : &it->second;
}

Peer* PeerTable::known(const wire::Mac& mac) {
  const auto it = known_.find(mac);
  return it == known_.end() ? nullptr : &it->second;
}

const Peer* PeerTable::known(const wire::Mac& mac) const {
  const auto it = known_.find(mac);
  return it == known_.end() ? nullptr : &it->second;
}

Peer& PeerTable::pending_or_new(const wire::Mac& mac, std::uint64_t now) {
  auto [it, inserted] = pending_.try_emplace(mac);
  if (inserted) {
    it->second.mac = mac;
    it->second.created = now;
    it->second.last_seen = now;  // purged 60 s after creation unless it answers
  }
  return it->second;
}

Peer& PeerTable::confirm(const wire::Mac& mac, const wire::Sock& from, std::uint32_t cookie,
                         std::uint64_t now) {
  auto [it, inserted] = known_.try_emplace(mac);
  Peer& peer = it->second;
  if (inserted) {
    if (const auto p = pending_.find(mac); p != pending_.end()) peer = p->second;
    peer.mac = mac;
    peer.created = now;
  }
  pending_.erase(mac);
  const bool better =
      inserted || cookie > peer.cookie || now > peer.confirmed_at + kSocketReplaceAge;
  if (better) {
    const bool moved = !inserted && peer.sock != from;
    if (moved) note(PeerAction::removed_p2p, peer);
    peer.sock = from;
    peer.cookie = cookie;
    peer.confirmed_at = now;
    if (inserted || moved) note(PeerAction::added_p2p, peer);
  }
  peer.last_seen = now;
  return peer;
}

bool PeerTable::forget_known(const wire::Mac& mac) {
  const auto it = known_.find(mac);
  if (it == known_.end()) return false;
  note(PeerAction::removed_p2p, it->second);
  known_.erase(it);
  return true;
}

void PeerTable::clear() {
  for (const auto& [mac, peer] : pending_) note(PeerAction::cleared, peer);
  for (const auto& [mac, peer] : known_) note(PeerAction::cleared, peer);
  pending_.clear();
  known_.clear();
}

void PeerTable::note(PeerAction action, const Peer& peer) {
  if (events_.size() < kMaxEvents) events_.push_back({action, peer.mac, peer.sock});
}

std::vector<PeerEvent> PeerTable::take_events() {
  std::vector<PeerEvent> out;
  out.swap(events_);
  return out;
}

std::size_t PeerTable::purge(std::uint64_t now, std::uint64_t max_age, bool purge_known) {
  const auto old = [&](const auto& entry) {
    const bool expired = now > entry.second.last_seen && now - entry.second.last_seen > max_age;
    if (expired) note(PeerAction::purged, entry.second);
    return expired;
  };
  std::size_t removed = std::erase_if(pending_, old);
  if (purge_known) removed += std::erase_if(known_, old);
  return removed;
}

}  // namespace n2nkit::edge
