#include "core/mtu/mtu_advice.hpp"

#include <fmt/format.h>

namespace n2nkit::mtu {

std::vector<TransformAdvice> advice_for_path(std::size_t path_mtu, const PathConfig& base) {
  std::vector<TransformAdvice> rows;
  for (const auto id :
       {crypto::TransformId::null, crypto::TransformId::twofish, crypto::TransformId::aes,
        crypto::TransformId::chacha20, crypto::TransformId::speck}) {
    PathConfig c = base;
    c.transform = id;
    TransformAdvice a;
    a.transform = id;
    a.direct_tap_mtu = tap_mtu_for_path(path_mtu, c, false);
    a.relayed_tap_mtu = tap_mtu_for_path(path_mtu, c, true);
    const bool v6 = false;  // the MSS of IPv4 TCP inside the overlay
    a.direct_mss = tcp_mss_for_mtu(a.direct_tap_mtu, v6);
    a.relayed_mss = tcp_mss_for_mtu(a.relayed_tap_mtu, v6);
    rows.push_back(a);
  }
  return rows;
}

PathSearchConfig one_shot_search_config(std::size_t lower, std::size_t upper,
                                        std::uint32_t first_id) {
  PathSearchConfig cfg;
  cfg.lower = lower;
  cfg.upper = upper;
  cfg.confirm_interval = Micros{0};
  cfg.raise_interval = Micros{0};
  cfg.first_id = first_id;
  constexpr std::size_t kEthernet = 1500;
  if (lower < kEthernet && upper > kEthernet) cfg.likely_sizes = {kEthernet, upper};
  return cfg;
}

const char* confidence_name(Confidence c) {
  switch (c) {
    case Confidence::exact:
      return "exact";
    case Confidence::upper_limit:
      return "at least";
    case Confidence::lower_bound:
      return "lower bound";
    case Confidence::none:
      return "none";
  }
  return "?";
}

Confidence confidence_of(const PathSearchResult& r, const SearchCeiling& ceiling) {
  if (r.confirmed == 0) return Confidence::none;
  if (r.state != SearchState::done) return Confidence::lower_bound;
  if (r.confirmed >= ceiling.size && !ceiling.local_limit) return Confidence::upper_limit;
  return Confidence::exact;
}

Confidence confidence_of(const PathSearchResult& r, std::size_t upper) {
  return confidence_of(r, SearchCeiling{upper, false, {}});
}

std::string confidence_statement(const PathSearchResult& r, std::size_t upper) {
  return confidence_statement(r, SearchCeiling{upper, false, {}});
}

std::string confidence_statement(const PathSearchResult& r, const SearchCeiling& ceiling) {
  const std::string losses =
      r.lost == 0
          ? "no probe lost"
          : fmt::format("{} of {} probes lost, {} of them at sizes that passed (random loss)",
                        r.lost, r.probes_sent, r.random_losses);
  switch (confidence_of(r, ceiling)) {
    case Confidence::exact:
      if (ceiling.local_limit && r.confirmed >= ceiling.size) {
        return fmt::format("exact: {}, {}: nothing larger leaves this host unfragmented; {}",
                           r.confirmed, ceiling.origin, losses);
      }
      if (r.upper_evidence == UpperEvidence::icmp) {
        return fmt::format("exact: {} answered, {} reported too big by ICMP/the local stack; {}",
                           r.confirmed, r.too_big, losses);
      }
      return fmt::format("exact: {} answered, {} lost {} times in a row; {}", r.confirmed,
                         r.too_big, r.boundary_losses, losses);
    case Confidence::upper_limit:
      return fmt::format(
          "at least {}: the largest size tried answered (raise --max to look "
          "higher); {}",
          r.confirmed, losses);
    case Confidence::lower_bound:
      return fmt::format("lower bound: {} answered, the search did not finish; {}", r.confirmed,
                         losses);
    case Confidence::none:
      return fmt::format("no answer: not even the smallest probe came back; {}", losses);
  }
  return losses;
}

}  // namespace n2nkit::mtu
