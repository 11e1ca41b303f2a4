#include "tui/text_render.hpp"

#include <fmt/format.h>

namespace n2nkit::tui {
namespace {

constexpr View kViews[] = {View::peers, View::path_mtu, View::counters, View::mss, View::firewall};

std::string severity_name(Severity s) {
  switch (s) {
    case Severity::normal:
      return "normal";
    case Severity::good:
      return "good";
    case Severity::warn:
      return "warn";
    case Severity::bad:
      return "bad";
  }
  return "?";
}

nlohmann::json table_json(const Table& t) {
  nlohmann::json sections = nlohmann::json::array();
  for (const Section& s : t.sections) {
    nlohmann::json rows = nlohmann::json::array();
    for (const Row& r : s.rows) {
      nlohmann::json row = nlohmann::json::object();
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        row[t.columns[i].title] = t.numeric[i] && r.cells[i].text != "-"
                                      ? nlohmann::json(r.cells[i].key)
                                      : nlohmann::json(r.cells[i].text);
      }
      row["severity"] = severity_name(r.severity);
      rows.push_back(std::move(row));
    }
    sections.push_back({{"heading", s.heading}, {"rows", std::move(rows)}});
  }
  return sections;
}

}  // namespace

std::string render_text(const Snapshot& s, const TableOptions& o, std::size_t width) {
  std::string out;
  for (const View v : kViews) {
    const Table t = make_table(v, s, o);
    out += fmt::format("== {} ==\n", view_name(v));
    bool header_done = false;
    for (const Section& sec : t.sections) {
      out += sec.heading + '\n';
      if (sec.rows.empty()) continue;
      if (!header_done) {
        out += header_line(t, o, width) + '\n';
        header_done = true;
      }
      for (const Row& r : sec.rows) out += row_line(t, r, width) + '\n';
    }
    out += '\n';
  }
  return out;
}

nlohmann::json render_json(const Snapshot& s, const TableOptions& o) {
  nlohmann::json targets = nlohmann::json::array();
  for (const TargetSnapshot& t : s.targets) {
    nlohmann::json peers = nlohmann::json::array();
    for (const PeerRow& p : t.peers) {
      nlohmann::json row = {{"mode", p.mode},   {"overlay", p.overlay}, {"underlay", p.underlay},
                            {"macaddr", p.mac}, {"desc", p.desc},       {"last_seen", p.last_seen},
                            {"local", p.local}};
      if (t.kind == DaemonKind::supernode) {
        row["community"] = p.community;
      } else {
        row["path"] = p.relayed() ? "relayed" : "p2p";
      }
      if (p.pmtu != 0) row["pmtu"] = p.pmtu;
      peers.push_back(std::move(row));
    }
    nlohmann::json target = {{"target", t.label},
                             {"port", t.port},
                             {"kind", daemon_kind_name(t.kind)},
                             {"health", health_name(t.health)},
                             {"status", t.status},
                             {"peers", std::move(peers)},
                             {"communities", t.communities}};
    target["timestamps"] = t.timestamps;
    nlohmann::json supernodes = nlohmann::json::array();
    for (const SupernodeRow& sn : t.supernodes) {
      supernodes.push_back({{"macaddr", sn.mac},
                            {"sockaddr", sn.sockaddr},
                            {"version", sn.version},
                            {"current", sn.current},
                            {"last_seen", sn.last_seen}});
    }
    target["supernodes"] = std::move(supernodes);
    targets.push_back(std::move(target));
  }
  nlohmann::json views = nlohmann::json::object();
  for (const View v : kViews) views[std::string(view_name(v))] = table_json(make_table(v, s, o));
  return {{"taken", s.taken}, {"targets", std::move(targets)}, {"views", std::move(views)}};
}

int snapshot_exit_code(const Snapshot& s, const TableOptions& o) {
  bool problem = false;
  for (const TargetSnapshot& t : s.targets) {
    if (t.health == Health::unreachable) return 4;
    if (t.health != Health::ok) problem = true;
  }
  if (make_table(View::path_mtu, s, o).warnings > 0) problem = true;
  for (const auto& f : s.firewall.findings) problem = problem || f.problem;
  return problem ? 1 : 0;
}

}  // namespace n2nkit::tui
