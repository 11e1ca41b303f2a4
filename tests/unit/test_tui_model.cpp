// n2n-tui's model: snapshots from recorded management replies (the reference's, from
// vectors/management-examples.json, and ours, crafted), the tables the views and the text
// output share, and the keys.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/capture/syn_watch.hpp"
#include "core/mtu/overhead.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/packet/tcp_header.hpp"
#include "tests/support/shared_dir.hpp"
#include "tui/model.hpp"
#include "tui/tables.hpp"
#include "tui/text_render.hpp"
#include "tui/ui_state.hpp"

using namespace n2nkit;
using namespace n2nkit::tui;

namespace {

using Answers = std::map<std::string, MethodAnswer>;

// The method of a recorded read request "r TAG[:1:PW] METHOD".
std::string method_of(const std::string& request) {
  std::istringstream in(request);
  std::string type, tag, method;
  in >> type >> tag >> method;
  return type == "r" ? method : std::string();
}

std::optional<Answers> recorded(const char* session) {
  const auto shared = testing::shared_dir();
  if (!shared) return std::nullopt;
  std::ifstream in(*shared / "vectors" / "management-examples.json");
  if (!in) return std::nullopt;
  const auto doc = nlohmann::json::parse(in);
  Answers answers;
  for (const auto& e : doc.at(session).at("exchanges")) {
    const std::string m = method_of(e.at("request").get<std::string>());
    if (m.empty() || answers.contains(m)) continue;
    answers[m] = answer_from_datagrams(e.at("replies").get<std::vector<std::string>>());
  }
  return answers;
}

MethodAnswer rows(std::vector<nlohmann::json> r) {
  return MethodAnswer{std::move(r), "", false, true};
}

nlohmann::json our_peer(const char* mode, const char* ip, const char* mac, const char* sock,
                        std::int64_t seen) {
  return {{"mode", mode},         {"ip4addr", ip},    {"purgeable", 0}, {"local", 0},
          {"macaddr", mac},       {"sockaddr", sock}, {"desc", "x"},    {"last_p2p", seen},
          {"last_sent_query", 0}, {"last_seen", seen}};
}

// Our edge with one direct and one relayed peer, a 1400-byte path to the direct one and a
// TAP MTU of 1500: too big for it with AES.
Answers our_edge() {
  Answers a;
  a["edges"] =
      rows({our_peer("pSp", "10.99.0.3/24", "02:00:00:00:00:03", "198.19.0.13:50003", 995),
            our_peer("p2p", "10.99.0.2/24", "02:00:00:00:00:02", "198.19.0.12:50002", 999)});
  a["supernodes"] = rows({{{"version", "n2nkit"},
                           {"purgeable", 1},
                           {"current", 1},
                           {"macaddr", "02:53:4E:00:00:01"},
                           {"sockaddr", "198.19.0.1:7654"},
                           {"selection", ""},
                           {"last_seen", 999},
                           {"uptime", 10}}});
  a["communities"] = rows({{{"community", "lab"}}});
  a["timestamps"] = rows({{{"start_time", 900}, {"last_super", 998}, {"last_p2p", 999}}});
  a["packetstats"] = rows({{{"type", "transop"}, {"tx_pkt", 10}, {"rx_pkt", 11}},
                           {{"type", "p2p"}, {"tx_pkt", 5}, {"rx_pkt", 6}}});
  a["drops"] = rows({{{"reason", "bad_mac"}, {"count", 0}, {"description", "a"}},
                     {{"reason", "too_big"}, {"count", 7}, {"description", "b"}}});
  a["mss"] = rows({{{"clamp", 1},
                    {"tap_mtu", 1500},
                    {"mss_ipv4", 1356},
                    {"mss_ipv6", 1336},
                    {"clamped_tx", 3},
                    {"clamped_rx", 4}}});
  a["paths"] = rows({{{"peer", "supernode"},
                      {"macaddr", "02:53:4E:00:00:01"},
                      {"sockaddr", "198.19.0.1:7654"},
                      {"state", "done"},
                      {"pmtu", 1500},
                      {"tap_mtu", 1500},
                      {"frame_limit", 0}},
                     {{"peer", "p2p"},
                      {"macaddr", "02:00:00:00:00:02"},
                      {"sockaddr", "198.19.0.12:50002"},
                      {"state", "done"},
                      {"pmtu", 1400},
                      {"tap_mtu", 1500},
                      {"frame_limit", 1300}}});
  return a;
}

TableOptions options(std::size_t sort = kNoSort, bool desc = false, std::string filter = "") {
  TableOptions o;
  o.sort_column = sort;
  o.descending = desc;
  o.filter = std::move(filter);
  o.now = 1000;
  o.path.transform = crypto::TransformId::aes;
  return o;
}

Snapshot one(TargetSnapshot t) {
  Snapshot s;
  s.targets.push_back(std::move(t));
  s.taken = 1000;
  return s;
}

std::vector<std::string> column(const Table& t, std::size_t section, std::size_t col) {
  std::vector<std::string> out;
  for (const Row& r : t.sections.at(section).rows) out.push_back(r.cells.at(col).text);
  return out;
}

}  // namespace

