// The edge's management API over real engines (spec §13): the set-up of the shared
// management examples (two edges and a supernode, a direct path, ARP and three pings) is
// rebuilt on the in-memory network, then every request of the reference's edge sessions is
// replayed and its replies compared byte for byte with the reference's. The few values the
// engine cannot know yet are listed in adjusted() with the reason. Also every error path,
// subscriptions and events, n2nkit's `drops`, and a listing of 500 peers.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/edge/management.hpp"
#include "core/mgmt/legacy_text.hpp"
#include "core/supernode/community_list.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::Management;
using edge::ManagementHooks;
using edge::PeerAction;
using Datagrams = std::vector<std::string>;

namespace {

struct Example {
  std::string_view session;  // edgeA, edgeB, edgeA_he as in management-examples.json
  std::string_view request;
  std::vector<std::string_view> replies;
};

// The edge sessions of vectors/management-examples.json, in order; the test "the embedded
// examples are the shared vectors" checks them against the file when it is there.
// clang-format off
const std::vector<Example>& examples() {
  static const std::vector<Example> table{
    {"edgeA", "r 1 edges", {
        "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
        "{\"_tag\":\"1\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.2/24\",\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:02\",\"sockaddr\":\"198.19.0.12:50002\",\"desc\":\"edge-b\",\"last_p2p\":1795563590,\n\"last_sent_query\":0,\n\"last_seen\":1795563590}\n",
        "{\"_tag\":\"1\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
    }},
    {"edgeA", "r 2 supernodes", {
        "{\"_tag\":\"2\",\"_type\":\"begin\",\"cmd\":\"supernodes\"}\n",
        "{\"_tag\":\"2\",\"_type\":\"row\",\"version\":\"\",\"purgeable\":1,\"current\":1,\"macaddr\":\"02:53:4E:00:00:01\",\"sockaddr\":\"198.19.0.1:7654\",\"selection\":\"\",\"last_seen\":0,\"uptime\":0}\n",
        "{\"_tag\":\"2\",\"_type\":\"end\",\"cmd\":\"supernodes\"}\n",
    }},
    {"edgeA", "r 3 communities", {
        "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"communities\"}\n",
        "{\"_tag\":\"3\",\"_type\":\"row\",\"community\":\"n2nkit-testvector\"}\n",
        "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"communities\"}\n",
    }},
    {"edgeA", "r 4 timestamps", {
        "{\"_tag\":\"4\",\"_type\":\"begin\",\"cmd\":\"timestamps\"}\n",
        "{\"_tag\":\"4\",\"_type\":\"row\",\"start_time\":1795563585,\"last_super\":1795563586,\"last_p2p\":1795563590}\n",
        "{\"_tag\":\"4\",\"_type\":\"end\",\"cmd\":\"timestamps\"}\n",
    }},
    {"edgeA", "r 5 verbose", {
        "{\"_tag\":\"5\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
        "{\"_tag\":\"5\",\"_type\":\"row\",\"traceLevel\":3}\n",
        "{\"_tag\":\"5\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
    }},
    {"edgeA", "r 6 help", {
        "{\"_tag\":\"6\",\"_type\":\"begin\",\"cmd\":\"help\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"reload_communities\",\"help\":\"Reserved for supernode\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"stop\",\"help\":\"Gracefully exit edge\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"verbose\",\"help\":\"Manage verbosity level\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"communities\",\"help\":\"Show current community\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"edges\",\"help\":\"List current edges/peers\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"supernodes\",\"help\":\"List current supernodes\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"timestamps\",\"help\":\"Event timestamps\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"packetstats\",\"help\":\"traffic counters\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"post.test\",\"help\":\"send a test event\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"help\",\"help\":\"Show JSON commands\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"help.events\",\"help\":\"Show available Subscribe topics\"}\n",
        "{\"_tag\":\"6\",\"_type\":\"end\",\"cmd\":\"help\"}\n",
    }},
    {"edgeA", "r 7 packetstats", {
        "{\"_tag\":\"7\",\"_type\":\"begin\",\"cmd\":\"packetstats\"}\n",
        "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"transop\",\"tx_pkt\":6,\"rx_pkt\":6}\n",
        "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"p2p\",\"tx_pkt\":3,\"rx_pkt\":4}\n",
        "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"super\",\"tx_pkt\":3,\"rx_pkt\":2}\n",
        "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"super_broadcast\",\"tx_pkt\":3,\"rx_pkt\":2}\n",
        "{\"_tag\":\"7\",\"_type\":\"end\",\"cmd\":\"packetstats\"}\n",
    }},
    {"edgeA", "r 8 help.events", {
        "{\"_tag\":\"8\",\"_type\":\"begin\",\"cmd\":\"help.events\"}\n",
        "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"debug\",\"tag\":\"\",\"sockaddr\":\"?:?\",\"help\":\"All events - for event debugging\"}\n",
        "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"test\",\"tag\":\"\",\"sockaddr\":\"?:?\",\"help\":\"Used only by post.test\"}\n",
        "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"peer\",\"tag\":\"\",\"sockaddr\":\"?:?\",\"help\":\"Changes to peer list\"}\n",
        "{\"_tag\":\"8\",\"_type\":\"end\",\"cmd\":\"help.events\"}\n",
    }},
    {"edgeA", "w 9 verbose 2", {
        "{\"_tag\":\"9\",\"_type\":\"error\",\"error\":\"badauth\"}\n",
    }},
    {"edgeA", "w 10:1:n2n verbose 2", {
        "{\"_tag\":\"10\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
        "{\"_tag\":\"10\",\"_type\":\"row\",\"traceLevel\":2}\n",
        "{\"_tag\":\"10\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
    }},
    {"edgeA", "r 11 nosuchcmd", {
        "{\"_tag\":\"11\",\"_type\":\"error\",\"error\":\"unknowncmd\"}\n",
    }},
    {"edgeA", "x 12 edges", {
        "{\"_tag\":\"-1\",\"_type\":\"error\",\"error\":\"badtype\"}\n",
    }},
    {"edgeA", "r", {
        "COMMUNITY 'n2nkit-testvector'\n\n ### | TAP             | MAC               | EDGE                  | HINT            | LAST SEEN |     UPTIME\n=============================================================================================================\nSUPERNODE FORWARD\n-------------------------------------------------------------------------------------------------------------\nPEER TO PEER\n   1 | 10.20.30.2      | 02:20:30:00:00:02 | 198.19.0.12:50002     | edge-b          |         3 |\n",
        "-------------------------------------------------------------------------------------------------------------\nSUPERNODES\n3.1.1               l* | 02:53:4E:00:00:01 | 198.19.0.1:7654       | load =        0 |         1 |          8\n",
        "=============================================================================================================\nuptime 8 | pend_peers 0 | known_peers 1 | transop 6,6\nsuper 3,2 | p2p 3,4\nlast_super 7 sec ago | last_p2p 3 sec ago\n\nType \"help\" to see more commands.\n\n",
    }},
    {"edgeA", "r 13", {
        "{\"_tag\":\"-1\",\"_type\":\"error\",\"error\":\"nocmd\"}\n",
    }},
    {"edgeA", "w 14:1:wrongpw verbose", {
        "{\"_tag\":\"14\",\"_type\":\"error\",\"error\":\"badauth\"}\n",
    }},
    {"edgeA", "s 15:1:n2n peer", {
        "{\"_tag\":\"15\",\"_type\":\"subscribe\",\"topic\":\"peer\"}\n",
    }},
    {"edgeA", "r 16:1:n2n edges", {
        "{\"_tag\":\"16\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
        "{\"_tag\":\"16\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.2/24\",\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:02\",\"sockaddr\":\"198.19.0.12:50002\",\"desc\":\"edge-b\",\"last_p2p\":1795563594,\n\"last_sent_query\":0,\n\"last_seen\":1795563594}\n",
        "{\"_tag\":\"16\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
    }},
    {"edgeA", "help", {
        "Help for edge management console:\n\tstop    | Gracefully exit edge\n\thelp    | This help message\n\t+verb   | Increase verbosity of logging\n\t-verb   | Decrease verbosity of logging\n\tr ...   | start query with JSON reply\n\tw ...   | start update with JSON reply\n\ts ...   | subscribe to event channel JSON reply\n\t<enter> | Display statistics\n\n",
    }},
    {"edgeA", "+verb", {
        "> +OK traceLevel=3\n",
    }},
    {"edgeA", "-verb", {
        "> -OK traceLevel=2\n",
    }},
    {"edgeA", "\n", {
        "COMMUNITY 'n2nkit-testvector'\n\n ### | TAP             | MAC               | EDGE                  | HINT            | LAST SEEN |     UPTIME\n=============================================================================================================\nSUPERNODE FORWARD\n-------------------------------------------------------------------------------------------------------------\nPEER TO PEER\n   1 | 10.20.30.2      | 02:20:30:00:00:02 | 198.19.0.12:50002     | edge-b          |         4 |\n",
        "-------------------------------------------------------------------------------------------------------------\nSUPERNODES\n3.1.1               l* | 02:53:4E:00:00:01 | 198.19.0.1:7654       | load =        0 |         6 |          8\n",
        "=============================================================================================================\nuptime 13 | pend_peers 0 | known_peers 1 | transop 7,7\nsuper 3,2 | p2p 4,5\nlast_super 12 sec ago | last_p2p 4 sec ago\n\nType \"help\" to see more commands.\n\n",
    }},
    {"edgeB", "w 1 verbose", {
        "{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"badauth\"}\n",
    }},
    {"edgeB", "w 2:1:n2n verbose", {
        "{\"_tag\":\"2\",\"_type\":\"error\",\"error\":\"badauth\"}\n",
    }},
    {"edgeB", "w 3:1:s3cret verbose", {
        "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
        "{\"_tag\":\"3\",\"_type\":\"row\",\"traceLevel\":3}\n",
        "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
    }},
    {"edgeB", "r 4 edges", {
        "{\"_tag\":\"4\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
        "{\"_tag\":\"4\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.1/24\",\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:01\",\"sockaddr\":\"198.19.0.11:50001\",\"desc\":\"edge-a\",\"last_p2p\":1795563594,\n\"last_sent_query\":0,\n\"last_seen\":1795563594}\n",
        "{\"_tag\":\"4\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
    }},
    {"edgeA_he", "r 1 communities", {
        "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"communities\"}\n",
        "{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"noaccess\"}\n",
        "{\"_tag\":\"1\",\"_type\":\"end\",\"cmd\":\"communities\"}\n",
    }},
    {"edgeA_he", "r 2 supernodes", {
        "{\"_tag\":\"2\",\"_type\":\"begin\",\"cmd\":\"supernodes\"}\n",
        "{\"_tag\":\"2\",\"_type\":\"row\",\"version\":\"\",\"purgeable\":1,\"current\":1,\"macaddr\":\"02:53:4E:00:00:01\",\"sockaddr\":\"198.19.0.1:7654\",\"selection\":\"\",\"last_seen\":0,\"uptime\":0}\n",
        "{\"_tag\":\"2\",\"_type\":\"end\",\"cmd\":\"supernodes\"}\n",
    }},
    {"edgeA_he", "w 3:1:n2n stop", {
        "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"stop\"}\n",
        "{\"_tag\":\"3\",\"_type\":\"row\",\"keep_running\":0}\n",
        "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"stop\"}\n",
    }},
  };
  return table;
}
// clang-format on

std::vector<const Example*> session(std::string_view name) {
  std::vector<const Example*> out;
  for (const Example& e : examples()) {
    if (e.session == name) out.push_back(&e);
  }
  return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

constexpr std::uint64_t kRefStart = 1'795'563'585;  // edge A's start in the examples
const wire::Sock kSupernodeSock = wire::Sock::ipv4(ip4(198, 19, 0, 1), 7654);
const wire::Sock kClient = wire::Sock::ipv4(ip4(127, 0, 0, 1), 40001);
const wire::Sock kOtherClient = wire::Sock::ipv4(ip4(127, 0, 0, 1), 40002);

struct Hooked {
  unsigned level = 3;  // the examples' edges run with -v
  int stops = 0;
  ManagementHooks hooks() {
    ManagementHooks h;
    h.stop = [this] { ++stops; };
    h.verbosity = [this] { return level; };
    h.set_verbosity = [this](unsigned l) { level = l; };
    return h;
  }
};

Datagrams ask(Management& m, std::string_view request, std::uint64_t now = kRefStart,
              const wire::Sock& from = kClient) {
  return m.handle(as_bytes(request), now, from);
}

edge::EdgeConfig reference_edge(unsigned n, std::string_view desc, bool header_encryption) {
  auto c = static_edge(n);
  // The reference edges of the recording sent no padded PINGs, whose PONGs would fill in the
  // supernode's version, uptime and selection before the reference knew them.
  c.path_mtu_discovery = false;
  c.community = "n2nkit-testvector";
  c.transform = crypto::TransformId::aes;
  c.key = "n2nkit-secret-key1";
  c.header_encryption = header_encryption;
  c.desc = std::string(desc);
  c.supernodes = {kSupernodeSock};
  return c;
}

// The examples' set-up: supernode 198.19.0.1:7654 with community.list "n2nkit-testvector",
// edge A 198.19.0.11:50001 (10.20.30.1/24, "edge-a"), edge B 198.19.0.12:50002; both start at
// kRefStart and register one second later, A first (so A sees B's gratuitous ARPs).
struct ReferenceLab {
  explicit ReferenceLab(bool header_encryption = false, bool with_b = true) {
    net.now = kRefStart;
    supernode::SupernodeConfig sn_config;
    std::vector<std::string> warnings;
    std::string error;
    auto list = supernode::parse_community_list("n2nkit-testvector\n", "t", warnings, error);
    REQUIRE(list);
    sn_config.communities = std::move(*list);
    sn = net.add_supernode(1, std::move(sn_config));
    net.nodes[sn].sock = kSupernodeSock;
    a = net.add_edge(1, reference_edge(1, "edge-a", header_encryption));
    net.nodes[a].sock = wire::Sock::ipv4(ip4(198, 19, 0, 11), 50001);
    if (with_b) {
      b = net.add_edge(2, reference_edge(2, "edge-b", header_encryption));
      net.nodes[b].sock = wire::Sock::ipv4(ip4(198, 19, 0, 12), 50002);
    }
    net.now = kRefStart + 1;
    net.start(a);
    if (with_b) net.start(b);
  }

  wire::Mac mac(std::size_t i) const { return net.nodes[i].edge->config().mac; }

  // The reference edges found each other through multicast discovery on their shared LAN,
  // which the engine does not do yet: one direct REGISTER from B opens the same path.
  void discover() {
    wire::CommonHeader h;
    h.community = wire::make_community("n2nkit-testvector");
    wire::Register reg;
    reg.cookie = edge::kCookieLocal;
    reg.src_mac = mac(b);
    reg.dst_mac = mac(a);
    reg.dev_addr = {ip4(10, 20, 30, 2), 24};
    reg.desc = wire::make_description("edge-b");
    net.inject(a, wire::encode_to_vector(h, reg), net.nodes[b].sock);
    REQUIRE(net.edge(a).peers().known(mac(b)) != nullptr);
    REQUIRE(net.edge(b).peers().known(mac(a)) != nullptr);
  }

  // `ping` from A: ARP request (broadcast, via the supernode) and reply (direct).
  void arp() {
    const auto request =
        packet::arp_body(1, mac(a), ip4(10, 20, 30, 1), wire::kNullMac, ip4(10, 20, 30, 2));
    net.frame(a, packet::ethernet_frame(wire::kBroadcastMac, mac(a), 0x0806, request));
    const auto reply = packet::arp_body(2, mac(b), ip4(10, 20, 30, 2), mac(a), ip4(10, 20, 30, 1));
    net.frame(b, packet::ethernet_frame(mac(a), mac(b), 0x0806, reply));
  }

  // One echo request A → B and its reply, both direct.
  void ping(std::uint16_t seq) {
    const ByteVector data(100, 0x6e);
    net.frame(a, ping_frame(mac(a), mac(b), ip4(10, 20, 30, 1), ip4(10, 20, 30, 2), 100));
    const auto icmp = packet::icmp_echo(false, 7, seq, data);
    const auto ip = packet::ipv4_packet(1, ip4(10, 20, 30, 2), ip4(10, 20, 30, 1), icmp);
    net.frame(b, packet::ethernet_frame(mac(a), mac(b), 0x0800, ip));
  }

  // The examples' traffic: ARP and the first pings at +4 s, the last ping at +5 s.
  void reference_traffic() {
    discover();
    net.now = kRefStart + 4;
    arp();
    ping(1);
    ping(2);
    net.now = kRefStart + 5;
    ping(3);
  }

  Network net;
  std::size_t sn = 0, a = 0, b = 0;
};

// The supernode row of the text status as we write it: version, selection and uptime come
// from PONGs (not sent yet), last seen from the engine.
std::string status_supernode_row(std::uint64_t seen_ago) {
  return fmt::format(
      "{:<19} l* | 02:53:4E:00:00:01 | 198.19.0.1:7654       | {:<15} | {:>9} | {:>10}\n", "", "",
      seen_ago, "");
}

// The reference's replies with what the engine cannot know yet put in its place. Everything
// else must match byte for byte.
Datagrams adjusted(const Example& ex, const edge::Engine& engine, std::uint64_t now) {
  Datagrams want(ex.replies.begin(), ex.replies.end());
  const std::string_view r = ex.request;
  if (r.ends_with("edges") && want.size() == 3) {
    // "local" is set by multicast discovery, which the engine does not do yet.
    replace_all(want[1], R"("local":1)", R"("local":0)");
  }
  if (r.ends_with("supernodes")) {
    // The reference's supernode last_seen moves with PONGs only; the engine's with every
    // datagram from the supernode (here its REGISTER_SUPER_ACK).
    replace_all(want[1], R"("last_seen":0,)",
                fmt::format(R"("last_seen":{},)", engine.supernodes().at(0).last_seen));
  }
  if (r == "r 6 help") {
    // n2nkit's `drops`, `mss` and `paths`, after the reference's rows.
    want.insert(
        want.end() - 1,
        R"js({"_tag":"6","_type":"row","cmd":"drops","help":"Datagrams not acted on, by reason (n2nkit)"})js"
        "\n");
    want.insert(
        want.end() - 1,
        R"js({"_tag":"6","_type":"row","cmd":"mss","help":"TCP MSS clamping: limits and SYNs clamped (n2nkit)"})js"
        "\n");
    want.insert(
        want.end() - 1,
        R"js({"_tag":"6","_type":"row","cmd":"paths","help":"Path MTU towards the supernode (n2nkit)"})js"
        "\n");
  }
  if (r == "r" || r == "\n") {
    const std::size_t row = want[1].find("3.1.1");
    REQUIRE(row != std::string::npos);
    want[1] =
        want[1].substr(0, row) + status_supernode_row(now - engine.supernodes().at(0).last_seen);
  }
  return want;
}

// One request from kClient, as n2n-ctl sends it, against the example's replies.
void check_exchange(Management& m, const Example& ex, const edge::Engine& engine,
                    std::uint64_t now) {
  INFO("request: ", ex.session, " ", ex.request);
  const Datagrams got = ask(m, ex.request, now);
  const Datagrams want = adjusted(ex, engine, now);
  // Datagram by datagram, so that a failure shows the bytes.
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == want[i]);
}

}  // namespace

