// The supernode's management API over a real engine (spec §13): scripted edges register with
// the wire encoders, then each request's reply datagrams are compared byte for byte with what
// the reference writes (field order, "-/-" for the federation, upper-case MACs). Also the text
// console and the pacing of long replies.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/mgmt/legacy_text.hpp"
#include "core/mgmt/reply_pacer.hpp"
#include "core/supernode/management.hpp"
#include "supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using supernode::Management;
using supernode::ManagementHooks;
using supernode::ReloadStatus;
using Datagrams = std::vector<std::string>;

namespace {

struct Hooked {
  unsigned level = 2;
  int stops = 0;
  int reloads = 0;
  ReloadStatus reload_result = ReloadStatus::ok;

  ManagementHooks hooks(bool with_file = true) {
    ManagementHooks h;
    h.stop = [this] { ++stops; };
    h.verbosity = [this] { return level; };
    h.set_verbosity = [this](unsigned l) { level = l; };
    if (with_file) {
      h.reload = [this] {
        ++reloads;
        return reload_result;
      };
    }
    return h;
  }
};

Datagrams ask(Management& m, std::string_view request, std::uint64_t now = kStart) {
  return m.handle(as_bytes(request), now);
}

std::string subnet_of(const supernode::Engine& engine, std::string_view community) {
  const auto* c = engine.communities().find(wire::make_community(community));
  REQUIRE(c != nullptr);
  return wire::subnet_to_string(c->auto_subnet);
}

}  // namespace

TEST_CASE("supernode management: communities lists the federation first, then every community") {
  SupernodeHarness sn;
  sn.register_edge(scripted_edge(1, "net"));
  sn.register_edge(scripted_edge(2, "lab"));
  Hooked h;
  Management m(sn.engine, h.hooks());

  const Datagrams expected{
      R"({"_tag":"1","_type":"begin","cmd":"communities"})"
      "\n",
      R"({"_tag":"1","_type":"row","community":"-/-","purgeable":0,"is_federation":1,"ip4addr":""})"
      "\n",
      R"({"_tag":"1","_type":"row","community":"lab","purgeable":1,"is_federation":0,"ip4addr":")" +
          subnet_of(sn.engine, "lab") + "\"}\n",
      R"({"_tag":"1","_type":"row","community":"net","purgeable":1,"is_federation":0,"ip4addr":")" +
          subnet_of(sn.engine, "net") + "\"}\n",
      R"({"_tag":"1","_type":"end"})"
      "\n",
  };
  CHECK(ask(m, "r 1 communities") == expected);
}

TEST_CASE("supernode management: listed communities are not purgeable and keep their subnet") {
  auto config = open_config();
  config.communities = community_list("office\nhome 192.168.168.0/24\n");
  SupernodeHarness sn(config);
  Hooked h;
  Management m(sn.engine, h.hooks());
  const auto reply = ask(m, "r 7 communities");
  REQUIRE(reply.size() == 5);
  CHECK(
      reply[2] ==
      R"({"_tag":"7","_type":"row","community":"home","purgeable":0,"is_federation":0,"ip4addr":"192.168.168.0/24"})"
      "\n");
  CHECK(reply[3].starts_with(
      R"({"_tag":"7","_type":"row","community":"office","purgeable":0,"is_federation":0,"ip4addr":"10.)"));
}

TEST_CASE("supernode management: edges rows as the reference writes them, UDP and TCP") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1, "net");
  const auto b = scripted_edge(2, "net");
  sn.register_edge(a);
  sn.now += 5;
  // b registers over TCP connection 7: the engine is told the connection's number.
  sn.out.clear();
  sn.engine.on_datagram(b.register_super(), supernode::Source{b.sock, 7}, {sn.now, 0}, sn.out);
  REQUIRE(sn.out.size() == 1);
  Hooked h;
  Management m(sn.engine, h.hooks());

  const Datagrams expected{
      R"({"_tag":"e","_type":"begin","cmd":"edges"})"
      "\n",
      R"({"_tag":"e","_type":"row","community":"net","ip4addr":"10.20.30.1/24","purgeable":0,"macaddr":"02:20:30:00:00:01","sockaddr":"198.51.100.1:50001","proto":"UDP","desc":"edge-1","last_seen":1700000000})"
      "\n",
      R"({"_tag":"e","_type":"row","community":"net","ip4addr":"10.20.30.2/24","purgeable":0,"macaddr":"02:20:30:00:00:02","sockaddr":"198.51.100.2:50002","proto":"TCP","desc":"edge-2","last_seen":1700000005})"
      "\n",
      R"({"_tag":"e","_type":"end"})"
      "\n",
  };
  CHECK(ask(m, "r e edges") == expected);

  // The connection closes: the edge leaves the listing.
  sn.engine.on_connection_closed(7, {sn.now, 0});
  CHECK(ask(m, "r e edges").size() == 3);
}

