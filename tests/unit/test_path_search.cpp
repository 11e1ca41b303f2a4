#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include "core/crypto/xorshift128.hpp"
#include "core/mtu/path_search.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;
using namespace std::chrono_literals;

namespace {

// A simulated path: datagrams up to `mtu` bytes pass, everything else is dropped (and with
// `icmp` a router answers "fragmentation needed" after a quarter of the RTT). Each direction
// loses a datagram with probability `loss`, independently; answers come back after `rtt`
// plus up to a quarter of it as jitter.
struct SimPath {
  std::size_t mtu = 1500;
  Micros rtt = 40ms;
  double loss = 0.0;
  bool icmp = false;
  bool alive = true;           // false: nothing answers at all
  bool duplicates = false;     // every answer arrives twice
  bool unlabelled = false;     // answers cannot say which probe they answer
  std::size_t slow_above = 0;  // answers to larger probes take slow_delay more (0: none)
  Micros slow_delay = 10s;
};

class Sim {
 public:
  Sim(PathSearch& m, SimPath p, std::uint64_t seed)
      : path(p), m_(m), rng_(seed * 0x9E3779B97F4A7C15ULL + 1, seed ^ 0xD1B54A32D192ED03ULL) {
    for (int i = 0; i < 8; ++i) rng_.next();
  }

  // Drives the machine until stop() holds or the clock passes `limit`.
  bool run_until(const std::function<bool()>& stop, Micros limit) {
    for (int steps = 0; steps < 1'000'000; ++steps) {
      if (stop()) return true;
      if (now > limit) return false;
      const ProbeAction a = m_.next_action(now);
      if (a.kind == ProbeAction::Kind::send) {
        ++probes;
        transmit(a);
        continue;
      }
      if (stop()) return true;  // before the clock moves on to the next timer
      std::optional<Micros> next;
      if (a.kind == ProbeAction::Kind::wait) next = a.at;
      if (!events_.empty() && (!next || events_.top().at < *next)) next = events_.top().at;
      if (!next) return stop();
      if (*next > limit) {
        now = limit;
        return stop();
      }
      if (*next <= now && events_.empty()) {
        FAIL("the machine asked to wait for a time already passed");
        return false;
      }
      now = std::max(now, *next);
      while (!events_.empty() && events_.top().at <= now) {
        const Event e = events_.top();
        events_.pop();
        deliver(e);
      }
    }
    FAIL("no progress after a million steps");
    return false;
  }

  bool settle(Micros limit = 3600s) {
    return run_until(
        [&] {
          const SearchState s = m_.result().state;
          return s == SearchState::done || s == SearchState::failed;
        },
        now + limit);
  }

  SimPath path;
  Micros now{0};
  unsigned probes = 0;

 private:
  struct Event {
    Micros at;
    std::uint64_t seq;
    bool icmp;
    std::uint32_t id;
    std::size_t size;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
  };

  double uniform() { return static_cast<double>(rng_.next() >> 11) * 0x1.0p-53; }
  bool lose() { return path.loss > 0.0 && uniform() < path.loss; }
  void push(Micros at, bool icmp, const ProbeAction& a) {
    events_.push(Event{at, seq_++, icmp, a.id, a.size});
  }

  void transmit(const ProbeAction& a) {
    if (!path.alive) return;
    if (a.size > path.mtu) {
      if (path.icmp && !lose()) push(now + path.rtt / 4, true, a);
      return;
    }
    if (lose() || lose()) return;
    const auto jitter =
        Micros{static_cast<Micros::rep>(uniform() * static_cast<double>(path.rtt.count()) / 4.0)};
    const Micros extra = path.slow_above != 0 && a.size > path.slow_above ? path.slow_delay : 0us;
    push(now + path.rtt + jitter + extra, false, a);
    if (path.duplicates) push(now + path.rtt + jitter + 1ms, false, a);
  }

  void deliver(const Event& e) {
    if (e.icmp) {
      m_.on_too_big(path.mtu, e.size, now);
    } else if (path.unlabelled) {
      m_.on_answer_unlabelled(now);
    } else {
      m_.on_answer(e.id, now);
    }
  }