TEST_CASE("edge management: the embedded examples are the shared vectors") {
  const auto shared = shared_dir();
  if (!shared) {
    MESSAGE("SKIPPED: the shared material was not found (N2NKIT_SHARED_DIR)");
    return;
  }
  std::ifstream in(*shared / "vectors" / "management-examples.json");
  REQUIRE(in);
  const auto doc = nlohmann::json::parse(in);
  std::size_t compared = 0;
  for (const char* name : {"edgeA", "edgeB", "edgeA_he"}) {
    const auto ours = session(name);
    const auto& theirs = doc.at(name).at("exchanges");
    REQUIRE(ours.size() == theirs.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
      CHECK(ours[i]->request == theirs[i].at("request").get<std::string>());
      const Datagrams embedded(ours[i]->replies.begin(), ours[i]->replies.end());
      CHECK(embedded == theirs[i].at("replies").get<Datagrams>());
      ++compared;
    }
  }
  CHECK(compared == 28);
}

TEST_CASE("edge management: edge A's session of the reference examples") {
  ReferenceLab lab;
  lab.reference_traffic();
  Hooked h;
  const edge::Engine& engine = lab.net.edge(lab.a);
  Management m(engine, h.hooks());
  std::uint64_t now = kRefStart + 6;  // the first queries came ~6 s after the start
  for (const Example* ex : session("edgeA")) {
    if (ex->request == "r") now = kRefStart + 8;
    if (ex->request == "r 16:1:n2n edges") {
      // One more ping between the subscription and this listing: last_p2p moves to +9 s.
      lab.net.now = kRefStart + 9;
      lab.ping(4);
      now = lab.net.now;
    }
    if (ex->request == "\n") now = kRefStart + 13;
    check_exchange(m, *ex, engine, now);
  }
  CHECK(h.level == 2);  // "w 10:1:n2n verbose 2", "+verb", "-verb"
  // What adjusted() put in for the reference's PONG-driven supernode last_seen: the ACK.
  CHECK(engine.supernodes().at(0).last_seen == kRefStart + 1);
  CHECK(h.stops == 0);
}

