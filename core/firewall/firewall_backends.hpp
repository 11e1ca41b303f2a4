#pragma once
// Installing, removing and reading n2nkit's rules on the running system. nftables through
// libnftables; iptables (nf_tables or legacy variant) through its commands. Apply is
// idempotent (twice = once); undo removes exactly what the owner added and nothing else.
//
// iptables-nft creates its table and base chain on first use and leaves them behind when the
// last rule goes. So that undo restores the ruleset byte for byte, apply records which of them
// it created in <state dir>/firewall-<owner>.iptables-nft (state dir: $N2NKIT_STATE_DIR, else
// /run/n2nkit) and undo deletes those if they are empty by then. A legacy iptables table comes
// into being when anything first touches it (a read is enough) and cannot be removed; that is
// the kernel's, not a rule.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/firewall/rule_plan.hpp"
#include "core/firewall/ruleset_model.hpp"

namespace n2nkit::firewall {

enum class Backend : std::uint8_t { nft, iptables_nft, iptables_legacy };

std::string_view backend_name(Backend b);  // "nft", "iptables-nft", "iptables-legacy"

struct Outcome {
  bool ok = true;
  bool permission = false;           // the kernel or iptables said root / CAP_NET_ADMIN is needed
  std::string error;                 // one line
  std::vector<std::string> changes;  // what was done, one line each, for people
};

// `iptables -V`: "(nf_tables)" or "(legacy)". nullopt with one line in error when iptables is
// missing or says neither.
std::optional<Backend> detect_iptables_variant(std::string& error);
// "nft", "iptables-nft", "iptables-legacy" as named; "iptables" detects the variant. nullopt with
// error for an unknown name.
std::optional<Backend> resolve_backend(std::string_view name, std::string& error);
// The iptables program for a variant and family: iptables-nft, ip6tables-legacy, ...
std::string iptables_program(Backend b, IpFamily f);

Outcome apply(const RulePlan& plan, Backend b);
Outcome undo(Owner owner, Backend b);
// Whether the owner has anything installed through this backend.
bool installed(Owner owner, Backend b, std::string& error);

// libnftables: run a script (one transaction), or list something ("ruleset", "table inet x")
// as JSON.
Outcome nft_run(const std::string& script);
Outcome nft_list_json(const std::string& what, std::string& json_out);

// Everything readable: nftables JSON, iptables-nft-save and iptables-legacy-save for both
// families. A source that cannot be read (no permission, program missing) adds a line to
// errors and the rest is still read.
FirewallState read_firewall_state();

}  // namespace n2nkit::firewall
