#pragma once
// The edge's protocol engine, sans I/O (spec §11.1, §11.2, §11.6): datagrams from the network,
// frames from the TAP and timer ticks go in; datagrams to send and frames to write to the TAP
// come out through Outboxes. The daemon owns sockets, TAP and netlink; the unit tests run the
// same engine against the supernode engine in memory.
//
// So far: start-up with an automatic address from the supernode (null-MAC REGISTER_SUPER),
// registration and re-registration with retries and supernode switching, ACK/NAK handling and
// supernodes learnt from ACKs, gratuitous ARP, static header encryption with stamps, the data
// path (compression, every transform, the -r / -E filters) and peer-to-peer set-up (REGISTER,
// REGISTER_ACK, QUERY_PEER, PEER_INFO; direct PACKETs while the path is fresh; -S1 off), MSS
// clamping, PING/PONG sweeps and supernode selection (load, RTT, MAC), path-MTU discovery
// towards the supernode and each peer, user/password authentication with the dynamic
// header keys it brings (§10), local multicast discovery, -L, -e. For -S2 the engine only
// adapts its attempts and hears about the daemon's connection (on_supernode_connected /
// _lost).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/reason.hpp"
#include "core/crypto/compress/compression.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/transform.hpp"
#include "core/edge/peer_table.hpp"
#include "core/edge/supernode_selection.hpp"
#include "core/edge/traffic_rules.hpp"
#include "core/keys/user_password.hpp"
#include "core/mss/mss_clamp.hpp"
#include "core/mss/syn_frame.hpp"
#include "core/mtu/path_search.hpp"
#include "core/mtu/too_big_reply.hpp"
#include "core/net/outbox.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"

