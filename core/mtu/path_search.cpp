#include "core/mtu/path_search.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace n2nkit::mtu {
namespace {

constexpr unsigned kMaxInFlight = 8;
constexpr std::size_t kMaxDatagram = 65535;
// Loss-rate samples kept before halving: enough for a steady estimate, few enough that a
// path which turns lossy is noticed within a search or two.
constexpr std::uint64_t kFateWindow = 256;
// A loss rate estimate above this says "the path is barely usable"; the boundary then takes
// max_boundary_losses anyway, and the logarithm below stays finite.
constexpr double kMaxLossEstimate = 0.95;

}  // namespace

const char* search_state_name(SearchState s) {
  switch (s) {
    case SearchState::searching:
      return "searching";
    case SearchState::done:
      return "done";
    case SearchState::black_hole_suspected:
      return "black-hole-suspected";
    case SearchState::failed:
      return "failed";
  }
  return "?";
}

Result<PathSearch> PathSearch::create(const PathSearchConfig& c) {
  const bool ok = c.lower >= 1 && c.lower <= c.upper && c.upper <= kMaxDatagram &&
                  c.max_in_flight >= 1 && c.max_in_flight <= kMaxInFlight && c.max_probes >= 1 &&
                  c.rtt_factor >= 1 && c.min_timeout > Micros{0} &&
                  c.min_timeout <= c.initial_timeout && c.initial_timeout <= c.max_timeout &&
                  c.boundary_risk > 0.0 && c.boundary_risk < 1.0 &&
                  c.max_boundary_losses >= c.max_probes + c.boundary_extra &&
                  c.raise_interval >= Micros{0} && c.confirm_interval >= Micros{0};
  if (!ok) return fail(Reason::bad_field);
  return PathSearch(c);
}

PathSearch::PathSearch(const PathSearchConfig& config)
    : cfg_(config),
      next_id_(config.first_id),
      confirmed_(config.lower - 1),
      too_big_(config.upper + 1),
      epoch_(Micros::min()) {
  stats_.searches = 1;
}

// ---------------------------------------------------------------------------------------------
// What to do next

ProbeAction PathSearch::next_action(Micros now) {
  expire(now);
  // Finishing or starting a search changes what there is to do: decide again.
  for (;;) {
    switch (state_) {
      case SearchState::searching:
      case SearchState::black_hole_suspected: {
        const std::size_t boundary = confirmed_ + 1;
        const auto suspect = suspects_.find(boundary);
        const unsigned losses = suspect == suspects_.end() ? 0 : suspect->second;
        const unsigned required = required_boundary_losses();
        if (boundary == cfg_.upper + 1 || boundary == too_big_) {
          finish(now);
          continue;
        }
        if (losses >= required) {
          too_big_ = boundary;
          too_big_by_ = UpperEvidence::timeouts;
          too_big_losses_ = losses;
          finish(now);
          continue;
        }
        if (probes_in_flight() >= cfg_.max_in_flight) return wait_for(std::nullopt);
        if (auto size = pick_search_size()) return send(*size, ProbeRecord::Purpose::search, now);
        // Everything worth asking is in flight. Spare probes go to the boundary, where tries
        // are what is missing, but not more than could still be needed.
        if (suspect != suspects_.end() && losses + probes_in_flight_at(boundary) < required) {
          return send(boundary, ProbeRecord::Purpose::search, now);
        }
        return wait_for(std::nullopt);
      }
      case SearchState::done: {
        if (raise_at_ && now >= *raise_at_) {
          start_raise(now);
          if (state_ != SearchState::done) continue;
        }
        if (confirm_at_ && now >= *confirm_at_ && !confirm_in_flight()) {
          confirm_at_.reset();
          return send(confirmed_, ProbeRecord::Purpose::confirm, now);
        }
        std::optional<Micros> timer = raise_at_;
        if (confirm_at_ && !confirm_in_flight() && (!timer || *confirm_at_ < *timer)) {
          timer = confirm_at_;
        }
        return wait_for(timer);
      }
      case SearchState::failed:
        if (raise_at_ && now >= *raise_at_) {
          start_search(now, SearchState::searching);
          continue;
        }
        return wait_for(raise_at_);
    }
  }
}

