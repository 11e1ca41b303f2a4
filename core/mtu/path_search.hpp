#pragma once
// Path-MTU search, sans I/O, in RFC 8899 (DPLPMTUD) terms: the machine decides which probe
// sizes to send and when, the caller sends them (padded n2n PING/REGISTER, or ICMP/UDP in
// n2n-mtu) and reports what came back. It reads no clock: every call takes `now`.
//
// Sizes are whole IP datagrams (IP header + UDP header + UDP payload), the unit a path MTU is
// measured in, so one machine serves every kind of probe. A caller probing with a message of
// M bytes of UDP payload pads it with size − underlay_header_bytes() − M bytes (overhead.hpp:
// 28 for IPv4, 48 for IPv6); with n2n PACKET traffic to carry afterwards, tap_mtu_for_path()
// turns the result into a TAP MTU.
//
// How it searches (details in path_search.cpp):
// * Binary search for the largest size that passes, between the largest size answered and the
//   smallest size believed too big. An answer is proof; a loss is only suspicion: one loss
//   makes a size *suspected* and the search goes on below it instead of retrying it, so a
//   clean path pays one probe per halving.
// * The boundary (the size just above the answer) must be lost max_probes + boundary_extra
//   times in a row (RFC 8899's MAX_PROBES, then a verification) before the answer is final,
//   more when the path has shown random loss: a passing size that becomes the boundary was
//   already lost once, and a wrong boundary is the only way the final answer can be wrong.
// * Once random loss has been seen, planning weighs sizes above a suspect by the chance that
//   its losses were random (the next probe is the weighted median), so that a random loss
//   does not send the search all the way down to it.
// * ICMP "fragmentation needed"/"packet too big" lowers the bound at once and is probed
//   directly; it is never needed.
// * When done: confirmation probes at the result every confirm_interval, and at once after a
//   reported full-size loss; max_probes of them lost in a row (more on a path that has shown
//   random loss) is a black hole: fall back to the lower bound, search again. After
//   raise_interval the search tries to go higher.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/common/result.hpp"
#include "core/mtu/path_probe_log.hpp"

namespace n2nkit::mtu {

// Monotonic time from any origin the caller likes, and durations: one type for both.
using Micros = std::chrono::microseconds;

struct PathSearchConfig {
  std::size_t lower = 1200;    // BASE_PLPMTU: assumed to work; the result is never below it
  std::size_t upper = 1500;    // MAX_PLPMTU, e.g. the interface MTU; nothing larger is sent
  unsigned max_in_flight = 1;  // search probes at once (1..8); more is faster, costs probes

  // Probe timeout: initial_timeout until the first answer, then
  // clamp(rtt_factor × smoothed RTT, min_timeout, max_timeout).
  Micros initial_timeout = std::chrono::milliseconds{200};
  Micros min_timeout = std::chrono::milliseconds{50};
  Micros max_timeout = std::chrono::seconds{3};
  unsigned rtt_factor = 3;

  // RFC 8899 MAX_PROBES: confirmation probes lost in a row that make a black hole, and the
  // fresh losses a raise needs at the old boundary. A search's final boundary needs
  // max_probes + boundary_extra losses in a row.
  unsigned max_probes = 3;
  unsigned boundary_extra = 4;
  // Both counts grow on a path that has shown random loss, until a passing size would be
  // lost that often with a probability below boundary_risk; never beyond max_boundary_losses.
  double boundary_risk = 1e-4;
  unsigned max_boundary_losses = 16;