TEST_CASE("edge management: edge B's session, with --management-password s3cret") {
  ReferenceLab lab;
  lab.reference_traffic();
  lab.net.now = kRefStart + 9;
  lab.ping(4);
  Hooked h;
  const edge::Engine& engine = lab.net.edge(lab.b);
  Management m(engine, h.hooks(), "s3cret");
  for (const Example* ex : session("edgeB")) check_exchange(m, *ex, engine, lab.net.now);
}

TEST_CASE("edge management: with header encryption communities is refused, stop stops") {
  ReferenceLab lab(true, false);
  const edge::Engine& engine = lab.net.edge(lab.a);
  REQUIRE(engine.state() == edge::EdgeState::registered);
  Hooked h;
  Management m(engine, h.hooks());
  for (const Example* ex : session("edgeA_he")) check_exchange(m, *ex, engine, kRefStart + 6);
  CHECK(h.stops == 1);
  CHECK_FALSE(m.keep_running());
  // The text status does not name the community either.
  CHECK(ask(m, "\n").front().starts_with("COMMUNITY '-- header encrypted --'\n\n"));
}

TEST_CASE("edge management: every error code") {
  ReferenceLab lab(false, false);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  const auto error = [](std::string_view tag, std::string_view code) {
    return Datagrams{fmt::format(R"({{"_tag":"{}","_type":"error","error":"{}"}})"
                                 "\n",
                                 tag, code)};
  };
  // Errors found while the line is split carry the tag -1.
  CHECK(ask(m, "x 1 edges") == error("-1", "badtype"));
  CHECK(ask(m, "r ") == error("-1", "nooptions"));
  CHECK(ask(m, "r 2") == error("-1", "nocmd"));
  // Without a password only reads; a wrong password fails reads too.
  CHECK(ask(m, "w 3 verbose 1") == error("3", "badauth"));
  CHECK(ask(m, "s 4 peer") == error("4", "badauth"));
  CHECK(ask(m, "r 5:1:wrong edges") == error("5", "badauth"));
  CHECK(ask(m, "w 6:1:n2n edges") == error("6", "readonly"));
  CHECK(ask(m, "r 7 nosuch") == error("7", "unknowncmd"));
  CHECK(ask(m, "s 8:1:n2n nosuch") == error("8", "unknowntopic"));
  // The edge keeps 9 characters of a tag.
  CHECK(ask(m, "r 0123456789abc nosuch") == error("012345678", "unknowncmd"));
  // Command-level errors come between begin and end.
  const Datagrams unimplemented{
      R"({"_tag":"9","_type":"begin","cmd":"reload_communities"})"
      "\n",
      R"({"_tag":"9","_type":"error","error":"unimplemented"})"
      "\n",
      R"({"_tag":"9","_type":"end","cmd":"reload_communities"})"
      "\n",
  };
  CHECK(ask(m, "r 9 reload_communities") == unimplemented);
  CHECK(ask(m, "w 9:1:n2n reload_communities") == unimplemented);
  CHECK(h.level == 3);
  CHECK(m.take_events().empty());

  ReferenceLab he(true, false);
  Management m_he(he.net.edge(he.a), h.hooks());
  CHECK(ask(m_he, "r c communities") ==
        Datagrams{R"({"_tag":"c","_type":"begin","cmd":"communities"})"
                  "\n",
                  R"({"_tag":"c","_type":"error","error":"noaccess"})"
                  "\n",
                  R"({"_tag":"c","_type":"end","cmd":"communities"})"
                  "\n"});
}