namespace n2nkit::edge {

using net::Endpoint;
using net::Outbox;

// Timers of spec §12.2, seconds.
inline constexpr std::uint64_t kBootstrapTimeout = 3;
inline constexpr unsigned kAttemptsPerSupernode = 3;
// Replay windows kept (one per sending socket); the oldest goes first.
inline constexpr std::size_t kReplayWindows = 64;
inline constexpr std::uint64_t kPeerPurgeInterval = 30;
inline constexpr std::uint64_t kPeerTimeout = 60;
// Without -P an edge assumes the federation every supernode has by default (§10.1).
inline constexpr std::string_view kDefaultFederationName = "Federation";
// SpeckECB(Kss, pearson128(...)) after the encrypted REGISTER_SUPER and its answers (§10.4).
inline constexpr std::size_t kUserPasswordTrailer = 16;
// Local peer discovery (spec §1, §11.5): REGISTERs with a null destination go to this group
// from the main socket; the daemon listens on its port with a second socket and hands what
// arrives there to on_multicast_datagram().
inline const wire::Sock kDiscoveryGroup = wire::Sock::ipv4((224U << 24) | 68U, 1968);
// -M auto never goes below what every IPv4 host takes (RFC 791).
inline constexpr std::size_t kMinAutoTapMtu = 576;

struct EdgeConfig {
  std::string community;                  // -c
  std::vector<wire::Sock> supernodes;     // -l, resolved by the daemon
  wire::Mac mac{};                        // -m (the daemon picks one when not given)
  std::optional<wire::IpSubnet> address;  // -a static; nullopt: ask the supernode
  std::string desc;                       // -I (15 bytes are sent)
  crypto::TransformId transform = crypto::TransformId::null;        // -A
  std::string key;                                                  // -k
  crypto::CompressionId compression = crypto::CompressionId::none;  // -z
  bool header_encryption = false;                                   // -H
  bool routing = false;            // -r: accept frames for/from other addresses
  bool accept_multicast = false;   // -E
  std::vector<TrafficRule> rules;  // -R, in order
  bool p2p = true;                 // false with -S1: everything goes via the supernode
  // -S2: the daemon carries what goes to supernodes over a TCP connection (spec §11.11). The
  // engine then gives each supernode one attempt, as the reference does, so an unanswered
  // registration moves on (and the daemon reconnects); P2P is off as with -S1.
  bool tcp = false;
  std::uint64_t interval = 20;  // -i, seconds (≥ 1)
  // -L: how a REGISTER relayed from a new peer is answered directly (spec §11.5 step 4). 0: one
  // REGISTER to its public socket; 1: none (this edge is reachable as it is, the peer's REGISTER
  // will come through); t > 1: 16 REGISTERs to the peer's port … port + 15 with IP TTL t, which
  // open our NAT towards a peer behind a NAT that changes ports, and die before reaching it.
  unsigned register_ttl = 0;
  // -e: the local socket advertised to the supernode in REGISTER_SUPER (SOCKET flag), which
  // hands it to peers in PEER_INFO (spec §11.5); the daemon fills in the address (or the
  // detected one for -e auto) and the main socket's port. It also turns multicast discovery off.
  std::optional<wire::Sock> preferred_sock;
  // The daemon has joined the discovery group: send and answer multicast REGISTERs (only with
  // P2P and without -e, spec §11.5).
  bool multicast_discovery = false;
  // TCP MSS clamping of SYN and SYN-ACK frames in both directions (n2nkit; on by default,
  // --no-mss-clamp): at most tap_mtu − 40 (IPv4) / − 60 (IPv6), so that connections through
  // the overlay never stall on segments the path cannot carry.
  bool mss_clamp = true;
  std::size_t tap_mtu = 1290;  // -M
  // -J (or N2N_PASSWORD): user/password authentication, desc being the user name (§10). It
  // forces header encryption; the daemon demands ChaCha20 or Speck, as the reference does.
  std::optional<std::string> password;
  // -P; nullopt: the public key of the default federation (kDefaultFederationName).
  std::optional<keys::Key32> federation_public_key;
  SelectionStrategy selection = SelectionStrategy::load;  // --select-rtt, --select-mac
  // Path-MTU discovery towards the current supernode with padded PINGs (n2nkit): sizes are
  // whole IPv4 datagrams between the two bounds.
  bool path_mtu_discovery = true;
  std::size_t path_mtu_lower = 576;   // every IPv4 host takes it (RFC 791)
  std::size_t path_mtu_upper = 1500;  // Ethernet; nothing larger is probed
  // -M auto: the TAP MTU follows the discovered path (tap_mtu until a search is done).
  bool tap_mtu_auto = false;
  crypto::RandomSource random = crypto::buffered_system_random();
};

enum class EdgeState {
  bootstrap_address,  // asking the supernode for an address (null-MAC REGISTER_SUPER, §11.1)
  waiting,            // REGISTER_SUPER outstanding: frames are dropped until an ACK (§11.2)
  registered,
};

// The reference's edge packetstats (§13.4), plus our drops by reason.
struct EdgeCounters {
  std::uint64_t transop_tx = 0, transop_rx = 0;
  std::uint64_t p2p_tx = 0, p2p_rx = 0;
  std::uint64_t super_tx = 0, super_rx = 0;
  std::uint64_t super_broadcast_tx = 0, super_broadcast_rx = 0;
  std::uint64_t peers_confirmed = 0;  // REGISTER_ACKs that made or kept a peer known
  std::uint64_t peers_moved = 0;      // known peers that answered from a new socket (restarts)
  std::uint64_t move_rechecks = 0;    // relayed from another socket: asked via the supernode
  std::uint64_t registrations = 0;    // REGISTER_SUPER_ACKs accepted
  std::uint64_t naks = 0;             // REGISTER_SUPER_NAKs accepted
  // NAKs naming us while in user/password mode: the supernode knows no such user/password.
  std::uint64_t auth_refusals = 0;
  std::uint64_t dynamic_key_changes = 0;   // ACKs that brought another dynamic header key
  std::uint64_t re_register_requests = 0;  // RE_REGISTER_SUPERs followed (user/password)
  std::uint64_t compressed_tx = 0;         // frames sent compressed (shorter than as they were)
  std::uint64_t mss_clamped_tx = 0;        // SYN/SYN-ACKs from the TAP whose MSS was lowered
  std::uint64_t mss_clamped_rx = 0;        // ... arriving from the overlay, before the TAP
  std::uint64_t too_big_replies = 0;       // ICMP too-big written to the TAP (frames dropped)
  std::uint64_t too_big_limited = 0;       // ... not written, over the rate limit
  // Seconds of the last PACKET received directly / via a supernode (0 = never): the management
  // API's timestamps, as the reference's last_p2p / last_sup.
  std::uint64_t last_p2p_rx = 0;
  std::uint64_t last_super_rx = 0;
  std::array<std::uint64_t, kReasonCount> drops{};
  std::uint64_t drops_of(Reason r) const { return drops[static_cast<std::size_t>(r)]; }
};

struct KnownSupernode {
  wire::Sock sock{};
  wire::Mac mac{};                 // null until its ACK names it
  std::uint64_t last_seen = 0;     // 0 = never answered
  bool from_command_line = false;  // -l (never purged)
  // Selection (§11.4): lower is better; the sentinels until a PONG of this round.
  std::uint64_t criterion = kCriterionDefault;
  // What its last PONG said, for the management API.
  std::uint32_t load = 0;
  std::uint32_t uptime = 0;
  std::array<std::uint8_t, wire::kVersionStringSize> version{};  // NUL-terminated
  std::uint64_t pongs = 0;
  std::uint64_t ping_sent_us = 0;  // wall clock of the last PING to it; 0: none outstanding
  bool ping_was_probe = false;     // that PING was a padded path-MTU probe
  std::uint64_t rtt_ms = 0;        // PING to PONG, the last one answered
};

class Engine {
 public:
  // Validates nothing the daemon has not: at least one supernode, interval ≥ 1.
  Engine(EdgeConfig config, wire::WallTime now);

