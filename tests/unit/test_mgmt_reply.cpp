// Reply datagrams of the management API, reproduced byte for byte from the reference's
// captures (vectors/management-examples.md, copied here as literals): each request goes
// through parse_request and answer(), the handler supplying the captured values.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/mgmt/dispatcher.hpp"
#include "core/mgmt/legacy_text.hpp"
#include "core/mgmt/reply.hpp"
#include "core/mgmt/request.hpp"

using namespace n2nkit;
using namespace n2nkit::mgmt;
using Datagrams = std::vector<std::string>;

namespace {

class CannedHandler : public MethodHandler {
 public:
  explicit CannedHandler(MethodReply reply) : reply_(std::move(reply)) {}
  MethodReply call(MethodId method, const JsonRequest& request) override {
    ++calls;
    last_method = method;
    last_args = request.args;
    last_type = request.type;
    return reply_;
  }

  int calls = 0;
  MethodId last_method{};
  std::string last_args;
  RequestType last_type{};

 private:
  MethodReply reply_;
};

Datagrams exchange(Daemon daemon, std::string_view password, std::string_view request,
                   CannedHandler& handler) {
  const ParseConfig config{daemon, password_hash(password)};
  return answer(daemon, parse_request(as_bytes(request), config), handler);
}

Datagrams exchange(Daemon daemon, std::string_view request, MethodReply canned = {}) {
  CannedHandler handler(std::move(canned));
  return exchange(daemon, kDefaultPassword, request, handler);
}

MethodReply rows(std::vector<Fields> r) {
  return MethodReply{std::move(r), std::nullopt};
}

void check_all_valid(const Datagrams& replies) {
  for (const std::string& d : replies) {
    CAPTURE(d);
    CHECK(d.size() <= kMaxDatagram);
    CHECK(d.back() == '\n');
    CHECK(nlohmann::json::accept(d));
  }
}

Fields edge_b_peer(std::int64_t when) {
  return edge_peer_fields("p2p", "10.20.30.2/24", false, true, "02:20:30:00:00:02",
                          "198.19.0.12:50002", "edge-b", when, 0, when);
}

Fields edge_supernode_row() {
  return Fields{{"version", ""},
                {"purgeable", 1},
                {"current", 1},
                {"macaddr", "02:53:4E:00:00:01"},
                {"sockaddr", "198.19.0.1:7654"},
                {"selection", ""},
                {"last_seen", 0},
                {"uptime", 0}};
}

}  // namespace

TEST_CASE("mgmt reply: edge A edges, with the reference's raw newlines") {
  const Datagrams got = exchange(Daemon::edge, "r 1 edges", rows({edge_b_peer(1795563590)}));
  const Datagrams want{
      "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
      "{\"_tag\":\"1\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.2/24\","
      "\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:02\",\"sockaddr\":\"198.19.0.12:"
      "50002\",\"desc\":\"edge-b\",\"last_p2p\":1795563590,\n\"last_sent_query\":0,\n\"last_"
      "seen\":1795563590}\n",
      "{\"_tag\":\"1\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
  };
  CHECK(got == want);
  CHECK(got.at(1).size() == 234);
  check_all_valid(got);

  const Datagrams got16 =
      exchange(Daemon::edge, "r 16:1:n2n edges", rows({edge_b_peer(1795563594)}));
  const Datagrams want16{
      "{\"_tag\":\"16\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
      "{\"_tag\":\"16\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.2/24\","
      "\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:02\",\"sockaddr\":\"198.19.0.12:"
      "50002\",\"desc\":\"edge-b\",\"last_p2p\":1795563594,\n\"last_sent_query\":0,\n\"last_"
      "seen\":1795563594}\n",
      "{\"_tag\":\"16\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
  };
  CHECK(got16 == want16);
}