  PathSearch& m_;
  crypto::Xorshift128Plus rng_;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  std::uint64_t seq_ = 0;
};

PathSearch make(PathSearchConfig c = {}) {
  auto r = PathSearch::create(c);
  REQUIRE(r.has_value());
  return std::move(r).value();
}

struct Tally {
  unsigned runs = 0, exact = 0, min = ~0U, max = 0;
  std::uint64_t sum = 0;
  void add(unsigned probes, bool ok) {
    ++runs;
    exact += ok ? 1U : 0U;
    min = std::min(min, probes);
    max = std::max(max, probes);
    sum += probes;
  }
  double avg() const { return runs ? static_cast<double>(sum) / runs : 0.0; }
  std::string line(const char* what) const {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s: %u runs, exact %u (%.3f %%), probes min %u avg %.2f max %u",
                  what, runs, exact, 100.0 * exact / runs, min, avg(), max);
    return buf;
  }
};

// One search from scratch on a path of MTU x; true if it ends done with exactly x.
bool search_once(PathSearchConfig c, SimPath p, std::uint64_t seed, Tally& t) {
  PathSearch m = make(c);
  Sim sim(m, p, seed);
  const bool settled = sim.settle();
  const PathSearchResult r = m.result();
  const bool ok = settled && r.state == SearchState::done && r.pmtu == p.mtu;
  t.add(sim.probes, ok);
  return ok;
}

std::size_t draw(crypto::Xorshift128Plus& rng, std::size_t lo, std::size_t hi) {
  return lo + static_cast<std::size_t>(rng.next() % (hi - lo + 1));
}

}  // namespace

TEST_CASE("path search: clean path, every MTU in 1200..1500 exact in at most 15 probes") {
  Tally t;
  for (std::size_t x = 1200; x <= 1500; ++x) {
    CAPTURE(x);
    CHECK(search_once({}, SimPath{x}, x, t));
  }
  MESSAGE(t.line("clean 1200..1500"));
  CHECK(t.exact == t.runs);
  CHECK(t.max <= 15);
}

TEST_CASE("path search: 10 % loss each way stays exact") {
  crypto::Xorshift128Plus rng(7, 11);
  Tally t;
  unsigned worst_mtu = 0;
  for (std::uint64_t seed = 1; seed <= 10000; ++seed) {
    SimPath p;
    p.mtu = draw(rng, 1200, 1500);
    p.loss = 0.10;
    const unsigned before = t.max;
    if (!search_once({}, p, seed, t)) MESSAGE("inexact: seed " << seed << " mtu " << p.mtu);
    if (t.max > before) worst_mtu = static_cast<unsigned>(p.mtu);
  }
  MESSAGE(t.line("10 % loss 1200..1500") << ", worst at mtu " << worst_mtu);
  CHECK(t.exact * 1000 >= t.runs * 999);
}

TEST_CASE("path search: wide range 576..9000, ICMP filtered, clean and lossy") {
  PathSearchConfig c;
  c.lower = 576;
  c.upper = 9000;
  crypto::Xorshift128Plus rng(3, 5);
  Tally clean, lossy;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    SimPath p;
    p.mtu = draw(rng, 576, 9000);
    CAPTURE(p.mtu);
    CHECK(search_once(c, p, seed, clean));
    p.loss = 0.10;
    search_once(c, p, seed, lossy);
  }
  for (std::size_t x : {std::size_t{576}, std::size_t{577}, std::size_t{8999}, std::size_t{9000}}) {
    CAPTURE(x);
    CHECK(search_once(c, SimPath{x}, x, clean));
  }
  MESSAGE(clean.line("clean 576..9000"));
  MESSAGE(lossy.line("10 % loss 576..9000"));
  CHECK(clean.exact == clean.runs);
  CHECK(lossy.exact * 1000 >= lossy.runs * 999);
}

