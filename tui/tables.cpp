#include "tui/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace n2nkit::tui {
namespace {

// A peer not heard from for this long is shown as a problem (the edge re-registers every
// 20 s by default, and a P2P peer is purged after 60 s).
constexpr std::int64_t kStaleSeconds = 60;

Cell text_cell(std::string s) {
  return Cell{std::move(s), 0};
}
Cell num_cell(std::uint64_t v) {
  return Cell{std::to_string(v), static_cast<std::int64_t>(v)};
}
Cell opt_cell(const std::optional<std::uint64_t>& v) {
  return v ? num_cell(*v) : Cell{"-", -1};
}
Cell mtu_cell(std::uint32_t v) {
  return v == 0 ? Cell{"-", 0} : num_cell(v);
}

std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool matches(const Row& r, const std::string& needle) {
  if (needle.empty()) return true;
  return std::ranges::any_of(
      r.cells, [&](const Cell& c) { return lower(c.text).find(needle) != std::string::npos; });
}

void sort_and_filter(Table& t, const TableOptions& o) {
  const bool sorted = o.sort_column < t.columns.size();
  const std::size_t col = sorted ? o.sort_column : 0;
  const bool numeric = t.numeric[col];
  const std::string needle = lower(o.filter);
  for (Section& s : t.sections) {
    const auto before = s.rows.size();
    std::erase_if(s.rows, [&](const Row& r) { return !matches(r, needle); });
    s.hidden = before - s.rows.size();
    if (sorted)
      std::ranges::stable_sort(s.rows, [&](const Row& a, const Row& b) {
        const Cell& x = a.cells[col];
        const Cell& y = b.cells[col];
        if (numeric) return o.descending ? x.key > y.key : x.key < y.key;
        return o.descending ? x.text > y.text : x.text < y.text;
      });
    for (const Row& r : s.rows) {
      if (r.severity == Severity::warn || r.severity == Severity::bad) ++t.warnings;
    }
  }
}

Section status_section(const TargetSnapshot& t) {
  Section s;
  s.heading = t.status;
  s.severity = t.health == Health::ok ? Severity::normal : Severity::bad;
  return s;
}

// The path MTU to show for a peer: the edge's own, else what m probed.
Cell peer_mtu_cell(const PeerRow& p, const Snapshot& s) {
  if (p.pmtu != 0) return mtu_cell(p.pmtu);
  const auto it = s.probes.find(underlay_host(p.underlay));
  if (it == s.probes.end()) return Cell{"-", 0};
  if (it->second.running) return Cell{"...", 0};
  return it->second.pmtu != 0 ? num_cell(it->second.pmtu) : Cell{"?", 0};
}

Row peer_row(const PeerRow& p, const TableOptions& o, bool supernode, const Snapshot& snap) {
  Row r;
  const std::int64_t ago = p.last_seen > 0 ? std::max<std::int64_t>(0, o.now - p.last_seen) : -1;
  std::string mode = supernode ? p.mode : (p.relayed() ? "relayed" : "P2P");
  r.cells = {text_cell(mode),
             text_cell(p.overlay),
             text_cell(p.underlay),
             text_cell(p.mac),
             Cell{age_text(ago), ago < 0 ? INT64_MAX : ago},
             peer_mtu_cell(p, snap),
             text_cell(p.local ? "(local) " + p.desc : p.desc)};
  if (supernode) {
    r.severity = Severity::normal;
  } else {
    r.severity = p.relayed() ? Severity::warn : Severity::good;
  }
  if (ago > kStaleSeconds) r.severity = Severity::bad;
  return r;
}

void peers_sections(Table& t, const TargetSnapshot& target, const TableOptions& o,
                    const Snapshot& snap) {
  if (target.health != Health::ok) {
    t.sections.push_back(status_section(target));
    return;
  }
  if (target.kind != DaemonKind::supernode) {
    Section s;
    s.heading = target.status;
    // The edge's drop and clamp counters belong on this screen too (details: Counters).
    std::uint64_t drops = 0;
    for (const DropRow& d : target.drops) drops += d.count;
    if (target.mss) {
      s.heading +=
          fmt::format(", clamped {} tx {} rx", target.mss->clamped_tx, target.mss->clamped_rx);
    }
    if (!target.drops.empty()) s.heading += fmt::format(", {} dropped", drops);
    for (const PeerRow& p : target.peers) s.rows.push_back(peer_row(p, o, false, snap));
    t.sections.push_back(std::move(s));
    return;
  }
  // A supernode: one section per community, in the daemon's order, communities without
  // edges included.
  std::vector<std::string> names = target.communities;
  for (const PeerRow& p : target.peers) {
    if (std::ranges::find(names, p.community) == names.end()) names.push_back(p.community);
  }
  Section head;
  head.heading = target.status;
  t.sections.push_back(std::move(head));
  for (const std::string& name : names) {
    Section s;
    for (const PeerRow& p : target.peers) {
      if (p.community == name) s.rows.push_back(peer_row(p, o, true, snap));
    }
    s.heading = fmt::format("  community {}: {} edge{}", name == "-/-" ? "-/- (federation)" : name,
                            s.rows.size(), s.rows.size() == 1 ? "" : "s");
    t.sections.push_back(std::move(s));
  }
}

// A path that cannot carry the TAP MTU plus n2n's overhead fragments or drops full-size
// frames: the warning the Path MTU view exists for.
Row path_row(std::string name, const std::string& sock, const std::string& state,
             std::uint32_t pmtu, std::uint32_t tap_mtu, const mtu::PathConfig& cfg, bool relayed) {
  Row r;
  const std::size_t need = tap_mtu != 0 ? mtu::path_mtu_needed(tap_mtu, cfg, relayed) : 0;
  const std::size_t max_tap = pmtu != 0 ? mtu::tap_mtu_for_path(pmtu, cfg, relayed) : 0;
  std::string note = "-";
  if (pmtu != 0 && need != 0) {
    if (need > pmtu) {
      note =
          fmt::format("TAP {} + {} > {}: lower -M to {}", tap_mtu, need - tap_mtu, pmtu, max_tap);
      r.severity = Severity::bad;
    } else {
      note = "fits";
      r.severity = Severity::good;
    }
  } else if (pmtu == 0) {
    note = "path MTU not known yet";
  }
  r.cells = {text_cell(std::move(name)),
             text_cell(sock),
             text_cell(state.empty() ? "-" : state),
             mtu_cell(pmtu),
             need != 0 ? num_cell(need) : Cell{"-", 0},
             max_tap != 0 ? num_cell(max_tap) : Cell{"-", 0},
             text_cell(note)};
  return r;
}

void path_sections(Table& t, const TargetSnapshot& target, const TableOptions& o,
                   const Snapshot& snap) {
  if (target.health != Health::ok) {
    t.sections.push_back(status_section(target));
    return;
  }
  Section s;
  const auto direct = mtu::datagram_overhead_per_ip_packet(o.path, mtu::Leg::direct);
  const auto relayed = mtu::datagram_overhead_per_ip_packet(o.path, mtu::Leg::relayed);
  s.heading = fmt::format("{}: {} overhead {} B direct, {} B relayed", target.label,
                          crypto::transform_name(o.path.transform), direct, relayed);
  if (target.kind == DaemonKind::supernode) {
    s.heading = fmt::format("{}: a supernode has no TAP (paths are the edges')", target.label);
    t.sections.push_back(std::move(s));
    return;
  }
  std::uint32_t tap_mtu = target.mss ? target.mss->tap_mtu : 0;
  for (const PathRow& p : target.paths) tap_mtu = tap_mtu != 0 ? tap_mtu : p.tap_mtu;
  {
    // The TAP itself: its MTU, and the path MTU a relayed leg needs to carry it whole.
    Row tap;
    const std::size_t need = tap_mtu != 0 ? mtu::path_mtu_needed(tap_mtu, o.path, true) : 0;
    tap.cells = {text_cell("TAP"),
                 text_cell("-"),
                 text_cell("-"),
                 mtu_cell(tap_mtu),
                 need != 0 ? num_cell(need) : Cell{"-", 0},
                 Cell{"-", 0},
                 text_cell(tap_mtu != 0 ? "the edge's TAP MTU" : "unknown (a reference edge)")};
    s.rows.push_back(std::move(tap));
  }
  bool supernode_path = false;
  for (const PathRow& p : target.paths) {
    const bool via_sn = p.peer == "supernode";
    supernode_path = supernode_path || via_sn;
    s.rows.push_back(path_row(via_sn ? "supernode" : p.mac, p.sockaddr, p.state, p.pmtu, tap_mtu,
                              o.path, via_sn));
  }
  if (!supernode_path) {
    for (const SupernodeRow& sn : target.supernodes) {
      if (sn.current == 0) continue;
      s.rows.push_back(path_row("supernode", sn.sockaddr, "-", 0, tap_mtu, o.path, true));
    }
  }
  // Peers the edge reports no path search for (a reference edge): listed, MTU unknown.
  for (const PeerRow& p : target.peers) {
    const bool listed = std::ranges::any_of(
        target.paths, [&](const PathRow& r) { return r.peer != "supernode" && r.mac == p.mac; });
    if (!listed) {
      // A probe (m) measures the underlay path to the peer's address.
      const auto probe = snap.probes.find(underlay_host(p.underlay));
      std::string state = p.relayed() ? "relayed" : "-";
      std::uint32_t pmtu = 0;
      if (probe != snap.probes.end()) {
        state = probe->second.running ? "probing" : (probe->second.pmtu != 0 ? "probed" : "failed");
        pmtu = probe->second.pmtu;
      }
      s.rows.push_back(path_row(p.mac, p.underlay, state, pmtu, tap_mtu, o.path, p.relayed()));
      if (probe != snap.probes.end() && !probe->second.error.empty()) {
        s.rows.back().cells[6].text = probe->second.error;
        s.rows.back().severity = Severity::warn;
      } else if (pmtu == 0) {
        s.rows.back().cells[6].text = "not reported: m probes it";
      }
    }
  }
  t.sections.push_back(std::move(s));
}

void counter_sections(Table& t, const TargetSnapshot& target) {
  if (target.health != Health::ok) {
    t.sections.push_back(status_section(target));
    return;
  }
  Section s;
  s.heading = target.status;
  for (const CounterRow& c : target.counters) {
    Row r;
    r.cells = {text_cell("packets " + c.name), opt_cell(c.tx), opt_cell(c.rx), opt_cell(c.nak),
               text_cell("")};
    s.rows.push_back(std::move(r));
  }
  if (target.mss) {
    Row r;
    r.cells = {
        text_cell("mss clamped"), num_cell(target.mss->clamped_tx),
        num_cell(target.mss->clamped_rx), Cell{"-", -1},
        text_cell(fmt::format("clamp {}, MSS {} (IPv4) {} (IPv6)", target.mss->clamp ? "on" : "off",
                              target.mss->mss_ipv4, target.mss->mss_ipv6))};
    s.rows.push_back(std::move(r));
  }
  // Only the reasons that happened: the edge reports some 40, nearly all 0, and they would
  // push the rest off an 80x24 screen.
  std::size_t zero = 0;
  for (const DropRow& d : target.drops) {
    if (d.count == 0) {
      ++zero;
      continue;
    }
    Row r;
    r.cells = {text_cell("drop " + d.reason), Cell{"-", -1}, Cell{"-", -1}, num_cell(d.count),
               text_cell(d.description)};
    r.severity = Severity::warn;
    s.rows.push_back(std::move(r));
  }
  if (zero > 0) {
    Row r;
    r.cells = {text_cell("drop (others)"), Cell{"-", -1}, Cell{"-", -1}, num_cell(0),
               text_cell(fmt::format("{} more reasons, none seen", zero))};
    s.rows.push_back(std::move(r));
  }
  t.sections.push_back(std::move(s));
}

std::string clock_text(double t) {
  const auto secs = static_cast<std::time_t>(t);
  std::tm tm{};
  if (t <= 0 || localtime_r(&secs, &tm) == nullptr) return "-";
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void mss_sections(Table& t, const CaptureState& c) {
  Section s;
  if (c.iface.empty()) {
    s.heading = "no capture: start n2n-tui with -i IFACE to list TCP SYNs (needs CAP_NET_RAW)";
  } else {
    s.heading = c.status.empty() ? fmt::format("capturing SYNs on {}: {} seen, {} too big", c.iface,
                                               c.seen, c.oversized)
                                 : c.status;
    s.severity = c.failed ? Severity::bad : Severity::normal;
  }
  // Newest first: a live list.
  for (auto it = c.events.rbegin(); it != c.events.rend(); ++it) {
    const SynEvent& e = *it;
    Row r;
    std::string note;
    if (e.malformed) {
      note = "options malformed";
      r.severity = Severity::warn;
    } else if (!e.mss) {
      note = "no MSS option";
      r.severity = Severity::warn;
    } else if (e.mss_limit == 0) {
      note = "route unknown";
    } else if (e.oversized) {
      note = fmt::format("too big: path {} allows {}", e.path_mtu, e.mss_limit);
      r.severity = Severity::bad;
    } else {
      note = "fits";
      r.severity = Severity::good;
    }
    r.cells = {Cell{clock_text(e.time), static_cast<std::int64_t>(e.time * 1000)},
               text_cell(e.syn_ack ? "SYN-ACK" : "SYN"),
               text_cell(e.src),
               text_cell(e.dst),
               e.mss ? num_cell(*e.mss) : Cell{"-", -1},
               e.mss_limit != 0 ? num_cell(e.mss_limit) : Cell{"-", -1},
               text_cell(std::move(note))};
    s.rows.push_back(std::move(r));
  }
  t.sections.push_back(std::move(s));
}

std::string where(const firewall::RulePlace& p) {
  return fmt::format("{} {}", p.table, p.chain);
}

std::string iface_pair(const std::string& in, const std::string& out) {
  return fmt::format("in {} out {}", in.empty() ? "*" : in, out.empty() ? "*" : out);
}

std::string flag_text(const std::optional<bool>& v) {
  return v ? (*v ? "on" : "off") : "unknown";
}

void firewall_sections(Table& t, const FirewallSnapshot& f) {
  Section s;
  if (f.overlay.empty()) {
    s.heading =
        "no overlay interface: start n2n-tui with -i IFACE (e.g. n2n0) to read the firewall";
    t.sections.push_back(std::move(s));
    return;
  }
  if (!f.read) {
    s.heading = f.error.empty() ? fmt::format("firewall for {}: not read yet", f.overlay) : f.error;
    s.severity = f.error.empty() ? Severity::normal : Severity::bad;
    t.sections.push_back(std::move(s));
    return;
  }
  std::string sources;
  for (const auto& src : f.state.sources_read) sources += (sources.empty() ? "" : ", ") + src;
  s.heading =
      fmt::format("firewall for {} (read: {})", f.overlay, sources.empty() ? "none" : sources);
  const auto add = [&](std::string kind, std::string source, std::string place, std::string detail,
                       Severity sev) {
    Row r;
    r.cells = {text_cell(std::move(kind)), text_cell(std::move(source)),
               text_cell(std::move(place)), text_cell(std::move(detail))};
    r.severity = sev;
    s.rows.push_back(std::move(r));
  };
  add("sysctl", "/proc/sys", "forwarding",
      fmt::format("IPv4 {}, IPv6 {}", flag_text(f.ipv4_forwarding), flag_text(f.ipv6_forwarding)),
      Severity::normal);
  for (const auto& c : f.state.clamps) {
    add("clamp", std::string(firewall::source_name(c.place.source)), where(c.place),
        fmt::format("{} -> {}{}", iface_pair(c.in_iface, c.out_iface),
                    c.to_pmtu ? std::string("pmtu") : fmt::format("mss {}", c.mss),
                    c.owner ? " (n2nkit)" : ""),
        Severity::good);
  }
  for (const auto& n : f.state.nats) {
    add("nat", std::string(firewall::source_name(n.place.source)), where(n.place),
        fmt::format("{} from {} out {}{}", n.masquerade ? "masquerade" : "snat to " + n.to_address,
                    n.source_subnet.empty() ? "*" : n.source_subnet,
                    n.out_iface.empty() ? "*" : n.out_iface, n.owner ? " (n2nkit)" : ""),
        Severity::normal);
  }
  for (const auto& a : f.state.accepts) {
    add("accept", std::string(firewall::source_name(a.place.source)), where(a.place),
        fmt::format("{}{}{}", iface_pair(a.in_iface, a.out_iface),
                    a.established_only ? " established" : "", a.owner ? " (n2nkit)" : ""),
        Severity::normal);
  }
  for (const auto& p : f.state.forward_policies) {
    if (p.drops) {
      add("policy", std::string(firewall::source_name(p.place.source)), where(p.place), "DROP",
          Severity::warn);
    }
  }
  for (const auto& e : f.state.errors) add("unread", "-", "-", e, Severity::warn);
  for (const auto& finding : f.findings) {
    add(finding.problem ? "PROBLEM" : "note", "n2n-mss check", finding.code,
        finding.fixes.empty() ? finding.text
                              : fmt::format("{} Fix: {}", finding.text, finding.fixes.front()),
        finding.problem ? Severity::bad : Severity::normal);
  }
  t.sections.push_back(std::move(s));
}

std::string fit(const std::string& s, std::size_t width, bool right) {
  if (s.size() > width) return width == 0 ? std::string() : s.substr(0, width - 1) + "~";
  const std::string pad(width - s.size(), ' ');
  return right ? pad + s : s + pad;
}

std::string line(const Table& t, const std::vector<std::string>& cells, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const Column& c = t.columns[i];
    const bool last = i + 1 == t.columns.size();
    if (i > 0) out += ' ';
    if (last) {
      if (width == 0) {
        out += cells[i];
      } else if (out.size() < width) {
        out += fit(cells[i], width - out.size(), false);
      }
    } else {
      out += fit(cells[i], c.width, c.right);
    }
  }
  if (width != 0 && out.size() > width) out.resize(width);
  if (width == 0) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

}  // namespace

std::string_view view_name(View v) {
  switch (v) {
    case View::peers:
      return "Peers";
    case View::path_mtu:
      return "Path MTU";
    case View::counters:
      return "Counters";
    case View::mss:
      return "MSS";
    case View::firewall:
      return "Firewall";
  }
  return "?";
}

std::vector<Column> view_columns(View v) {
  switch (v) {
    case View::peers:
      return {{"MODE", 7},      {"OVERLAY", 16},  {"UNDERLAY", 21}, {"MAC", 17},
              {"AGE", 4, true}, {"MTU", 4, true}, {"DESC", 0}};
    case View::path_mtu:
      return {{"PATH", 17},      {"UNDERLAY", 21},    {"STATE", 9}, {"PMTU", 5, true},
              {"NEED", 5, true}, {"MAXTAP", 7, true}, {"NOTE", 0}};
    case View::counters:
      return {
          {"COUNTER", 28}, {"TX", 10, true}, {"RX", 10, true}, {"COUNT", 8, true}, {"DETAIL", 0}};
    case View::mss:
      return {{"TIME", 8},      {"TYPE", 7},        {"SOURCE", 21}, {"DEST", 21},
              {"MSS", 5, true}, {"LIMIT", 6, true}, {"NOTE", 0}};
    case View::firewall:
      return {{"KIND", 7}, {"SOURCE", 15}, {"WHERE", 24}, {"DETAIL", 0}};
  }
  return {};
}

Table make_table(View v, const Snapshot& s, const TableOptions& o) {
  Table t;
  t.columns = view_columns(v);
  switch (v) {
    case View::peers:
      t.numeric = {false, false, false, false, true, true, false};
      for (const TargetSnapshot& target : s.targets) peers_sections(t, target, o, s);
      break;
    case View::path_mtu:
      t.numeric = {false, false, false, true, true, true, false};
      for (const TargetSnapshot& target : s.targets) path_sections(t, target, o, s);
      break;
    case View::counters:
      t.numeric = {false, true, true, true, false};
      for (const TargetSnapshot& target : s.targets) counter_sections(t, target);
      break;
    case View::mss:
      t.numeric = {true, false, false, false, true, true, false};
      mss_sections(t, s.capture);
      break;
    case View::firewall:
      t.numeric = {false, false, false, false};
      firewall_sections(t, s.firewall);
      break;
  }
  sort_and_filter(t, o);
  return t;
}

std::string header_line(const Table& t, const TableOptions& o, std::size_t width) {
  std::vector<std::string> titles;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    std::string title = t.columns[i].title;
    if (i == o.sort_column) title += o.descending ? "v" : "^";
    titles.push_back(std::move(title));
  }
  return line(t, titles, width);
}

std::string row_line(const Table& t, const Row& r, std::size_t width) {
  std::vector<std::string> cells;
  cells.reserve(r.cells.size());
  for (const Cell& c : r.cells) cells.push_back(c.text);
  return line(t, cells, width);
}

std::string age_text(std::int64_t s) {
  if (s < 0) return "-";
  if (s < 100) return fmt::format("{}s", s);
  if (s < 6000) return fmt::format("{}m", s / 60);
  if (s < 360000) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

}  // namespace n2nkit::tui