TEST_CASE("supernode management: federation anchors are edges of community -/-") {
  auto config = open_config();
  config.anchors = {"sn2.example.net:7654"};
  SupernodeHarness sn(config);
  Hooked h;
  Management m(sn.engine, h.hooks());
  CHECK(
      ask(m, "r 3 edges") ==
      Datagrams{
          R"({"_tag":"3","_type":"begin","cmd":"edges"})"
          "\n",
          R"({"_tag":"3","_type":"row","community":"-/-","ip4addr":"","purgeable":1,"macaddr":"","sockaddr":"0.0.0.0:0","proto":"UDP","desc":"","last_seen":0})"
          "\n",
          R"({"_tag":"3","_type":"end"})"
          "\n"});
  sn.engine.set_anchor_address(0, wire::Sock::ipv4(ipv4(192, 0, 2, 7), 7654));
  CHECK(
      ask(m, "r 3 edges")[1] ==
      R"({"_tag":"3","_type":"row","community":"-/-","ip4addr":"","purgeable":1,"macaddr":"","sockaddr":"192.0.2.7:7654","proto":"UDP","desc":"","last_seen":0})"
      "\n");
}

TEST_CASE("supernode management: timestamps and packetstats") {
  SupernodeHarness sn;
  Hooked h;
  Management m(sn.engine, h.hooks());
  CHECK(ask(m, "r t timestamps") ==
        Datagrams{
            R"({"_tag":"t","_type":"begin","cmd":"timestamps"})"
            "\n",
            R"({"_tag":"t","_type":"row","start_time":1700000000,"last_fwd":0,"last_reg_super":0})"
            "\n",
            R"({"_tag":"t","_type":"end"})"
            "\n"});
  sn.now += 3;
  sn.register_edge(scripted_edge(1));
  sn.register_edge(scripted_edge(2));
  const auto a = scripted_edge(1);
  sn.from_edge(a, a.packet(edge_mac(2), as_bytes("hello")));
  CHECK(
      ask(m, "r t timestamps")[1] ==
      R"({"_tag":"t","_type":"row","start_time":1700000000,"last_fwd":1700000003,"last_reg_super":1700000003})"
      "\n");
  CHECK(ask(m, "r p packetstats") ==
        Datagrams{R"({"_tag":"p","_type":"begin","cmd":"packetstats"})"
                  "\n",
                  R"({"_tag":"p","_type":"row","type":"forward","tx_pkt":1})"
                  "\n",
                  R"({"_tag":"p","_type":"row","type":"broadcast","tx_pkt":0})"
                  "\n",
                  R"({"_tag":"p","_type":"row","type":"reg_super","rx_pkt":2,"nak":0})"
                  "\n",
                  R"({"_tag":"p","_type":"row","type":"errors","tx_pkt":0})"
                  "\n",
                  R"({"_tag":"p","_type":"end"})"
                  "\n"});
  sn.engine.note_send_error();
  CHECK(ask(m, "r p packetstats")[4] == R"({"_tag":"p","_type":"row","type":"errors","tx_pkt":1})"
                                        "\n");
}

