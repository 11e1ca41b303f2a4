// iptables through its commands (the only interface iptables-legacy has), marked with
// `-m comment --comment n2nkit:<owner>` so that undo finds exactly our rules.
#include <fmt/format.h>

#include <sys/stat.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/firewall/firewall_backends.hpp"
#include "core/firewall/program_run.hpp"

namespace n2nkit::firewall {
namespace {

bool permission_text(const std::string& s) {
  return s.find("Permission denied") != std::string::npos ||
         s.find("you must be root") != std::string::npos ||
         s.find("Operation not permitted") != std::string::npos;
}

Outcome failure(const std::string& program, const ProgramResult& r) {
  Outcome o;
  o.ok = false;
  if (!r.started) {
    o.error = r.error;
    return o;
  }
  const std::string line = last_line(r.err);
  o.permission = permission_text(r.err);
  o.error = program + ": " + (line.empty() ? fmt::format("exit status {}", r.exit_code) : line);
  if (o.permission && line.find("root") == std::string::npos)
    o.error += " (needs root or CAP_NET_ADMIN)";
  return o;
}

std::vector<std::string> with_program(const std::string& program, std::vector<std::string> args) {
  args.insert(args.begin(), {program, "-w"});
  return args;
}

// iptables-nft's own table and base chain, recorded when apply creates them (see the header).
std::string state_path(Owner owner) {
  const char* dir = std::getenv("N2NKIT_STATE_DIR");
  return fmt::format("{}/firewall-{}.iptables-nft", dir != nullptr && *dir ? dir : "/run/n2nkit",
                     owner_name(owner));
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

bool write_lines(const std::string& path, const std::vector<std::string>& lines,
                 std::string& error) {
  const auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) mkdir(path.substr(0, slash).c_str(), 0755);
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : lines) out << l << '\n';
  out.close();
  if (!out) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

std::string nft_family(IpFamily f) {
  return f == IpFamily::ipv4 ? "ip" : "ip6";
}

bool nft_exists(const std::string& what) {
  return nft_run("list " + what).ok;
}

// Records the iptables-nft tables and chains this plan would create.
bool record_created(const RulePlan& plan, std::string& error) {
  const std::string path = state_path(plan.owner);
  std::vector<std::string> lines = read_lines(path);
  const auto add = [&](const std::string& l) {
    if (std::find(lines.begin(), lines.end(), l) == lines.end()) lines.push_back(l);
  };
  const std::size_t before = lines.size();
  for (const auto& r : plan.iptables) {
    const std::string table = fmt::format("table {} {}", nft_family(r.family), r.table);
    const std::string chain = fmt::format("chain {} {} {}", nft_family(r.family), r.table, r.chain);
    if (!nft_exists(table)) {
      add(table);
      add(chain);
    } else if (!nft_exists(chain)) {
      add(chain);
    }
  }
  if (lines.size() == before) return true;
  return write_lines(path, lines, error);
}

// How many objects of a kind ("rule", "chain") a listing holds; -1 when it cannot be listed.
int count_in_listing(const std::string& what, const char* kind) {
  std::string json;
  if (!nft_list_json(what, json).ok) return -1;
  int n = 0;
  const auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.contains("nftables") || !doc["nftables"].is_array()) return -1;
  for (const auto& item : doc["nftables"])
    if (item.is_object() && item.contains(kind)) ++n;
  return n;
}

// Deletes recorded chains that are empty now, then recorded tables left without chains.
void remove_created(Owner owner, Outcome& o) {
  const std::string path = state_path(owner);
  const auto lines = read_lines(path);
  for (const bool tables : {false, true}) {
    for (const auto& l : lines) {
      if ((l.rfind("table ", 0) == 0) != tables) continue;
      if (count_in_listing(l, tables ? "chain" : "rule") != 0) continue;
      if (nft_run("delete " + l).ok)
        o.changes.push_back("nft delete " + l + " (iptables-nft created it for our rules)");
    }
  }
  // Entries still there (not empty yet) stay recorded for the next undo.
  std::vector<std::string> left;
  for (const auto& l : lines)
    if (nft_run("list " + l).ok) left.push_back(l);
  std::string error;
  if (left.empty())
    std::remove(path.c_str());
  else if (!write_lines(path, left, error))
    o.changes.push_back(error);
}

}  // namespace

std::string iptables_program(Backend b, IpFamily f) {
  const std::string base = f == IpFamily::ipv4 ? "iptables" : "ip6tables";
  return base + (b == Backend::iptables_legacy ? "-legacy" : "-nft");
}

std::optional<Backend> detect_iptables_variant(std::string& error) {
  const ProgramResult r = run_program({"iptables", "-V"});
  if (!r.started) {
    error = "iptables is not installed (" + r.error + ")";
    return std::nullopt;
  }
  const std::string text = r.out + r.err;
  if (text.find("(nf_tables)") != std::string::npos) return Backend::iptables_nft;
  if (text.find("(legacy)") != std::string::npos) return Backend::iptables_legacy;
  error = "cannot tell the iptables variant from `iptables -V`: " + last_line(text);
  return std::nullopt;
}

