#pragma once
// The supernode engine, sans I/O (spec §11.3–§11.9).
//
// The engine owns the protocol state: the communities and their edges, the auto-IP choices,
// the drop and packet counters. It owns no socket and no clock: the loop passes every received
// datagram with its source and the current wall time, drains the Outbox after each call, and
// calls on_tick() no later than next_deadline(). So the daemon, the unit tests (virtual clock,
// scripted edges) and the in-process scale benchmark all run the same code.
//
// Handled so far, over UDP: open and locked communities, REGISTER_SUPER/ACK/NAK with MAC/IP
// spoofing protection, UNREGISTER_SUPER, PING/PONG, QUERY_PEER, the PACKET/REGISTER relay, the
// purge timer, and header encryption with the static community keys (§8.3–§8.6: per-community
// UNKNOWN/NONE/ENABLED state, stamp frame and per-edge replay windows, every answer and relay
// of an encrypted community re-encrypted with a fresh stamp). Later slices add user/password
// authentication (§10, which also supplies the dynamic header keys), federation (§11.10:
// members, associations, forwarding of unknown destinations), TCP connections (§11.11,
// Endpoint::tcp_connection) and reloading community.list.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/reason.hpp"
#include "core/crypto/random.hpp"
#include "core/supernode/auto_ip.hpp"
#include "core/supernode/communities.hpp"
#include "core/supernode/community_list.hpp"
#include "core/supernode/federation.hpp"
#include "core/supernode/outbox.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"

namespace n2nkit::supernode {

// Timers of spec §11.7 and §12.2, seconds.
inline constexpr std::uint64_t kPurgeInterval = 30;
inline constexpr std::uint64_t kEdgeTimeout = 60;
inline constexpr std::uint16_t kAckLifetime = 15;
inline constexpr std::uint64_t kFederationInterval = 10;
inline constexpr std::uint64_t kMemberReRegister = 20;  // silent longer: REGISTER_SUPER again
inline constexpr std::uint64_t kMemberActive = 90;      // seen within: gets relays, stays
inline constexpr std::uint64_t kMemberListed = 60;      // seen within: listed in ACKs
inline constexpr std::uint64_t kAssociationTimeout = 180;
inline constexpr std::size_t kMaxListedSupernodes = 44;

struct SupernodeConfig {
  wire::Mac mac{};                           // `-m`; the daemon picks a random one when not given
  std::string version = "3.1.1";             // `-V`: PONG version string (19 bytes are sent)
  AutoIpPool auto_ip = kDefaultAutoIpPool;   // `-a`
  std::optional<CommunityList> communities;  // `-c`: present = locked supernode
  bool spoofing_protection = true;           // false with `-M`
  std::string federation = "*Federation";    // `-F`, with the leading '*'
  // `-l host:port` anchors, in command-line order. The daemon resolves the names (the engine
  // does no DNS) and reports results with Engine::set_anchor_address(); an unresolved anchor
  // is kept and skipped until then.
  std::vector<std::string> anchors;
  // The 4 filler bytes of every header-encryption IV (§8.2); tests make them deterministic.
  crypto::RandomSource random = crypto::buffered_system_random();
};

// The reference's packet statistics (its management "packetstats" for the supernode).
struct PacketStats {
  std::uint64_t forward = 0;         // unicast PACKET/REGISTER relayed to an edge
  std::uint64_t broadcast = 0;       // multicast/broadcast PACKETs relayed (once per PACKET)
  std::uint64_t reg_super_rx = 0;    // REGISTER_SUPERs received
  std::uint64_t reg_super_nak = 0;   // REGISTER_SUPER_NAKs sent
  std::uint64_t errors_tx = 0;       // send failures the loop reported, answers not encodable
  std::uint64_t last_forward = 0;    // UNIX seconds of the last relay, 0 = never
  std::uint64_t last_reg_super = 0;  // UNIX seconds of the last REGISTER_SUPER, 0 = never
};

// drops counts every datagram not acted on, by reason; refusals answered with a NAK
// (spoofing_refused, auth_scheme_mismatch) are counted there too.
struct EngineCounters {
  std::array<std::uint64_t, kReasonCount> drops{};
  PacketStats packets{};
  std::uint64_t drops_of(Reason r) const { return drops[static_cast<std::size_t>(r)]; }
};

class Engine {
 public:
  // now: the supernode's start time (PONG uptime counts from it, the first purge is 30 s later).
  Engine(SupernodeConfig config, wire::WallTime now);

  // One received datagram. Appends answers and relays to out (does not clear it).
  void on_datagram(ByteView datagram, const Source& from, wire::WallTime now, Outbox& out);
  // Runs whatever timer is due at now (the purge).
  void on_tick(wire::WallTime now, Outbox& out);
  // When on_tick() has work next.
  wire::WallTime next_deadline() const { return {std::min(next_purge_, next_federation_), 0}; }
  // The two timers behind it: the edge purge (30 s) and the federation round (10 s).
  wire::WallTime next_purge() const { return {next_purge_, 0}; }
  wire::WallTime next_federation_round() const { return {next_federation_, 0}; }

