#include "report.hpp"

#include <fmt/format.h>

namespace n2nkit::mtutool {
namespace {

std::string costs_nothing_note(const mtu::PathConfig& base) {
  std::string note = "Header encryption (-H) and compression (-z) add no bytes";
  if (base.header_encryption || base.compression) note += ": the figures hold with them";
  return note;
}

}  // namespace

nlohmann::json advice_json(std::size_t path_mtu, const mtu::PathConfig& base) {
  auto rows = nlohmann::json::array();
  for (const auto& a : mtu::advice_for_path(path_mtu, base)) {
    rows.push_back({{"transform", std::string(crypto::transform_name(a.transform))},
                    {"cli", fmt::format("-A{}", static_cast<int>(a.transform))},
                    {"direct_tap_mtu", a.direct_tap_mtu},
                    {"relayed_tap_mtu", a.relayed_tap_mtu},
                    {"direct_tcp_mss", a.direct_mss},
                    {"relayed_tcp_mss", a.relayed_mss},
                    {"recommended_M", a.relayed_tap_mtu}});
  }
  return {{"path_mtu", path_mtu},
          {"header_encryption", base.header_encryption},
          {"compression", base.compression},
          {"header_encryption_and_compression_cost_bytes", 0},
          {"transforms", rows}};
}

std::string advice_text(std::size_t path_mtu, const mtu::PathConfig& base,
                        std::optional<crypto::TransformId> mark) {
  std::string s = fmt::format(
      "For a path MTU of {}: TAP MTU (-M) and TCP MSS inside the overlay\n"
      "  transform      -M direct  -M relayed  MSS direct  MSS relayed\n",
      path_mtu);
  for (const auto& a : mtu::advice_for_path(path_mtu, base)) {
    const bool marked = mark && *mark == a.transform;
    s += fmt::format(
        "  {}{:<12} {:>10} {:>11} {:>11} {:>12}\n", marked ? "*" : " ",
        fmt::format("{} -A{}", crypto::transform_name(a.transform), static_cast<int>(a.transform)),
        a.direct_tap_mtu, a.relayed_tap_mtu, a.direct_mss, a.relayed_mss);
  }
  s += fmt::format(
      "Recommended -M: the relayed figure (a frame may always go through a supernode); the\n"
      "direct one only for peers that are certain to reach each other.\n{}.\n",
      costs_nothing_note(base));
  return s;
}

nlohmann::json probe_json(const ProbeReport& r, const mtu::PathConfig& base) {
  const auto& res = r.run.result;
  const auto conf = mtu::confidence_of(res, r.ceiling);
  nlohmann::json j = {
      {"target", r.what},
      {"method", r.method},
      {"state", mtu::search_state_name(res.state)},
      {"confidence", mtu::confidence_name(conf)},
      {"statement", mtu::confidence_statement(res, r.ceiling)},
      {"path_mtu", res.confirmed == 0 ? nlohmann::json(nullptr) : nlohmann::json(res.confirmed)},
      {"too_big", res.too_big},
      {"min", r.lower},
      {"max", r.upper},
      {"max_is_local_limit", r.ceiling.local_limit},
      {"max_origin", r.ceiling.local_limit ? r.ceiling.origin : r.ceiling_note},
      {"probes_sent", res.probes_sent},
      {"answered", res.answered},
      {"lost", res.lost},
      {"random_losses", res.random_losses},
      {"icmp_too_big", r.run.icmp_too_big},
      {"icmp_accepted", res.icmp_accepted},
      {"time_ms", static_cast<double>(r.run.elapsed.count()) / 1000.0},
      {"timed_out", r.run.timed_out},
      {"reply_fragment", r.run.reply_fragment},
  };
  if (!r.run.unreachable.empty()) j["unreachable"] = r.run.unreachable;
  if (res.smoothed_rtt) j["rtt_ms"] = static_cast<double>(res.smoothed_rtt->count()) / 1000.0;
  if (r.overlay) {
    j["overlay"] = {
        {"verdict", mtu::overlay_verdict_name(r.overlay->verdict)},
        {"statement", r.overlay->text},
        {"management", r.overlay_management},
        {"suggested_M", r.overlay->suggested_mtu ? nlohmann::json(*r.overlay->suggested_mtu)
                                                 : nlohmann::json(nullptr)}};
  } else if (res.confirmed != 0) {
    j["advice"] = advice_json(res.confirmed, base);
  }
  return j;
}

std::string probe_text(const ProbeReport& r, const mtu::PathConfig& base,
                       std::optional<crypto::TransformId> mark) {
  const auto& res = r.run.result;
  std::string s =
      fmt::format("Probing {} with {}, sizes {}..{}\n", r.what, r.method, r.lower, r.upper);
  if (!r.ceiling_note.empty()) s += fmt::format("Note: {}\n", r.ceiling_note);
  if (res.confirmed != 0) {
    const auto conf = mtu::confidence_of(res, r.ceiling);
    std::string how = mtu::confidence_name(conf);
    if (conf == mtu::Confidence::upper_limit) {
      how = "at least: the largest size tried (--max) answered";
    } else if (conf == mtu::Confidence::exact && r.ceiling.local_limit &&
               res.confirmed >= r.ceiling.size) {
      how = fmt::format("exact, {}", r.ceiling.origin);
    }
    s += fmt::format("Path MTU: {} bytes ({})\n", res.confirmed, how);
  } else {
    s += "Path MTU: unknown\n";
  }
  s += fmt::format("Confidence: {}\n", mtu::confidence_statement(res, r.ceiling));
  s += fmt::format("Probes: {} sent, {} answered, {} lost; {} too-big report(s); {:.1f} ms",
                   res.probes_sent, res.answered, res.lost, r.run.icmp_too_big,
                   static_cast<double>(r.run.elapsed.count()) / 1000.0);
  if (res.smoothed_rtt) {
    s += fmt::format(", RTT {:.2f} ms", static_cast<double>(res.smoothed_rtt->count()) / 1000.0);
  }
  s += r.run.timed_out ? " (stopped at --timeout)\n" : "\n";
  if (r.overlay) {
    s += fmt::format("Overlay: {}\n", r.overlay->text);
  } else if (res.confirmed != 0) {
    s += advice_text(res.confirmed, base, mark);
  }
  return s;
}

}  // namespace n2nkit::mtutool