  // The first REGISTER_SUPER (with a null MAC for an automatic address). Call once.
  void start(wire::WallTime now, Outbox& net);
  // A datagram from the network (UDP source, or the supernode's TCP connection).
  void on_datagram(ByteView datagram, const Endpoint& from, wire::WallTime now, Outbox& net,
                   Outbox& tap);
  // A datagram that arrived on the discovery group's socket (224.0.0.68:1968); `from` is its
  // UDP source, the sender's main socket.
  void on_multicast_datagram(ByteView datagram, const Endpoint& from, wire::WallTime now,
                             Outbox& net, Outbox& tap);
  // Whether multicast discovery is in use (config, P2P on, no -e).
  bool multicast_discovery() const;
  // An Ethernet frame read from the TAP. With `tap`, a DF frame too big for its peer's path
  // is answered there with ICMP "fragmentation needed" / "packet too big" (rate-limited);
  // without, it is dropped all the same.
  void on_frame(ByteView frame, wire::WallTime now, Outbox& net, Outbox& tap);
  void on_frame(ByteView frame, wire::WallTime now, Outbox& net);
  // Timers: retries, re-registration.
  void on_tick(wire::WallTime now, Outbox& net, Outbox& tap);
  wire::WallTime next_deadline() const;
  // When the next REGISTER_SUPER (or retry) is due, seconds.
  std::uint64_t next_registration() const { return registration_due(); }
  // Leaving: UNREGISTER_SUPER to the current supernode (§11.2 "On exit").
  void stop(wire::WallTime now, Outbox& net);

  // -S2: the daemon's connection to the current supernode is up; an outstanding registration
  // is sent again at once (what went to the old connection is lost), without using an attempt.
  void on_supernode_connected(wire::WallTime now, Outbox& net);
  // -S2: the connection broke; the edge is back to waiting and re-registers (§11.11).
  void on_supernode_connection_lost(wire::WallTime now);
  // Counts moves to another supernode (also to the same one, when it is the only one): the
  // -S2 daemon opens a new connection at each.
  std::uint64_t supernode_switches() const { return switches_; }