// The next probe is the weighted median of what is still believed about the MTU X.
//
// Before any loss has been proven random, a lost size counts as too big for planning (the
// verdict still waits for the boundary rule): that is plain bisection, one probe per halving.
// Once the path has shown random loss at rate q, a size above a suspect that was lost c times
// keeps weight q^c (it passes only if all those losses were random), and the median moves
// up into it when it outweighs what is left below. Without that, every random loss at a
// passing size would make the search bisect all the way up to it, and each of those probes
// can lose again: on a 576..9000 range at 10 % loss that cascade took hundreds of probes.
//
// Probes in flight split the range (their answers will); the next probe goes to the median
// of the heaviest part. Ties go up: real paths are mostly near the top of the range.
std::optional<std::size_t> PathSearch::pick_search_size() const {
  const std::size_t lo = confirmed_;
  const std::size_t top = too_big_;

  std::vector<std::size_t> points;  // split points in X-space: lo, sizes in flight, top
  points.push_back(lo);
  for (const ProbeRecord& r : log_) {
    if (r.status == ProbeRecord::Status::in_flight && r.sent >= epoch_ && r.size > lo &&
        r.size < top) {
      points.push_back(r.size);
    }
  }
  if (icmp_hint_ && *icmp_hint_ > lo && *icmp_hint_ < top &&
      std::find(points.begin(), points.end(), *icmp_hint_) == points.end()) {
    return icmp_hint_;  // most likely the answer itself
  }
  const bool none_in_flight = points.size() == 1;
  // In ascending order: a likely size that was lost makes the ones above it unlikely.
  for (const std::size_t likely : cfg_.likely_sizes) {
    if (!none_in_flight) break;  // the answers on their way decide what is likely next
    if (likely < lo) continue;
    if (likely == lo) {
      // Confirmed at a likely size: is it the boundary? Until the rule settles it.
      const auto it = suspects_.find(lo + 1);
      const unsigned losses = it == suspects_.end() ? 0 : it->second;
      if (lo + 1 < top && losses < required_boundary_losses()) return lo + 1;
      continue;
    }
    if (likely < top && !suspects_.contains(likely)) return likely;
    break;
  }
  points.push_back(top);
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  const Belief belief = belief_about_mtu();
  std::size_t from = 0, to = 0;
  double heaviest = 0.0;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const double m = belief.mass(points[i], points[i + 1]);
    if (points[i + 1] - points[i] >= 2 && m > 0.0 && m >= heaviest) {
      heaviest = m;
      from = points[i];
      to = points[i + 1];
    }
  }
  if (heaviest <= 0.0) return std::nullopt;

  // Probing size s asks "X ≥ s?": find the s in (from, to) that splits the mass most evenly.
  const double half = heaviest / 2.0;
  std::size_t a = from + 1, b = to - 1;  // the first s with mass below it ≥ half, in [a, b]
  while (a < b) {
    const std::size_t mid = a + (b - a) / 2;
    if (belief.mass(from, mid) >= half) {
      b = mid;
    } else {
      a = mid + 1;
    }
  }
  if (a > from + 1) {
    const double here = std::abs(belief.mass(from, a) - half);
    const double below = std::abs(belief.mass(from, a - 1) - half);
    if (below < here) --a;
  }
  return a;
}

PathSearch::Belief PathSearch::belief_about_mtu() const {
  Belief b;
  b.top = too_big_;
  const double q = planning_loss_rate();
  double weight = 1.0;
  b.pieces.push_back({confirmed_, weight});
  for (const auto& [size, losses] : suspects_) {
    if (size >= too_big_) break;
    weight *= std::pow(q, static_cast<double>(losses));
    b.pieces.push_back({size, weight});
  }
  return b;
}

double PathSearch::Belief::mass(std::size_t from, std::size_t to) const {
  double m = 0.0;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::size_t start = std::max(from, pieces[i].from);
    const std::size_t end = std::min(to, i + 1 < pieces.size() ? pieces[i + 1].from : top);
    if (end > start) m += pieces[i].weight * static_cast<double>(end - start);
  }
  return m;
}