TEST_CASE("mgmt reply: edge B edges") {
  CannedHandler handler(
      rows({edge_peer_fields("p2p", "10.20.30.1/24", false, true, "02:20:30:00:00:01",
                             "198.19.0.11:50001", "edge-a", 1795563594, 0, 1795563594)}));
  const Datagrams got = exchange(Daemon::edge, "s3cret", "r 4 edges", handler);
  const Datagrams want{
      "{\"_tag\":\"4\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
      "{\"_tag\":\"4\",\"_type\":\"row\",\"mode\":\"p2p\",\"ip4addr\":\"10.20.30.1/24\","
      "\"purgeable\":0,\"local\":1,\"macaddr\":\"02:20:30:00:00:01\",\"sockaddr\":\"198.19.0.11:"
      "50001\",\"desc\":\"edge-a\",\"last_p2p\":1795563594,\n\"last_sent_query\":0,\n\"last_"
      "seen\":1795563594}\n",
      "{\"_tag\":\"4\",\"_type\":\"end\",\"cmd\":\"edges\"}\n",
  };
  CHECK(got == want);
}

TEST_CASE("mgmt reply: edge supernodes, communities, timestamps, verbose") {
  const Datagrams sn = exchange(Daemon::edge, "r 2 supernodes", rows({edge_supernode_row()}));
  const Datagrams want_sn{
      "{\"_tag\":\"2\",\"_type\":\"begin\",\"cmd\":\"supernodes\"}\n",
      "{\"_tag\":\"2\",\"_type\":\"row\",\"version\":\"\",\"purgeable\":1,\"current\":1,"
      "\"macaddr\":\"02:53:4E:00:00:01\",\"sockaddr\":\"198.19.0.1:7654\",\"selection\":\"\","
      "\"last_seen\":0,\"uptime\":0}\n",
      "{\"_tag\":\"2\",\"_type\":\"end\",\"cmd\":\"supernodes\"}\n",
  };
  CHECK(sn == want_sn);
  CHECK(sn.at(1).size() == 165);

  const Datagrams comm =
      exchange(Daemon::edge, "r 3 communities", rows({Fields{{"community", "n2nkit-testvector"}}}));
  const Datagrams want_comm{
      "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"communities\"}\n",
      "{\"_tag\":\"3\",\"_type\":\"row\",\"community\":\"n2nkit-testvector\"}\n",
      "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"communities\"}\n",
  };
  CHECK(comm == want_comm);

  const Datagrams ts = exchange(
      Daemon::edge, "r 4 timestamps",
      rows({Fields{
          {"start_time", 1795563585}, {"last_super", 1795563586}, {"last_p2p", 1795563590}}}));
  const Datagrams want_ts{
      "{\"_tag\":\"4\",\"_type\":\"begin\",\"cmd\":\"timestamps\"}\n",
      "{\"_tag\":\"4\",\"_type\":\"row\",\"start_time\":1795563585,\"last_super\":1795563586,"
      "\"last_p2p\":1795563590}\n",
      "{\"_tag\":\"4\",\"_type\":\"end\",\"cmd\":\"timestamps\"}\n",
  };
  CHECK(ts == want_ts);

  const Datagrams vb = exchange(Daemon::edge, "r 5 verbose", rows({Fields{{"traceLevel", 3}}}));
  const Datagrams want_vb{
      "{\"_tag\":\"5\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
      "{\"_tag\":\"5\",\"_type\":\"row\",\"traceLevel\":3}\n",
      "{\"_tag\":\"5\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
  };
  CHECK(vb == want_vb);
}

TEST_CASE("mgmt reply: edge help listing") {
  CannedHandler handler(MethodReply{});
  const Datagrams got = exchange(Daemon::edge, kDefaultPassword, "r 6 help", handler);
  const Datagrams want{
      "{\"_tag\":\"6\",\"_type\":\"begin\",\"cmd\":\"help\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"reload_communities\",\"help\":\"Reserved for "
      "supernode\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"stop\",\"help\":\"Gracefully exit edge\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"verbose\",\"help\":\"Manage verbosity "
      "level\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"communities\",\"help\":\"Show current "
      "community\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"edges\",\"help\":\"List current "
      "edges/peers\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"supernodes\",\"help\":\"List current "
      "supernodes\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"timestamps\",\"help\":\"Event timestamps\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"packetstats\",\"help\":\"traffic counters\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"post.test\",\"help\":\"send a test event\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"help\",\"help\":\"Show JSON commands\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"help.events\",\"help\":\"Show available "
      "Subscribe topics\"}\n",
      // The reference's rows end here; n2nkit's own methods follow.
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"drops\",\"help\":\"Datagrams not acted "
      "on, by reason (n2nkit)\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"mss\",\"help\":\"TCP MSS clamping: "
      "limits and SYNs clamped (n2nkit)\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"paths\",\"help\":\"Path MTU towards the "
      "supernode (n2nkit)\"}\n",
      "{\"_tag\":\"6\",\"_type\":\"end\",\"cmd\":\"help\"}\n",
  };
  CHECK(got == want);
  CHECK(handler.calls == 0);  // help is answered from the table
}