  EdgeState state() const { return state_; }
  // The TAP's address: -a, or what the supernode assigned (nullopt until then).
  const std::optional<wire::IpSubnet>& address() const { return address_; }
  const EdgeCounters& counters() const { return counters_; }
  // In selection order once a sweep has sorted them.
  const std::vector<KnownSupernode>& supernodes() const { return supernodes_; }
  std::size_t current_supernode() const { return current_; }
  const EdgeConfig& config() const { return config_; }
  // The MSS limits SYN/SYN-ACK frames are clamped to (when config().mss_clamp).
  mss::ClampLimits mss_limits() const { return mss_limits_; }
  const PeerTable& peers() const { return peers_; }
  // Peers added, removed and purged since the last call (the management API's peer events).
  std::vector<PeerEvent> take_peer_events() { return peers_.take_events(); }
  std::uint64_t last_registered() const { return last_registered_; }
  std::uint64_t started() const { return started_; }
  // The path-MTU search towards the current supernode (none before the first ACK, or with
  // discovery off) and the supernode it is about.
  const std::optional<mtu::PathSearch>& supernode_path() const { return sn_path_; }
  const wire::Sock& supernode_path_sock() const { return sn_path_sock_; }
  // Path-MTU searches towards known peers (padded REGISTERs, the probe id as cookie), by MAC.
  struct PeerPath {
    wire::Sock sock{};  // the peer's confirmed socket the search is about
    mtu::PathSearch search;
    std::uint64_t wake_us = 0;
    std::size_t frame_limit = 0;  // largest TAP frame the path carries; 0 while unknown
  };
  const std::map<wire::Mac, PeerPath>& peer_paths() const { return peer_paths_; }
  // The largest frame from the TAP the direct path to `mac` carries; nullopt while unknown.
  std::optional<std::size_t> peer_frame_limit(const wire::Mac& mac) const;

  // The TAP MTU the edge wants now: -M, or with -M auto what the discovered path carries for
  // the configured transform, relayed leg included (spec §15). The daemon applies changes;
  // the engine's MSS clamping already follows it.
  std::size_t tap_mtu() const { return tap_mtu_; }
  // The daemon could not send a probe: the local stack refused it (EMSGSIZE) as larger than
  // local_mtu allows (0: unknown).
  void on_probe_too_big(std::size_t size, std::size_t local_mtu, wire::WallTime now);

  // A supernode has accepted us at least once: from then on frames flow, also while a
  // re-registration is outstanding (§11.1 step 6).
  bool accepted() const { return counters_.registrations > 0; }
  bool user_password() const { return user_password_.has_value(); }
  // Our user/password public key (what `n2n-keygen <user> <password>` prints for us).
  std::optional<keys::Key32> public_key() const {
    return user_password_ ? std::optional(user_password_->public_key) : std::nullopt;
  }
  // The community's dynamic key as the last ACK gave it (random before the first one).
  std::optional<keys::Key16> dynamic_key() const {
    return user_password_ ? std::optional(user_password_->dynamic_key) : std::nullopt;
  }

 private:
  void drop(Reason r) { ++counters_.drops[static_cast<std::size_t>(r)]; }
  std::uint64_t registration_due() const;

  // registration.cpp
  void send_register_super(wire::WallTime now, Outbox& net);
  // The REGISTER_SUPER itself (new cookie), without the attempt accounting.
  void transmit_register_super(wire::WallTime now, Outbox& net);
  void on_register_super_ack(const wire::CommonHeader& header, const wire::RegisterSuperAck& ack,
                             std::size_t supernode, wire::WallTime now, Outbox& net);
  void on_register_super_nak(const wire::RegisterSuperNak& nak);
  void on_re_register_super(wire::WallTime now, Outbox& net);
  // user/password: the answer's challenge and the dynamic key it carries (§10.3).
  bool accept_answer_token(const wire::Auth& answer);
  wire::Auth registration_token();
  void switch_supernode();
  unsigned attempts_per_supernode() const;
  void send_gratuitous_arp(wire::WallTime now, Outbox& net);
  std::optional<std::size_t> supernode_index(const wire::Sock& sock) const;