std::optional<double> PathSearch::loss_estimate() const {
  if (loss_samples_ == 0) return std::nullopt;
  return std::min(kMaxLossEstimate, (static_cast<double>(loss_samples_) + 0.5) /
                                        (static_cast<double>(fate_samples_) + 1.0));
}

double PathSearch::planning_loss_rate() const {
  return loss_estimate().value_or(0.0);
}

// A passing size becomes the boundary only after it was lost once (that is how it became
// suspected), so what makes the result wrong is losing it `required − 1` more times, with
// probability q^(required − 1) at a per-probe loss rate q. The configured floor
// (max_probes + boundary_extra = 7: 0.19^6 ≈ 5e-5 at 10 % loss each way) holds on paths
// where no loss was seen yet; a path that showed loss gets enough tries for boundary_risk at
// the loss rate it showed. The estimate is (losses + ½) / (samples + 1), pessimistic while
// samples are few.
unsigned PathSearch::required_boundary_losses() const {
  unsigned need = cfg_.max_probes + cfg_.boundary_extra;
  if (const auto q_estimate = loss_estimate()) {
    const double q = *q_estimate;
    const double more = std::ceil(std::log(cfg_.boundary_risk) / std::log(q));
    const double cap = static_cast<double>(cfg_.max_boundary_losses);
    need = std::max(need, 1U + static_cast<unsigned>(std::min(more, cap)));
  }
  return std::clamp(need, cfg_.max_probes, cfg_.max_boundary_losses);
}

// RFC 8899 takes MAX_PROBES confirmation losses as a black hole. On a path that loses
// probes at rate q that happens by chance with probability q^max_probes per check (0.7 % at
// 10 % loss each way: a false fallback every two hours or so at one check a minute), so such
// a path needs enough misses for boundary_risk. No selection effect here, unlike at the
// boundary: the first miss is as random as the others.
unsigned PathSearch::required_confirm_misses() const {
  unsigned need = cfg_.max_probes;
  if (const auto q = loss_estimate()) {
    const double more = std::ceil(std::log(cfg_.boundary_risk) / std::log(*q));
    need = std::max(
        need, static_cast<unsigned>(std::min(more, static_cast<double>(cfg_.max_boundary_losses))));
  }
  return std::min(need, cfg_.max_boundary_losses);
}

// ---------------------------------------------------------------------------------------------
// What came back

void PathSearch::on_answer(std::uint32_t id, Micros now) {
  ProbeRecord* r = log_.find(id);
  if (r == nullptr) {
    ++stats_.unknown_ids;
    return;
  }
  credit_answer(*r, now, now - r->sent);
}

void PathSearch::credit_answer(ProbeRecord& probe, Micros now, Micros rtt_sample) {
  ProbeRecord* r = &probe;
  if (r->status == ProbeRecord::Status::answered) {
    ++stats_.duplicates;
    return;
  }
  const bool late = r->status == ProbeRecord::Status::timed_out;
  if (late) {
    ++stats_.late;
    --stats_.lost;
  }
  r->status = ProbeRecord::Status::answered;
  ++stats_.answered;
  learn_rtt(rtt_sample);
  if (r->sent < epoch_) return;
  if (late && r->loss_counted) withdraw_search_loss(r->size);  // delayed, not lost
  sample_fate(false);
  if (state_ == SearchState::done && r->size >= confirmed_) {
    // The confirmations lost before this answer were random (a late one only delayed).
    const unsigned random = confirm_misses_ - (late && confirm_misses_ > 0 ? 1U : 0U);
    stats_.random_losses += random;
    sample_fate(true, random);
    confirm_misses_ = 0;
    if (r->purpose == ProbeRecord::Purpose::confirm) {
      confirm_at_.reset();
      if (cfg_.confirm_interval > Micros{0}) confirm_at_ = now + cfg_.confirm_interval;
    }
  }
  confirm(r->size);
}

