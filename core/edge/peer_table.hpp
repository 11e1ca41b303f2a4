#pragma once
// The edge's peers (spec §11.5): "pending" ones being probed for a direct path and "known"
// ones the path to which a REGISTER_ACK confirmed, keyed by MAC.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/wire/types.hpp"

namespace n2nkit::edge {

// REGISTER cookies are also path priorities (§11.5): a confirmed socket is replaced by one
// confirmed with a higher cookie (or when it is older than 15 s).
inline constexpr std::uint32_t kCookieForwarded = 0x00001000;
inline constexpr std::uint32_t kCookiePort = 0x00004000;
inline constexpr std::uint32_t kCookieRegular = 0x00010000;
inline constexpr std::uint32_t kCookieMulticast = 0x00400000;
inline constexpr std::uint32_t kCookieLocal = 0x01000000;
inline constexpr std::uint64_t kSocketReplaceAge = 15;
inline constexpr std::uint64_t kMoveRecheckSeconds = 5;
// Cookies of path-MTU probes (padded REGISTERs) have the top bit set; none of the priorities
// above has it, so an ACK to a probe is told apart and never taken as a path priority.
inline constexpr std::uint32_t kProbeCookieBit = 0x80000000;

// Changes of the peer list, as the management API's `peer` events report them (spec §13.5),
// with the reference's action numbers.
enum class PeerAction : int {
  purged = 1,       // timed out (the 30 s purge)
  cleared = 2,      // the edge shuts down
  removed_p2p = 3,  // left the direct path: stale, or its socket changed
  added_p2p = 4,    // a REGISTER_ACK confirmed the direct path
};

struct PeerEvent {
  PeerAction action;
  wire::Mac mac;
  wire::Sock sock;
};

struct Peer {
  wire::Mac mac{};
  wire::Sock sock{};                      // its public socket (PEER_INFO, relayed sock field)
  std::optional<wire::Sock> preferred{};  // its -e socket, when PEER_INFO carried one
  std::uint64_t last_seen = 0;            // last datagram received directly from it
  std::uint64_t last_query = 0;           // last REGISTER/QUERY_PEER via the supernode for it
  std::uint64_t confirmed_at = 0;         // when a REGISTER_ACK last set sock (known peers)
  std::uint32_t cookie = 0;               // the cookie of that ACK
  std::uint64_t created = 0;
  bool local = false;  // found by multicast discovery: on our own network
  // A socket the peer spoke from directly that is not `sock` (a restart, a NAT rebinding): a
  // REGISTER went there; its ACK moves the peer unless `sock` was heard from since.
  std::optional<wire::Sock> moved_to{};
  std::uint64_t moved_at = 0;
  bool heard_since_move = true;
  std::uint64_t last_move_recheck = 0;  // last REGISTER via the supernode for a possible move
  // What its REGISTERs say about it, for the management API's listing.
  wire::IpSubnet dev_addr{};
  wire::Description desc{};

  // A datagram came from `sock` itself: the path is alive, and whatever spoke from elsewhere
  // since, the peer has not moved.
  void heard_on_sock(std::uint64_t now) {
    last_seen = now;
    heard_since_move = true;
  }
};

class PeerTable {
 public:
  using Map = std::map<wire::Mac, Peer>;

  Peer* pending(const wire::Mac& mac);
  const Peer* pending(const wire::Mac& mac) const;
  Peer* known(const wire::Mac& mac);
  const Peer* known(const wire::Mac& mac) const;
  // The pending entry for mac, created (at `now`) when there is none.
  Peer& pending_or_new(const wire::Mac& mac, std::uint64_t now);
  // A REGISTER_ACK from `from` confirmed the direct path (§11.5 step 6).
  Peer& confirm(const wire::Mac& mac, const wire::Sock& from, std::uint32_t cookie,
                std::uint64_t now);
  bool forget_pending(const wire::Mac& mac) { return pending_.erase(mac) != 0; }
  // A known peer's direct path went stale (removed_p2p).
  bool forget_known(const wire::Mac& mac);
  // Every 30 s (§11.7): pending and known peers not heard from for more than max_age.
  std::size_t purge(std::uint64_t now, std::uint64_t max_age, bool purge_known);
  // The edge stops: every peer goes (cleared).
  void clear();

  // The changes since the last call, oldest first; at most kMaxEvents are kept between calls
  // (the daemon takes them after every pass of its loop).
  std::vector<PeerEvent> take_events();
  static constexpr std::size_t kMaxEvents = 4096;

  const Map& pending_peers() const { return pending_; }
  const Map& known_peers() const { return known_; }

 private:
  void note(PeerAction action, const Peer& peer);

  Map pending_;
  Map known_;
  std::vector<PeerEvent> events_;
};

}  // namespace n2nkit::edge
