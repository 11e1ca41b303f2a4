#pragma once
// Supernode selection (spec §11.4): the criterion each strategy gives a supernode from its
// PONG, the sentinel values that order unanswered supernodes, which supernodes a sweep PINGs,
// and the criterion as the management API shows it. Pure: the engine keeps the state.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/wire/types.hpp"

namespace n2nkit::edge {

enum class SelectionStrategy : std::uint8_t {
  load,  // default: the PONG's load plus our pending peers, sticky for the current supernode
  rtt,   // --select-rtt: PING to PONG time, milliseconds
  mac,   // --select-mac: lowest supernode MAC first
};
const char* selection_strategy_name(SelectionStrategy s);

// Lower is better. Real criteria stay far below these, so an answered supernode always ranks
// before the current one that has not answered this round, which ranks before the rest; a
// supernode that failed to register us goes last. The values are the reference's, so that the
// management API hides them the same way (anything ≥ kCriterionShownBelow is not shown).
inline constexpr std::uint64_t kCriterionBad = UINT64_MAX >> 1;
inline constexpr std::uint64_t kCriterionDefault = kCriterionBad - 1;
inline constexpr std::uint64_t kCriterionGood = kCriterionBad - 2;
inline constexpr std::uint64_t kCriterionShownBelow = UINT64_MAX >> 2;

// Sweeps (§11.4, §12.2): every 30 s (a sweep is due once more than 30 s have passed); the first
// one 7 s after the start; PING budgets.
inline constexpr std::uint64_t kSweepInterval = 30;
inline constexpr std::uint64_t kFirstSweepDelay = 7;
inline constexpr std::size_t kInitialPings = 15;
inline constexpr std::size_t kRegularPings = 5;

struct LoadInputs {
  std::uint32_t load = 0;    // the PONG's field (0 from little-endian supernodes)
  std::uint64_t common = 0;  // pending peers (×2 with -H) / supernodes, at the sweep
  bool current = false;      // the supernode we are registered with
  std::size_t peers = 0;     // known + pending peers (stickiness)
};
std::uint64_t load_criterion(const LoadInputs& in);
std::uint64_t mac_criterion(const wire::Mac& mac);
// Milliseconds between PING and PONG; a clock that stepped back gives 0.
std::uint64_t rtt_criterion(std::uint64_t ping_us, std::uint64_t pong_us);

// The indices (into a list of `count` supernodes in selection order) a sweep PINGs with a
// budget: the first ⌊budget/2⌋, then after skipping `skip` (clamped to count − budget) the next
// ⌈budget/2⌉. Everything when count ≤ budget.
std::vector<std::size_t> ping_targets(std::size_t count, std::size_t budget, std::size_t skip);
// A skip in [0, range] biased towards small values (the better part of the list's middle is
// pinged more often); `r` is a uniform random 32-bit value.
std::size_t biased_skip(std::size_t range, std::uint32_t r);

// The management API's "selection" text, as the reference's (at most 15 characters): "load =
// %8d", "rtt = %6d ms", "active"/"standby" for --select-mac; "" for the sentinels.
std::string selection_text(SelectionStrategy s, std::uint64_t criterion, bool current);

}  // namespace n2nkit::edge