void PathSearch::on_answer_unlabelled(Micros now) {
  // The smallest candidate: whichever probe the answer really belongs to, its size is at
  // least this one's, so crediting this one never claims more than the path passed.
  // The RTT sample, though, comes from the newest candidate's send time (Karn): an answer
  // credited to an older probe most likely answers a newer one, and timing it from the older
  // one would add a timeout to the RTT, lengthen the next timeout, and so on.
  ProbeRecord* best = nullptr;
  Micros newest_sent{0};
  for (ProbeRecord& r : log_) {
    if (r.sent < epoch_) continue;
    const bool candidate =
        r.status == ProbeRecord::Status::in_flight ||
        (r.status == ProbeRecord::Status::timed_out && now - r.deadline <= timeout());
    if (!candidate) continue;
    if (best == nullptr || r.size < best->size) best = &r;
    newest_sent = std::max(newest_sent, r.sent);
  }
  if (best == nullptr) {
    ++stats_.unknown_ids;
    return;
  }
  credit_answer(*best, now, now - newest_sent);
}

void PathSearch::on_too_big(std::size_t reported_mtu, std::optional<std::size_t> probe_size,
                            Micros now) {
  std::size_t sent = probe_size.value_or(0);
  if (!probe_size) {
    for (const ProbeRecord& r : log_) {
      const bool recent =
          r.status == ProbeRecord::Status::in_flight ||
          (r.status == ProbeRecord::Status::timed_out && now - r.deadline <= timeout());
      if (recent && r.sent >= epoch_) sent = std::max(sent, r.size);
    }
  }
  if (reported_mtu < cfg_.lower || reported_mtu >= sent) {
    ++stats_.icmp_ignored;  // bogus, or about a packet we did not send
    return;
  }
  if (reported_mtu < confirmed_) {
    // An answer proved more; ICMP can be forged. But the path may have shrunk: check.
    ++stats_.icmp_ignored;
    trigger_confirmation(now);
    return;
  }
  ++stats_.icmp_accepted;
  if (reported_mtu + 1 < too_big_) {
    too_big_ = reported_mtu + 1;
    too_big_by_ = UpperEvidence::icmp;
    too_big_losses_ = 0;
    suspects_.erase(suspects_.lower_bound(too_big_), suspects_.end());
  }
  if (reported_mtu > confirmed_ && state_ != SearchState::done) icmp_hint_ = reported_mtu;
}

void PathSearch::on_full_size_loss(Micros now) {
  trigger_confirmation(now);
}

void PathSearch::restart(Micros now) {
  start_search(now, SearchState::searching);
}

// Only a reply proves anything, so one is taken over any earlier belief: a late answer above
// a size declared too big reopens the search there.
void PathSearch::confirm(std::size_t size) {
  if (size < confirmed_) return;
  if (size == confirmed_) {
    ++stats_.confirmations;
    return;
  }
  confirmed_ = size;
  stats_.confirmations = 1;
  // Losses at sizes now proven to pass were random: they are what the loss rate is made of.
  for (auto it = suspects_.begin(); it != suspects_.end() && it->first <= size;) {
    stats_.random_losses += it->second;
    sample_fate(true, it->second);
    it = suspects_.erase(it);
  }
  if (too_big_ <= size) {
    too_big_ = cfg_.upper + 1;
    too_big_by_ = UpperEvidence::none;
    too_big_losses_ = 0;
  }
  if (icmp_hint_ && *icmp_hint_ <= size) icmp_hint_.reset();
  if (state_ == SearchState::done || state_ == SearchState::failed) {
    state_ = SearchState::searching;
    ++stats_.searches;
    raise_at_.reset();
    confirm_at_.reset();
    confirm_misses_ = 0;
  }
}

bool PathSearch::record_search_loss(std::size_t size) {
  if (size <= confirmed_) {
    ++stats_.random_losses;
    sample_fate(true);
    return true;
  }
  if (size >= too_big_) return false;  // adds nothing to what is believed
  ++suspects_[size];
  return true;
}

// Where record_search_loss() put the loss then, or where confirm() has moved it since.
void PathSearch::withdraw_search_loss(std::size_t size) {
  if (size <= confirmed_) {
    if (stats_.random_losses > 0) --stats_.random_losses;
    if (loss_samples_ > 0) --loss_samples_;
    if (fate_samples_ > 0) --fate_samples_;
    return;
  }
  if (auto it = suspects_.find(size); it != suspects_.end() && it->second > 0) {
    if (--it->second == 0) suspects_.erase(it);
  }
}