TEST_CASE("tui model: the reference edge's recorded replies") {
  const auto answers = recorded("edgeA");
  if (!answers) {
    MESSAGE("SKIPPED: the shared material was not found (N2NKIT_SHARED_DIR)");
    return;
  }
  const TargetSnapshot t = build_target("127.0.0.1:5644", 5644, *answers);
  CHECK(t.health == Health::ok);
  CHECK(t.kind == DaemonKind::edge);
  REQUIRE(t.peers.size() == 1);
  CHECK(t.peers[0].mode == "p2p");
  CHECK(!t.peers[0].relayed());
  CHECK(t.peers[0].overlay == "10.20.30.2/24");
  CHECK(t.peers[0].underlay == "198.19.0.12:50002");
  CHECK(t.peers[0].mac == "02:20:30:00:00:02");
  CHECK(t.peers[0].desc == "edge-b");
  CHECK(t.peers[0].local);
  CHECK(t.peers[0].pmtu == 0);  // the reference reports no path MTU
  REQUIRE(t.supernodes.size() == 1);
  CHECK(t.supernodes[0].sockaddr == "198.19.0.1:7654");
  CHECK(t.supernodes[0].current == 1);
  CHECK(t.communities == std::vector<std::string>{"n2nkit-testvector"});
  CHECK(t.timestamps.at("start_time") == 1795563585);
  CHECK(!t.counters.empty());
  CHECK(t.counters[0].name == "transop");
  CHECK(t.drops.empty());  // n2nkit's methods: the reference answers unknowncmd
  CHECK(!t.mss);

  auto o = options();
  o.now = 1795563595;
  const Table peers = make_table(View::peers, one(t), o);
  REQUIRE(peers.sections.size() == 1);
  REQUIRE(peers.sections[0].rows.size() == 1);
  CHECK(peers.sections[0].rows[0].cells[0].text == "P2P");
  CHECK(peers.sections[0].rows[0].cells[4].text == "5s");
  CHECK(peers.sections[0].rows[0].severity == Severity::good);
  // Path MTU: the TAP (unknown), the current supernode, the peer, all without a path MTU.
  const Table paths = make_table(View::path_mtu, one(t), o);
  CHECK(column(paths, 0, 0) == std::vector<std::string>{"TAP", "supernode", "02:20:30:00:00:02"});
}

