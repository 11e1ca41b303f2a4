// h: the management API over UDP inside the supernode's host (spec §13.4: communities, edges,
// packetstats); i: UNREGISTER_SUPER (spec §11.9).
#include <fmt/format.h>

#include "tests/netns/mgmt_client.hpp"
#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

namespace {

const nlohmann::json* find_row(const MgmtReply& r, const char* key, const std::string& value) {
  for (const auto& row : r.rows) {
    if (row.contains(key) && row[key].is_string() && row[key].get<std::string>() == value) {
      return &row;
    }
  }
  return nullptr;
}

std::uint64_t number(const MgmtReply& r, const std::string& type, const char* field, bool& ok) {
  const auto* row = find_row(r, "type", type);
  if (row == nullptr || !row->contains(field) || !(*row)[field].is_number_unsigned()) {
    ok = false;
    return 0;
  }
  return (*row)[field].get<std::uint64_t>();
}

std::string reply_problem(const MgmtReply& r) {
  return r.error.empty() ? "" : r.error;
}

}  // namespace

void Suite::management() {
  const char* step = "h";
  for (const char* role : {"A", "B", "C"}) {
    if (!ensure_registered(role, step)) return;
  }
  const auto communities = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 1 communities");
  report_.check(communities.complete && find_row(communities, "community", opt_.community), step,
                fmt::format("'r 1 communities' lists \"{}\" ({} rows)", opt_.community,
                            communities.rows.size()),
                reply_problem(communities));

  const auto edges = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 2 edges");
  report_.check(edges.complete, step,
                fmt::format("'r 2 edges' answered ({} rows)", edges.rows.size()),
                reply_problem(edges));
  for (const char* role : {"A", "B", "C"}) {
    const WireEdge& e = edge(role);
    const auto* row = find_row(edges, "macaddr", mac_upper(e.id().mac));
    const std::string sock = wire::sock_to_string(e.public_sock());
    const bool ok = row != nullptr && row->value("sockaddr", "") == sock &&
                    row->value("community", "") == opt_.community &&
                    row->value("desc", "") == e.id().desc;
    report_.check(ok, step,
                  fmt::format("edges row for {}: macaddr {}, sockaddr {}, community, desc", role,
                              mac_upper(e.id().mac), sock),
                  row != nullptr ? row->dump() : "no row with that macaddr");
  }

  std::uint64_t members = 0;  // edges of our community
  for (const auto& row : edges.rows) {
    if (row.value("community", "") == opt_.community) ++members;
  }

  // The counters move by exactly what we relay.
  WireEdge& a = edge("A");
  WireEdge& b = edge("B");
  const auto before = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 3 packetstats");
  if (!report_.check(before.complete, step, "'r 3 packetstats' answered", reply_problem(before))) {
    return;
  }
  drain_all();
  constexpr int kUnicast = 3;
  constexpr int kBroadcast = 2;
  for (int i = 0; i < kUnicast; ++i) {
    const auto payload = frame_payload(b.id().mac, a.id().mac, 64);
    a.send(a.packet(b.id().mac, payload));
  }
  for (int i = 0; i < kBroadcast; ++i) {
    const auto payload = frame_payload(wire::kBroadcastMac, a.id().mac, 64);
    a.send(a.packet(wire::kBroadcastMac, payload));
  }
  int arrived = 0;
  while (b.receive(opt_.silence_wait)) ++arrived;
  drain_all();
  auto k = cookie();
  std::string seen;
  const bool registered = ack_for(a, a.register_super(k, addr_["A"]), k, seen).has_value();
  const auto after = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 4 packetstats");
  bool ok = after.complete && registered;
  const auto fwd = number(after, "forward", "tx_pkt", ok) - number(before, "forward", "tx_pkt", ok);
  const auto bc =
      number(after, "broadcast", "tx_pkt", ok) - number(before, "broadcast", "tx_pkt", ok);
  const auto reg =
      number(after, "reg_super", "rx_pkt", ok) - number(before, "reg_super", "rx_pkt", ok);
  report_.check(ok && arrived == kUnicast + kBroadcast, step,
                fmt::format("{} relays sent, {} arrived at B", kUnicast + kBroadcast, arrived),
                reply_problem(after));
  report_.check(
      ok && fwd == kUnicast, step,
      fmt::format("packetstats forward tx_pkt grew by {} for {} unicast relays", fwd, kUnicast));
  // The reference counts every copy it sends (one per other edge of the community), not
  // every broadcast received.
  const auto copies = static_cast<std::uint64_t>(kBroadcast) * (members - 1);
  report_.check(ok && bc == copies, step,
                fmt::format("packetstats broadcast tx_pkt grew by {} for {} broadcasts to {} other "
                            "edges (expected {}: one per copy sent)",
                            bc, kBroadcast, members - 1, copies));
  report_.check(ok && reg == 1, step,
                fmt::format("packetstats reg_super rx_pkt grew by {} for 1 REGISTER_SUPER", reg));
}

void Suite::unregistration() {
  const char* step = "i";
  for (const char* role : {"A", "C"}) {
    if (!ensure_registered(role, step)) return;
  }
  WireEdge& a = edge("A");
  WireEdge& c = edge("C");
  const std::string c_mac = mac_upper(c.id().mac);
  const auto listed = [&](std::size_t& rows) {
    const auto r = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 5 edges");
    rows = r.rows.size();
    return r.complete && find_row(r, "macaddr", c_mac) != nullptr;
  };
  std::size_t rows_before = 0;
  report_.check(listed(rows_before), step, fmt::format("C ({}) is listed before", c_mac));

  // An UNREGISTER_SUPER with C's MAC but another token must not remove C.
  WireEdge& forger = edge("forger-c");
  forger.send(forger.unregister_super());
  std::string seen;
  silent(forger, seen);
  std::size_t rows = 0;
  report_.check(listed(rows) && rows == rows_before, step,
                "UNREGISTER_SUPER with C's MAC and another token: C stays");

  c.send(c.unregister_super());
  seen.clear();
  silent(c, seen);
  const bool still = listed(rows);
  report_.check(!still && rows + 1 == rows_before, step,
                fmt::format("UNREGISTER_SUPER from C: edges listing shrinks from {} to {} rows",
                            rows_before, rows));
  seen.clear();
  a.send(a.query_peer(c.id().mac));
  report_.check(silent(a, seen), step, "QUERY_PEER for C afterwards: no answer", seen);
}

}  // namespace n2nkit::netnstest
