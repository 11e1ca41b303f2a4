#include <algorithm>
#include <cctype>
#include <map>

#include "core/firewall/ruleset_model.hpp"

namespace n2nkit::firewall {
namespace {

std::string hook_of_builtin(const std::string& chain) {
  static const std::map<std::string, std::string> hooks = {{"PREROUTING", "prerouting"},
                                                           {"INPUT", "input"},
                                                           {"FORWARD", "forward"},
                                                           {"OUTPUT", "output"},
                                                           {"POSTROUTING", "postrouting"}};
  const auto it = hooks.find(chain);
  return it == hooks.end() ? std::string() : it->second;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// The value after `flag`, with a "!" before the flag kept as a prefix of the value.
std::string value_of(const std::vector<std::string>& w, std::string_view flag) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    if (w[i] != flag) continue;
    const bool negated = i > 0 && w[i - 1] == "!";
    return (negated ? "!" : "") + w[i + 1];
  }
  return {};
}

bool has_word(const std::vector<std::string>& w, std::string_view word) {
  return std::find(w.begin(), w.end(), word) != w.end();
}

std::optional<std::uint16_t> number(const std::string& s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::string_view source_name(Source s) {
  switch (s) {
    case Source::nftables:
      return "nftables";
    case Source::iptables_nft:
      return "iptables-nft";
    case Source::iptables_legacy:
      return "iptables-legacy";
  }
  return "?";
}

std::vector<std::string> split_saved_rule(std::string_view line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\\' && i + 1 < line.size()) {
        cur += line[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

FirewallState parse_iptables_save(std::string_view text, IpFamily family, Source source) {
  FirewallState st;
  std::string table;
  for (const auto line : lines_of(text)) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '*') {
      table = std::string(line.substr(1));
      continue;
    }
    if (line[0] == ':') {
      const auto w = split_saved_rule(line.substr(1));
      if (w.size() >= 2 && w[0] == "FORWARD" && table == "filter")
        st.forward_policies.push_back(
            {{source, family, table, w[0], "forward"}, w[1] == "DROP" || w[1] == "REJECT"});
      continue;
    }
    const auto w = split_saved_rule(line);
    if (w.size() < 2 || w[0] != "-A") continue;
    const RulePlace place{source, family, table, w[1], hook_of_builtin(w[1])};
    const std::optional<Owner> owner = owner_from_comment(value_of(w, "--comment"));
    if (owner) ++st.owned_iptables_rules;
    const std::string target = value_of(w, "-j");
    if (target == "TCPMSS") {
      MssClamp c;
      c.place = place;
      c.in_iface = value_of(w, "-i");
      c.out_iface = value_of(w, "-o");
      c.to_pmtu = has_word(w, "--clamp-mss-to-pmtu");
      c.mss = number(value_of(w, "--set-mss")).value_or(0);
      c.owner = owner;
      st.clamps.push_back(std::move(c));
    } else if (target == "MASQUERADE" || target == "SNAT") {
      NatRule n;
      n.place = place;
      n.masquerade = target == "MASQUERADE";
      n.to_address = value_of(w, "--to-source");
      n.source_subnet = value_of(w, "-s");
      n.out_iface = value_of(w, "-o");
      n.owner = owner;
      st.nats.push_back(std::move(n));
    } else if (target == "ACCEPT" && table == "filter" && w[1] == "FORWARD") {
      ForwardAccept a;
      a.place = place;
      a.in_iface = value_of(w, "-i");
      a.out_iface = value_of(w, "-o");
      std::string states = value_of(w, "--ctstate");
      if (states.empty()) states = value_of(w, "--state");
      a.established_only = !states.empty() && states.find("NEW") == std::string::npos &&
                           states.find("ESTABLISHED") != std::string::npos;
      a.owner = owner;
      st.accepts.push_back(std::move(a));
    }
  }
  st.sources_read.push_back(std::string(source_name(source)) +
                            (family == IpFamily::ipv4 ? " (IPv4)" : " (IPv6)"));
  return st;
}

std::vector<SavedRule> owned_saved_rules(std::string_view text, Owner owner) {
  std::vector<SavedRule> out;
  std::string table;
  const std::string comment = owner_comment(owner);
  for (const auto line : lines_of(text)) {
    if (!line.empty() && line[0] == '*') {
      table = std::string(line.substr(1));
      continue;
    }
    if (line.substr(0, 3) != "-A ") continue;
    auto w = split_saved_rule(line);
    if (value_of(w, "--comment") != comment) continue;
    out.push_back({table, std::move(w)});
  }
  return out;
}

void FirewallState::merge(FirewallState o) {
  const auto append = [](auto& into, auto& from) {
    into.insert(into.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
  };
  append(clamps, o.clamps);
  append(nats, o.nats);
  append(accepts, o.accepts);
  append(forward_policies, o.forward_policies);
  append(owned_tables, o.owned_tables);
  append(sources_read, o.sources_read);
  append(errors, o.errors);
  owned_iptables_rules += o.owned_iptables_rules;
}

std::size_t FirewallState::owned_by(Owner o) const {
  std::size_t n = 0;
  for (const auto& c : clamps) n += c.owner == o ? 1U : 0U;
  for (const auto& x : nats) n += x.owner == o ? 1U : 0U;
  for (const auto& a : accepts) n += a.owner == o ? 1U : 0U;
  return n;
}

}  // namespace n2nkit::firewall