TEST_CASE("edge management: one subscriber per topic, the newest wins") {
  ReferenceLab lab(false, false);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  CHECK(ask(m, "s 1:1:n2n peer", kRefStart, kClient) ==
        Datagrams{R"({"_tag":"1","_type":"subscribe","topic":"peer"})"
                  "\n"});
  CHECK(m.take_events().empty());

  // Another client takes the topic over: it is told it replaces someone, the old one that it
  // is unsubscribed (with its own tag).
  CHECK(ask(m, "s 2:1:n2n peer", kRefStart, kOtherClient) ==
        Datagrams{R"({"_tag":"2","_type":"replacing","topic":"peer"})"
                  "\n",
                  R"({"_tag":"2","_type":"subscribe","topic":"peer"})"
                  "\n"});
  const auto notices = m.take_events();
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].first == kClient);
  CHECK(notices[0].second == R"({"_tag":"1","_type":"unsubscribed","topic":"peer"})"
                             "\n");

  // Replaced from the same socket: the notice is part of the reply, first, as the reference
  // sends it.
  CHECK(ask(m, "s 3:1:n2n peer", kRefStart, kOtherClient) ==
        Datagrams{R"({"_tag":"2","_type":"unsubscribed","topic":"peer"})"
                  "\n",
                  R"({"_tag":"3","_type":"replacing","topic":"peer"})"
                  "\n",
                  R"({"_tag":"3","_type":"subscribe","topic":"peer"})"
                  "\n"});
  CHECK(m.take_events().empty());

  // Topics are independent; help.events shows who listens where.
  CHECK(ask(m, "s 4:1:n2n debug", kRefStart, kClient).size() == 1);
  const auto rows = ask(m, "r 5 help.events");
  REQUIRE(rows.size() == 5);
  CHECK(
      rows[1] ==
      R"({"_tag":"5","_type":"row","topic":"debug","tag":"4","sockaddr":"127.0.0.1:40001","help":"All events - for event debugging"})"
      "\n");
  CHECK(
      rows[2] ==
      R"({"_tag":"5","_type":"row","topic":"test","tag":"","sockaddr":"?:?","help":"Used only by post.test"})"
      "\n");
  CHECK(
      rows[3] ==
      R"({"_tag":"5","_type":"row","topic":"peer","tag":"3","sockaddr":"127.0.0.1:40002","help":"Changes to peer list"})"
      "\n");
}

