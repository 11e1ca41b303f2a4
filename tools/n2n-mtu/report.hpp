#pragma once
// n2n-mtu's output: the human report and the --json object carry the same facts.
#include <nlohmann/json.hpp>

#include <string>

#include "core/mtu/mtu_advice.hpp"
#include "core/mtu/overlay_verdict.hpp"
#include "options.hpp"
#include "probe_run.hpp"

namespace n2nkit::mtutool {

// The recommendation table (every transform, direct and relayed, -M and MSS).
nlohmann::json advice_json(std::size_t path_mtu, const mtu::PathConfig& base);
std::string advice_text(std::size_t path_mtu, const mtu::PathConfig& base,
                        std::optional<crypto::TransformId> mark);

struct ProbeReport {
  std::string what;    // "supernode 192.0.2.1:7654 (community x, header encryption)"
  std::string method;  // "padded n2n PINGs with DF"
  RunOutcome run;
  std::size_t lower = 0;
  std::size_t upper = 0;
  mtu::SearchCeiling ceiling;  // upper, and whether it is a local limit (then exact at it)
  std::string ceiling_note;    // why the ceiling is only a default (route lookup failed)
  std::optional<mtu::OverlayAssessment> overlay;  // --overlay: the verdict
  bool overlay_management = false;                // ... with the local edge's paths
};

nlohmann::json probe_json(const ProbeReport& r, const mtu::PathConfig& base);
std::string probe_text(const ProbeReport& r, const mtu::PathConfig& base,
                       std::optional<crypto::TransformId> mark);

}  // namespace n2nkit::mtutool
