#pragma once
// What the firewall does to traffic crossing the overlay, read from iptables-save text and from
// nftables' JSON (`nft -j list ruleset`): MSS clamps, NAT, FORWARD accepts, and which of them
// are n2nkit's. Pure parsers; reading the system is in firewall_backends.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/firewall/rule_plan.hpp"

namespace n2nkit::firewall {

enum class Source : std::uint8_t { nftables, iptables_nft, iptables_legacy };
std::string_view source_name(Source s);  // "nftables", "iptables-nft", "iptables-legacy"

// Where a rule lives: table and chain (nft: "inet n2nkit_mss", "forward"; iptables: "mangle",
// "FORWARD") and its hook ("forward", "output", "postrouting", ... or "" for a jump target).
struct RulePlace {
  Source source = Source::nftables;
  std::optional<IpFamily> family;  // none: both (nft inet without an nfproto match)
  std::string table;
  std::string chain;
  std::string hook;
};

struct MssClamp {
  RulePlace place;
  std::string in_iface;   // "" = any
  std::string out_iface;  // "" = any
  bool to_pmtu = false;   // --clamp-mss-to-pmtu / rt mtu
  std::uint16_t mss = 0;  // the fixed value otherwise
  std::optional<Owner> owner;
};

struct NatRule {
  RulePlace place;
  bool masquerade = false;    // else SNAT
  std::string to_address;     // SNAT's address
  std::string source_subnet;  // "" = any
  std::string out_iface;      // "" = any
  std::optional<Owner> owner;
};

struct ForwardAccept {
  RulePlace place;
  std::string in_iface;
  std::string out_iface;
  bool established_only = false;  // ct state / --ctstate limited to related,established
  std::optional<Owner> owner;
};

struct ChainPolicy {
  RulePlace place;
  bool drops = false;  // policy DROP on a base chain
};

struct FirewallState {
  std::vector<MssClamp> clamps;
  std::vector<NatRule> nats;
  std::vector<ForwardAccept> accepts;
  std::vector<ChainPolicy> forward_policies;  // FORWARD hooks' policies
  std::vector<std::string> owned_tables;      // "inet n2nkit_mss", ... (nftables)
  std::size_t owned_iptables_rules = 0;       // rules with an n2nkit:<owner> comment
  std::vector<std::string> sources_read;      // which sources this state includes
  std::vector<std::string> errors;            // sources that could not be read, one line each

  void merge(FirewallState other);
  // Rules marked by this owner (either backend).
  std::size_t owned_by(Owner o) const;
};

// iptables-save (or ip6tables-save) output. Unknown lines and rules are skipped, not errors.
FirewallState parse_iptables_save(std::string_view text, IpFamily family, Source source);
// Lines "-A <chain> ..." carrying `--comment n2nkit:<owner>`, per table, tokenised, for undo.
struct SavedRule {
  std::string table;
  std::vector<std::string> words;  // "-A", chain, spec...
};
std::vector<SavedRule> owned_saved_rules(std::string_view text, Owner owner);
// Tokenises one iptables-save rule line (double quotes and backslash escapes as it writes them).
std::vector<std::string> split_saved_rule(std::string_view line);

// `nft -j list ruleset`. skip_xtables_tables drops the ip/ip6 tables iptables-nft manages
// (filter, mangle, nat, raw, security) so they are not counted twice when iptables-nft-save is
// read as well. Malformed JSON gives a state with one error.
FirewallState parse_nft_json(std::string_view json, bool skip_xtables_tables);

}  // namespace n2nkit::firewall