TEST_CASE("edge management: peer and test events reach their subscriber and debug's") {
  ReferenceLab lab(false, false);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  const wire::Mac peer_mac{0x02, 0x20, 0x30, 0x00, 0x00, 0x02};
  const auto peer_sock = wire::Sock::ipv4(ip4(198, 19, 0, 12), 50002);
  m.peer_event(PeerAction::added_p2p, peer_mac, peer_sock);
  CHECK(m.take_events().empty());  // nobody listens

  ask(m, "s p:1:n2n peer", kRefStart, kClient);
  ask(m, "s d:1:n2n debug", kRefStart, kOtherClient);
  m.peer_event(PeerAction::added_p2p, peer_mac, peer_sock);
  m.peer_event(PeerAction::purged, peer_mac, peer_sock);
  const auto events = m.take_events();
  REQUIRE(events.size() == 4);
  CHECK(events[0].first == kClient);
  CHECK(
      events[0].second ==
      R"({"_tag":"p","_type":"event","action":4,"macaddr":"02:20:30:00:00:02","sockaddr":"198.19.0.12:50002"})"
      "\n");
  // The debug subscriber gets a copy under its own tag.
  CHECK(events[1].first == kOtherClient);
  CHECK(
      events[1].second ==
      R"({"_tag":"d","_type":"event","action":4,"macaddr":"02:20:30:00:00:02","sockaddr":"198.19.0.12:50002"})"
      "\n");
  CHECK(events[2].second.find(R"("action":1,)") != std::string::npos);
  CHECK(m.take_events().empty());

  // The whole object for a long address (the reference's 100-byte buffer would cut it); the
  // null MAC is "".
  wire::Sock v6;
  v6.ipv6 = true;
  v6.port = 50002;
  v6.addr = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
             0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78};
  m.peer_event(PeerAction::removed_p2p, wire::kNullMac, v6);
  const auto long_event = m.take_events();
  REQUIRE(long_event.size() == 2);
  CHECK(
      long_event[0].second ==
      R"({"_tag":"p","_type":"event","action":3,"macaddr":"","sockaddr":"[2001:db8:1234:5678:9abc:def0:1234:5678]:50002"})"
      "\n");
  CHECK(long_event[0].second.size() > 100);

  // post.test: the row, and its argument as a test event (to debug only: no test subscriber).
  CHECK(ask(m, "r 7 post.test hello world") ==
        Datagrams{R"({"_tag":"7","_type":"begin","cmd":"post.test"})"
                  "\n",
                  R"({"_tag":"7","_type":"row","sending":"test"})"
                  "\n",
                  R"({"_tag":"7","_type":"end","cmd":"post.test"})"
                  "\n"});
  const auto tests = m.take_events();
  REQUIRE(tests.size() == 1);
  CHECK(tests[0].first == kOtherClient);
  CHECK(tests[0].second == R"({"_tag":"d","_type":"event","test":"hello world"})"
                           "\n");
  // Without an argument the reference prints its NULL pointer as glibc does.
  ask(m, "s t:1:n2n test", kRefStart, kClient);
  ask(m, "r 8 post.test");
  const auto nulls = m.take_events();
  REQUIRE(nulls.size() == 2);
  CHECK(nulls[0] == edge::AddressedDatagram{kClient,
                                            R"js({"_tag":"t","_type":"event","test":"(null)"})js"
                                            "\n"});
  CHECK(nulls[1].first == kOtherClient);
}