TEST_CASE("supernode management: drops lists every reason with its count") {
  SupernodeHarness sn;
  Hooked h;
  Management m(sn.engine, h.hooks());
  const ByteVector runt{0x03, 0x02, 0x00};
  sn.deliver(runt, wire::Sock::ipv4(ipv4(198, 51, 100, 9), 4000));
  sn.deliver(runt, wire::Sock::ipv4(ipv4(198, 51, 100, 9), 4000));
  const auto rows = ask(m, "r d drops");
  REQUIRE(rows.size() == kReasonCount + 1);  // begin, one row per reason but ok, end
  CHECK(rows.front() == R"({"_tag":"d","_type":"begin","cmd":"drops"})"
                        "\n");
  CHECK(rows.back() == R"({"_tag":"d","_type":"end"})"
                       "\n");
  std::size_t with_count = 0;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    CHECK(rows[i].find(R"("_type":"row","reason":")") != std::string::npos);
    if (rows[i].find(R"("count":0,)") == std::string::npos) {
      ++with_count;
      CHECK(rows[i].find(R"("reason":"too_short","count":2,"description":")") != std::string::npos);
    }
  }
  CHECK(with_count == 1);
  // Read-only: a write is refused like the reference refuses writes to read-only methods.
  CHECK(ask(m, "w d:1:n2n drops") == Datagrams{R"({"_tag":"d","_type":"error","error":"readonly"})"
                                               "\n"});
}

TEST_CASE("supernode management: verbose reads and, with the password, sets the level") {
  SupernodeHarness sn;
  Hooked h;
  h.level = 3;
  Management m(sn.engine, h.hooks(), "secret");
  CHECK(ask(m, "r 1 verbose")[1] == R"({"_tag":"1","_type":"row","traceLevel":3})"
                                    "\n");
  CHECK(ask(m, "w 2 verbose 1") == Datagrams{R"({"_tag":"2","_type":"error","error":"badauth"})"
                                             "\n"});
  CHECK(ask(m, "w 3:1:n2n verbose 1") ==
        Datagrams{R"({"_tag":"3","_type":"error","error":"badauth"})"
                  "\n"});
  CHECK(h.level == 3);
  CHECK(ask(m, "w 4:1:secret verbose 0x1")[1] == R"({"_tag":"4","_type":"row","traceLevel":1})"
                                                 "\n");
  CHECK(h.level == 1);
  // A write without an argument only shows the level.
  CHECK(ask(m, "w 5:1:secret verbose")[1] == R"({"_tag":"5","_type":"row","traceLevel":1})"
                                             "\n");
}

TEST_CASE("supernode management: stop shows keep_running and a write stops once") {
  SupernodeHarness sn;
  Hooked h;
  Management m(sn.engine, h.hooks());
  CHECK(ask(m, "r 1 stop") == Datagrams{R"({"_tag":"1","_type":"begin","cmd":"stop"})"
                                        "\n",
                                        R"({"_tag":"1","_type":"row","keep_running":1})"
                                        "\n",
                                        R"({"_tag":"1","_type":"end"})"
                                        "\n"});
  CHECK(h.stops == 0);
  CHECK(m.keep_running());
  CHECK(ask(m, "w 2:1:n2n stop")[1] == R"({"_tag":"2","_type":"row","keep_running":0})"
                                       "\n");
  CHECK(h.stops == 1);
  CHECK_FALSE(m.keep_running());
  ask(m, "w 3:1:n2n stop");
  CHECK(h.stops == 1);
}

TEST_CASE("supernode management: reload_communities is write-only and needs a community file") {
  SupernodeHarness sn;
  Hooked h;
  Management m(sn.engine, h.hooks());
  CHECK(ask(m, "r 1 reload_communities") ==
        Datagrams{R"({"_tag":"1","_type":"begin","cmd":"reload_communities"})"
                  "\n",
                  R"({"_tag":"1","_type":"error","error":"writeonly"})"
                  "\n",
                  R"({"_tag":"1","_type":"end"})"
                  "\n"});
  CHECK(h.reloads == 0);
  CHECK(ask(m, "w 2:1:n2n reload_communities")[1] == R"({"_tag":"2","_type":"row","ok":0})"
                                                     "\n");
  h.reload_result = ReloadStatus::file_missing;
  CHECK(ask(m, "w 3:1:n2n reload_communities")[1] == R"({"_tag":"3","_type":"row","ok":-1})"
                                                     "\n");
  h.reload_result = ReloadStatus::no_valid_entries;
  CHECK(ask(m, "w 4:1:n2n reload_communities")[1] == R"({"_tag":"4","_type":"row","ok":-2})"
                                                     "\n");
  CHECK(h.reloads == 3);

  Hooked no_file;
  Management without(sn.engine, no_file.hooks(false));
  CHECK(ask(without, "w 5:1:n2n reload_communities") ==
        Datagrams{R"({"_tag":"5","_type":"begin","cmd":"reload_communities"})"
                  "\n",
                  R"({"_tag":"5","_type":"error","error":"nofile"})"
                  "\n",
                  R"({"_tag":"5","_type":"end"})"
                  "\n"});
}

TEST_CASE("supernode management: help, reserved and unknown methods, request errors") {
  SupernodeHarness sn;
  Hooked h;
  Management m(sn.engine, h.hooks());
  const auto help = ask(m, "r 1 help");
  REQUIRE(help.size() == 12);  // the reference's 9 rows, then n2nkit's "drops"
  CHECK(help[1] == R"({"_tag":"1","_type":"row","cmd":"supernodes","help":"Reserved for edge"})"
                   "\n");
  CHECK(help[10].find(R"("cmd":"drops")") != std::string::npos);
  CHECK(help[11] == R"({"_tag":"1","_type":"end"})"
                    "\n");
  CHECK(ask(m, "w 1:1:n2n help").size() == 12);  // help answers writes too
  CHECK(ask(m, "r 2 supernodes")[1] == R"({"_tag":"2","_type":"error","error":"unimplemented"})"
                                       "\n");
  CHECK(ask(m, "r 3 nosuch") == Datagrams{R"({"_tag":"3","_type":"error","error":"unknowncmd"})"
                                          "\n"});
  CHECK(ask(m, "w 4:1:n2n edges") == Datagrams{R"({"_tag":"4","_type":"error","error":"readonly"})"
                                               "\n"});
  CHECK(ask(m, "r 5") == Datagrams{R"({"_tag":"-1","_type":"error","error":"nocmd"})"
                                   "\n"});
  // Every JSON datagram parses and stays within what n2n-ctl reads.
  for (const auto& d : help) {
    CHECK(d.size() <= 1024);
    CHECK(nlohmann::json::accept(d));
  }
}

TEST_CASE("supernode management: the text console") {
  SupernodeHarness sn;
  sn.register_edge(scripted_edge(1, "net"));
  Hooked h;
  Management with_file(sn.engine, h.hooks());
  CHECK(ask(with_file, "help") == Datagrams{std::string(mgmt::supernode_help_text())});
  CHECK(ask(with_file, "reload_communities") == Datagrams{"OK.\n"});
  h.reload_result = ReloadStatus::no_valid_entries;
  CHECK(ask(with_file, "reload_communities\n") ==
        Datagrams{"Error while re-loading community file (not found or no valid content)\n"});
  CHECK(h.reloads == 2);
  Hooked none;
  Management without(sn.engine, none.hooks(false));
  CHECK(ask(without, "reload_communities") ==
        Datagrams{"No community file provided (-c command line option)\n"});

  // Anything else: the status report, one datagram per line, with the drop counters.
  sn.deliver(as_bytes("short"), wire::Sock::ipv4(ipv4(192, 0, 2, 1), 1));
  const auto status = ask(with_file, "\n", kStart + 42);
  std::string all;
  for (const auto& d : status) {
    CHECK(d.size() <= 1024);
    all += d;
  }
  CHECK(all.find("COMMUNITY 'net'") != std::string::npos);
  CHECK(all.find("02:20:30:00:00:01") != std::string::npos);
  CHECK(all.find("198.51.100.1:50001") != std::string::npos);
  CHECK(all.find("edge-1") != std::string::npos);
  CHECK(all.find("uptime 42 | edges 1 | reg_sup 1") != std::string::npos);
  CHECK(all.find("drops: too_short 1") != std::string::npos);
}

TEST_CASE("supernode management: a listing of 10,000 edges is one reply of 10,002 datagrams") {
  SupernodeHarness sn;
  for (std::uint32_t n = 0; n < 10'000; ++n) {
    ScriptedEdge e;
    e.community = "big";
    e.mac = {0x02, 0x42, 0, 0, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    e.sock = wire::Sock::ipv4(ipv4(198, 51, 100, 1), static_cast<std::uint16_t>(10000 + n));
    e.dev_addr = {(10U << 24) | (77U << 16) | (n + 1), 16};
    e.desc = "e" + std::to_string(n);
    e.auth = simple_id(static_cast<std::uint8_t>(n));
    sn.out.clear();
    sn.engine.on_datagram(e.register_super(), supernode::Source{e.sock, 0}, {sn.now, 0}, sn.out);
  }
  Hooked h;
  Management m(sn.engine, h.hooks());
  const auto reply = ask(m, "r 9 edges");
  REQUIRE(reply.size() == 10'002);
  CHECK(reply.front() == R"({"_tag":"9","_type":"begin","cmd":"edges"})"
                         "\n");
  CHECK(reply.back() == R"({"_tag":"9","_type":"end"})"
                        "\n");
}

TEST_CASE("supernode management: MACs are upper case, the null MAC is empty") {
  CHECK(supernode::management_mac({0x02, 0xab, 0xcd, 0xef, 0x00, 0x01}) == "02:AB:CD:EF:00:01");
  CHECK(supernode::management_mac(wire::kNullMac).empty());
}

TEST_CASE("management pacing: bursts, turns between replies, a full socket, the cap") {
  using mgmt::ReplyPacer;
  const auto a = wire::Sock::ipv4(ipv4(127, 0, 0, 1), 40001);
  const auto b = wire::Sock::ipv4(ipv4(127, 0, 0, 1), 40002);
  const auto numbered = [](char who, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(who + std::to_string(i));
    return out;
  };

  ReplyPacer pacer(100);
  std::vector<std::string> sent;
  using Status = ReplyPacer::SendStatus;
  const ReplyPacer::Sender record = [&](const wire::Sock& to, const std::string& d) {
    sent.push_back((to == a ? "a:" : "b:") + d);
    return Status::sent;
  };

  REQUIRE(pacer.push(a, numbered('x', 10)));
  REQUIRE(pacer.push(b, numbered('y', 3)));
  CHECK(pacer.pending() == 13);
  // Two replies share a burst of 4: two datagrams each.
  CHECK(pacer.send_burst(4, record) == 4);
  CHECK(sent == std::vector<std::string>{"a:x0", "a:x1", "b:y0", "b:y1"});
  CHECK(pacer.send_burst(4, record) == 4);
  CHECK(sent.size() == 8);
  CHECK(sent[6] == "b:y2");  // b is finished
  CHECK(pacer.replies() == 1);

  // The socket refuses: nothing is lost, the same datagram goes next time.
  int calls = 0;
  CHECK(pacer.send_burst(4, [&](const wire::Sock&, const std::string&) {
    ++calls;
    return Status::socket_full;
  }) == 0);
  CHECK(calls == 1);
  CHECK(pacer.pending() == 5);

  // The cap counts datagrams over every queued reply.
  CHECK_FALSE(pacer.push(b, numbered('z', 96)));
  CHECK(pacer.push(b, numbered('z', 95)));
  pacer.flush(record);
  CHECK(pacer.empty());
  CHECK(pacer.pending() == 0);
  CHECK(sent.size() == 13 + 95);
  // Each reply arrives in order.
  std::vector<std::string> xs;
  for (const auto& s : sent) {
    if (s.starts_with("a:")) xs.push_back(s.substr(2));
  }
  CHECK(xs == numbered('x', 10));
  // An empty reply queues nothing.
  CHECK(pacer.push(a, {}));
  CHECK(pacer.empty());
}

TEST_CASE("management pacing: a busy client waits without holding up the others") {
  using mgmt::ReplyPacer;
  using Status = ReplyPacer::SendStatus;
  const auto slow = wire::Sock::ipv4(ipv4(127, 0, 0, 1), 40001);
  const auto fast = wire::Sock::ipv4(ipv4(127, 0, 0, 1), 40002);
  ReplyPacer pacer;
  REQUIRE(pacer.push(slow, {"s0", "s1", "s2"}));
  REQUIRE(pacer.push(fast, {"f0", "f1", "f2"}));
  std::vector<std::string> sent;
  bool slow_busy = true;
  const ReplyPacer::Sender send = [&](const wire::Sock& to, const std::string& d) {
    if (to == slow && slow_busy) return Status::client_busy;
    sent.push_back(d);
    return Status::sent;
  };
  CHECK(pacer.send_burst(8, send) == 3);
  CHECK(sent == std::vector<std::string>{"f0", "f1", "f2"});
  CHECK(pacer.send_burst(8, send) == 0);  // only the busy client is left: nothing, no spin
  slow_busy = false;
  CHECK(pacer.send_burst(2, send) == 2);
  CHECK(sent.back() == "s1");
  CHECK(pacer.drop(slow) == 1);
  CHECK(pacer.empty());
  CHECK(pacer.pending() == 0);
}