  Micros raise_interval = std::chrono::seconds{600};   // PMTU_RAISE_TIMER; also the retry
                                                       // after `failed`. 0 = never
  Micros confirm_interval = std::chrono::seconds{60};  // CONFIRMATION_TIMER; 0 = only after
                                                       // reported losses
  std::uint32_t first_id = 1;  // e.g. random, so answers meant for another search never match
  // Sizes a path is likely to stop at (e.g. 1500 and the interface's 9000 on a jumbo link),
  // ascending: each inside the open range is probed before bisecting, and once one answers the
  // size just above it is probed next, until it answers or is proven too big. Bisection from
  // 1200..9000 would spend a dozen probes reaching a 1500 bottleneck; this takes one plus the
  // boundary's proof. Empty (the default): plain bisection.
  std::vector<std::size_t> likely_sizes;
};

enum class SearchState : std::uint8_t {
  searching,
  done,                  // pmtu is the largest size that passes
  black_hole_suspected,  // the result stopped passing: pmtu is the lower bound, searching again
  failed,                // not even the lower bound answers (retried after raise_interval)
};
const char* search_state_name(SearchState s);

// Why PathSearchResult::too_big is believed too big.
enum class UpperEvidence : std::uint8_t {
  none,      // it is not: too_big is upper + 1
  timeouts,  // boundary_losses losses in a row there
  icmp,      // an ICMP hint
};

struct PathSearchResult {
  SearchState state = SearchState::searching;
  std::size_t pmtu = 0;       // the size to use now: largest confirmed, else the lower bound
  std::size_t confirmed = 0;  // largest size answered (this search epoch), 0 = none yet
  std::size_t too_big = 0;    // smallest size believed too big, upper + 1 if none
  UpperEvidence upper_evidence = UpperEvidence::none;
  unsigned boundary_losses = 0;     // losses in a row at confirmed + 1 so far
  unsigned boundary_required = 0;   // losses the boundary needs, as the loss rate stands now
  unsigned confirm_misses = 0;      // done: confirmation probes lost in a row
  unsigned black_hole_misses = 0;   // ... that make a black hole, as the loss rate stands now
  std::uint64_t confirmations = 0;  // answers at exactly `confirmed`

  std::uint64_t probes_sent = 0;
  std::uint64_t answered = 0;       // late answers included, duplicates not
  std::uint64_t lost = 0;           // timed out and never answered
  std::uint64_t late = 0;           // answered after their timeout
  std::uint64_t duplicates = 0;     // answers to probes already answered
  std::uint64_t unknown_ids = 0;    // answers to no probe in the log
  std::uint64_t random_losses = 0;  // lost probes at sizes since proven to pass
  std::uint64_t icmp_accepted = 0;
  std::uint64_t icmp_ignored = 0;  // implausible, or contradicted by an answer
  std::uint64_t black_holes = 0;
  std::uint64_t searches = 0;  // searches started: first, raises, black holes, retries

  std::optional<Micros> smoothed_rtt;
  Micros timeout{0};
};

struct ProbeAction {
  enum class Kind : std::uint8_t {
    none,  // nothing until an event: call next_action again after the next on_*()
    send,  // send probe `id` of `size` bytes now, then call next_action again
    wait,  // call next_action again at `at`, or after the next on_*()
  };
  Kind kind = Kind::none;
  std::uint32_t id = 0;
  std::size_t size = 0;
  Micros at{0};
};

class PathSearch {
 public:
  // Refuses (bad_field) a configuration that cannot search: lower 0 or above upper, no probe
  // in flight or more than 8, max_probes 0, timeouts out of order, boundary_risk not in (0,1).
  static Result<PathSearch> create(const PathSearchConfig& config);

  // Settles the probes whose timeout has passed, then says what to do. A returned probe
  // counts as sent at `now`.
  ProbeAction next_action(Micros now);