TEST_CASE("tui model: the reference supernode's recorded replies") {
  const auto answers = recorded("sn");
  if (!answers) {
    MESSAGE("SKIPPED: the shared material was not found (N2NKIT_SHARED_DIR)");
    return;
  }
  const TargetSnapshot t = build_target("127.0.0.1:5645", 5645, *answers);
  CHECK(t.health == Health::ok);
  CHECK(t.kind == DaemonKind::supernode);
  REQUIRE(t.peers.size() == 2);
  CHECK(t.peers[0].community == "n2nkit-testvector");
  CHECK(t.peers[0].mode == "UDP");
  CHECK(t.communities == std::vector<std::string>{"n2nkit-testvector"});  // not the federation
  const Table peers = make_table(View::peers, one(t), options());
  // The supernode's line, then its community with both edges.
  REQUIRE(peers.sections.size() == 2);
  CHECK(peers.sections[1].heading.find("community n2nkit-testvector: 2 edges") !=
        std::string::npos);
  CHECK(column(peers, 1, 3) == std::vector<std::string>{"02:20:30:00:00:01", "02:20:30:00:00:02"});
}

TEST_CASE("tui model: a wrong password, a dead port, garbage") {
  const auto badauth =
      answer_from_datagrams({"{\"_tag\":\"2\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});
  CHECK(badauth.refused);
  Answers a;
  a["edges"] = badauth;
  TargetSnapshot t = build_target("127.0.0.1:5644", 5644, a);
  CHECK(t.health == Health::bad_password);
  CHECK(t.status.find("wrong management password") != std::string::npos);

  a["edges"] =
      MethodAnswer{{}, "management port 5644 does not answer (Connection refused)", false, false};
  t = build_target("127.0.0.1:5644", 5644, a);
  CHECK(t.health == Health::unreachable);
  CHECK(t.status == "management port 5644 does not answer (Connection refused)");

  a["edges"] = rows({{{"hello", "world"}}});
  t = build_target("127.0.0.1:5644", 5644, a);
  CHECK(t.health == Health::garbage);
  CHECK(t.status.find("not a management edge list") != std::string::npos);

  // Fields of the wrong type are read as empty, not thrown on.
  a["edges"] = rows({{{"macaddr", 5}, {"sockaddr", nullptr}, {"mode", "p2p"}, {"last_seen", "x"}}});
  t = build_target("127.0.0.1:5644", 5644, a);
  CHECK(t.health == Health::ok);
  CHECK(t.peers.at(0).last_seen == 0);

  // Datagrams that are not JSON, and a reply without its end.
  const auto cut = answer_from_datagrams({"garbage", "{\"_type\":\"begin\"}"});
  CHECK(!cut.ok);
  CHECK(!cut.refused);

  Snapshot s = one(t);
  s.targets[0].health = Health::unreachable;
  CHECK(snapshot_exit_code(s, options()) == 4);
  s.targets[0].health = Health::bad_password;
  CHECK(snapshot_exit_code(s, options()) == 1);
}

TEST_CASE("tui model: our edge, P2P and relayed spelled out, path MTUs against the overhead") {
  const TargetSnapshot t = build_target("127.0.0.1:5644", 5644, our_edge());
  REQUIRE(t.health == Health::ok);
  CHECK(t.kind == DaemonKind::edge);
  CHECK(t.status == "127.0.0.1:5644: edge, 2 peers (1 p2p, 1 relayed)");
  CHECK(t.peers[1].pmtu == 1400);  // from 'paths'
  const Snapshot s = one(t);

  const Table peers = make_table(View::peers, s, options());
  CHECK(peers.sections[0].heading ==
        "127.0.0.1:5644: edge, 2 peers (1 p2p, 1 relayed), clamped 3 tx 4 rx, 7 dropped");
  // The daemon's order: the pending (relayed) peer first.
  CHECK(column(peers, 0, 0) == std::vector<std::string>{"relayed", "P2P"});
  CHECK(peers.sections[0].rows[0].severity == Severity::warn);
  CHECK(peers.sections[0].rows[1].severity == Severity::good);
  CHECK(column(peers, 0, 5) == std::vector<std::string>{"-", "1400"});
  CHECK(column(make_table(View::peers, s, options(0)), 0, 0) ==
        std::vector<std::string>{"P2P", "relayed"});

  const Table paths = make_table(View::path_mtu, s, options());
  const mtu::PathConfig aes{crypto::TransformId::aes};
  REQUIRE(paths.sections[0].rows.size() == 4);  // TAP, supernode, the P2P peer, the relayed one
  const Row& tap = paths.sections[0].rows[0];
  CHECK(tap.cells[3].text == "1500");
  CHECK(tap.cells[4].text == std::to_string(mtu::path_mtu_needed(1500, aes, true)));
  const Row& sn = paths.sections[0].rows[1];
  CHECK(sn.cells[0].text == "supernode");
  CHECK(sn.severity == Severity::bad);  // 1500 cannot carry 1500 + overhead
  const Row& peer = paths.sections[0].rows[2];
  CHECK(peer.cells[0].text == "02:00:00:00:00:02");
  CHECK(peer.severity == Severity::bad);
  CHECK(peer.cells[5].text == std::to_string(mtu::tap_mtu_for_path(1400, aes, false)));
  CHECK(peer.cells[6].text.find("lower -M to " + std::to_string(mtu::tap_mtu_for_path(
                                                     1400, aes, false))) != std::string::npos);
  CHECK(paths.sections[0].heading.find(
            std::to_string(mtu::datagram_overhead_per_ip_packet(aes, mtu::Leg::direct)) +
            " B direct") != std::string::npos);
  CHECK(snapshot_exit_code(s, options()) == 1);

  const Table counters = make_table(View::counters, s, options());
  const auto names = column(counters, 0, 0);
  // Drop reasons never seen are summed up in one row.
  CHECK(names == std::vector<std::string>{"packets transop", "packets p2p", "mss clamped",
                                          "drop too_big", "drop (others)"});
  CHECK(counters.sections[0].rows[3].severity == Severity::warn);
  CHECK(counters.sections[0].rows[3].cells[3].text == "7");
  CHECK(counters.sections[0].rows[4].cells[4].text == "1 more reasons, none seen");
}

TEST_CASE("tui model: sort with a marker, filter, 80 columns") {
  const Snapshot s = one(build_target("127.0.0.1:5644", 5644, our_edge()));
  // SEEN (column 4) is numeric: 1 s before 5 s, and the reverse.
  Table t = make_table(View::peers, s, options(4));
  CHECK(column(t, 0, 4) == std::vector<std::string>{"1s", "5s"});
  t = make_table(View::peers, s, options(4, true));
  CHECK(column(t, 0, 4) == std::vector<std::string>{"5s", "1s"});
  CHECK(header_line(t, options(4, true), 80).find("AGEv") != std::string::npos);
  CHECK(header_line(t, options(1), 80).find("OVERLAY^") != std::string::npos);
  t = make_table(View::peers, s, options(0, false, "RELAY"));
  CHECK(column(t, 0, 0) == std::vector<std::string>{"relayed"});
  CHECK(t.sections[0].hidden == 1);
  for (const View v : {View::peers, View::path_mtu, View::counters}) {
    const Table full = make_table(v, s, options());
    // Every column's title keeps its sort marker at 80 columns.
    for (std::size_t c = 0; c < full.columns.size(); ++c) {
      CHECK(header_line(full, options(c, true), 80).find(full.columns[c].title + "v") !=
            std::string::npos);
    }
    CHECK(header_line(full, options(), 80).size() <= 80);
    for (const Row& r : full.sections[0].rows) CHECK(row_line(full, r, 80).size() == 80);
  }
  const std::string text = render_text(s, options(), 0);
  CHECK(text.find("== Peers ==") != std::string::npos);
  CHECK(text.find("relayed") != std::string::npos);
  const auto json = render_json(s, options());
  CHECK(header_line(t, options(), 80).find('^') == std::string::npos);
  CHECK(json["targets"][0]["peers"][0]["path"] == "relayed");
  CHECK(json["targets"][0]["peers"][1]["path"] == "p2p");
  CHECK(json["views"]["Peers"][0]["rows"][0]["AGE"] == 5);
}

TEST_CASE("tui keys: views, sort, filter, pause, refresh, help, quit") {
  UiState ui;
  CHECK(handle_key(ui, '2') == KeyEffect::redraw);
  CHECK(ui.view == View::path_mtu);
  handle_key(ui, kKeyTab);
  CHECK(ui.view == View::counters);
  handle_key(ui, kKeyTab);
  CHECK(ui.view == View::mss);
  handle_key(ui, kKeyTab);
  CHECK(ui.view == View::firewall);
  handle_key(ui, kKeyTab);
  CHECK(ui.view == View::peers);
  handle_key(ui, kKeyBackTab);
  CHECK(ui.view == View::firewall);
  handle_key(ui, '5');
  CHECK(ui.view == View::firewall);
  handle_key(ui, '6');
  CHECK(ui.view == View::firewall);  // no sixth view
  handle_key(ui, '1');
  CHECK(ui.sort[0].column == kNoSort);
  handle_key(ui, 's');
  handle_key(ui, 's');
  handle_key(ui, 's');
  handle_key(ui, 'S');
  CHECK(ui.sort[0].column == 2);
  CHECK(ui.sort[0].descending);
  CHECK(ui.sort[1].column == kNoSort);  // each view keeps its own
  handle_key(ui, '<');
  CHECK(ui.sort[0].column == 1);
  handle_key(ui, '<');
  handle_key(ui, '<');
  CHECK(ui.sort[0].column == kNoSort);
  handle_key(ui, '<');
  CHECK(ui.sort[0].column == view_columns(View::peers).size() - 1);
  handle_key(ui, 's');
  CHECK(ui.sort[0].column == kNoSort);
  handle_key(ui, 's');
  handle_key(ui, 's');
  handle_key(ui, 's');
  handle_key(ui, '/');
  CHECK(ui.editing_filter);
  for (const char c : std::string("p2q")) handle_key(ui, c);  // m, q, digits: text here
  handle_key(ui, kKeyBackspace);
  CHECK(key_hints(ui).find("filter: p2_") != std::string::npos);
  CHECK(ui.view == View::peers);  // typed digits went into the filter
  handle_key(ui, kKeyEnter);
  CHECK(ui.filter == "p2");
  CHECK(!ui.editing_filter);
  handle_key(ui, '/');
  handle_key(ui, 'x');
  handle_key(ui, kKeyEscape);
  CHECK(ui.filter == "p2");
  CHECK(handle_key(ui, 'p') == KeyEffect::redraw);
  CHECK(ui.paused);
  CHECK(handle_key(ui, ' ') == KeyEffect::repoll);
  CHECK(!ui.paused);
  handle_key(ui, '+');
  CHECK(ui.refresh == std::chrono::milliseconds(2000));
  for (int i = 0; i < 10; ++i) handle_key(ui, '-');
  CHECK(ui.refresh == std::chrono::milliseconds(200));
  handle_key(ui, 'm');
  CHECK(ui.probe_requested);
  handle_key(ui, '?');
  CHECK(ui.help);
  handle_key(ui, 'x');
  CHECK(!ui.help);
  CHECK(!ui.quit);
  handle_key(ui, 'q');
  CHECK(ui.quit);
}

namespace {

constexpr std::uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

// A captured Ethernet frame holding a SYN (or SYN-ACK) with this MSS, 10.77.0.1 -> 10.77.0.2.
ByteVector syn_frame(std::uint8_t flags, std::optional<std::uint16_t> mss) {
  const auto tcp =
      packet::tcp_segment(ip4(10, 77, 0, 1), ip4(10, 77, 0, 2), 41000, 8080, 1, 0, flags, mss);
  const auto ipv4 = packet::ipv4_packet(6, ip4(10, 77, 0, 1), ip4(10, 77, 0, 2), tcp);
  return packet::ethernet_frame({2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 2}, 0x0800, ipv4);
}

SynEvent captured(std::uint8_t flags, std::optional<std::uint16_t> mss, std::uint32_t tap_mtu) {
  std::vector<std::uint8_t> scratch;
  const ByteVector frame = syn_frame(flags, mss);
  const auto syn = capture::syn_in_capture(1, frame, scratch);
  REQUIRE(syn);
  net::RouteFacts tap;
  tap.iface = "n2n0";
  tap.iface_mtu = tap_mtu;
  return syn_event(*syn, capture::judge_syn(*syn, tap, tap), 1000.5);
}

}  // namespace

TEST_CASE("tui model: the MSS view from crafted captures") {
  Snapshot s;
  s.capture.iface = "n2n0";
  s.capture.events = {captured(packet::kTcpSyn, 1460, 1290),
                      captured(packet::kTcpSyn | packet::kTcpAck, 1250, 1290),
                      captured(packet::kTcpSyn, std::nullopt, 1290)};
  s.capture.seen = 3;
  s.capture.oversized = 1;
  CHECK(s.capture.events[0].src == "10.77.0.1:41000");
  CHECK(s.capture.events[0].oversized);
  CHECK(s.capture.events[0].mss_limit == 1250);
  const Table t = make_table(View::mss, s, options());
  CHECK(t.sections[0].heading == "capturing SYNs on n2n0: 3 seen, 1 too big");
  // Newest first.
  CHECK(column(t, 0, 1) == std::vector<std::string>{"SYN", "SYN-ACK", "SYN"});
  CHECK(column(t, 0, 4) == std::vector<std::string>{"-", "1250", "1460"});
  CHECK(column(t, 0, 6) ==
        std::vector<std::string>{"no MSS option", "fits", "too big: path 1290 allows 1250"});
  CHECK(t.sections[0].rows[2].severity == Severity::bad);
  CHECK(t.sections[0].rows[1].severity == Severity::good);
  // Sorted by MSS, the unknown one first.
  CHECK(column(make_table(View::mss, s, options(4)), 0, 4) ==
        std::vector<std::string>{"-", "1250", "1460"});
  CHECK(make_table(View::mss, Snapshot{}, options()).sections[0].heading.find("-i IFACE") !=
        std::string::npos);
}

TEST_CASE("tui model: the Firewall view from a crafted state") {
  Snapshot s;
  s.firewall.overlay = "n2n0";
  s.firewall.read = true;
  s.firewall.ipv4_forwarding = true;
  s.firewall.ipv6_forwarding = false;
  s.firewall.state.sources_read = {"nftables"};
  firewall::MssClamp clamp;
  clamp.place = {firewall::Source::nftables, std::nullopt, "inet n2nkit_mss", "forward", "forward"};
  clamp.out_iface = "n2n0";
  clamp.to_pmtu = true;
  clamp.owner = firewall::Owner::mss;
  s.firewall.state.clamps.push_back(clamp);
  firewall::NatRule nat;
  nat.place = {firewall::Source::iptables_nft, firewall::IpFamily::ipv4, "nat", "POSTROUTING",
               "postrouting"};
  nat.masquerade = true;
  nat.source_subnet = "10.77.0.0/24";
  nat.out_iface = "eth0";
  s.firewall.state.nats.push_back(nat);
  s.firewall.findings.push_back({true,
                                 "no_clamp_into_overlay",
                                 "SYNs into the overlay are not clamped.",
                                 {"n2n-mss clamp --iface n2n0"}});
  const Table t = make_table(View::firewall, s, options());
  CHECK(t.sections[0].heading == "firewall for n2n0 (read: nftables)");
  CHECK(column(t, 0, 0) == std::vector<std::string>{"sysctl", "clamp", "nat", "PROBLEM"});
  CHECK(column(t, 0, 3)[0] == "IPv4 on, IPv6 off");
  CHECK(column(t, 0, 3)[1] == "in * out n2n0 -> pmtu (n2nkit)");
  CHECK(column(t, 0, 2)[1] == "inet n2nkit_mss forward");
  CHECK(column(t, 0, 3)[2] == "masquerade from 10.77.0.0/24 out eth0");
  CHECK(column(t, 0, 3)[3] ==
        "SYNs into the overlay are not clamped. Fix: n2n-mss clamp --iface n2n0");
  CHECK(t.sections[0].rows[3].severity == Severity::bad);
  CHECK(snapshot_exit_code(s, options()) == 1);

  FirewallSnapshot unread;
  unread.overlay = "n2n0";
  unread.error = "firewall for n2n0: no interface n2n0";
  s.firewall = unread;
  const Table u = make_table(View::firewall, s, options());
  CHECK(u.sections[0].heading == "firewall for n2n0: no interface n2n0");
  CHECK(u.sections[0].severity == Severity::bad);
}

TEST_CASE("tui model: m's n2n-mtu probes fill the path MTUs the edge does not report") {
  CHECK(underlay_host("198.19.0.12:50002") == "198.19.0.12");
  CHECK(underlay_host("[fe80::1]:7654") == "fe80::1");
  CHECK(underlay_host("nonsense").empty());
  const MtuProbeResult ok = probe_result_from(0, R"({"path_mtu": 1400, "state": "done"})", "");
  CHECK(ok.pmtu == 1400);
  CHECK(ok.error.empty());
  const MtuProbeResult denied = probe_result_from(3, "", "n2n-mtu: probing needs CAP_NET_RAW\n");
  CHECK(denied.pmtu == 0);
  CHECK(denied.error == "n2n-mtu: probing needs CAP_NET_RAW");
  CHECK(probe_result_from(4, "garbage", "").error == "n2n-mtu exited with status 4");

  const auto answers = recorded("edgeA");
  if (!answers) {
    MESSAGE("SKIPPED: the shared material was not found (N2NKIT_SHARED_DIR)");
    return;
  }
  Snapshot s = one(build_target("127.0.0.1:5644", 5644, *answers));
  auto o = options();
  CHECK(make_table(View::path_mtu, s, o).sections[0].rows[2].cells[6].text ==
        "not reported: m probes it");
  s.probes["198.19.0.12"] = MtuProbeResult{true, 0, ""};
  CHECK(make_table(View::peers, s, o).sections[0].rows[0].cells[5].text == "...");
  CHECK(make_table(View::path_mtu, s, o).sections[0].rows[2].cells[2].text == "probing");
  s.probes["198.19.0.12"] = MtuProbeResult{false, 1400, ""};
  CHECK(make_table(View::peers, s, o).sections[0].rows[0].cells[5].text == "1400");
  const Row probed = make_table(View::path_mtu, s, o).sections[0].rows[2];
  CHECK(probed.cells[2].text == "probed");
  CHECK(probed.cells[3].text == "1400");
  // The reference edge's TAP MTU is not known, so there is nothing to compare it with.
  CHECK(probed.cells[5].text == std::to_string(mtu::tap_mtu_for_path(
                                    1400, mtu::PathConfig{crypto::TransformId::aes}, false)));
  s.probes["198.19.0.12"] = MtuProbeResult{false, 0, "n2n-mtu: no route to 198.19.0.12"};
  const Row failed = make_table(View::path_mtu, s, o).sections[0].rows[2];
  CHECK(failed.cells[2].text == "failed");
  CHECK(failed.cells[6].text == "n2n-mtu: no route to 198.19.0.12");
  CHECK(failed.severity == Severity::warn);
  CHECK(make_table(View::peers, s, o).sections[0].rows[0].cells[5].text == "?");
}