TEST_CASE("path search: likely sizes on a jumbo interface (1200..9000)") {
  PathSearchConfig c;
  c.lower = 1200;
  c.upper = 9000;
  c.likely_sizes = {1500, 9000};
  // The common cases: a 1500 bottleneck behind the jumbo link (one probe at 1500, then the
  // boundary's proof at 1501), and a jumbo path end to end (1500, 1501, 9000).
  Tally bottleneck, jumbo, others, lossy;
  for (const bool icmp : {false, true}) {
    SimPath p{1500};
    p.icmp = icmp;
    CHECK(search_once(c, p, 1, bottleneck));
    p.mtu = 9000;
    CHECK(search_once(c, p, 2, jumbo));
  }
  MESSAGE(bottleneck.line("jumbo interface, 1500 path"));
  MESSAGE(jumbo.line("jumbo interface, 9000 path"));
  CHECK(bottleneck.max <= 8);
  CHECK(jumbo.max <= 3);
  // Everything else stays exact; a likely size that misses costs one probe.
  crypto::Xorshift128Plus rng(19, 23);
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    SimPath p;
    p.mtu = draw(rng, 1200, 9000);
    CAPTURE(p.mtu);
    CHECK(search_once(c, p, seed, others));
    p.loss = 0.10;
    search_once(c, p, seed, lossy);
    p.mtu = seed % 2 == 0 ? 1500 : 9000;
    search_once(c, p, seed, lossy);
  }
  for (std::size_t x : {std::size_t{1200}, std::size_t{1492}, std::size_t{1499}, std::size_t{1501},
                        std::size_t{8999}}) {
    CAPTURE(x);
    CHECK(search_once(c, SimPath{x}, x, others));
  }
  MESSAGE(others.line("jumbo interface, clean, any MTU"));
  MESSAGE(lossy.line("jumbo interface, 10 % loss"));
  CHECK(others.exact == others.runs);
  CHECK(others.max <= 22);
  CHECK(lossy.exact * 1000 >= lossy.runs * 998);
}

TEST_CASE("path search: ICMP hints make it faster, never less exact") {
  crypto::Xorshift128Plus rng(13, 17);
  Tally without, with, lossy_with;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    SimPath p;
    p.mtu = draw(rng, 1200, 1500);
    CHECK(search_once({}, p, seed, without));
    p.icmp = true;
    CHECK(search_once({}, p, seed, with));
    p.loss = 0.10;
    search_once({}, p, seed, lossy_with);
  }
  MESSAGE(without.line("clean, ICMP filtered"));
  MESSAGE(with.line("clean, ICMP hints"));
  MESSAGE(lossy_with.line("10 % loss, ICMP hints"));
  CHECK(with.avg() < without.avg() / 2);
  CHECK(lossy_with.exact * 1000 >= lossy_with.runs * 999);

  SUBCASE("the result says the boundary came from ICMP") {
    PathSearch m = make();
    SimPath p{1400};
    p.icmp = true;
    Sim sim(m, p, 1);
    REQUIRE(sim.settle());
    const PathSearchResult r = m.result();
    CHECK(r.pmtu == 1400);
    CHECK(r.too_big == 1401);
    CHECK(r.upper_evidence == UpperEvidence::icmp);
    CHECK(r.icmp_accepted >= 1);
    CHECK(sim.probes <= 4);
  }
}

TEST_CASE("path search: implausible ICMP is ignored") {
  PathSearch m = make();
  ProbeAction a = m.next_action(0us);
  REQUIRE(a.kind == ProbeAction::Kind::send);
  m.on_too_big(a.size, a.size, 1ms);       // not below the probe
  m.on_too_big(a.size + 10, a.size, 1ms);  // above the probe
  m.on_too_big(1100, a.size, 1ms);         // below the lower bound
  m.on_too_big(1300, std::nullopt, 1ms);   // no size, but below the probe in flight: plausible
  PathSearchResult r = m.result();
  CHECK(r.icmp_ignored == 3);
  CHECK(r.icmp_accepted == 1);
  CHECK(r.too_big == 1301);

  m.on_answer(a.id, 2ms);  // the probe (1350) passed after all: the answer outweighs the hint
  r = m.result();
  CHECK(r.confirmed == a.size);
  CHECK(r.too_big == 1501);
  CHECK(r.upper_evidence == UpperEvidence::none);
  m.on_too_big(1250, std::nullopt, 3ms);  // nothing larger in flight any more
  CHECK(m.result().icmp_ignored == 4);
}

