#include <doctest/doctest.h>

#include "core/crypto/xorshift128.hpp"
#include "core/mtu/mtu_advice.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;
using namespace std::chrono_literals;

TEST_CASE("mtu advice: every transform, direct and relayed, from tap_mtu_for_path") {
  PathConfig base;
  const auto rows = advice_for_path(1500, base);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].transform == crypto::TransformId::null);
  CHECK(rows[0].direct_tap_mtu == 1420);   // 1500 - 28 - 38 - 14
  CHECK(rows[0].relayed_tap_mtu == 1412);  // 8 more for the relayed sock
  CHECK(rows[2].transform == crypto::TransformId::aes);
  CHECK(rows[2].relayed_tap_mtu == 1396);  // the edge's -M auto figure (1500 - 104)
  CHECK(rows[2].relayed_mss == 1356);
  for (const auto& r : rows) {
    PathConfig c;
    c.transform = r.transform;
    CHECK(r.direct_tap_mtu == tap_mtu_for_path(1500, c, false));
    CHECK(r.relayed_tap_mtu == tap_mtu_for_path(1500, c, true));
    CHECK(r.relayed_mss == tcp_mss_for_mtu(r.relayed_tap_mtu, false));
  }
  // -H and -z change nothing.
  PathConfig he = base;
  he.header_encryption = true;
  he.compression = true;
  const auto rows_he = advice_for_path(1492, he);
  const auto rows_plain = advice_for_path(1492, base);
  for (std::size_t i = 0; i < rows_he.size(); ++i) {
    CHECK(rows_he[i].relayed_tap_mtu == rows_plain[i].relayed_tap_mtu);
  }
  // A path too small for any frame gives 0, not an underflow.
  CHECK(advice_for_path(60, base)[0].direct_tap_mtu == 0);
}

namespace {

// A path of `mtu` bytes, RTT 1 ms, losing each datagram (probe or answer) with `loss`; answers
// unlabelled as PONGs are. Returns the finished result.
PathSearchResult one_shot_search(std::size_t mtu, double loss, std::uint64_t seed) {
  auto m = PathSearch::create(one_shot_search_config(1200, 1500, 1));
  REQUIRE(m);
  crypto::Xorshift128Plus rng(seed * 7919 + 1, seed ^ 0xabcdefULL);
  const auto lost = [&] { return static_cast<double>(rng.next() % 1'000'000) / 1e6 < loss; };
  Micros now{0};
  Micros answer_at{-1};  // -1: no answer under way
  for (int i = 0; i < 100'000; ++i) {
    const auto s = m->result().state;
    if (s == SearchState::done || s == SearchState::failed) break;
    const auto a = m->next_action(now);
    if (a.kind == ProbeAction::Kind::send) {
      if (a.size <= mtu && !lost() && !lost()) answer_at = now + 1ms;
      continue;
    }
    Micros next = a.kind == ProbeAction::Kind::wait ? a.at : now + 1s;
    if (answer_at.count() >= 0 && answer_at <= next) {
      now = answer_at;
      answer_at = Micros{-1};
      m->on_answer_unlabelled(now);
    } else {
      now = next;
    }
  }
  return m->result();
}

}  // namespace

TEST_CASE("mtu advice: the one-shot search ends done, exact, within 15 probes on clean paths") {
  for (const std::size_t mtu : {1200u, 1280u, 1400u, 1492u, 1499u}) {
    const auto r = one_shot_search(mtu, 0.0, mtu);
    CHECK(r.state == SearchState::done);
    CHECK(r.confirmed == mtu);
    CHECK(r.probes_sent <= 15);
    CHECK(confidence_of(r, 1500) == Confidence::exact);
  }
  const auto top = one_shot_search(1500, 0.0, 3);
  CHECK(top.confirmed == 1500);
  CHECK(confidence_of(top, 1500) == Confidence::upper_limit);
}

TEST_CASE("mtu advice: a ceiling that is a local limit makes its answer exact") {
  const auto top = one_shot_search(1500, 0.0, 3);
  REQUIRE(top.confirmed == 1500);
  const SearchCeiling eth0{1500, true, "the MTU of eth0 towards 203.0.113.10"};
  CHECK(confidence_of(top, eth0) == Confidence::exact);
  CHECK(confidence_statement(top, eth0) ==
        "exact: 1500, the MTU of eth0 towards 203.0.113.10: nothing larger leaves this host "
        "unfragmented; no probe lost");
  // --max is no local limit: "at least".
  const SearchCeiling given{1500, false, "--max"};
  CHECK(confidence_of(top, given) == Confidence::upper_limit);
  CHECK(confidence_statement(top, given).starts_with("at least 1500"));
  // Below the ceiling the boundary rule decides, as before.
  const auto r = one_shot_search(1492, 0.0, 4);
  CHECK(confidence_of(r, eth0) == Confidence::exact);
  CHECK(confidence_statement(r, eth0).starts_with("exact: 1492 answered, 1493 lost"));
}

TEST_CASE("mtu advice: the one-shot config knows 1500 and a jumbo ceiling as likely sizes") {
  CHECK(one_shot_search_config(1200, 1500, 1).likely_sizes.empty());
  CHECK(one_shot_search_config(1200, 1400, 1).likely_sizes.empty());
  CHECK(one_shot_search_config(1200, 9000, 1).likely_sizes == std::vector<std::size_t>{1500, 9000});
  CHECK(one_shot_search_config(1500, 9000, 1).likely_sizes.empty());
}

TEST_CASE("mtu advice: the one-shot search stays exact with 10 % loss each way") {
  int exact = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const std::size_t mtu = 1200 + (seed * 37) % 300;
    const auto r = one_shot_search(mtu, 0.10, seed);
    CHECK(r.state == SearchState::done);
    if (r.confirmed == mtu) ++exact;
  }
  CHECK(exact == 40);
}

TEST_CASE("mtu advice: confidence statements") {
  PathSearchResult r;
  CHECK(confidence_of(r, 1500) == Confidence::none);
  CHECK(confidence_statement(r, 1500).starts_with("no answer"));
  r.confirmed = 1400;
  r.state = SearchState::searching;
  CHECK(confidence_of(r, 1500) == Confidence::lower_bound);
  r.state = SearchState::done;
  r.too_big = 1401;
  r.boundary_losses = 7;
  CHECK(confidence_of(r, 1500) == Confidence::exact);
  CHECK(confidence_statement(r, 1500) ==
        "exact: 1400 answered, 1401 lost 7 times in a row; no probe lost");
  r.upper_evidence = UpperEvidence::icmp;
  CHECK(confidence_statement(r, 1500).find("ICMP") != std::string::npos);
}