TEST_CASE("edge management: drops lists every reason; help lists it after the reference's") {
  ReferenceLab lab(false, false);
  const ByteVector runt{0x03, 0x02, 0x00};
  lab.net.inject(lab.a, runt, wire::Sock::ipv4(ip4(192, 0, 2, 9), 4000));
  lab.net.inject(lab.a, runt, wire::Sock::ipv4(ip4(192, 0, 2, 9), 4000));
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  const auto rows = ask(m, "r d drops");
  REQUIRE(rows.size() == kReasonCount + 1);  // begin, one row per reason but ok, end
  CHECK(rows.front() == R"({"_tag":"d","_type":"begin","cmd":"drops"})"
                        "\n");
  CHECK(rows.back() == R"({"_tag":"d","_type":"end","cmd":"drops"})"
                       "\n");
  std::size_t with_count = 0;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    CHECK(rows[i].starts_with(R"({"_tag":"d","_type":"row","reason":")"));
    if (rows[i].find(R"("count":0,)") == std::string::npos) {
      ++with_count;
      CHECK(rows[i].find(R"("reason":"too_short","count":2,"description":")") != std::string::npos);
    }
  }
  CHECK(with_count == 1);
  CHECK(ask(m, "w d:1:n2n drops") == Datagrams{R"({"_tag":"d","_type":"error","error":"readonly"})"
                                               "\n"});
  CHECK(ask(m, "w d drops") == Datagrams{R"({"_tag":"d","_type":"error","error":"badauth"})"
                                         "\n"});

  const auto help = ask(m, "r 6 help");
  REQUIRE(help.size() == 16);  // the reference's 11 rows, then n2nkit's drops, mss, paths
  CHECK(help[11].find(R"("cmd":"help.events")") != std::string::npos);
  CHECK(
      help[12] ==
      R"js({"_tag":"6","_type":"row","cmd":"drops","help":"Datagrams not acted on, by reason (n2nkit)"})js"
      "\n");
  CHECK(help[13].find(R"("cmd":"mss")") != std::string::npos);
  CHECK(
      help[14] ==
      R"js({"_tag":"6","_type":"row","cmd":"paths","help":"Path MTU towards the supernode (n2nkit)"})js"
      "\n");
  CHECK(ask(m, "w 6:1:n2n help") == help);  // help answers writes too
  for (const auto& d : help) {
    CHECK(d.size() <= mgmt::kMaxDatagram);
    CHECK(nlohmann::json::accept(d));
  }
}

TEST_CASE("edge management: mss shows the clamp limits and the SYNs clamped") {
  ReferenceLab lab(false, false);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  const auto& config = lab.net.edge(lab.a).config();
  const auto rows = ask(m, "r m mss");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1] == fmt::format(R"({{"_tag":"m","_type":"row","clamp":1,"tap_mtu":{},)"
                               R"("mss_ipv4":{},"mss_ipv6":{},"clamped_tx":0,"clamped_rx":0}})"
                               "\n",
                               config.tap_mtu, config.tap_mtu - 40, config.tap_mtu - 60));
}

