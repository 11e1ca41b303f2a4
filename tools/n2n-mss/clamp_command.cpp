// n2n-mss clamp: plan from the overlay's MTU, then apply or undo through core/firewall.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/firewall/firewall_backends.hpp"
#include "core/net/route_lookup.hpp"
#include "tools/n2n-mss/commands.hpp"

namespace n2nmss {
namespace {

namespace fw = n2nkit::firewall;

int report(const fw::Outcome& o, const std::vector<std::string>& changes, bool json,
           const nlohmann::json& extra) {
  if (!o.ok) {
    std::cerr << "n2n-mss clamp: " << o.error << "\n";
    return o.permission ? kExitPermission : kExitProblem;
  }
  if (json) {
    nlohmann::json j = extra;
    j["changes"] = changes;
    std::cout << j.dump(2) << "\n";
  } else if (changes.empty()) {
    std::cout << "nothing to change\n";
  } else {
    for (const auto& c : changes) std::cout << c << "\n";
  }
  return kExitOk;
}

int undo_all(const n2nkit::diag::ClampOptions& o) {
  std::vector<fw::Backend> backends;
  std::string error;
  if (!o.backend.empty()) {
    const auto b = fw::resolve_backend(o.backend, error);
    if (!b) {
      std::cerr << "n2n-mss clamp: " << error << "\n";
      return kExitUsage;
    }
    backends.push_back(*b);
  } else {
    backends = {fw::Backend::nft, fw::Backend::iptables_nft, fw::Backend::iptables_legacy};
  }
  std::vector<std::string> changes;
  nlohmann::json extra = {{"action", "undo"}, {"dry_run", o.dry_run}};
  for (const auto b : backends) {
    if (o.dry_run) {
      std::string err;
      if (fw::installed(fw::Owner::mss, b, err))
        changes.push_back(
            fmt::format("would remove n2n-mss's clamping from {}", fw::backend_name(b)));
      else if (!err.empty() && o.backend.empty())
        continue;  // a backend that is not there has nothing of ours
      else if (!err.empty())
        return report({false, err.find("root") != std::string::npos, err, {}}, {}, o.json, extra);
      continue;
    }
    fw::Outcome r = fw::undo(fw::Owner::mss, b);
    // Without --backend, an iptables variant that is not installed has nothing of ours.
    if (!r.ok && o.backend.empty() && !r.permission && b != fw::Backend::nft) continue;
    if (!r.ok) return report(r, changes, o.json, extra);
    changes.insert(changes.end(), r.changes.begin(), r.changes.end());
  }
  return report({}, changes, o.json, extra);
}

}  // namespace

int run_clamp(const n2nkit::diag::ClampOptions& o) {
  if (const auto bad = n2nkit::diag::check_clamp_options(o)) {
    std::cerr << "n2n-mss clamp: " << *bad << "\n";
    return kExitUsage;
  }
  if (o.undo) return undo_all(o);

  std::string error;
  fw::ClampRequest req;
  req.overlay_iface = o.iface;
  req.pmtu = !o.mss.has_value();
  req.fixed_mss = static_cast<std::uint16_t>(o.mss.value_or(0));
  req.local_output = o.local_output;
  auto routes = n2nkit::net::RouteLookup::open(error);
  if (!routes) {
    std::cerr << "n2n-mss clamp: " << error << "\n";
    return kExitProblem;
  }
  int ifindex = 0;
  const auto mtu = routes->iface_mtu(o.iface, ifindex, error);
  if (!mtu) {
    std::cerr << "n2n-mss clamp: " << error << "\n";
    return kExitUsage;
  }
  req.overlay_mtu = *mtu;
  const auto plan = fw::plan_clamp(req, error);
  if (!plan) {
    std::cerr << "n2n-mss clamp: " << error << "\n";
    return kExitUsage;
  }
  const auto backend = fw::resolve_backend(o.backend.empty() ? "nft" : o.backend, error);
  if (!backend) {
    std::cerr << "n2n-mss clamp: " << error << "\n";
    return kExitUsage;
  }
  nlohmann::json extra = {{"action", "apply"},
                          {"backend", fw::backend_name(*backend)},
                          {"iface", o.iface},
                          {"overlay_mtu", *mtu},
                          {"dry_run", o.dry_run}};
  std::vector<std::string> lines;
  if (*backend == fw::Backend::nft) {
    extra["nft_script"] = plan->nft_apply_script;
    lines = plan->nft_commands;
  } else {
    const std::string program = fw::iptables_program(*backend, fw::IpFamily::ipv4);
    for (const auto& r : plan->iptables)
      lines.push_back(fw::iptables_command_line(r, fw::IptablesOp::add, program));
    extra["iptables"] = lines;
  }
  if (o.dry_run) {
    if (o.json) return report({}, {}, true, extra);
    if (*backend == fw::Backend::nft) {
      std::cout << "# nft -f - <<'EOF'\n" << plan->nft_apply_script << "# EOF\n";
    } else {
      for (const auto& l : lines) std::cout << l << "\n";
    }
    return kExitOk;
  }
  const fw::Outcome r = fw::apply(*plan, *backend);
  std::vector<std::string> changes = r.changes;
  if (r.ok && changes.empty()) changes.push_back("already in place: nothing added");
  return report(r, changes, o.json, extra);
}

}  // namespace n2nmss