TEST_CASE("path search: nothing answers ends in failed within bounded time, then retries") {
  PathSearchConfig c;
  PathSearch m = make(c);
  SimPath p;
  p.alive = false;
  Sim sim(m, p, 1);
  REQUIRE(sim.settle());
  PathSearchResult r = m.result();
  CHECK(r.state == SearchState::failed);
  CHECK(r.confirmed == 0);
  CHECK(r.pmtu == c.lower);
  CHECK(r.too_big == c.lower);
  // 9 halvings down to the lower bound, then the boundary's 7 losses: each one timeout.
  CHECK(sim.probes == 9 + 6);
  CHECK(sim.now <= 15 * c.initial_timeout);
  MESSAGE("dead path: failed after " << sim.probes << " probes, "
                                     << std::chrono::duration<double>(sim.now).count() << " s");

  sim.path.alive = true;
  sim.path.mtu = 1450;
  REQUIRE(sim.run_until([&] { return m.result().state == SearchState::searching; }, 700s));
  CHECK(sim.now >= c.raise_interval);
  REQUIRE(sim.settle());
  CHECK(m.result().state == SearchState::done);
  CHECK(m.result().pmtu == 1450);
}

TEST_CASE("path search: an MTU below the lower bound is failed, not a smaller answer") {
  PathSearch m = make();
  Sim sim(m, SimPath{1100}, 1);
  REQUIRE(sim.settle());
  CHECK(m.result().state == SearchState::failed);
  CHECK(m.result().pmtu == 1200);
}

TEST_CASE("path search: a black hole is detected and searched again") {
  PathSearchConfig c;
  c.confirm_interval = 60s;

  SUBCASE("by confirmation probes") {
    PathSearch m = make(c);
    Sim sim(m, SimPath{1500}, 1);
    REQUIRE(sim.settle());
    REQUIRE(m.result().pmtu == 1500);
    CHECK(m.result().upper_evidence == UpperEvidence::none);
    sim.run_until([] { return false; }, 150s);  // two confirmations answered
    CHECK(m.result().confirmations >= 3);
    CHECK(m.result().state == SearchState::done);

    const Micros dropped = sim.now;
    sim.path.mtu = 1400;
    REQUIRE(
        sim.run_until([&] { return m.result().state == SearchState::black_hole_suspected; }, 400s));
    const Micros detection = sim.now - dropped;
    CHECK(m.result().pmtu == c.lower);  // fall back at once
    CHECK(m.result().black_holes == 1);
    CHECK(detection <= c.confirm_interval + 3 * m.result().timeout);
    REQUIRE(sim.settle());
    CHECK(m.result().state == SearchState::done);
    CHECK(m.result().pmtu == 1400);
    MESSAGE("black hole by confirmation: detected "
            << std::chrono::duration<double>(detection).count() << " s after the drop");
  }

  SUBCASE("by reported full-size losses, without periodic confirmation") {
    c.confirm_interval = 0s;
    PathSearch m = make(c);
    Sim sim(m, SimPath{1480}, 2);
    REQUIRE(sim.settle());
    REQUIRE(m.result().pmtu == 1480);
    sim.run_until([] { return false; }, 100s);  // nothing is sent when all is well
    CHECK(m.result().state == SearchState::done);

    // A false alarm: the confirmation is answered, nothing changes.
    const unsigned before = sim.probes;
    m.on_full_size_loss(sim.now);
    sim.run_until([] { return false; }, sim.now + 5s);
    CHECK(sim.probes == before + 1);
    CHECK(m.result().state == SearchState::done);
    CHECK(m.result().pmtu == 1480);

    sim.path.mtu = 1300;
    const Micros dropped = sim.now;
    m.on_full_size_loss(sim.now);
    REQUIRE(sim.run_until([&] { return m.result().state == SearchState::black_hole_suspected; },
                          sim.now + 10s));
    const Micros detection = sim.now - dropped;
    CHECK(detection <= 3 * m.result().timeout);
    REQUIRE(sim.settle());
    CHECK(m.result().pmtu == 1300);
    MESSAGE("black hole by loss report: detected "
            << std::chrono::duration<double>(detection).count() << " s after the report");
  }

  SUBCASE("with 10 % loss, over many seeds") {
    crypto::Xorshift128Plus rng(19, 23);
    unsigned exact = 0, runs = 0;
    Micros worst{0};
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      SimPath p;
      p.mtu = draw(rng, 1300, 1500);
      p.loss = 0.10;
      PathSearch m = make(c);
      Sim sim(m, p, seed);
      REQUIRE(sim.settle());
      const std::size_t after = draw(rng, 1200, p.mtu - 1);
      sim.path.mtu = after;
      const Micros dropped = sim.now;
      REQUIRE(sim.run_until([&] { return m.result().black_holes > 0; }, dropped + 3600s));
      worst = std::max(worst, sim.now - dropped);
      REQUIRE(sim.settle());
      ++runs;
      exact += m.result().pmtu == after ? 1U : 0U;
    }
    MESSAGE("black hole at 10 % loss: " << exact << "/" << runs << " exact after re-search, worst "
                                        << std::chrono::duration<double>(worst).count()
                                        << " s to detect");
    CHECK(exact * 100 >= runs * 99);
  }
}