  // data_path.cpp
  void on_frame_impl(ByteView frame, wire::WallTime now, Outbox& net, Outbox* tap);
  void on_packet(const wire::Packet& packet, const Endpoint& from, bool via_supernode,
                 wire::WallTime now, Outbox& net, Outbox& tap);
  bool frame_allowed_out(ByteView frame);
  bool frame_allowed_in(ByteView frame);
  // The frame with its MSS clamped: a copy in clamp_buffer_ when it had to change, else frame.
  ByteView clamped_out(ByteView frame);
  // The MSS limits for a SYN to or from `peer`: the TAP's, lowered to its known direct path.
  mss::ClampLimits clamp_limits_with(const wire::Mac& peer) const;

  // supernode_pings.cpp (§11.4)
  void sweep(wire::WallTime now, Outbox& net);
  void send_pings(std::size_t budget, wire::WallTime now, Outbox& net);
  void send_ping(std::size_t supernode, wire::WallTime now, Outbox& net);
  void on_pong(const wire::PeerInfo& msg, std::size_t supernode, wire::WallTime now, Outbox& net);
  // Stable sort by criterion; current_ follows its supernode.
  void sort_supernodes();
  // Registers with supernode `index` from now on (UNREGISTER_SUPER to the one we leave).
  void move_to_supernode(std::size_t index, wire::WallTime now, Outbox& net);

  // path_mtu.cpp: padded PINGs to the current supernode, one in flight.
  void drive_supernode_path(wire::WallTime now, Outbox& net);
  void send_path_probe(std::size_t size, wire::WallTime now, Outbox& net);
  bool probe_outstanding(const KnownSupernode& sn, wire::WallTime now) const;
  void update_tap_mtu();

  // peer_path_mtu.cpp
  void drive_peer_paths(wire::WallTime now, Outbox& net);
  bool on_probe_ack(const wire::RegisterAck& msg, const Endpoint& from, wire::WallTime now);
  // What a finished search says (spec §15, direct leg); 0 while unknown.
  std::size_t frame_limit_of(const mtu::PathSearch& search) const;
  // A frame for a direct peer that its path cannot carry: answered with ICMP when it may be.
  bool too_big_for_peer(ByteView frame, const wire::Mac& mac, wire::WallTime now, Outbox* tap);

  // p2p.cpp (§11.5)
  void on_register(const wire::Register& msg, const Endpoint& from, bool via_supernode,
                   wire::WallTime now, Outbox& net);
  void on_register_ack(const wire::RegisterAck& msg, const Endpoint& from, wire::WallTime now,
                       Outbox& net);
  void on_peer_info(const wire::PeerInfo& msg, wire::WallTime now, Outbox& net);
  // A frame for mac went via the supernode: probe for a direct path (at most once per interval).
  void want_peer(const wire::Mac& mac, wire::WallTime now, Outbox& net);
  // A known peer's datagram came through the supernode from another socket than ours for it.
  void recheck_moved_peer(const wire::Mac& mac, const wire::Sock& seen_by_supernode,
                          wire::WallTime now, Outbox& net);
  // A known peer spoke directly from another socket: ask there (REGISTER) whether it moved.
  void notice_move(Peer& peer, const wire::Sock& to, std::uint32_t cookie, wire::WallTime now,
                   Outbox& net);
  void send_register(const wire::Mac& dst, const wire::Sock& to, std::uint32_t cookie,
                     wire::WallTime now, Outbox& net, std::uint8_t ip_ttl = 0);
  // REGISTER with a null destination to the discovery group (§11.5), when in use.
  void register_with_local_peers(wire::WallTime now, Outbox& net);
  // A relayed REGISTER from a peer we do not know yet: our direct answer as -L says.
  void punch_towards(const wire::Mac& peer, const wire::Sock& sock, wire::WallTime now,
                     Outbox& net);
  // The known peer for mac if a datagram came directly from it within interval/2; a stale one
  // is forgotten (traffic falls back to the supernode, §11.5 step 7).
  const Peer* direct_peer(const wire::Mac& mac, std::uint64_t now);

