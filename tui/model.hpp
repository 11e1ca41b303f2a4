#pragma once
// What n2n-tui shows, without I/O or ncurses: one snapshot per management port, built from the
// rows its methods answered (ours or the reference's), so that the same code reads recorded
// replies in the unit tests and live ones in the tool.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/capture/syn_watch.hpp"
#include "core/diag/mss_check.hpp"

namespace n2nkit::tui {

enum class DaemonKind : std::uint8_t { unknown, edge, supernode };
std::string_view daemon_kind_name(DaemonKind k);  // "edge", "supernode", "?"

// One method's answer as the poller got it (mgmt::ReadAnswer without the socket).
struct MethodAnswer {
  std::vector<nlohmann::json> rows;
  std::string error;
  bool refused = false;
  bool ok = false;
};

// A peer of an edge, or an edge registered at a supernode.
struct PeerRow {
  std::string community;  // supernode: the community; edge: empty
  std::string mode;       // edge: "p2p" or "pSp" (through the supernode); supernode: proto
  std::string overlay;    // ip4addr (with prefix)
  std::string underlay;   // sockaddr
  std::string mac;
  std::string desc;
  std::int64_t last_seen = 0;  // Unix time, 0: never
  std::uint32_t pmtu = 0;      // path MTU our edge found towards it (0: unknown)
  bool local = false;          // found by multicast discovery
  bool relayed() const { return mode == "pSp"; }
};

struct SupernodeRow {
  std::string mac;
  std::string sockaddr;
  std::string version;
  int current = 0;  // 1: registered there, 2: selected but not registered
  std::int64_t last_seen = 0;
};

struct PathRow {
  std::string peer;  // "supernode" or "p2p"
  std::string mac;
  std::string sockaddr;
  std::string state;
  std::uint32_t pmtu = 0;
  std::uint32_t tap_mtu = 0;
  std::uint32_t frame_limit = 0;
};

struct CounterRow {
  std::string name;
  std::optional<std::uint64_t> tx;
  std::optional<std::uint64_t> rx;
  std::optional<std::uint64_t> nak;
};

struct DropRow {
  std::string reason;
  std::uint64_t count = 0;
  std::string description;
};

struct MssRow {
  bool clamp = false;
  std::uint32_t tap_mtu = 0;
  std::uint32_t mss_ipv4 = 0;
  std::uint32_t mss_ipv6 = 0;
  std::uint64_t clamped_tx = 0;
  std::uint64_t clamped_rx = 0;
};

enum class Health : std::uint8_t { ok, degraded, unreachable, bad_password, garbage };
std::string_view health_name(Health h);

// One management port's state after one poll.
struct TargetSnapshot {
  std::string label;  // "127.0.0.1:5644"
  std::uint16_t port = 0;
  DaemonKind kind = DaemonKind::unknown;
  Health health = Health::ok;
  std::string status;  // one line: what went wrong, or a short summary
  std::vector<PeerRow> peers;
  std::vector<SupernodeRow> supernodes;
  std::vector<std::string> communities;
  std::vector<PathRow> paths;
  std::vector<CounterRow> counters;
  std::vector<DropRow> drops;
  std::optional<MssRow> mss;
  std::map<std::string, std::int64_t> timestamps;
};

// One TCP SYN or SYN-ACK captured on the chosen interface, judged as n2n-mss watch does.
struct SynEvent {
  double time = 0;
  bool syn_ack = false;
  std::string src;
  std::string dst;
  std::optional<std::uint16_t> mss;
  std::uint16_t mss_limit = 0;  // 0: no route known
  std::uint32_t path_mtu = 0;
  bool oversized = false;
  bool malformed = false;
};

SynEvent syn_event(const mss::SynInfo& syn, const capture::SynVerdict& v, double time);

struct CaptureState {
  std::string iface;   // empty: no capture asked for (-i)
  std::string status;  // one line: capturing, or why not
  bool failed = false;
  std::vector<SynEvent> events;  // oldest first, the last kMaxSynEvents
  std::uint64_t seen = 0;
  std::uint64_t oversized = 0;
};
inline constexpr std::size_t kMaxSynEvents = 200;

// The firewall and forwarding state that matters to the overlay, and what n2n-mss check
// concludes from it.
struct FirewallSnapshot {
  std::string overlay;  // the overlay interface read for (empty: not asked, -i)
  bool read = false;
  std::string error;
  std::optional<bool> ipv4_forwarding;
  std::optional<bool> ipv6_forwarding;
  firewall::FirewallState state;
  std::vector<diag::Finding> findings;
};

// A path MTU n2n-mtu probed on demand (key m) towards a peer's underlay address, for peers
// the edge reports none for (the reference's edge reports none at all).
struct MtuProbeResult {
  bool running = false;
  std::uint32_t pmtu = 0;
  std::string error;  // one line: why there is no figure
};

// n2n-mtu probe --json's outcome: its exit status, stdout and stderr.
MtuProbeResult probe_result_from(int exit_code, const std::string& out, const std::string& err);
// "198.19.0.12:50002" -> "198.19.0.12", "[fe80::1]:7654" -> "fe80::1"; "" if not an address.
std::string underlay_host(const std::string& sockaddr);

struct Snapshot {
  std::vector<TargetSnapshot> targets;
  std::map<std::string, MtuProbeResult> probes;  // by underlay host
  std::int64_t taken = 0;                        // Unix time of the poll
  CaptureState capture;
  FirewallSnapshot firewall;
};

// The methods the poller asks, in this order; `edges` first, since its answer (or silence)
// decides whether the others are worth asking.
const std::vector<std::string>& polled_methods();

// Builds a target's snapshot from the answers of polled_methods() (missing ones: not asked).
TargetSnapshot build_target(std::string label, std::uint16_t port,
                            const std::map<std::string, MethodAnswer>& answers);

// A reply datagram sequence as recorded (begin, rows, end or an error), turned into the
// answer read_method would have given; the unit tests feed recorded replies through it.
MethodAnswer answer_from_datagrams(const std::vector<std::string>& datagrams);

}  // namespace n2nkit::tui
