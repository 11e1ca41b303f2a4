// Edge engine: path-MTU discovery towards the current supernode with padded PINGs, -M auto,
// against the supernode engine in memory with a limited path (the harness loses datagrams
// above a size).
#include <doctest/doctest.h>

#include "core/edge/management.hpp"
#include "core/supernode/community_list.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::EdgeState;

TEST_SUITE_BEGIN("edge");

namespace {

// One supernode (community "net" fixed, for header encryption) behind a path of `path_mtu`
// bytes (whole IPv4 datagrams).
struct Limited {
  explicit Limited(std::size_t path_mtu, edge::EdgeConfig config = static_edge(1),
                   bool start = true) {
    supernode::SupernodeConfig sn_config;
    std::vector<std::string> warnings;
    std::string error;
    auto list = supernode::parse_community_list("net\n", "t", warnings, error);
    REQUIRE(list);
    sn_config.communities = std::move(*list);
    sn = net.add_supernode(1, std::move(sn_config));
    net.nodes[sn].max_payload = path_mtu - 28;
    a = net.add_edge(1, std::move(config));
    if (start) net.start(a);
  }
  mtu::PathSearchResult result() { return net.edge(a).supernode_path()->result(); }
  Network net;
  std::size_t sn = 0, a = 0;
};

}  // namespace

TEST_CASE("edge path MTU: padded PINGs find the path MTU to the supernode") {
  for (const std::size_t path : {576U, 1000U, 1400U, 1472U, 1500U}) {
    for (const bool he : {false, true}) {
      INFO("path ", path, " header encryption ", he);
      auto config = static_edge(1);
      config.header_encryption = he;
      Limited l(path, config);
      REQUIRE(l.net.edge(l.a).state() == EdgeState::registered);
      REQUIRE(l.net.edge(l.a).supernode_path());
      l.net.advance(120);
      const auto r = l.result();
      CHECK(r.state == mtu::SearchState::done);
      CHECK(r.pmtu == path);
      CHECK(r.probes_sent < 40);
      MESSAGE("path ", path, std::string(he ? " (HE)" : ""), ": ", r.probes_sent, " probes, ",
              r.lost, " lost");
      // Sweeps went on meanwhile: PONGs kept coming, none unsolicited, none miscredited.
      CHECK(l.net.edge(l.a).supernodes()[0].pongs > 4);
      CHECK(l.net.edge(l.a).counters().drops_of(Reason::unsolicited_pong) == 0);
      CHECK(l.net.edge(l.a).tap_mtu() == 1290);  // -M given (the default): not touched
    }
  }
}

TEST_CASE("edge path MTU: probes are marked, sized as asked and decode as PINGs") {
  Network net;
  net.add_supernode(1);
  const auto a = net.add_edge(1, static_edge(1));
  net.start(a);
  auto& e = net.edge(a);
  REQUIRE(e.supernode_path());
  // The first probe went out with the registration; the next after its answer. Ask the
  // engine directly what it sends once the answer came.
  net::Outbox out;
  net::Outbox tap;
  net.now += 1;
  e.on_tick({net.now, 0}, out, tap);
  std::size_t probes = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto d = wire::decode(out[i].bytes);
    REQUIRE(d);
    if (!out[i].path_probe) continue;
    ++probes;
    const auto* ping = std::get_if<wire::QueryPeer>(&d->message);
    REQUIRE(ping != nullptr);
    CHECK(ping->is_ping());
    CHECK(out[i].bytes.size() > 38);
    CHECK(std::all_of(out[i].bytes.begin() + 38, out[i].bytes.end(),
                      [](std::uint8_t b) { return b == 0; }));
  }
  // Plain PINGs (the sweep) are never marked: they must not be refused for their size.
  net.advance(6);
  net::Outbox sweep;
  net.now += 1;
  e.on_tick({net.now, 0}, sweep, tap);
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    if (sweep[i].bytes.size() == 38) CHECK_FALSE(sweep[i].path_probe);
  }
  CHECK(probes <= 1);  // one in flight at most
}