TEST_CASE("mgmt reply: edge packetstats and help.events") {
  const Datagrams ps =
      exchange(Daemon::edge, "r 7 packetstats",
               rows({Fields{{"type", "transop"}, {"tx_pkt", 6}, {"rx_pkt", 6}},
                     Fields{{"type", "p2p"}, {"tx_pkt", 3}, {"rx_pkt", 4}},
                     Fields{{"type", "super"}, {"tx_pkt", 3}, {"rx_pkt", 2}},
                     Fields{{"type", "super_broadcast"}, {"tx_pkt", 3}, {"rx_pkt", 2}}}));
  const Datagrams want_ps{
      "{\"_tag\":\"7\",\"_type\":\"begin\",\"cmd\":\"packetstats\"}\n",
      "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"transop\",\"tx_pkt\":6,\"rx_pkt\":6}\n",
      "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"p2p\",\"tx_pkt\":3,\"rx_pkt\":4}\n",
      "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"super\",\"tx_pkt\":3,\"rx_pkt\":2}\n",
      "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"super_broadcast\",\"tx_pkt\":3,\"rx_pkt\":2}\n",
      "{\"_tag\":\"7\",\"_type\":\"end\",\"cmd\":\"packetstats\"}\n",
  };
  CHECK(ps == want_ps);

  // The daemon builds help.events rows from the topic table and its subscriber state.
  std::vector<Fields> topic_rows;
  for (const TopicInfo& t : edge_topics()) {
    topic_rows.push_back(
        Fields{{"topic", t.name}, {"tag", ""}, {"sockaddr", "?:?"}, {"help", t.help}});
  }
  const Datagrams ev = exchange(Daemon::edge, "r 8 help.events", rows(topic_rows));
  const Datagrams want_ev{
      "{\"_tag\":\"8\",\"_type\":\"begin\",\"cmd\":\"help.events\"}\n",
      "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"debug\",\"tag\":\"\",\"sockaddr\":\"?:?\","
      "\"help\":\"All events - for event debugging\"}\n",
      "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"test\",\"tag\":\"\",\"sockaddr\":\"?:?\","
      "\"help\":\"Used only by post.test\"}\n",
      "{\"_tag\":\"8\",\"_type\":\"row\",\"topic\":\"peer\",\"tag\":\"\",\"sockaddr\":\"?:?\","
      "\"help\":\"Changes to peer list\"}\n",
      "{\"_tag\":\"8\",\"_type\":\"end\",\"cmd\":\"help.events\"}\n",
  };
  CHECK(ev == want_ev);
}

