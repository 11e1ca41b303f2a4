#include "tui/poller.hpp"

#include <fmt/format.h>

#include <ctime>

#include "core/diag/mss_check.hpp"
#include "core/mgmt/client.hpp"

namespace n2nkit::tui {

TargetSnapshot poll_target(const Target& t, const PollSettings& s) {
  // All methods at once: a port that does not answer costs one timeout, not one per method.
  const auto& methods = polled_methods();
  std::vector<mgmt::ReadAnswer> got =
      mgmt::read_methods(t.port, t.password, methods, s.timeout, s.packed_rows);
  std::map<std::string, MethodAnswer> answers;
  for (std::size_t i = 0; i < methods.size(); ++i) {
    mgmt::ReadAnswer& a = got[i];
    answers[methods[i]] = MethodAnswer{std::move(a.rows), std::move(a.error), a.refused, a.ok};
  }
  return build_target(fmt::format("127.0.0.1:{}", t.port), t.port, answers);
}

Snapshot poll_all(const std::vector<Target>& targets, const PollSettings& s) {
  Snapshot snap;
  snap.targets.reserve(targets.size());
  for (const Target& t : targets) snap.targets.push_back(poll_target(t, s));
  snap.taken = static_cast<std::int64_t>(std::time(nullptr));
  return snap;
}

FirewallSnapshot read_firewall(const std::string& overlay) {
  FirewallSnapshot f;
  f.overlay = overlay;
  std::string error;
  auto facts = diag::read_host_facts(overlay, "", error);
  if (!facts) {
    f.error = fmt::format("firewall for {}: {}", overlay, error);
    return f;
  }
  f.read = true;
  f.ipv4_forwarding = facts->ipv4_forwarding;
  f.ipv6_forwarding = facts->ipv6_forwarding;
  f.findings = diag::diagnose(*facts);
  f.state = std::move(facts->firewall);
  return f;
}

}  // namespace n2nkit::tui