TEST_CASE("edge path MTU: -M auto sets the TAP MTU from the path, per transform") {
  struct Case {
    crypto::TransformId transform;
    std::size_t path;
    std::size_t tap;
  };
  for (const Case c :
       {Case{crypto::TransformId::aes, 1400, 1296}, Case{crypto::TransformId::null, 1400, 1312},
        Case{crypto::TransformId::chacha20, 1500, 1396},
        Case{crypto::TransformId::null, 600, 576}}) {
    INFO("path ", c.path, " transform ", static_cast<int>(c.transform));
    auto config = static_edge(1);
    config.transform = c.transform;
    if (c.transform != crypto::TransformId::null) config.key = "secret";
    config.tap_mtu_auto = true;
    Limited l(c.path, config, false);
    CHECK(l.net.edge(l.a).tap_mtu() == 1290);  // until a search is done
    l.net.start(l.a);
    l.net.advance(120);
    CHECK(l.result().pmtu == c.path);
    CHECK(l.net.edge(l.a).tap_mtu() == c.tap);
  }
}

TEST_CASE("edge path MTU: a local EMSGSIZE with the route MTU is a hint to the search") {
  Limited l(1280);
  auto& e = l.net.edge(l.a);
  l.net.advance(60);
  REQUIRE(l.result().pmtu == 1280);
  CHECK(l.result().icmp_accepted == 0);
  // The daemon's report for a 1400-byte probe refused locally on a 1280-byte route.
  e.on_probe_too_big(1400, 1280, {l.net.now, 500000});
  CHECK(l.result().icmp_accepted == 1);
  CHECK(l.result().too_big == 1281);
  // Without a figure it is left to time out like a loss.
  e.on_probe_too_big(1400, 0, {l.net.now, 600000});
  CHECK(l.result().icmp_accepted == 1);
  l.net.advance(60);
  CHECK(l.result().pmtu == 1280);
}

TEST_CASE("edge path MTU: the management method paths") {
  Limited l(1400);
  l.net.advance(120);
  edge::Management m(l.net.edge(l.a), {});
  const auto rows = m.handle(as_bytes("r 1 paths"), l.net.now, Network::edge_sock(9));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].starts_with(
      R"({"_tag":"1","_type":"row","peer":"supernode","macaddr":"02:53:4E:00:00:01","sockaddr":"192.0.2.1:7654","state":"done","pmtu":1400,"confirmed":1400,"too_big":1401,)"));
  CHECK(rows[1].find(R"("tap_mtu":1290,"frame_limit":0})") != std::string::npos);
}

TEST_CASE("edge path MTU: a move to another supernode searches again; off means no probes") {
  Network net;
  const auto sn1 = net.add_supernode(1);
  const auto sn2 = net.add_supernode(2);
  net.nodes[sn1].max_payload = 1400 - 28;
  net.nodes[sn2].max_payload = 1200 - 28;
  auto config = static_edge(1);
  config.supernodes = {Network::supernode_sock(1), Network::supernode_sock(2)};
  const auto a = net.add_edge(1, config);
  net.start(a);
  net.advance(60);
  CHECK(net.edge(a).supernode_path()->result().pmtu == 1400);
  net.nodes[sn1].reachable = false;
  net.advance(90);
  REQUIRE(net.edge(a).supernode_path_sock() == Network::supernode_sock(2));
  CHECK(net.edge(a).supernode_path()->result().pmtu == 1200);

  auto off = static_edge(2);
  off.path_mtu_discovery = false;
  const auto b = net.add_edge(2, off);
  net.nodes[sn1].reachable = true;
  net.start(b);
  net.advance(60);
  CHECK_FALSE(net.edge(b).supernode_path());
}

TEST_SUITE_END();
