#include "core/edge/supernode_selection.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::edge {

const char* selection_strategy_name(SelectionStrategy s) {
  switch (s) {
    case SelectionStrategy::load:
      return "load";
    case SelectionStrategy::rtt:
      return "rtt";
    case SelectionStrategy::mac:
      return "mac";
  }
  return "load";
}

std::uint64_t load_criterion(const LoadInputs& in) {
  std::uint64_t value = std::uint64_t{in.load} + in.common;
  // Switching costs every peer a new path: the more peers, the less a small difference in
  // load is worth a move.
  if (in.current) value = value * in.peers / (in.peers + 1);
  return value;
}

std::uint64_t mac_criterion(const wire::Mac& mac) {
  std::uint64_t v = 0;
  for (const auto b : mac) v = (v << 8) | b;
  return v;
}

std::uint64_t rtt_criterion(std::uint64_t ping_us, std::uint64_t pong_us) {
  return pong_us > ping_us ? (pong_us - ping_us) / 1000 : 0;
}

std::vector<std::size_t> ping_targets(std::size_t count, std::size_t budget, std::size_t skip) {
  std::vector<std::size_t> out;
  if (count <= budget) {
    for (std::size_t i = 0; i < count; ++i) out.push_back(i);
    return out;
  }
  const std::size_t top = budget / 2;
  const std::size_t rest = budget - top;
  skip = std::min(skip, count - budget);
  for (std::size_t i = 0; i < top; ++i) out.push_back(i);
  for (std::size_t i = 0; i < rest; ++i) out.push_back(top + skip + i);
  return out;
}

std::size_t biased_skip(std::size_t range, std::uint32_t r) {
  if (range == 0) return 0;
  // The square of a uniform value in [0, 1): small skips are the likely ones.
  const double u = static_cast<double>(r) / 4294967296.0;
  return std::min(range, static_cast<std::size_t>(u * u * static_cast<double>(range + 1)));
}

std::string selection_text(SelectionStrategy s, std::uint64_t criterion, bool current) {
  if (criterion >= kCriterionShownBelow) return {};
  std::string text;
  switch (s) {
    case SelectionStrategy::load:
      text = fmt::format("load = {:>8}", criterion);
      break;
    case SelectionStrategy::rtt:
      text = fmt::format("rtt = {:>6} ms", criterion);
      break;
    case SelectionStrategy::mac:
      if (criterion > 0) text = current ? "active" : "standby";
      break;
  }
  // The reference's buffer holds 15 characters.
  if (text.size() > 15) text.resize(15);
  return text;
}

}  // namespace n2nkit::edge