TEST_CASE("path search: a lossy path does not cry black hole") {
  // RFC 8899's plain rule (MAX_PROBES = 3 confirmations lost) fails by chance with
  // probability 0.19^3 ≈ 0.7 % per check at 10 % loss each way: some 20 false fallbacks a
  // day at one check a minute. Here the misses needed follow the loss rate the path shows.
  PathSearchConfig c;
  c.confirm_interval = 60s;
  PathSearch m = make(c);
  SimPath p{1450};
  p.loss = 0.10;
  Sim sim(m, p, 1);
  sim.run_until([] { return false; }, 48h);
  const PathSearchResult r = m.result();
  MESSAGE("48 h at 10 % loss: " << r.black_holes << " black holes, " << r.probes_sent << " probes, "
                                << r.searches << " searches, black hole after "
                                << r.black_hole_misses << " misses");
  CHECK(r.black_holes == 0);
  CHECK(r.black_hole_misses >= 5);
  CHECK(r.pmtu == 1450);
}

TEST_CASE("path search: the raise timer finds a path that grew, and costs little if not") {
  PathSearchConfig c;
  c.confirm_interval = 0s;  // so that every probe below is the raise's
  PathSearch m = make(c);
  Sim sim(m, SimPath{1400}, 1);
  REQUIRE(sim.settle());
  REQUIRE(m.result().pmtu == 1400);
  CHECK(m.result().searches == 1);

  // Unchanged: the old boundary is lost max_probes times more and the result stands.
  const unsigned before = sim.probes;
  REQUIRE(sim.run_until([&] { return m.result().searches == 2; }, 700s));
  CHECK(sim.now >= c.raise_interval);
  REQUIRE(sim.settle());
  CHECK(m.result().pmtu == 1400);
  CHECK(sim.probes - before == c.max_probes);

  sim.path.mtu = 1492;
  REQUIRE(sim.run_until([&] { return m.result().searches == 3; }, sim.now + 700s));
  REQUIRE(sim.settle());
  CHECK(m.result().pmtu == 1492);
  CHECK(m.result().state == SearchState::done);
}

TEST_CASE("path search: several probes in flight") {
  crypto::Xorshift128Plus rng(29, 31);
  for (unsigned n : {1U, 2U, 3U}) {
    PathSearchConfig c;
    c.max_in_flight = n;
    Tally clean, lossy;
    Micros clean_time{0};
    for (std::uint64_t seed = 1; seed <= 500; ++seed) {
      SimPath p;
      p.mtu = draw(rng, 1200, 1500);
      {
        PathSearch m = make(c);
        Sim sim(m, p, seed);
        REQUIRE(sim.settle());
        clean.add(sim.probes, m.result().pmtu == p.mtu);
        clean_time += sim.now;
      }
      p.loss = 0.10;
      search_once(c, p, seed, lossy);
    }
    MESSAGE(n << " in flight: " << clean.line("clean") << ", avg time "
              << std::chrono::duration<double>(clean_time).count() / clean.runs << " s; "
              << lossy.line("10 % loss"));
    CHECK(clean.exact == clean.runs);
    CHECK(lossy.exact * 100 >= lossy.runs * 99);
  }
}