  // The loop reports a failed send (the reference counts them as "errors").
  void note_send_error() { ++counters_.packets.errors_tx; }

  // The loop closed a TCP connection (peer closed, error, oversized frame): the edges that
  // were registered over it leave at once.
  void on_connection_closed(std::uint32_t connection, wire::WallTime now);

  // community.list was re-read (SIGHUP, management reload_communities): spec §10.5 and §14.4.
  // User/password edges get RE_REGISTER_SUPER with the old keys, every edge of a
  // non-federation community is dropped, the communities are rebuilt from list and the
  // dynamic-key time becomes now. The daemon parses the file and only calls this with a
  // valid list (a file that fails to parse leaves everything as it was).
  void reload_communities(CommunityList list, wire::WallTime now, Outbox& out);

  // The name resolution of anchors[index] (config order) gave sock; called again whenever
  // the daemon re-resolves it (dynamic DNS).
  void set_anchor_address(std::size_t index, const wire::Sock& sock);

  const SupernodeConfig& config() const { return config_; }
  const CommunityTable& communities() const { return communities_; }
  const EngineCounters& counters() const { return counters_; }
  std::uint64_t started() const { return started_; }
  const FederationTable& federation() const { return federation_; }
  // The dynamic-key time (§10.5): when community.list was last loaded, 0 without one, or a
  // larger time adopted from the federation.
  std::uint32_t key_time() const { return key_time_; }

 private:
  struct Incoming {
    const wire::CommonHeader& header;
    const Source& from;
    std::uint64_t now;  // seconds of clock
    wire::WallTime clock;
    // The keys answers and relays are sealed with: the community's dynamic keys in
    // user/password communities, else the static ones the datagram was decrypted with.
    // nullptr: plaintext.
    const wire::HeaderKeys* keys;
    Outbox& out;
    // The datagram as received (still encrypted): the §10.4 trailer is computed over it.
    ByteView raw = {};
    // The user/password community that decrypted it, nullptr otherwise: its REGISTER_SUPER
    // answers use the static keys plus a trailer, and PACKET sealing covers the cipher IV.
    const CommunityState* user_password = nullptr;
    // In a user/password community, the user a REGISTER_SUPER's token names (trailer verified);
    // nullptr when no allowed user has that public key.
    const UserKeys* user = nullptr;
    // The federation member a FROM_SUPERNODE datagram came from (spec §11.10); nullptr for
    // datagrams from edges.
    FederationMember* member = nullptr;
    // The decoded plaintext datagram: what a supernode's relay is forwarded as (§11.6 step 2).
    ByteView plain = {};
  };

  struct Decrypted {
    CommunityState* community;
    std::uint64_t stamp;
    std::size_t length;  // plaintext bytes in he_buffer_
    wire::HeKeyKind kind;
    bool federation = false;  // decrypted with the federation's key (community is nullptr)
  };

  void drop(Reason r) { ++counters_.drops[static_cast<std::size_t>(r)]; }

  // community_admission.cpp
  void add_listed_communities();
  void add_listed_community(CommunityState state);
  bool allowed_community(const wire::Community& name) const;
  CommunityState* find_or_admit_community(const wire::Community& name);
  wire::IpSubnet choose_subnet_for(const wire::Community& name) const;

  // user_password.cpp
  // RE_REGISTER_SUPER, sealed with the keys about to be replaced, to every edge of every
  // user/password community (spec §10.5).
  void notify_user_password_edges_of_reload(wire::WallTime now, Outbox& out);
  // Users' shared secrets and the dynamic keys of the current key_time (§10.2, §10.5).
  void derive_user_password_keys(CommunityState& community,
                                 const std::vector<CommunityUser>& users) const;
  void rederive_dynamic_keys();
  // §11.3 step 3 for a REGISTER_SUPER of a user/password community, before its stamp counts:
  // the user its token names, whose trailer must verify over the raw datagram. Fails with
  // trailer_mismatch (dropped silently); a null user means authentication fails (NAK).
  Result<const UserKeys*> authenticate_user(ByteView raw, const CommunityState& community,
                                            const wire::RegisterSuper& msg) const;
  // Encodes an ACK or NAK of a user/password community: static keys plus trailer (§10.4);
  // without a user the trailer is 16 random bytes, as edges do not check a NAK's.
  void send_with_trailer(const Incoming& in, const Endpoint& to, const wire::CommonHeader& header,
                         const wire::Message& message, const UserKeys* user);

