// Supernode engine: REGISTER_SUPER / ACK / NAK, automatic addresses, locked communities,
// spoofing protection and UNREGISTER_SUPER (spec §11.3, §11.8, §11.9).
#include <doctest/doctest.h>

#include "core/supernode/auto_ip.hpp"
#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using supernode::AutoIpPool;

TEST_SUITE_BEGIN("supernode");

TEST_CASE("supernode engine: REGISTER_SUPER_ACK fields") {
  SupernodeHarness sn;
  auto a = scripted_edge(1);
  a.preferred = wire::Sock::ipv4(ipv4(192, 168, 1, 10), 50001);
  const auto sent = sn.from_edge(a, a.register_super(0xCAFEF00D));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].to.sock == a.sock);
  CHECK(sent[0].to.tcp_connection == 0);
  const auto& h = sent[0].decoded.header;
  CHECK(h.version == 3);
  CHECK(h.ttl == 2);
  CHECK(h.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));
  CHECK(h.community == wire::make_community("net"));
  const auto& ack = std::get<wire::RegisterSuperAck>(sent[0].decoded.message);
  CHECK(ack.cookie == 0xCAFEF00D);
  CHECK(ack.src_mac == kSupernodeMac);
  CHECK(ack.dev_addr == wire::IpSubnet{});  // a static address needs no assignment
  CHECK(ack.lifetime == 15);
  CHECK(ack.sock == a.sock);
  CHECK(ack.auth == wire::Auth{});
  CHECK(ack.supernodes.empty());
  CHECK(ack.key_time == 0);
  CHECK(sent[0].bytes.size() == 58);

  const auto* rec = sn.edge("net", a.mac);
  REQUIRE(rec != nullptr);
  CHECK(rec->sock == a.sock);
  CHECK(rec->preferred_sock == a.preferred);
  CHECK(rec->dev_addr == a.dev_addr);
  CHECK(rec->desc == wire::make_description("edge-1"));
  CHECK(rec->cookie == 0xCAFEF00D);
  CHECK(rec->auth == a.auth);
  CHECK(rec->last_seen == kStart);
  CHECK(sn.engine.counters().packets.reg_super_rx == 1);
  CHECK(sn.engine.counters().packets.last_reg_super == kStart);
  CHECK(sn.total_drops() == 0);

  // The community was created on the fly with a subnet from the default pool.
  const auto* community = sn.engine.communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->purgeable);
  CHECK(community->auto_subnet == supernode::proposed_community_subnet(
                                      supernode::kDefaultAutoIpPool, wire::make_community("net")));
}

TEST_CASE("supernode engine: a re-registration refreshes socket, cookie and last_seen") {
  SupernodeHarness sn;
  auto a = scripted_edge(1);
  sn.register_edge(a, 1);
  sn.now += 20;
  a.sock = wire::Sock::ipv4(ipv4(203, 0, 113, 9), 4444);  // the NAT mapping changed
  const auto ack = sn.register_edge(a, 2);
  CHECK(ack.sock == a.sock);
  const auto* rec = sn.edge("net", a.mac);
  REQUIRE(rec != nullptr);
  CHECK(rec->sock == a.sock);
  CHECK(rec->cookie == 2);
  CHECK(rec->last_seen == kStart + 20);
}

TEST_CASE("supernode engine: automatic addresses differ per edge and come from the subnet") {
  SupernodeHarness sn;
  auto a = scripted_edge(1);
  auto b = scripted_edge(2);
  a.dev_addr = {};
  b.dev_addr = {};
  const auto subnet = supernode::proposed_community_subnet(supernode::kDefaultAutoIpPool,
                                                           wire::make_community("net"));

  // Bootstrap: null MAC, 0/0 -> the address the description hashes to; nothing recorded.
  auto a_boot = a;
  a_boot.mac = wire::kNullMac;
  const auto a_addr = sn.register_edge(a_boot).dev_addr;
  CHECK(a_addr.prefix == subnet.prefix);
  CHECK((a_addr.addr & supernode::prefix_netmask(subnet.prefix)) == subnet.addr);
  CHECK(a_addr.addr == *supernode::proposed_edge_address(subnet, wire::make_description("edge-1")));
  CHECK(sn.engine.communities().find(wire::make_community("net"))->edges.empty());

  // A registers with it; B's request then gets another address even with the same description.
  a.dev_addr = a_addr;
  sn.register_edge(a);
  auto b_boot = b;
  b_boot.mac = wire::kNullMac;
  b_boot.desc = a.desc;
  const auto b_addr = sn.register_edge(b_boot).dev_addr;
  CHECK(b_addr.prefix == subnet.prefix);
  CHECK((b_addr.addr & supernode::prefix_netmask(subnet.prefix)) == subnet.addr);
  CHECK(b_addr.addr != a_addr.addr);

  // Broadcast, prefix 0 and link-local requests ask for an address too.
  for (const auto request : {wire::IpSubnet{0xFFFFFFFFu, 24}, wire::IpSubnet{ipv4(10, 0, 0, 5), 0},
                             wire::IpSubnet{ipv4(169, 254, 3, 4), 16}}) {
    b_boot.dev_addr = request;
    CHECK(sn.register_edge(b_boot).dev_addr.prefix == subnet.prefix);
  }
}