TEST_CASE("path search: late, duplicate and unlabelled answers") {
  SUBCASE("a late answer still confirms its size") {
    PathSearch m = make();
    const ProbeAction a = m.next_action(0us);
    REQUIRE(a.kind == ProbeAction::Kind::send);
    CHECK(a.size == 1350);
    ProbeAction w = m.next_action(0us);
    REQUIRE(w.kind == ProbeAction::Kind::wait);
    CHECK(w.at == 200ms);
    const ProbeAction b = m.next_action(200ms);  // 1350 lost: bisect below it
    REQUIRE(b.kind == ProbeAction::Kind::send);
    CHECK(b.size == 1275);     // bisecting (1199, 1350)
    m.on_answer(a.id, 250ms);  // ... but it passed after all
    PathSearchResult r = m.result();
    CHECK(r.confirmed == 1350);
    CHECK(r.late == 1);
    CHECK(r.lost == 0);
    CHECK(r.random_losses == 0);  // late, not lost
    const ProbeAction c = m.next_action(260ms);
    REQUIRE(c.kind == ProbeAction::Kind::wait);  // 1275 still flies, and only one at a time
    m.on_answer(b.id, 270ms);
    const ProbeAction d = m.next_action(270ms);
    REQUIRE(d.kind == ProbeAction::Kind::send);
    CHECK(d.size == 1426);  // bisecting (1350, 1501), ties go up
    m.on_answer(d.id, 280ms);
    m.on_answer(d.id, 281ms);
    m.on_answer(12345, 282ms);
    r = m.result();
    CHECK(r.duplicates == 1);
    CHECK(r.unknown_ids == 1);
    CHECK(r.confirmed == 1426);
    CHECK(r.smoothed_rtt.has_value());
  }

  SUBCASE("answers slower than any timeout still count") {
    PathSearch m = make();
    SimPath p{1500};
    p.slow_above = 1400;  // e.g. large datagrams queued behind a slow link
    Sim sim(m, p, 1);
    REQUIRE(sim.settle());  // first the sizes that answer in time
    CHECK(m.result().pmtu == 1400);
    // ... then the late answers reopen the search, until everything up to the top is proven.
    sim.run_until([&] { return m.result().pmtu == 1500; }, sim.now + 300s);
    REQUIRE(sim.settle());
    CHECK(m.result().pmtu == 1500);
    CHECK(m.result().late > 0);
    CHECK(m.result().timeout == PathSearchConfig{}.max_timeout);  // the RTT samples say so
  }

  SUBCASE("duplicates everywhere change nothing") {
    Tally t;
    crypto::Xorshift128Plus rng(37, 41);
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      SimPath p;
      p.mtu = draw(rng, 1200, 1500);
      p.duplicates = true;
      CHECK(search_once({}, p, seed, t));
    }
    CHECK(t.max <= 15);
  }

  SUBCASE("unlabelled answers (PING/PONG) with one probe in flight") {
    Tally clean, lossy;
    crypto::Xorshift128Plus rng(43, 47);
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      SimPath p;
      p.mtu = draw(rng, 1200, 1500);
      p.unlabelled = true;
      CHECK(search_once({}, p, seed, clean));
      p.loss = 0.10;
      search_once({}, p, seed, lossy);
    }
    MESSAGE(clean.line("unlabelled, clean"));
    MESSAGE(lossy.line("unlabelled, 10 % loss"));
    CHECK(clean.max <= 15);
    CHECK(lossy.exact * 100 >= lossy.runs * 99);
  }

  SUBCASE("an unlabelled answer credited to an older probe does not inflate the RTT") {
    // n2n-mtu against a supernode on a LAN: RTT 200 us, timeouts from 20 ms, 10 % loss. An
    // answer credited (conservatively) to a smaller probe that timed out a moment ago belongs,
    // most likely, to the probe just sent; an RTT sample from the older probe's send time
    // would be a timeout too long, raise the next timeout, and so on: a search that once took
    // 10 s of 20 ms timeouts. The sample is taken from the newest candidate instead (Karn).
    PathSearchConfig c;
    c.min_timeout = 20ms;
    c.initial_timeout = 300ms;
    c.max_timeout = 2s;
    Micros worst_rtt{0}, worst_time{0};
    unsigned exact = 0;
    crypto::Xorshift128Plus rng(53, 59);
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      SimPath p;
      p.mtu = draw(rng, 1200, 1500);
      p.rtt = 200us;
      p.loss = 0.10;
      p.unlabelled = true;
      PathSearch m = make(c);
      Sim sim(m, p, seed);
      REQUIRE(sim.settle());
      const PathSearchResult r = m.result();
      exact += r.state == SearchState::done && r.pmtu == p.mtu ? 1U : 0U;
      REQUIRE(r.smoothed_rtt.has_value());
      worst_rtt = std::max(worst_rtt, *r.smoothed_rtt);
      worst_time = std::max(worst_time, sim.now);
    }
    MESSAGE("unlabelled, RTT 200 us, 10 % loss: worst smoothed RTT "
            << worst_rtt.count() << " us, slowest search " << worst_time.count() / 1000
            << " ms (simulated)");
    CHECK(exact * 100 >= 300 * 99);
    CHECK(worst_rtt <= 250us);    // the path's RTT plus its jitter, never a timeout
    CHECK(worst_time <= 3000ms);  // 20 ms timeouts: a few seconds at the very worst
  }
}