  // header encryption and encoding (engine.cpp)
  wire::CommonHeader header(std::uint16_t flags = 0) const;
  // Encodes, seals with the community's keys when -H (the static ones and the §10.4 trailer
  // for REGISTER_SUPER in user/password mode), queues for `to`; counts a failure. ip_ttl:
  // the IP TTL of this datagram (0: the socket's). pad_to: zero bytes appended up to that UDP
  // payload size (trailing bytes are ignored by receivers, §4.12), and the datagram marked
  // as a path probe.
  bool send(const wire::Message& message, const wire::Sock& to, wire::WallTime now, Outbox& net,
            std::uint16_t flags = 0, std::uint8_t ip_ttl = 0, std::size_t pad_to = 0);

  EdgeConfig config_;
  wire::Community community_{};
  // With -H: the dynamic keys, used for everything but REGISTER_SUPER and its answers, and
  // the static ones; equal unless in user/password mode (§8.1).
  std::optional<wire::HeaderKeys> header_keys_;
  std::optional<wire::HeaderKeys> static_keys_;
  struct UserPassword {
    keys::Key32 public_key{};
    keys::Key32 shared_secret{};
    keys::Key16 challenge{};  // of the last REGISTER_SUPER (the answer must return it)
    keys::Key16 dynamic_key{};
  };
  std::optional<UserPassword> user_password_;
  std::unique_ptr<crypto::Transform> transform_;
  wire::StampGenerator stamps_;
  std::vector<std::pair<wire::Sock, wire::ReplayWindow>> replay_;  // per supernode socket
  wire::Auth auth_{};  // our simple-id token, fixed for the edge's lifetime (§11.9)

  EdgeState state_ = EdgeState::waiting;
  std::optional<wire::IpSubnet> address_;
  std::vector<KnownSupernode> supernodes_;
  std::size_t current_ = 0;
  std::uint32_t cookie_ = 0;  // of the outstanding REGISTER_SUPER
  unsigned attempts_left_ = kAttemptsPerSupernode;
  std::uint64_t switches_ = 0;
  bool via_multicast_ = false;         // the datagram being handled came in on the discovery group
  std::uint64_t last_sent_ = 0;        // seconds of the last REGISTER_SUPER
  std::uint64_t last_registered_ = 0;  // seconds of the last accepted ACK
  std::uint64_t started_ = 0;          // seconds at construction
  // After a RE_REGISTER_SUPER the next regular registration comes this much earlier, so that
  // a community's edges do not all re-register in the same second again (§11.2).
  std::uint64_t reregister_pull_ = 0;
  bool announced_ = false;  // gratuitous ARPs sent (first registration)
  PeerTable peers_;
  std::uint64_t next_peer_purge_ = 0;
  std::uint64_t next_sweep_ = 0;
  std::size_t ping_budget_ = kInitialPings;
  std::uint64_t selection_common_ = 0;  // the load strategy's share of our pending peers
  bool starting_ = true;                // no PONG and no ACK yet: the first PONG picks
  std::optional<mtu::PathSearch> sn_path_;
  wire::Sock sn_path_sock_{};
  std::uint64_t path_wake_us_ = 0;  // when the search wants to be asked again; 0: on events
  bool ping_deferred_ = false;      // the sweep's PING to it waits for the probe in flight
  std::size_t tap_mtu_ = 0;
  std::map<wire::Mac, PeerPath> peer_paths_;
  std::uint64_t peer_wake_us_ = 0;  // earliest wake_us of peer_paths_; 0: none
  mtu::TooBigRateLimit too_big_limit_{10, 20};
  std::array<std::uint8_t, mtu::kTooBigReplyMaxSize> too_big_reply_{};
  EdgeCounters counters_;

  // Scratch for the data path: compressed frame, encrypted payload, decrypted header.
  std::array<std::uint8_t, 2 * wire::kMaxDatagram> compressed_{};  // ≥ compress_bound(frame)
  std::array<std::uint8_t, wire::kMaxDatagram> sealed_payload_{};
  std::array<std::uint8_t, wire::kMaxDatagram> plain_{};
  std::array<std::uint8_t, wire::kMaxDatagram> frame_{};
  std::array<std::uint8_t, wire::kMaxDatagram> clamp_buffer_{};
  mss::ClampLimits mss_limits_{};
  TrafficFilter filter_;
};

}  // namespace n2nkit::edge
