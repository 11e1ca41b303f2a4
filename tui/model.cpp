#include "tui/model.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::tui {
namespace {

using nlohmann::json;

// Management rows come from daemons we do not control: a field may be missing or of another
// type; neither may throw.
std::string text(const json& row, const char* key) {
  const auto it = row.find(key);
  if (it == row.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

std::int64_t number(const json& row, const char* key) {
  const auto it = row.find(key);
  if (it == row.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(it->get<std::uint64_t>());
  return 0;
}

std::optional<std::uint64_t> counter(const json& row, const char* key) {
  const auto it = row.find(key);
  if (it == row.end() || !it->is_number()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer()) return static_cast<std::uint64_t>(std::max<std::int64_t>(0, *it));
  return std::nullopt;
}

std::uint32_t small(const json& row, const char* key) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(number(row, key), 0, 0xffffffff));
}

bool badauth(const MethodAnswer& a) {
  return a.refused && a.error.ends_with(": badauth");
}

const MethodAnswer* find(const std::map<std::string, MethodAnswer>& answers, const char* method) {
  const auto it = answers.find(method);
  return it == answers.end() ? nullptr : &it->second;
}

// A row the daemon sent must at least be a JSON object carrying something we know; anything
// else (a port answering with other JSON) is garbage.
bool looks_like_edges(const std::vector<json>& rows) {
  return std::ranges::all_of(rows, [](const json& r) {
    return r.is_object() && r.contains("macaddr") && r.contains("sockaddr");
  });
}

void read_edges(TargetSnapshot& t, const MethodAnswer& a) {
  t.peers.reserve(a.rows.size());
  for (const json& r : a.rows) {
    PeerRow p;
    p.community = text(r, "community");
    p.mode = r.contains("mode") ? text(r, "mode") : text(r, "proto");
    p.overlay = text(r, "ip4addr");
    p.underlay = text(r, "sockaddr");
    p.mac = text(r, "macaddr");
    p.desc = text(r, "desc");
    p.last_seen = number(r, "last_seen");
    p.local = number(r, "local") != 0;
    t.peers.push_back(std::move(p));
  }
  const bool any_mode =
      std::ranges::any_of(a.rows, [](const json& r) { return r.contains("mode"); });
  const bool any_community =
      std::ranges::any_of(a.rows, [](const json& r) { return r.contains("community"); });
  if (any_mode) t.kind = DaemonKind::edge;
  if (any_community) t.kind = DaemonKind::supernode;
}

void read_paths(TargetSnapshot& t, const MethodAnswer& a) {
  for (const json& r : a.rows) {
    PathRow p{text(r, "peer"),  text(r, "macaddr"),  text(r, "sockaddr"),    text(r, "state"),
              small(r, "pmtu"), small(r, "tap_mtu"), small(r, "frame_limit")};
    if (p.peer == "p2p" && p.pmtu != 0) {
      for (PeerRow& peer : t.peers) {
        if (peer.mac == p.mac) peer.pmtu = p.pmtu;
      }
    }
    t.paths.push_back(std::move(p));
  }
}

}  // namespace

std::string_view daemon_kind_name(DaemonKind k) {
  switch (k) {
    case DaemonKind::edge:
      return "edge";
    case DaemonKind::supernode:
      return "supernode";
    case DaemonKind::unknown:
      break;
  }
  return "?";
}

std::string_view health_name(Health h) {
  switch (h) {
    case Health::ok:
      return "ok";
    case Health::degraded:
      return "degraded";
    case Health::unreachable:
      return "unreachable";
    case Health::bad_password:
      return "bad-password";
    case Health::garbage:
      return "garbage";
  }
  return "?";
}

const std::vector<std::string>& polled_methods() {
  static const std::vector<std::string> methods = {
      "edges", "supernodes", "communities", "timestamps", "packetstats", "drops", "mss", "paths"};
  return methods;
}

TargetSnapshot build_target(std::string label, std::uint16_t port,
                            const std::map<std::string, MethodAnswer>& answers) {
  TargetSnapshot t;
  t.label = std::move(label);
  t.port = port;
  const MethodAnswer* edges = find(answers, "edges");
  if (edges == nullptr || (!edges->ok && !edges->refused)) {
    t.health = Health::unreachable;
    t.status = edges != nullptr && !edges->error.empty() ? edges->error : "not asked";
    return t;
  }
  if (badauth(*edges)) {
    t.health = Health::bad_password;
    t.status = fmt::format("{}: wrong management password (the daemon answers badauth)", t.label);
    return t;
  }
  if (!edges->ok || !looks_like_edges(edges->rows)) {
    t.health = Health::garbage;
    t.status = edges->ok
                   ? fmt::format("{}: the 'edges' reply is not a management edge list", t.label)
                   : edges->error;
    return t;
  }
  read_edges(t, *edges);
  if (const auto* sn = find(answers, "supernodes")) {
    if (sn->ok) {
      t.kind = DaemonKind::edge;
      for (const json& r : sn->rows) {
        t.supernodes.push_back({text(r, "macaddr"), text(r, "sockaddr"), text(r, "version"),
                                static_cast<int>(number(r, "current")), number(r, "last_seen")});
      }
    } else if (sn->refused && t.kind == DaemonKind::unknown) {
      // Only the supernode refuses 'supernodes' ("unimplemented": reserved for edge).
      t.kind = DaemonKind::supernode;
    }
  }
  if (const auto* c = find(answers, "communities"); c != nullptr && c->ok) {
    for (const json& r : c->rows) {
      if (number(r, "is_federation") == 0) t.communities.push_back(text(r, "community"));
    }
  }
  if (const auto* ts = find(answers, "timestamps"); ts != nullptr && ts->ok && !ts->rows.empty()) {
    for (const auto& [key, value] : ts->rows.front().items()) {
      if (!key.starts_with('_') && value.is_number())
        t.timestamps[key] = number(ts->rows.front(), key.c_str());
    }
  }
  if (const auto* ps = find(answers, "packetstats"); ps != nullptr && ps->ok) {
    for (const json& r : ps->rows) {
      t.counters.push_back(
          {text(r, "type"), counter(r, "tx_pkt"), counter(r, "rx_pkt"), counter(r, "nak")});
    }
  }
  if (const auto* d = find(answers, "drops"); d != nullptr && d->ok) {
    for (const json& r : d->rows) {
      t.drops.push_back(
          {text(r, "reason"), counter(r, "count").value_or(0), text(r, "description")});
    }
  }
  if (const auto* m = find(answers, "mss"); m != nullptr && m->ok && !m->rows.empty()) {
    const json& r = m->rows.front();
    t.mss = MssRow{number(r, "clamp") != 0,
                   small(r, "tap_mtu"),
                   small(r, "mss_ipv4"),
                   small(r, "mss_ipv6"),
                   counter(r, "clamped_tx").value_or(0),
                   counter(r, "clamped_rx").value_or(0)};
  }
  if (const auto* p = find(answers, "paths"); p != nullptr && p->ok) read_paths(t, *p);

  std::size_t relayed = 0;
  for (const PeerRow& p : t.peers)
    if (p.relayed()) ++relayed;
  if (t.kind == DaemonKind::supernode) {
    t.status = fmt::format("{}: supernode, {} edge{} in {} communit{}", t.label, t.peers.size(),
                           t.peers.size() == 1 ? "" : "s", t.communities.size(),
                           t.communities.size() == 1 ? "y" : "ies");
  } else {
    t.status =
        fmt::format("{}: {}, {} peers ({} p2p, {} relayed)", t.label, daemon_kind_name(t.kind),
                    t.peers.size(), t.peers.size() - relayed, relayed);
  }
  return t;
}

SynEvent syn_event(const mss::SynInfo& syn, const capture::SynVerdict& v, double time) {
  SynEvent e;
  e.time = time;
  e.syn_ack = syn.syn_ack();
  e.src = packet::endpoint_to_string(syn.src);
  e.dst = packet::endpoint_to_string(syn.dst);
  e.mss = syn.mss;
  e.mss_limit = v.mss_limit;
  e.path_mtu = v.path_mtu;
  e.oversized = v.oversized;
  e.malformed = syn.options_malformed;
  return e;
}

MtuProbeResult probe_result_from(int exit_code, const std::string& out, const std::string& err) {
  MtuProbeResult r;
  const json j = json::parse(out, nullptr, false);
  if (exit_code == 0 && j.is_object() && number(j, "path_mtu") > 0) {
    r.pmtu = small(j, "path_mtu");
    return r;
  }
  // The tool's one-line message, else what its JSON says.
  std::string line;
  for (std::size_t start = 0; start < err.size();) {
    const std::size_t end = std::min(err.find('\n', start), err.size());
    if (end > start) line = err.substr(start, end - start);
    start = end + 1;
  }
  if (line.empty() && j.is_object()) line = text(j, "statement");
  r.error = line.empty() ? fmt::format("n2n-mtu exited with status {}", exit_code) : line;
  return r;
}

std::string underlay_host(const std::string& sockaddr) {
  if (sockaddr.starts_with('[')) {
    const auto close = sockaddr.find(']');
    return close == std::string::npos ? std::string() : sockaddr.substr(1, close - 1);
  }
  const auto colon = sockaddr.rfind(':');
  if (colon == std::string::npos || colon == 0) return {};
  return sockaddr.substr(0, colon);
}

MethodAnswer answer_from_datagrams(const std::vector<std::string>& datagrams) {
  MethodAnswer a;
  for (const std::string& d : datagrams) {
    const json reply = json::parse(d, nullptr, false);
    if (!reply.is_object()) continue;
    const std::string type = text(reply, "_type");
    if (type == "row") a.rows.push_back(reply);
    if (type == "error") {
      a.refused = true;
      a.error = fmt::format("refused: {}", text(reply, "error"));
      return a;
    }
    if (type == "end") {
      a.ok = true;
      return a;
    }
  }
  a.error = "no end of reply";
  return a;
}

}  // namespace n2nkit::tui