void PathSearch::sample_fate(bool lost, std::uint64_t count) {
  fate_samples_ += count;
  if (lost) loss_samples_ += count;
  if (fate_samples_ > kFateWindow) {
    fate_samples_ /= 2;
    loss_samples_ /= 2;
  }
}

void PathSearch::trigger_confirmation(Micros now) {
  if (state_ != SearchState::done) return;
  // At most one check per timeout however many losses are reported.
  const Micros at = std::max(now, last_confirm_sent_ + timeout());
  if (!confirm_at_ || *confirm_at_ > at) confirm_at_ = at;
}

// ---------------------------------------------------------------------------------------------
// Search phases

void PathSearch::start_search(Micros now, SearchState state) {
  state_ = state;
  confirmed_ = nothing_confirmed();
  too_big_ = cfg_.upper + 1;
  too_big_by_ = UpperEvidence::none;
  too_big_losses_ = 0;
  suspects_.clear();
  icmp_hint_.reset();
  epoch_ = now;
  raise_at_.reset();
  confirm_at_.reset();
  confirm_misses_ = 0;
  stats_.confirmations = 0;
  ++stats_.searches;
}

// PMTU_RAISE_TIMER: look above the result again. The old boundary passed its verification
// once, so it keeps all but max_probes of the losses it needs: on an unchanged path the raise
// costs max_probes probes; on a grown one the first of them is answered and the search runs
// up from there.
void PathSearch::start_raise(Micros now) {
  if (confirmed_ >= cfg_.upper) {
    raise_at_ = now + cfg_.raise_interval;
    return;
  }
  const unsigned credit = required_boundary_losses() - cfg_.max_probes;
  const std::size_t old_boundary = confirmed_ + 1;
  state_ = SearchState::searching;
  too_big_ = cfg_.upper + 1;
  too_big_by_ = UpperEvidence::none;
  too_big_losses_ = 0;
  suspects_.clear();
  suspects_[old_boundary] = credit;
  icmp_hint_.reset();
  raise_at_.reset();
  confirm_at_.reset();
  confirm_misses_ = 0;
  ++stats_.searches;
}

void PathSearch::finish(Micros now) {
  state_ = confirmed_ >= cfg_.lower ? SearchState::done : SearchState::failed;
  suspects_.clear();
  icmp_hint_.reset();
  confirm_misses_ = 0;
  raise_at_.reset();
  confirm_at_.reset();
  if (cfg_.raise_interval > Micros{0}) raise_at_ = now + cfg_.raise_interval;
  if (state_ == SearchState::done && cfg_.confirm_interval > Micros{0}) {
    confirm_at_ = now + cfg_.confirm_interval;
  }
}

// The result stopped passing: fall back to the lower bound (RFC 8899 BASE_PLPMTU) and search
// the whole range again. The old result starts as suspected with the losses it took; answers
// to probes sent before now describe the old path and are ignored.
void PathSearch::declare_black_hole(Micros now) {
  const std::size_t lost_size = confirmed_;
  const unsigned misses = confirm_misses_;
  ++stats_.black_holes;
  start_search(now, SearchState::black_hole_suspected);
  suspects_[lost_size] = misses;
}

// ---------------------------------------------------------------------------------------------
// Probes and time

ProbeAction PathSearch::send(std::size_t size, ProbeRecord::Purpose purpose, Micros now) {
  const std::uint32_t id = next_id_++;
  ProbeRecord& r = log_.slot_for(id);
  if (r.status == ProbeRecord::Status::in_flight) settle_loss(r, now);
  r = ProbeRecord{id, size, now, now + timeout(), ProbeRecord::Status::in_flight, purpose, false};
  ++stats_.probes_sent;
  if (purpose == ProbeRecord::Purpose::confirm) last_confirm_sent_ = now;
  if (icmp_hint_ && *icmp_hint_ == size) icmp_hint_.reset();
  return ProbeAction{ProbeAction::Kind::send, id, size, Micros{0}};
}

