#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/firewall/ruleset_model.hpp"

namespace n2nkit::firewall {
namespace {

using nlohmann::json;

struct ChainInfo {
  std::string hook;
  std::string type;
  std::string policy;
};

std::string text_of(const json& j) {
  return j.is_string() ? j.get<std::string>() : std::string();
}

std::string key_of(const json& expr, const char* kind) {
  if (!expr.is_object() || !expr.contains(kind) || !expr[kind].is_object()) return {};
  return text_of(expr[kind].value("key", json()));
}

// "ip saddr" style: the payload's protocol and field, "" when the expression is no payload.
std::string payload_of(const json& expr) {
  if (!expr.is_object() || !expr.contains("payload") || !expr["payload"].is_object()) return {};
  const auto& p = expr["payload"];
  return text_of(p.value("protocol", json())) + " " + text_of(p.value("field", json()));
}

std::string address_of(const json& right) {
  if (right.is_string()) return right.get<std::string>();
  if (right.is_object() && right.contains("prefix") && right["prefix"].is_object()) {
    const auto& p = right["prefix"];
    if (p.contains("len") && p["len"].is_number_integer())
      return text_of(p.value("addr", json())) + "/" + std::to_string(p["len"].get<int>());
  }
  return {};
}

bool is_maxseg(const json& j) {
  return j.is_object() && j.contains("tcp option") && j["tcp option"].is_object() &&
         text_of(j["tcp option"].value("name", json())) == "maxseg";
}

struct RuleFacts {
  std::string iif, oif, saddr;
  std::optional<IpFamily> family;
  std::optional<std::set<std::string>> ct_states;
  bool mss_set = false, mss_pmtu = false;
  std::uint16_t mss = 0;
  bool masquerade = false, snat = false, accept = false;
  std::string snat_to;
};

RuleFacts facts_of(const json& exprs) {
  RuleFacts f;
  if (!exprs.is_array()) return f;
  for (const auto& e : exprs) {
    if (!e.is_object()) continue;
    if (e.contains("match") && e["match"].is_object()) {
      const auto& m = e["match"];
      const std::string op = text_of(m.value("op", json()));
      const json left = m.value("left", json());
      const json right = m.value("right", json());
      const std::string neg = op == "!=" ? "!" : "";
      const std::string meta = key_of(left, "meta");
      if (meta == "iifname") f.iif = neg + text_of(right);
      if (meta == "oifname") f.oif = neg + text_of(right);
      if (meta == "nfproto" && neg.empty()) {
        if (text_of(right) == "ipv4") f.family = IpFamily::ipv4;
        if (text_of(right) == "ipv6") f.family = IpFamily::ipv6;
      }
      if (payload_of(left) == "ip saddr") f.saddr = neg + address_of(right);
      if (key_of(left, "ct") == "state" && neg.empty()) {
        std::set<std::string> states;
        if (right.is_array()) {
          for (const auto& s : right) states.insert(text_of(s));
        } else {
          states.insert(text_of(right));
        }
        f.ct_states = states;
      }
    } else if (e.contains("mangle") && e["mangle"].is_object()) {
      const auto& m = e["mangle"];
      if (!is_maxseg(m.value("key", json()))) continue;
      const json value = m.value("value", json());
      f.mss_set = true;
      if (value.is_number_unsigned() && value.get<unsigned>() <= 65535) {
        f.mss = static_cast<std::uint16_t>(value.get<unsigned>());
      } else if (key_of(value, "rt") == "mtu") {
        f.mss_pmtu = true;
      }
    } else if (e.contains("masquerade")) {
      f.masquerade = true;
    } else if (e.contains("snat")) {
      f.snat = true;
      if (e["snat"].is_object()) f.snat_to = text_of(e["snat"].value("addr", json()));
    } else if (e.contains("accept")) {
      f.accept = true;
    }
  }
  return f;
}

std::optional<IpFamily> family_of_table(const std::string& family) {
  if (family == "ip") return IpFamily::ipv4;
  if (family == "ip6") return IpFamily::ipv6;
  return std::nullopt;
}

}  // namespace

FirewallState parse_nft_json(std::string_view text, bool skip_xtables_tables) {
  FirewallState st;
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("nftables") ||
      !doc["nftables"].is_array()) {
    st.errors.push_back("nftables: the ruleset listing is not the JSON nft writes");
    return st;
  }
  static const std::set<std::string> xtables = {"filter", "mangle", "nat", "raw", "security"};
  const auto skipped = [&](const std::string& family, const std::string& table) {
    return skip_xtables_tables && (family == "ip" || family == "ip6") && xtables.count(table) != 0;
  };
  std::map<std::string, ChainInfo> chains;  // "family table chain"
  for (const auto& item : doc["nftables"]) {
    if (!item.is_object()) continue;
    if (item.contains("table") && item["table"].is_object()) {
      const auto& t = item["table"];
      const std::string name = text_of(t.value("name", json()));
      if (owner_from_nft_table(name) && text_of(t.value("family", json())) == "inet")
        st.owned_tables.push_back("inet " + name);
    } else if (item.contains("chain") && item["chain"].is_object()) {
      const auto& c = item["chain"];
      const std::string family = text_of(c.value("family", json()));
      const std::string table = text_of(c.value("table", json()));
      const std::string name = text_of(c.value("name", json()));
      ChainInfo info{text_of(c.value("hook", json())), text_of(c.value("type", json())),
                     text_of(c.value("policy", json()))};
      if (!skipped(family, table) && info.hook == "forward" && info.type == "filter")
        st.forward_policies.push_back(
            {{Source::nftables, family_of_table(family), family + " " + table, name, "forward"},
             info.policy == "drop"});
      chains[family + " " + table + " " + name] = std::move(info);
    } else if (item.contains("rule") && item["rule"].is_object()) {
      const auto& r = item["rule"];
      const std::string family = text_of(r.value("family", json()));
      const std::string table = text_of(r.value("table", json()));
      const std::string chain = text_of(r.value("chain", json()));
      if (skipped(family, table)) continue;
      const RuleFacts f = facts_of(r.value("expr", json()));
      const auto ch = chains.find(family + " " + table + " " + chain);
      RulePlace place{Source::nftables, f.family ? f.family : family_of_table(family),
                      family + " " + table, chain,
                      ch == chains.end() ? std::string() : ch->second.hook};
      std::optional<Owner> owner = owner_from_comment(text_of(r.value("comment", json())));
      if (family == "inet") {
        if (const auto t = owner_from_nft_table(table)) owner = t;
      }
      if (f.mss_set) {
        st.clamps.push_back({place, f.iif, f.oif, f.mss_pmtu, f.mss, owner});
      } else if (f.masquerade || f.snat) {
        st.nats.push_back({place, f.masquerade, f.snat_to, f.saddr, f.oif, owner});
      } else if (f.accept && place.hook == "forward") {
        const bool established_only =
            f.ct_states && f.ct_states->count("new") == 0 && f.ct_states->count("established") != 0;
        st.accepts.push_back({place, f.iif, f.oif, established_only, owner});
      }
    }
  }
  st.sources_read.push_back("nftables");
  return st;
}

}  // namespace n2nkit::firewall