TEST_CASE("edge management: stop and verbose, in JSON and on the text console") {
  ReferenceLab lab(false, false);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  CHECK(ask(m, "r 1 stop") == Datagrams{R"({"_tag":"1","_type":"begin","cmd":"stop"})"
                                        "\n",
                                        R"({"_tag":"1","_type":"row","keep_running":1})"
                                        "\n",
                                        R"({"_tag":"1","_type":"end","cmd":"stop"})"
                                        "\n"});
  CHECK(h.stops == 0);
  CHECK(ask(m, "stop").empty());  // the text command stops without a word
  CHECK(h.stops == 1);
  CHECK_FALSE(m.keep_running());
  CHECK(ask(m, "w 2:1:n2n stop")[1] == R"({"_tag":"2","_type":"row","keep_running":0})"
                                       "\n");
  CHECK(h.stops == 1);  // once

  CHECK(ask(m, "w 3:1:n2n verbose 0x1")[1] == R"({"_tag":"3","_type":"row","traceLevel":1})"
                                              "\n");
  CHECK(h.level == 1);
  CHECK(ask(m, "w 4:1:n2n verbose")[1] == R"({"_tag":"4","_type":"row","traceLevel":1})"
                                          "\n");
  CHECK(ask(m, "r 5 verbose 4")[1] == R"({"_tag":"5","_type":"row","traceLevel":1})"
                                      "\n");  // a read sets nothing
  CHECK(ask(m, "-verb") == Datagrams{"> -OK traceLevel=0\n"});
  CHECK(ask(m, "-verb") == Datagrams{"> -NOK traceLevel=0\n"});
  CHECK(ask(m, "+verb") == Datagrams{"> +OK traceLevel=1\n"});
  CHECK(ask(m, "?") == Datagrams{std::string(mgmt::edge_help_text())});
  CHECK(ask(m, "help me") == Datagrams{std::string(mgmt::edge_help_text())});
}

TEST_CASE("edge management: supernodes, current while waiting and once registered") {
  Network net;
  const std::size_t sn = net.add_supernode(1);
  auto config = static_edge(1);
  const auto spare = wire::Sock::ipv4(ip4(192, 0, 2, 99), 7654);
  config.supernodes = {Network::supernode_sock(1), spare};
  const std::size_t a = net.add_edge(1, config);
  net.nodes[sn].reachable = false;
  net.start(a);
  Hooked h;
  Management m(net.edge(a), h.hooks());
  CHECK(
      ask(m, "r s supernodes") ==
      Datagrams{
          R"({"_tag":"s","_type":"begin","cmd":"supernodes"})"
          "\n",
          R"({"_tag":"s","_type":"row","version":"","purgeable":1,"current":2,"macaddr":"","sockaddr":"192.0.2.1:7654","selection":"","last_seen":0,"uptime":0})"
          "\n",
          R"({"_tag":"s","_type":"row","version":"","purgeable":1,"current":0,"macaddr":"","sockaddr":"192.0.2.99:7654","selection":"","last_seen":0,"uptime":0})"
          "\n",
          R"({"_tag":"s","_type":"end","cmd":"supernodes"})"
          "\n"});
  net.nodes[sn].reachable = true;
  net.advance(3);  // the retry; the path-MTU probes that follow get PONGs
  REQUIRE(net.edge(a).state() == edge::EdgeState::registered);
  CHECK(
      ask(m, "r s supernodes")[1] ==
      fmt::format(
          R"({{"_tag":"s","_type":"row","version":"3.1.1","purgeable":1,"current":1,"macaddr":"02:53:4E:00:00:01","sockaddr":"192.0.2.1:7654","selection":"load =        0","last_seen":{},"uptime":3}})"
          "\n",
          net.now));
  CHECK(ask(m, "r t timestamps")[1] ==
        fmt::format(R"({{"_tag":"t","_type":"row","start_time":{},"last_super":{},"last_p2p":0}})"
                    "\n",
                    kEdgeStart, net.now));
}