// In deadline order, so that a black hole is declared by the losses that came first.
void PathSearch::expire(Micros now) {
  for (;;) {
    ProbeRecord* due = nullptr;
    for (ProbeRecord& r : log_) {
      if (r.status == ProbeRecord::Status::in_flight && r.deadline <= now &&
          (due == nullptr || r.deadline < due->deadline)) {
        due = &r;
      }
    }
    if (due == nullptr) return;
    settle_loss(*due, now);
  }
}

void PathSearch::settle_loss(ProbeRecord& r, Micros now) {
  r.status = ProbeRecord::Status::timed_out;
  ++stats_.lost;
  if (r.sent < epoch_) return;
  if (state_ == SearchState::done && r.purpose == ProbeRecord::Purpose::confirm) {
    if (++confirm_misses_ >= required_confirm_misses()) {
      declare_black_hole(now);
    } else {
      confirm_at_ = now;  // ask again at once: a black hole costs traffic every second
    }
    return;
  }
  r.loss_counted = record_search_loss(r.size);
}

void PathSearch::learn_rtt(Micros sample) {
  // A very late answer says the timeout was short, not that the RTT is minutes.
  sample = std::clamp(sample, Micros{0}, cfg_.max_timeout);
  srtt_ = srtt_ ? (*srtt_ * 7 + sample) / 8 : sample;
}

Micros PathSearch::timeout() const {
  if (!srtt_) return cfg_.initial_timeout;
  return std::clamp(*srtt_ * static_cast<Micros::rep>(cfg_.rtt_factor), cfg_.min_timeout,
                    cfg_.max_timeout);
}

std::optional<Micros> PathSearch::earliest_deadline() const {
  std::optional<Micros> t;
  for (const ProbeRecord& r : log_) {
    if (r.status == ProbeRecord::Status::in_flight && (!t || r.deadline < *t)) t = r.deadline;
  }
  return t;
}

unsigned PathSearch::probes_in_flight() const {
  unsigned n = 0;
  for (const ProbeRecord& r : log_) n += r.status == ProbeRecord::Status::in_flight ? 1U : 0U;
  return n;
}

unsigned PathSearch::probes_in_flight_at(std::size_t size) const {
  unsigned n = 0;
  for (const ProbeRecord& r : log_) {
    n += r.status == ProbeRecord::Status::in_flight && r.sent >= epoch_ && r.size == size ? 1U : 0U;
  }
  return n;
}

bool PathSearch::confirm_in_flight() const {
  return std::any_of(log_.begin(), log_.end(), [](const ProbeRecord& r) {
    return r.status == ProbeRecord::Status::in_flight && r.purpose == ProbeRecord::Purpose::confirm;
  });
}

ProbeAction PathSearch::wait_for(std::optional<Micros> timer) const {
  std::optional<Micros> t = earliest_deadline();
  if (timer && (!t || *timer < *t)) t = timer;
  if (!t) return ProbeAction{};
  return ProbeAction{ProbeAction::Kind::wait, 0, 0, *t};
}

// ---------------------------------------------------------------------------------------------

PathSearchResult PathSearch::result() const {
  PathSearchResult r = stats_;
  r.state = state_;
  const bool any = confirmed_ >= cfg_.lower;
  r.confirmed = any ? confirmed_ : 0;
  r.pmtu = any ? confirmed_ : cfg_.lower;
  r.too_big = too_big_;
  r.upper_evidence = too_big_by_;
  if (too_big_ == confirmed_ + 1 && too_big_by_ == UpperEvidence::timeouts) {
    r.boundary_losses = too_big_losses_;
  } else if (auto it = suspects_.find(confirmed_ + 1); it != suspects_.end()) {
    r.boundary_losses = it->second;
  }
  r.boundary_required = required_boundary_losses();
  r.confirm_misses = confirm_misses_;
  r.black_hole_misses = required_confirm_misses();
  r.smoothed_rtt = srtt_;
  r.timeout = timeout();
  return r;
}

}  // namespace n2nkit::mtu