TEST_CASE("path search: the timeout follows the RTT") {
  PathSearch m = make();
  CHECK(m.result().timeout == 200ms);
  Sim sim(m, SimPath{1500, 100ms}, 1);
  REQUIRE(sim.settle());
  const PathSearchResult r = m.result();
  REQUIRE(r.smoothed_rtt.has_value());
  CHECK(*r.smoothed_rtt >= 100ms);
  CHECK(*r.smoothed_rtt <= 125ms);
  CHECK(r.timeout == 3 * *r.smoothed_rtt);

  PathSearch fast = make();
  Sim lan(fast, SimPath{1500, 1ms}, 1);
  REQUIRE(lan.settle());
  CHECK(fast.result().timeout == 50ms);  // min_timeout
}

TEST_CASE("path search: restart forgets the path") {
  PathSearch m = make();
  Sim sim(m, SimPath{1450}, 1);
  REQUIRE(sim.settle());
  sim.path.mtu = 1300;
  m.restart(sim.now);
  CHECK(m.result().state == SearchState::searching);
  CHECK(m.result().pmtu == 1200);
  REQUIRE(sim.settle());
  CHECK(m.result().pmtu == 1300);
}

TEST_CASE("path search: the configuration is checked") {
  auto bad = [](auto change) {
    PathSearchConfig c;
    change(c);
    return PathSearch::create(c).error() == Reason::bad_field;
  };
  CHECK_FALSE(bad([](PathSearchConfig&) {}));
  CHECK(bad([](PathSearchConfig& c) { c.lower = 0; }));
  CHECK(bad([](PathSearchConfig& c) { c.lower = 1501; }));
  CHECK(bad([](PathSearchConfig& c) { c.upper = 70000; }));
  CHECK(bad([](PathSearchConfig& c) { c.max_in_flight = 0; }));
  CHECK(bad([](PathSearchConfig& c) { c.max_in_flight = 9; }));
  CHECK(bad([](PathSearchConfig& c) { c.max_probes = 0; }));
  CHECK(bad([](PathSearchConfig& c) { c.min_timeout = 0us; }));
  CHECK(bad([](PathSearchConfig& c) { c.initial_timeout = 10s; }));
  CHECK(bad([](PathSearchConfig& c) { c.boundary_risk = 0.0; }));
  CHECK(bad([](PathSearchConfig& c) { c.max_boundary_losses = 5; }));
  CHECK_FALSE(bad([](PathSearchConfig& c) {
    c.lower = c.upper = 1400;  // a range of one: just confirm it
  }));
  PathSearchConfig one;
  one.lower = one.upper = 1400;
  PathSearch m = make(one);
  Sim sim(m, SimPath{1500}, 1);
  REQUIRE(sim.settle());
  CHECK(m.result().pmtu == 1400);
  CHECK(sim.probes == 1);
}