TEST_CASE("supernode engine: a /30 community runs out of edge addresses") {
  auto config = open_config();
  config.auto_ip = AutoIpPool{ipv4(10, 99, 0, 0), ipv4(10, 99, 0, 0), 30};
  SupernodeHarness sn(config);
  std::vector<std::uint32_t> given;
  for (std::uint8_t n = 1; n <= 3; ++n) {
    auto e = scripted_edge(n);
    e.dev_addr = {};
    auto boot = e;
    boot.mac = wire::kNullMac;
    const auto addr = sn.register_edge(boot).dev_addr;
    if (n <= 2) {
      CHECK(addr.prefix == 30);
      CHECK((addr.addr == ipv4(10, 99, 0, 1) || addr.addr == ipv4(10, 99, 0, 2)));
      given.push_back(addr.addr);
      e.dev_addr = addr;
      sn.register_edge(e);
    } else {
      CHECK(addr == wire::IpSubnet{});  // both host addresses are taken
    }
  }
  CHECK(given[0] != given[1]);

  // A second community finds the one-subnet pool used up: no automatic addresses there.
  auto other = scripted_edge(9, "other");
  other.dev_addr = {};
  CHECK(sn.register_edge(other).dev_addr == wire::IpSubnet{});
  CHECK(sn.engine.communities().find(wire::make_community("other"))->auto_subnet ==
        wire::IpSubnet{});
}

TEST_CASE("supernode engine: locked supernode serves listed names and regex matches only") {
  auto config = open_config();
  config.communities = community_list("listed\nfixed 10.7.0.0/16\nteam\\d\\d\n");
  SupernodeHarness sn(config);
  // Listed names exist from the start and are never purged.
  const auto* listed = sn.engine.communities().find(wire::make_community("listed"));
  REQUIRE(listed != nullptr);
  CHECK_FALSE(listed->purgeable);
  CHECK(sn.engine.communities().find(wire::make_community("fixed"))->auto_subnet ==
        wire::IpSubnet{ipv4(10, 7, 0, 0), 16});
  CHECK(sn.engine.communities().size() == 2);

  sn.register_edge(scripted_edge(1, "listed"));
  sn.register_edge(scripted_edge(2, "team42"));
  const auto* team = sn.engine.communities().find(wire::make_community("team42"));
  REQUIRE(team != nullptr);
  CHECK(team->purgeable);
  CHECK(team->auto_subnet.prefix == 24);

  // Unlisted: no answer at all, counted, nothing created.
  for (const auto* name : {"other", "team4", "team423", "listedx"}) {
    auto e = scripted_edge(3, name);
    CHECK(sn.from_edge(e, e.register_super()).empty());
    CHECK(sn.from_edge(e, e.query_peer(wire::kNullMac)).empty());
    CHECK(sn.engine.communities().find(wire::make_community(name)) == nullptr);
  }
  CHECK(sn.drops(Reason::community_not_allowed) == 8);

  // A PING for a regex-allowed community not hosted yet is answered without creating it.
  auto t = scripted_edge(4, "team77");
  CHECK(sn.from_edge(t, t.query_peer(wire::kNullMac)).size() == 1);
  CHECK(sn.engine.communities().find(wire::make_community("team77")) == nullptr);

  // After the edges go silent only the on-the-fly community disappears.
  sn.advance(120);
  CHECK(sn.engine.communities().find(wire::make_community("team42")) == nullptr);
  CHECK(sn.engine.communities().find(wire::make_community("listed")) != nullptr);
  CHECK(sn.engine.communities().find(wire::make_community("fixed")) != nullptr);
}

TEST_CASE("supernode engine: plaintext for a user/password community is refused") {
  auto config = open_config();
  config.communities =
      community_list("secure\n* alice nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG\n");
  SupernodeHarness sn(config);
  auto e = scripted_edge(1, "secure");
  CHECK(sn.from_edge(e, e.register_super()).empty());
  CHECK(sn.drops(Reason::he_required) == 1);
}