TEST_CASE("mgmt reply: edge errors and writes") {
  CHECK(exchange(Daemon::edge, "w 9 verbose 2") ==
        Datagrams{"{\"_tag\":\"9\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});

  CannedHandler verbose(rows({Fields{{"traceLevel", 2}}}));
  const Datagrams w = exchange(Daemon::edge, kDefaultPassword, "w 10:1:n2n verbose 2", verbose);
  CHECK(w == Datagrams{
                 "{\"_tag\":\"10\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
                 "{\"_tag\":\"10\",\"_type\":\"row\",\"traceLevel\":2}\n",
                 "{\"_tag\":\"10\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
             });
  CHECK(verbose.calls == 1);
  CHECK(verbose.last_method == MethodId::verbose);
  CHECK(verbose.last_type == RequestType::write);
  CHECK(verbose.last_args == "2");

  CHECK(exchange(Daemon::edge, "r 11 nosuchcmd") ==
        Datagrams{"{\"_tag\":\"11\",\"_type\":\"error\",\"error\":\"unknowncmd\"}\n"});
  CHECK(exchange(Daemon::edge, "x 12 edges") ==
        Datagrams{"{\"_tag\":\"-1\",\"_type\":\"error\",\"error\":\"badtype\"}\n"});
  CHECK(exchange(Daemon::edge, "r 13") ==
        Datagrams{"{\"_tag\":\"-1\",\"_type\":\"error\",\"error\":\"nocmd\"}\n"});
  CHECK(exchange(Daemon::edge, "w 14:1:wrongpw verbose") ==
        Datagrams{"{\"_tag\":\"14\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});
  // Text-console requests produce no JSON here.
  CHECK(exchange(Daemon::edge, "r").empty());
  CHECK(exchange(Daemon::edge, "help").empty());
}

TEST_CASE("mgmt reply: edge B password examples") {
  CannedHandler h(rows({Fields{{"traceLevel", 3}}}));
  CHECK(exchange(Daemon::edge, "s3cret", "w 1 verbose", h) ==
        Datagrams{"{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});
  CHECK(exchange(Daemon::edge, "s3cret", "w 2:1:n2n verbose", h) ==
        Datagrams{"{\"_tag\":\"2\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});
  CHECK(h.calls == 0);
  CHECK(exchange(Daemon::edge, "s3cret", "w 3:1:s3cret verbose", h) ==
        Datagrams{
            "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
            "{\"_tag\":\"3\",\"_type\":\"row\",\"traceLevel\":3}\n",
            "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"verbose\"}\n",
        });
  CHECK(h.last_args.empty());
}

TEST_CASE("mgmt reply: edge subscription replies") {
  const ParseConfig config{Daemon::edge, password_hash(kDefaultPassword)};
  const ParsedRequest req = parse_request(as_bytes("s 15:1:n2n peer"), config);
  const auto& sub = std::get<JsonRequest>(req);
  CHECK(subscribe_reply(sub.tag, sub.topic->name) ==
        "{\"_tag\":\"15\",\"_type\":\"subscribe\",\"topic\":\"peer\"}\n");
  CHECK(replacing_reply("16", "peer") ==
        "{\"_tag\":\"16\",\"_type\":\"replacing\",\"topic\":\"peer\"}\n");
  CHECK(unsubscribed_reply("15", "peer") ==
        "{\"_tag\":\"15\",\"_type\":\"unsubscribed\",\"topic\":\"peer\"}\n");
  CHECK(event_reply("15", Fields{{"test", "hello"}}) ==
        "{\"_tag\":\"15\",\"_type\":\"event\",\"test\":\"hello\"}\n");
  CHECK(event_reply("15", Fields{{"action", 4},
                                 {"macaddr", "02:20:30:00:00:02"},
                                 {"sockaddr", "198.19.0.12:50002"}}) ==
        "{\"_tag\":\"15\",\"_type\":\"event\",\"action\":4,\"macaddr\":\"02:20:30:00:00:02\","
        "\"sockaddr\":\"198.19.0.12:50002\"}\n");
  // answer() leaves subscriptions to the daemon.
  CannedHandler h(MethodReply{});
  CHECK(answer(Daemon::edge, req, h).empty());
  CHECK(exchange(Daemon::edge, "s 3:1:n2n nosuch") ==
        Datagrams{"{\"_tag\":\"3\",\"_type\":\"error\",\"error\":\"unknowntopic\"}\n"});
}

TEST_CASE("mgmt reply: edge with header encryption examples") {
  const Datagrams comm =
      exchange(Daemon::edge, "r 1 communities", MethodReply{{}, ErrorCode::noaccess});
  CHECK(comm == Datagrams{
                    "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"communities\"}\n",
                    "{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"noaccess\"}\n",
                    "{\"_tag\":\"1\",\"_type\":\"end\",\"cmd\":\"communities\"}\n",
                });
  CHECK(exchange(Daemon::edge, "r 2 supernodes", rows({edge_supernode_row()})).at(1) ==
        "{\"_tag\":\"2\",\"_type\":\"row\",\"version\":\"\",\"purgeable\":1,\"current\":1,"
        "\"macaddr\":\"02:53:4E:00:00:01\",\"sockaddr\":\"198.19.0.1:7654\",\"selection\":\"\","
        "\"last_seen\":0,\"uptime\":0}\n");
  CHECK(exchange(Daemon::edge, "w 3:1:n2n stop", rows({Fields{{"keep_running", 0}}})) ==
        Datagrams{
            "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"stop\"}\n",
            "{\"_tag\":\"3\",\"_type\":\"row\",\"keep_running\":0}\n",
            "{\"_tag\":\"3\",\"_type\":\"end\",\"cmd\":\"stop\"}\n",
        });
}

TEST_CASE("mgmt reply: edge reserved method") {
  CannedHandler h(MethodReply{});
  CHECK(exchange(Daemon::edge, kDefaultPassword, "w 1:1:n2n reload_communities", h) ==
        Datagrams{
            "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"reload_communities\"}\n",
            "{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"unimplemented\"}\n",
            "{\"_tag\":\"1\",\"_type\":\"end\",\"cmd\":\"reload_communities\"}\n",
        });
  CHECK(h.calls == 0);
}

TEST_CASE("mgmt reply: supernode edges, supernodes, communities") {
  const Datagrams edges = exchange(Daemon::supernode, "r 1 edges",
                                   rows({Fields{{"community", "n2nkit-testvector"},
                                                {"ip4addr", "10.20.30.1/24"},
                                                {"purgeable", 0},
                                                {"macaddr", "02:20:30:00:00:01"},
                                                {"sockaddr", "198.19.0.11:50001"},
                                                {"proto", "UDP"},
                                                {"desc", "edge-a"},
                                                {"last_seen", 1795563585}},
                                         Fields{{"community", "n2nkit-testvector"},
                                                {"ip4addr", "10.20.30.2/24"},
                                                {"purgeable", 0},
                                                {"macaddr", "02:20:30:00:00:02"},
                                                {"sockaddr", "198.19.0.12:50002"},
                                                {"proto", "UDP"},
                                                {"desc", "edge-b"},
                                                {"last_seen", 1795563586}}}));
  CHECK(edges == Datagrams{
                     "{\"_tag\":\"1\",\"_type\":\"begin\",\"cmd\":\"edges\"}\n",
                     "{\"_tag\":\"1\",\"_type\":\"row\",\"community\":\"n2nkit-testvector\","
                     "\"ip4addr\":\"10.20.30.1/24\",\"purgeable\":0,\"macaddr\":\"02:20:30:00:00:"
                     "01\",\"sockaddr\":\"198.19.0.11:50001\",\"proto\":\"UDP\",\"desc\":\"edge-"
                     "a\",\"last_seen\":1795563585}\n",
                     "{\"_tag\":\"1\",\"_type\":\"row\",\"community\":\"n2nkit-testvector\","
                     "\"ip4addr\":\"10.20.30.2/24\",\"purgeable\":0,\"macaddr\":\"02:20:30:00:00:"
                     "02\",\"sockaddr\":\"198.19.0.12:50002\",\"proto\":\"UDP\",\"desc\":\"edge-"
                     "b\",\"last_seen\":1795563586}\n",
                     "{\"_tag\":\"1\",\"_type\":\"end\"}\n",
                 });
  CHECK(edges.at(1).size() == 213);

  CannedHandler h(MethodReply{});
  CHECK(exchange(Daemon::supernode, kDefaultPassword, "r 2 supernodes", h) ==
        Datagrams{
            "{\"_tag\":\"2\",\"_type\":\"begin\",\"cmd\":\"supernodes\"}\n",
            "{\"_tag\":\"2\",\"_type\":\"error\",\"error\":\"unimplemented\"}\n",
            "{\"_tag\":\"2\",\"_type\":\"end\"}\n",
        });
  CHECK(h.calls == 0);

  const Datagrams comm = exchange(
      Daemon::supernode, "r 3 communities",
      rows({Fields{{"community", "-/-"}, {"purgeable", 0}, {"is_federation", 1}, {"ip4addr", ""}},
            Fields{{"community", "n2nkit-testvector"},
                   {"purgeable", 0},
                   {"is_federation", 0},
                   {"ip4addr", "10.159.6.0/24"}}}));
  CHECK(comm == Datagrams{
                    "{\"_tag\":\"3\",\"_type\":\"begin\",\"cmd\":\"communities\"}\n",
                    "{\"_tag\":\"3\",\"_type\":\"row\",\"community\":\"-/-\",\"purgeable\":0,"
                    "\"is_federation\":1,\"ip4addr\":\"\"}\n",
                    "{\"_tag\":\"3\",\"_type\":\"row\",\"community\":\"n2nkit-testvector\","
                    "\"purgeable\":0,\"is_federation\":0,\"ip4addr\":\"10.159.6.0/24\"}\n",
                    "{\"_tag\":\"3\",\"_type\":\"end\"}\n",
                });
}

TEST_CASE("mgmt reply: supernode timestamps, verbose, packetstats") {
  CHECK(exchange(Daemon::supernode, "r 4 timestamps",
                 rows({Fields{{"start_time", 1795563584},
                              {"last_fwd", 1795563589},
                              {"last_reg_super", 1795563586}}})) ==
        Datagrams{
            "{\"_tag\":\"4\",\"_type\":\"begin\",\"cmd\":\"timestamps\"}\n",
            "{\"_tag\":\"4\",\"_type\":\"row\",\"start_time\":1795563584,\"last_fwd\":1795563589,"
            "\"last_reg_super\":1795563586}\n",
            "{\"_tag\":\"4\",\"_type\":\"end\"}\n",
        });
  CHECK(exchange(Daemon::supernode, "r 5 verbose", rows({Fields{{"traceLevel", 3}}})) ==
        Datagrams{
            "{\"_tag\":\"5\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
            "{\"_tag\":\"5\",\"_type\":\"row\",\"traceLevel\":3}\n",
            "{\"_tag\":\"5\",\"_type\":\"end\"}\n",
        });
  CHECK(exchange(Daemon::supernode, "r 7 packetstats",
                 rows({Fields{{"type", "forward"}, {"tx_pkt", 0}},
                       Fields{{"type", "broadcast"}, {"tx_pkt", 3}},
                       Fields{{"type", "reg_super"}, {"rx_pkt", 2}, {"nak", 0}},
                       Fields{{"type", "errors"}, {"tx_pkt", 0}}})) ==
        Datagrams{
            "{\"_tag\":\"7\",\"_type\":\"begin\",\"cmd\":\"packetstats\"}\n",
            "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"forward\",\"tx_pkt\":0}\n",
            "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"broadcast\",\"tx_pkt\":3}\n",
            "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"reg_super\",\"rx_pkt\":2,\"nak\":0}\n",
            "{\"_tag\":\"7\",\"_type\":\"row\",\"type\":\"errors\",\"tx_pkt\":0}\n",
            "{\"_tag\":\"7\",\"_type\":\"end\"}\n",
        });
}

TEST_CASE("mgmt reply: supernode help listing") {
  CannedHandler h(MethodReply{});
  CHECK(exchange(Daemon::supernode, kDefaultPassword, "r 6 help", h) ==
        Datagrams{
            "{\"_tag\":\"6\",\"_type\":\"begin\",\"cmd\":\"help\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"supernodes\",\"help\":\"Reserved for "
            "edge\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"stop\",\"help\":\"Gracefully exit "
            "edge\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"verbose\",\"help\":\"Manage verbosity "
            "level\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"reload_communities\",\"help\":\"Reloads "
            "communities and user's public keys\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"communities\",\"help\":\"List current "
            "communities\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"edges\",\"help\":\"List current "
            "edges/peers\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"timestamps\",\"help\":\"Event "
            "timestamps\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"packetstats\",\"help\":\"Traffic "
            "statistics\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"help\",\"help\":\"Show JSON commands\"}\n",
            // The reference's rows end here; n2nkit's own methods follow.
            "{\"_tag\":\"6\",\"_type\":\"row\",\"cmd\":\"drops\",\"help\":\"Datagrams not acted "
            "on, by reason (n2nkit)\"}\n",
            "{\"_tag\":\"6\",\"_type\":\"end\"}\n",
        });
  CHECK(h.calls == 0);
}

TEST_CASE("mgmt reply: supernode reload_communities and errors") {
  CHECK(exchange(Daemon::supernode, "w 8 reload_communities") ==
        Datagrams{"{\"_tag\":\"8\",\"_type\":\"error\",\"error\":\"badauth\"}\n"});
  CannedHandler reload(rows({Fields{{"ok", 0}}}));
  CHECK(exchange(Daemon::supernode, kDefaultPassword, "w 9:1:n2n reload_communities", reload) ==
        Datagrams{
            "{\"_tag\":\"9\",\"_type\":\"begin\",\"cmd\":\"reload_communities\"}\n",
            "{\"_tag\":\"9\",\"_type\":\"row\",\"ok\":0}\n",
            "{\"_tag\":\"9\",\"_type\":\"end\"}\n",
        });
  CHECK(reload.last_method == MethodId::reload_communities);
  // A read of the write-only method never reaches the handler.
  CannedHandler untouched(rows({Fields{{"ok", 0}}}));
  CHECK(exchange(Daemon::supernode, kDefaultPassword, "r 9 reload_communities", untouched) ==
        Datagrams{
            "{\"_tag\":\"9\",\"_type\":\"begin\",\"cmd\":\"reload_communities\"}\n",
            "{\"_tag\":\"9\",\"_type\":\"error\",\"error\":\"writeonly\"}\n",
            "{\"_tag\":\"9\",\"_type\":\"end\"}\n",
        });
  CHECK(untouched.calls == 0);
  CHECK(exchange(Daemon::supernode, "w 9:1:n2n reload_communities",
                 MethodReply{{}, ErrorCode::nofile}) ==
        Datagrams{
            "{\"_tag\":\"9\",\"_type\":\"begin\",\"cmd\":\"reload_communities\"}\n",
            "{\"_tag\":\"9\",\"_type\":\"error\",\"error\":\"nofile\"}\n",
            "{\"_tag\":\"9\",\"_type\":\"end\"}\n",
        });
  CHECK(exchange(Daemon::supernode, "w 10:1:n2n verbose 1", rows({Fields{{"traceLevel", 1}}})) ==
        Datagrams{
            "{\"_tag\":\"10\",\"_type\":\"begin\",\"cmd\":\"verbose\"}\n",
            "{\"_tag\":\"10\",\"_type\":\"row\",\"traceLevel\":1}\n",
            "{\"_tag\":\"10\",\"_type\":\"end\"}\n",
        });
  CHECK(exchange(Daemon::supernode, "r 11 nosuchcmd") ==
        Datagrams{"{\"_tag\":\"11\",\"_type\":\"error\",\"error\":\"unknowncmd\"}\n"});
  CHECK(exchange(Daemon::supernode, "w 1:1:n2n edges") ==
        Datagrams{"{\"_tag\":\"1\",\"_type\":\"error\",\"error\":\"readonly\"}\n"});
}

TEST_CASE("mgmt reply: text console replies") {
  const std::string_view edge_help = edge_help_text();
  CHECK(edge_help ==
        "Help for edge management console:\n\tstop    | Gracefully exit edge\n\thelp    | This "
        "help message\n\t+verb   | Increase verbosity of logging\n\t-verb   | Decrease verbosity "
        "of logging\n\tr ...   | start query with JSON reply\n\tw ...   | start update with JSON "
        "reply\n\ts ...   | subscribe to event channel JSON reply\n\t<enter> | Display "
        "statistics\n\n");
  CHECK(edge_help.size() == 336);
  const std::string_view sn_help = supernode_help_text();
  CHECK(sn_help ==
        "Help for supernode management console:\n\thelp                 | This help "
        "message\n\treload_communities   | Reloads communities and user's public "
        "keys\n\t<enter>              | Display status and statistics\n");
  CHECK(sn_help.size() == 202);
  CHECK(verbosity_up_text(3) == "> +OK traceLevel=3\n");
  CHECK(verbosity_down_text(true, 2) == "> -OK traceLevel=2\n");
  CHECK(verbosity_down_text(false, 0) == "> -NOK traceLevel=0\n");
  CHECK(reload_communities_text(ReloadOutcome::ok) == "OK.\n");
  CHECK(reload_communities_text(ReloadOutcome::no_community_file) ==
        "No community file provided (-c command line option)\n");
  CHECK(reload_communities_text(ReloadOutcome::failed) ==
        "Error while re-loading community file (not found or no valid content)\n");
}

TEST_CASE("mgmt reply: escaping keeps every datagram valid JSON") {
  CHECK(json_escape("plain text 1.2.3.4:5") == "plain text 1.2.3.4:5");
  CHECK(json_escape("a\"b\\c") == "a\\\"b\\\\c");
  CHECK(json_escape("\t\n\r\x01") == "\\t\\n\\r\\u0001");
  CHECK(json_escape("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(json_escape("bad\xff\xc3") == "bad\\ufffd\\ufffd");
  CHECK(json_escape("\xed\xa0\x80") == "\\ufffd\\ufffd\\ufffd");  // a surrogate
  const Datagrams got = exchange(Daemon::edge, "r a\"b\tc help");
  REQUIRE(got.size() == 16);  // begin, 14 methods, end
  CHECK(got.front() == "{\"_tag\":\"a\\\"b\\tc\",\"_type\":\"begin\",\"cmd\":\"help\"}\n");
  check_all_valid(got);
  const std::string odd = error_reply("\xfe\x01", ErrorCode::badauth);
  CHECK(nlohmann::json::accept(odd));
  CHECK(nlohmann::json::parse(odd)["_tag"] == "\xef\xbf\xbd\x01");
}

TEST_CASE("mgmt reply: an over-long row is shortened, never split") {
  const std::string long_desc(2000, 'd');
  const Fields fields = edge_peer_fields("p2p", "10.20.30.2/24", false, true, "02:20:30:00:00:02",
                                         "198.19.0.12:50002", long_desc, 1795563590, 0, 1795563590);
  const std::string row = row_reply("123456789", fields);
  CHECK(row.size() == kMaxDatagram);
  CHECK(nlohmann::json::accept(row));
  const auto parsed = nlohmann::json::parse(row);
  const std::string desc = parsed["desc"];
  CHECK(desc.ends_with(kTruncationMarker));
  CHECK(desc.starts_with("ddd"));
  // Everything else survives untouched.
  CHECK(parsed["macaddr"] == "02:20:30:00:00:02");
  CHECK(parsed["sockaddr"] == "198.19.0.12:50002");
  CHECK(parsed["last_seen"] == 1795563590);
  CHECK(parsed.size() == 12);

  // Multi-byte text is cut at a character boundary.
  std::string euros;
  for (int i = 0; i < 600; ++i) euros += "\xe2\x82\xac";
  const std::string ev = event_reply("1", Fields{{"test", euros}});
  CHECK(ev.size() <= kMaxDatagram);
  CHECK(nlohmann::json::accept(ev));

  // Escapes count towards the limit.
  const std::string quotes(900, '"');
  const std::string q = row_reply("1", Fields{{"desc", quotes}, {"n", 7}});
  CHECK(q.size() <= kMaxDatagram);
  CHECK(nlohmann::json::accept(q));
  CHECK(nlohmann::json::parse(q)["n"] == 7);

  // Several long strings: the longest is shortened first.
  const std::string r2 = row_reply(
      "1", Fields{{"a", std::string(600, 'a')}, {"b", std::string(500, 'b')}, {"c", "keep"}});
  CHECK(r2.size() <= kMaxDatagram);
  const auto p2 = nlohmann::json::parse(r2);
  CHECK(p2["b"] == std::string(500, 'b'));
  CHECK(p2["c"] == "keep");

  // A row of exactly the limit is left alone; one byte more is shortened.
  const std::string fit = row_reply("1", Fields{{"desc", std::string(987, 'x')}});
  CHECK(fit.size() == kMaxDatagram);
  CHECK(nlohmann::json::parse(fit)["desc"] == std::string(987, 'x'));
  const std::string over = row_reply("1", Fields{{"desc", std::string(988, 'x')}});
  CHECK(over.size() <= kMaxDatagram);
  CHECK(nlohmann::json::parse(over)["desc"] == std::string(984, 'x') + "...");
}

TEST_CASE("mgmt reply: a long listing is one datagram per row") {
  std::vector<Fields> many;
  for (int i = 0; i < 500; ++i) many.push_back(Fields{{"community", "c" + std::to_string(i)}});
  const Datagrams got = exchange(Daemon::supernode, "r 1 communities", rows(many));
  REQUIRE(got.size() == 502);
  CHECK(got.at(500) == "{\"_tag\":\"1\",\"_type\":\"row\",\"community\":\"c499\"}\n");
  check_all_valid(got);
}