std::optional<Backend> resolve_backend(std::string_view name, std::string& error) {
  if (name == "nft" || name == "nftables") return Backend::nft;
  if (name == "iptables-nft") return Backend::iptables_nft;
  if (name == "iptables-legacy") return Backend::iptables_legacy;
  if (name == "iptables") return detect_iptables_variant(error);
  error = fmt::format(
      "unknown firewall backend '{}' (nft, iptables, iptables-nft, iptables-legacy)", name);
  return std::nullopt;
}

std::string_view backend_name(Backend b) {
  switch (b) {
    case Backend::nft:
      return "nft";
    case Backend::iptables_nft:
      return "iptables-nft";
    case Backend::iptables_legacy:
      return "iptables-legacy";
  }
  return "?";
}

namespace {

Outcome iptables_undo(Owner owner, Backend b) {
  Outcome o;
  for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
    const std::string program = iptables_program(b, f);
    const ProgramResult save = run_program({program + "-save"});
    if (!save.started || save.exit_code != 0) return failure(program + "-save", save);
    for (const auto& rule : owned_saved_rules(save.out, owner)) {
      std::vector<std::string> args = {"-t", rule.table, "-D"};
      args.insert(args.end(), rule.words.begin() + 1, rule.words.end());
      const ProgramResult r = run_program(with_program(program, args));
      if (!r.started || r.exit_code != 0) return failure(program, r);
      std::string line = program + " -t " + rule.table + " -D";
      for (std::size_t i = 1; i < rule.words.size(); ++i) line += " " + rule.words[i];
      o.changes.push_back(line);
    }
  }
  if (b == Backend::iptables_nft) remove_created(owner, o);
  return o;
}

Outcome iptables_apply(const RulePlan& plan, Backend b) {
  Outcome o;
  // Permission first: recording iptables-nft's tables would otherwise fail less clearly.
  const std::string probe = iptables_program(b, IpFamily::ipv4) + "-save";
  const ProgramResult probed = run_program({probe});
  if (!probed.started || probed.exit_code != 0) return failure(probe, probed);
  if (b == Backend::iptables_nft) {
    std::string error;
    if (!record_created(plan, error)) {
      o.ok = false;
      o.error = error;
      return o;
    }
  }
  std::vector<const IptablesRule*> added;
  const auto roll_back = [&](Outcome failed) {
    for (auto it = added.rbegin(); it != added.rend(); ++it)
      (void)run_program(
          with_program(iptables_program(b, (*it)->family), iptables_argv(**it, IptablesOp::del)));
    if (b == Backend::iptables_nft) {
      Outcome ignored;
      remove_created(plan.owner, ignored);
    }
    return failed;
  };
  for (const auto& rule : plan.iptables) {
    const std::string program = iptables_program(b, rule.family);
    const ProgramResult check =
        run_program(with_program(program, iptables_argv(rule, IptablesOp::check)));
    if (!check.started) return roll_back(failure(program, check));
    if (check.exit_code == 0) continue;  // already there: apply twice = once
    if (permission_text(check.err)) return roll_back(failure(program, check));
    const ProgramResult r =
        run_program(with_program(program, iptables_argv(rule, IptablesOp::add)));
    if (!r.started || r.exit_code != 0) return roll_back(failure(program, r));
    added.push_back(&rule);
    o.changes.push_back(
        iptables_command_line(rule, IptablesOp::add, iptables_program(b, IpFamily::ipv4)));
  }
  return o;
}

}  // namespace

Outcome apply(const RulePlan& plan, Backend b) {
  if (b != Backend::nft) return iptables_apply(plan, b);
  Outcome o = nft_run(plan.nft_apply_script);
  if (o.ok) o.changes.push_back("nft: table inet " + plan.nft_table + " loaded");
  return o;
}

Outcome undo(Owner owner, Backend b) {
  if (b != Backend::nft) return iptables_undo(owner, b);
  const std::string table = "table inet " + owner_nft_table(owner);
  const bool had = nft_run("list " + table).ok;
  Outcome o = nft_run(nft_undo_script(owner));
  if (o.ok && had) o.changes.push_back("nft: " + table + " deleted");
  return o;
}

bool installed(Owner owner, Backend b, std::string& error) {
  if (b == Backend::nft) return nft_run("list table inet " + owner_nft_table(owner)).ok;
  for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
    const std::string program = iptables_program(b, f) + "-save";
    const ProgramResult save = run_program({program});
    if (!save.started || save.exit_code != 0) {
      error = failure(program, save).error;
      return false;
    }
    if (!owned_saved_rules(save.out, owner).empty()) return true;
  }
  return false;
}

FirewallState read_firewall_state() {
  FirewallState st;
  std::string json;
  const Outcome listed = nft_list_json("ruleset", json);
  if (listed.ok)
    st.merge(parse_nft_json(json, true));
  else
    st.errors.push_back(listed.error);
  for (const Backend b : {Backend::iptables_nft, Backend::iptables_legacy}) {
    for (const IpFamily f : {IpFamily::ipv4, IpFamily::ipv6}) {
      const std::string program = iptables_program(b, f) + "-save";
      const ProgramResult save = run_program({program});
      if (!save.started || save.exit_code != 0) {
        st.errors.push_back(failure(program, save).error);
        continue;
      }
      st.merge(parse_iptables_save(
          save.out, f,
          b == Backend::iptables_nft ? Source::iptables_nft : Source::iptables_legacy));
    }
  }
  return st;
}

}  // namespace n2nkit::firewall