TEST_CASE("edge management: pending peers come first as pSp, in JSON and in the status") {
  ReferenceLab lab;
  lab.discover();
  // A frame for a MAC nobody has: the edge asks the supernode and keeps a pending peer.
  const wire::Mac nobody{0x02, 0x20, 0x30, 0x00, 0x00, 0x09};
  lab.net.now = kRefStart + 2;
  lab.net.frame(lab.a, ping_frame(lab.mac(lab.a), nobody, ip4(10, 20, 30, 1), ip4(10, 20, 30, 9)));
  REQUIRE(lab.net.edge(lab.a).peers().pending(nobody) != nullptr);
  Hooked h;
  Management m(lab.net.edge(lab.a), h.hooks());
  const auto rows = ask(m, "r e edges", kRefStart + 3);
  REQUIRE(rows.size() == 4);
  CHECK(
      rows[1] ==
      R"({"_tag":"e","_type":"row","mode":"pSp","ip4addr":"","purgeable":0,"local":0,"macaddr":"02:20:30:00:00:09","sockaddr":"0.0.0.0:0","desc":"","last_p2p":0,)"
      "\n"
      R"("last_sent_query":1795563587,)"
      "\n"
      R"("last_seen":1795563587})"
      "\n");
  CHECK(
      rows[2] ==
      R"({"_tag":"e","_type":"row","mode":"p2p","ip4addr":"10.20.30.2/24","purgeable":0,"local":0,"macaddr":"02:20:30:00:00:02","sockaddr":"198.19.0.12:50002","desc":"edge-b","last_p2p":1795563586,)"
      "\n"
      R"("last_sent_query":0,)"
      "\n"
      R"("last_seen":1795563586})"
      "\n");

  const auto status = ask(m, "\n", kRefStart + 3);
  REQUIRE(status.size() == 4);  // pending row (with the headers), known row, supernode, counters
  CHECK(status[0].ends_with(
      "SUPERNODE FORWARD\n"
      "   1 |                 | 02:20:30:00:00:09 | 0.0.0.0:0             |                 |  "
      "       1 |\n"));
  CHECK(
      status[1] ==
      std::string(109, '-') +
          "\nPEER TO PEER\n"
          "   1 | 10.20.30.2      | 02:20:30:00:00:02 | 198.19.0.12:50002     | edge-b          |  "
          "       2 |\n");
  CHECK(status[3].find("uptime 3 | pend_peers 1 | known_peers 1 | transop 3,2\n") !=
        std::string::npos);
  CHECK(status[3].find("last_super 2 sec ago | last_p2p never\n") != std::string::npos);
}

TEST_CASE("edge management: a listing of 500 peers comes whole, no datagram over 1024 bytes") {
  ReferenceLab lab(false, false);
  const wire::Mac own = lab.mac(lab.a);
  wire::CommonHeader h;
  h.community = wire::make_community("n2nkit-testvector");
  for (unsigned n = 0; n < 500; ++n) {
    wire::Register reg;
    reg.cookie = edge::kCookieRegular;
    reg.src_mac = {
        0x02, 0x99, 0x00, 0x00, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    reg.dst_mac = own;
    reg.dev_addr = {ip4(10, 99, n >> 8, n & 0xFFU), 16};
    reg.desc = wire::make_description(fmt::format("peer-{:03}-\"desc\"", n));
    const auto from =
        wire::Sock::ipv4(ip4(203, 0, 113, 1 + n % 200), static_cast<std::uint16_t>(20000 + n));
    lab.net.inject(lab.a, wire::encode_to_vector(h, reg), from);
    if (n % 2 == 1) {
      wire::RegisterAck ack;
      ack.cookie = reg.cookie;
      ack.dst_mac = own;
      ack.src_mac = reg.src_mac;
      lab.net.inject(lab.a, wire::encode_to_vector(h, ack), from);
    }
  }
  const auto& peers = lab.net.edge(lab.a).peers();
  REQUIRE(peers.pending_peers().size() == 250);
  REQUIRE(peers.known_peers().size() == 250);

  Hooked hooks;
  Management m(lab.net.edge(lab.a), hooks.hooks());
  const auto rows = ask(m, "r 9 edges");
  REQUIRE(rows.size() == 502);
  CHECK(rows.front() == R"({"_tag":"9","_type":"begin","cmd":"edges"})"
                        "\n");
  CHECK(rows.back() == R"({"_tag":"9","_type":"end","cmd":"edges"})"
                       "\n");
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    CHECK(rows[i].size() <= mgmt::kMaxDatagram);
    const auto row = nlohmann::json::parse(rows[i], nullptr, false);
    REQUIRE_FALSE(row.is_discarded());
    CHECK(row.at("_tag") == "9");
    CHECK(row.at("mode") == (i <= 250 ? "pSp" : "p2p"));
    CHECK(row.at("desc").get<std::string>().starts_with("peer-"));
  }
  const auto status = ask(m, "\n");
  CHECK(status.size() == 500 + 2);  // a datagram per peer, the supernode, the counters
  for (const auto& d : status) CHECK(d.size() <= mgmt::kMaxDatagram);
}