TEST_CASE("supernode engine: spoofing protection refuses a restarted edge until it expires") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  sn.now += 1;

  auto restarted = a;
  restarted.auth = simple_id(0xA0);  // a restarted edge draws a new token
  auto refuse = [&] {
    const auto sent = sn.from_edge(restarted, restarted.register_super(0x5555));
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].to.sock == restarted.sock);
    CHECK(sent[0].decoded.header.flags == (wire::kFlagSocket | wire::kFlagFromSupernode));
    const auto* nak = std::get_if<wire::RegisterSuperNak>(&sent[0].decoded.message);
    REQUIRE(nak != nullptr);
    CHECK(nak->cookie == 0x5555);
    CHECK(nak->src_mac == a.mac);
    CHECK(nak->auth == wire::Auth{});
  };
  refuse();

  // The same address under another MAC is the same edge changing its MAC: refused as well.
  auto other_mac = restarted;
  other_mac.mac = edge_mac(0x77);
  {
    const auto sent = sn.from_edge(other_mac, other_mac.register_super());
    REQUIRE(sent.size() == 1);
    CHECK(std::holds_alternative<wire::RegisterSuperNak>(sent[0].decoded.message));
  }
  CHECK(sn.engine.counters().packets.reg_super_nak == 2);
  CHECK(sn.drops(Reason::spoofing_refused) == 2);

  // The old entry stays 60 s after its last registration; the 30 s sweep removes it at 90.
  sn.advance(60);  // now start + 61; sweeps ran at +30 and +60
  refuse();
  sn.advance(29);  // +90: swept
  CHECK(sn.edge("net", a.mac) == nullptr);
  CHECK(sn.register_edge(restarted).cookie == 0x01020304);
  CHECK(sn.edge("net", a.mac)->auth == restarted.auth);
}

TEST_CASE("supernode engine: the genuine edge keeps its entry and may change its MAC") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  auto moved = a;
  moved.mac = edge_mac(0x42);  // same token, same address, new MAC
  sn.register_edge(moved);
  CHECK(sn.edge("net", a.mac) == nullptr);
  const auto* rec = sn.edge("net", moved.mac);
  REQUIRE(rec != nullptr);
  CHECK(rec->dev_addr == a.dev_addr);
  CHECK(rec->auth == a.auth);
}

TEST_CASE("supernode engine: without spoofing protection a restarted edge is accepted") {
  auto config = open_config();
  config.spoofing_protection = false;
  SupernodeHarness sn(config);
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  auto restarted = a;
  restarted.auth = simple_id(0xA0);
  restarted.sock = wire::Sock::ipv4(ipv4(198, 51, 100, 1), 60000);
  CHECK(sn.register_edge(restarted).sock == restarted.sock);
  CHECK(sn.edge("net", a.mac)->sock == restarted.sock);
  CHECK(sn.edge("net", a.mac)->auth.scheme == 0);
  CHECK(sn.engine.counters().packets.reg_super_nak == 0);
}

TEST_CASE("supernode engine: null MAC and own MAC registrations") {
  SupernodeHarness sn;
  auto boot = scripted_edge(1);
  boot.mac = wire::kNullMac;
  sn.register_edge(boot);
  CHECK(sn.engine.communities().find(wire::make_community("net"))->edges.empty());

  auto own = scripted_edge(2);
  own.mac = kSupernodeMac;
  CHECK(sn.from_edge(own, own.register_super()).empty());
  CHECK(sn.drops(Reason::own_mac) == 1);
  CHECK(sn.edge("net", kSupernodeMac) == nullptr);
}

TEST_CASE("supernode engine: a user/password token in a simple-id community gets a NAK") {
  SupernodeHarness sn;
  auto e = scripted_edge(1);
  e.auth.scheme = 2;
  e.auth.size = 48;
  const auto sent = sn.from_edge(e, e.register_super());
  REQUIRE(sent.size() == 1);
  CHECK(std::holds_alternative<wire::RegisterSuperNak>(sent[0].decoded.message));
  CHECK(sn.edge("net", e.mac) == nullptr);
  CHECK(sn.drops(Reason::auth_scheme_mismatch) == 1);
}

TEST_CASE("supernode engine: UNREGISTER_SUPER needs the registered token") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  auto forged = a;
  forged.auth = simple_id(0xEE);
  CHECK(sn.from_edge(forged, forged.unregister_super()).empty());
  CHECK(sn.edge("net", a.mac) != nullptr);
  CHECK(sn.drops(Reason::spoofing_refused) == 1);

  CHECK(sn.from_edge(a, a.unregister_super()).empty());
  CHECK(sn.edge("net", a.mac) == nullptr);
  CHECK(sn.from_edge(a, a.unregister_super()).empty());
  CHECK(sn.drops(Reason::unknown_destination) == 1);
  auto elsewhere = scripted_edge(1, "nowhere");
  CHECK(sn.from_edge(elsewhere, elsewhere.unregister_super()).empty());
  CHECK(sn.drops(Reason::unknown_community) == 1);
}

TEST_SUITE_END();