  // An answer echoing probe `id`. Late answers confirm their size as well; duplicates and
  // unknown ids are counted and otherwise ignored.
  void on_answer(std::uint32_t id, Micros now);
  // An answer that cannot say which probe it answers (a PONG carries no cookie). Credited to
  // the smallest probe it can belong to (in flight, or timed out within a timeout), which
  // never overstates the path; exact when max_in_flight is 1 and no probe was late. Its RTT
  // sample is timed from the newest candidate, so that an ambiguous answer never lengthens
  // the timeout.
  void on_answer_unlabelled(Micros now);
  // ICMP "fragmentation needed" / "packet too big" reporting `reported_mtu`, for the probe of
  // `probe_size` bytes if the quoted datagram says so. Believed when lower ≤ reported_mtu <
  // probe size (without a size: below the largest probe recently sent) and not below a size
  // that was answered; a hint below the result while done triggers a confirmation probe.
  void on_too_big(std::size_t reported_mtu, std::optional<std::size_t> probe_size, Micros now);
  // A packet of the full result size was lost in normal operation (the caller's own
  // knowledge, e.g. a retransmission of a full-size segment): confirm the result now.
  void on_full_size_loss(Micros now);
  // The path changed (new peer address, route change): forget what was learnt, search again.
  void restart(Micros now);

  PathSearchResult result() const;
  const PathSearchConfig& config() const { return cfg_; }

 private:
  explicit PathSearch(const PathSearchConfig& config);

  // Searching.
  std::size_t nothing_confirmed() const { return cfg_.lower - 1; }
  // Weights over the MTU X ∈ [confirmed_, too_big_), piecewise constant from each `from`.
  struct Belief {
    struct Piece {
      std::size_t from;
      double weight;
    };
    std::vector<Piece> pieces;
    std::size_t top = 0;
    double mass(std::size_t from, std::size_t to) const;  // of X in [from, to)
  };
  Belief belief_about_mtu() const;
  std::optional<std::size_t> pick_search_size() const;
  std::optional<double> loss_estimate() const;  // per probe at a passing size; none: no loss
  double planning_loss_rate() const;
  unsigned required_boundary_losses() const;
  unsigned required_confirm_misses() const;
  void confirm(std::size_t size);
  bool record_search_loss(std::size_t size);
  void withdraw_search_loss(std::size_t size);
  void sample_fate(bool lost, std::uint64_t count = 1);
  void trigger_confirmation(Micros now);
  void start_search(Micros now, SearchState state);
  void start_raise(Micros now);
  void finish(Micros now);
  void declare_black_hole(Micros now);

  // Probes and time.
  ProbeAction send(std::size_t size, ProbeRecord::Purpose purpose, Micros now);
  void expire(Micros now);
  void settle_loss(ProbeRecord& r, Micros now);
  void learn_rtt(Micros sample);
  void credit_answer(ProbeRecord& r, Micros now, Micros rtt_sample);
  Micros timeout() const;
  std::optional<Micros> earliest_deadline() const;
  unsigned probes_in_flight() const;
  unsigned probes_in_flight_at(std::size_t size) const;
  bool confirm_in_flight() const;
  ProbeAction wait_for(std::optional<Micros> timer) const;

  PathSearchConfig cfg_;
  SearchState state_ = SearchState::searching;
  ProbeLog log_;
  std::uint32_t next_id_;

  std::size_t confirmed_;  // largest size answered, nothing_confirmed() if none
  std::size_t too_big_;    // upper + 1, or a size declared too big
  UpperEvidence too_big_by_ = UpperEvidence::none;
  unsigned too_big_losses_ = 0;
  std::map<std::size_t, unsigned> suspects_;  // size above confirmed_ → losses in a row there
  std::optional<std::size_t> icmp_hint_;      // plausible reported MTU, to probe next
  Micros epoch_{0};  // answers to probes sent before it describe an older path: ignored

  // The loss rate of sizes that pass: probes of known fate (answered, or lost at a size since
  // proven to pass) and the losses among them. Halved now and then, so the path's recent
  // behaviour counts most.
  std::uint64_t fate_samples_ = 0;
  std::uint64_t loss_samples_ = 0;

  std::optional<Micros> srtt_;
  std::optional<Micros> raise_at_;    // done: next raise; failed: next retry
  std::optional<Micros> confirm_at_;  // done: next confirmation probe
  unsigned confirm_misses_ = 0;       // confirmation probes lost in a row
  Micros last_confirm_sent_{0};

  PathSearchResult stats_;  // the counters; the rest of result() is filled in on demand
};

}  // namespace n2nkit::mtu