  // federation_protocol.cpp (§11.3 steps 6-11, §11.10)
  bool is_federation(const wire::Community& name) const { return name == federation_name_; }
  void on_federation_message(const Incoming& in, const wire::Message& message);
  void on_member_register_super(const Incoming& in, const wire::RegisterSuper& msg);
  void on_member_ack(const Incoming& in, const wire::RegisterSuperAck& msg);
  // REGISTER_SUPER from a member relaying one of its edges' registrations (§11.3 step 11).
  void on_relayed_register_super(const Incoming& in, CommunityState& community,
                                 const wire::RegisterSuper& msg);
  void on_member_nak(const Incoming& in, const wire::RegisterSuperNak& msg);
  void on_member_peer_info(const Incoming& in, const wire::PeerInfo& msg);
  // A local edge registered: a copy for every active member (§11.3 step 10a).
  void forward_registration(const Incoming& in, const wire::RegisterSuper& msg);
  std::vector<wire::SupernodeEntry> listed_supernodes(const wire::Sock& requester,
                                                      std::uint64_t now) const;
  void adopt_key_time(std::uint32_t key_time, wire::WallTime now, Outbox& out);
  void register_with_members(wire::WallTime now, Outbox& out, bool all);
  void send_member_register_super(FederationMember& member, wire::WallTime now, Outbox& out);
  // Queues plaintext for every member seen within kMemberActive, sealed like the incoming.
  void emit_to_members(const Incoming& in, ByteView plaintext);
  void federation_tick(wire::WallTime now, Outbox& out);

  // registration.cpp
  void on_register_super(const Incoming& in, const wire::RegisterSuper& msg);
  void on_unregister_super(const Incoming& in, const wire::UnregisterSuper& msg);
  void send_ack(const Incoming& in, const wire::RegisterSuper& msg, const wire::IpSubnet& addr);
  void send_nak(const Incoming& in, const wire::RegisterSuper& msg, const UserKeys* user = nullptr);

  // peer_query.cpp
  void on_query_peer(const Incoming& in, const wire::QueryPeer& msg);

  // relay.cpp
  void on_packet(const Incoming& in, const wire::Packet& msg);
  void on_register(const Incoming& in, const wire::Register& msg);
  // bytes: the plaintext datagram to pass on (re-encoded, or a member's as received).
  void relay_to_edges(const Incoming& in, const CommunityState& community, const wire::Mac& src,
                      const wire::Mac& dst, ByteView bytes, bool multicast_allowed);

  // header_encryption.cpp
  // Tries every community not known to be plaintext (§8.3, §8.5); the plaintext goes to
  // he_buffer_.
  // The community that last opened a datagram from the same endpoint is tried first: with a
  // thousand header-encrypted communities the full trial costs ~80 µs per datagram, the hint
  // one trial (bench/supernode).
  std::optional<Decrypted> decrypt_with_any_community(ByteView datagram, const Source& from,
                                                      std::uint64_t now);
  std::optional<Decrypted> decrypt_with(CommunityState& community, ByteView datagram);
  // §8.6: frame for every stamp, plus the sender's replay window where the sender is known.
  // Datagrams a member relays are checked against the member's window, not the edge's.
  Status check_stamp(const wire::Message& message, std::uint64_t stamp, wire::WallTime now,
                     const FederationMember* member = nullptr);
  // Header-encrypts a plaintext datagram in place when the incoming one was encrypted.
  Status seal(const Incoming& in, MutableByteView datagram);
  Status seal_with(const wire::HeaderKeys& keys, bool user_password, MutableByteView datagram,
                   wire::WallTime now);
  // Queues a copy of a plaintext datagram to `to`, sealed with a fresh IV and stamp.
  void emit(const Incoming& in, const Endpoint& to, ByteView plaintext);
  // Drops replay windows that a new entry would replace exactly (all stamps older than the
  // frame); keeps the map bounded by the senders of the last 16 s.
  void forget_stale_replay_windows(wire::WallTime now);

  // Encodes an originated message (TTL 2) into out, addressed to the incoming datagram's
  // source and sealed like it; counts a failure.
  void send(const Incoming& in, const wire::CommonHeader& header, const wire::Message& message);
  void send_to(const Incoming& in, const Endpoint& to, const wire::CommonHeader& header,
               const wire::Message& message);

  SupernodeConfig config_;
  CommunityTable communities_;
  EngineCounters counters_;
  std::uint64_t started_ = 0;
  std::uint64_t next_purge_ = 0;
  // Relayed PACKETs are encoded here once and copied to every destination (and sealed there).
  std::array<std::uint8_t, wire::kMaxDatagram> relay_buffer_{};
  // The decrypted copy of an incoming header-encrypted datagram (§8.3 works on a copy).
  std::array<std::uint8_t, wire::kMaxDatagram> he_buffer_{};
  // One generator for every stamp this supernode sends: strictly increasing (§8.6).
  wire::StampGenerator stamps_;
  struct EndpointHash {
    std::size_t operator()(const Endpoint& e) const noexcept;
  };
  struct CommunityHint {
    wire::Community community{};
    std::uint64_t last_used = 0;
  };
  std::unordered_map<Endpoint, CommunityHint, EndpointHash> he_hints_;
  // Per edge MAC: the newest valid stamp (§8.6 "at a supernode").
  std::map<wire::Mac, wire::ReplayWindow> replay_;
  FederationTable federation_;
  wire::Community federation_name_{};
  wire::HeaderKeys federation_keys_;
  keys::Key32 federation_private_key_{};
  // This supernode's simple-id token towards the federation, fixed for its lifetime.
  wire::Auth own_token_{};
  std::uint64_t next_federation_ = 0;
  std::uint32_t key_time_ = 0;
};

}  // namespace n2nkit::supernode
