// Edge engine in user/password mode (spec §10, §11.2) against the supernode engine with
// community.list user lines made as n2n-keygen makes them: registration with the challenge and
// the trailer, the dynamic header key, refusals, key changes, and what it drops.
#include <doctest/doctest.h>

#include "core/keys/user_password.hpp"
#include "core/supernode/community_list.hpp"
#include "tests/unit/edge_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;
using edge::EdgeState;

TEST_SUITE_BEGIN("edge");

namespace {

constexpr std::string_view kPasswordA = "alpha secret";
constexpr std::string_view kPasswordB = "bravo-7";

struct User {
  std::string_view name, password;
};

// "net" with one keygen line per user (the harness names edge n "edge-n").
supernode::CommunityList user_list(std::initializer_list<User> users, std::string_view more = "") {
  std::string text = "net\n";
  for (const auto& u : users) text += keys::keygen_user_line(u.name, u.password) + "\n";
  text += more;
  std::vector<std::string> warnings;
  std::string error;
  auto list = supernode::parse_community_list(text, "test.list", warnings, error);
  INFO(error);
  REQUIRE(list);
  return *list;
}

supernode::SupernodeConfig locked(supernode::CommunityList list,
                                  std::string federation = "*Federation") {
  supernode::SupernodeConfig c;
  c.communities = std::move(list);
  c.federation = std::move(federation);
  return c;
}

edge::EdgeConfig user_edge(unsigned n, std::string_view password) {
  auto c = static_edge(n);
  c.transform = crypto::TransformId::chacha20;
  c.key = "payload key";
  c.password = std::string(password);
  return c;
}

keys::Key16 expected_dynamic_key(std::uint32_t key_time, std::string_view federation) {
  return keys::dynamic_key(wire::make_community("net"), wire::make_community(federation), key_time);
}

struct TwoUsers {
  Network net;
  std::size_t sn, a, b;
  explicit TwoUsers(supernode::SupernodeConfig config = locked(user_list({{"edge-1", kPasswordA},
                                                                          {"edge-2", kPasswordB}})),
                    std::optional<keys::Key32> federation_key = std::nullopt) {
    sn = net.add_supernode(1, std::move(config));
    auto ca = user_edge(1, kPasswordA);
    auto cb = user_edge(2, kPasswordB);
    ca.federation_public_key = cb.federation_public_key = federation_key;
    a = net.add_edge(1, ca);
    b = net.add_edge(2, cb);
    net.start(b);
    net.start(a);
  }
  std::size_t ping(std::size_t from, std::size_t to, std::uint8_t fill) {
    const auto before = net.nodes[to].tap.size();
    const auto& fc = net.edge(from).config();
    const auto& tc = net.edge(to).config();
    net.frame(from, ping_frame(fc.mac, tc.mac, fc.address->addr, tc.address->addr, 56, fill));
    return net.nodes[to].tap.size() - before;
  }
};

ByteVector sealed(const wire::CommonHeader& h, const wire::Message& m, const wire::HeaderKeys& k,
                  std::uint64_t now, std::size_t trailer) {
  auto bytes = wire::encode_to_vector(h, m);
  REQUIRE_FALSE(bytes.empty());
  const auto size = bytes.size();
  REQUIRE(wire::he_encrypt(bytes, wire::he_covered_length(bytes, true), k,
                           wire::stamp_of({now, 700000}), 0x01020304));
  bytes.resize(size + trailer, 0x5a);
  return bytes;
}

wire::CommonHeader from_supernode_header() {
  wire::CommonHeader h;
  h.flags = wire::kFlagFromSupernode | wire::kFlagSocket;
  h.community = wire::make_community("net");
  return h;
}

}  // namespace

TEST_CASE("user/password edge: registers with community.list user lines, frames flow both ways") {
  TwoUsers t;
  auto& a = t.net.edge(t.a);
  auto& b = t.net.edge(t.b);
  CHECK(a.user_password());
  CHECK(a.config().header_encryption);  // forced on
  CHECK(a.state() == EdgeState::registered);
  CHECK(b.state() == EdgeState::registered);
  CHECK(a.counters().naks == 0);
  // Our public key is the one n2n-keygen puts in the user line.
  REQUIRE(a.public_key());
  CHECK(keys::keygen_user_line("edge-1", kPasswordA) ==
        "* edge-1 " + keys::key_to_text(*a.public_key()));
  // The dynamic key the ACK carried is the community's (§10.5).
  const auto key_time = t.net.supernode(t.sn).key_time();
  CHECK(key_time == kEdgeStart);
  CHECK(a.dynamic_key() == expected_dynamic_key(key_time, "*Federation"));
  CHECK(b.dynamic_key() == a.dynamic_key());
  CHECK(a.counters().dynamic_key_changes == 1);
  const auto& sn = t.net.supernode(t.sn);
  CHECK(sn.counters().drops_of(Reason::trailer_mismatch) == 0);
  CHECK(sn.counters().packets.reg_super_nak == 0);
  const auto* community = sn.communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->edges.size() == 2);

  // First via the supernode (dynamic keys, IV covered), then directly once the peers met.
  CHECK(t.ping(t.a, t.b, 0x11) == 1);
  CHECK(t.ping(t.b, t.a, 0x22) == 1);
  CHECK(t.ping(t.a, t.b, 0x33) == 1);
  CHECK(t.ping(t.b, t.a, 0x44) == 1);
  CHECK(a.counters().super_tx >= 1);
  CHECK(a.counters().p2p_tx >= 1);
  CHECK(b.counters().p2p_rx >= 1);
  CHECK(t.net.nodes[t.b].tap.back()[t.net.nodes[t.b].tap.back().size() - 1] == 0x33);
  for (std::size_t r = 0; r < kReasonCount; ++r) {
    if (static_cast<Reason>(r) == Reason::ok) continue;
    INFO(reason_name(static_cast<Reason>(r)));
    CHECK(a.counters().drops[r] == 0);
    CHECK(b.counters().drops[r] == 0);
  }

  // Re-registration on time keeps the key; the ACK's answer is checked every time.
  t.net.advance(45);
  CHECK(a.counters().registrations >= 3);
  CHECK(a.counters().dynamic_key_changes == 1);
  CHECK(t.ping(t.a, t.b, 0x55) == 1);

  // Leaving: UNREGISTER_SUPER (a fresh challenge, dynamic keys) removes us at the supernode.
  net::Outbox out;
  a.stop({t.net.now, 0}, out);
  REQUIRE(out.size() == 1);
  t.net.inject(t.sn, out[0].bytes, Network::edge_sock(1));
  CHECK(t.net.supernode(t.sn)
            .communities()
            .find(wire::make_community("net"))
            ->edges.find(a.config().mac) == nullptr);
}

TEST_CASE("user/password edge: the address can come from the supernode") {
  Network net;
  net.add_supernode(1, locked(user_list({{"edge-1", kPasswordA}})));
  auto config = user_edge(1, kPasswordA);
  config.address.reset();
  const auto a = net.add_edge(1, config);
  net.start(a);
  CHECK(net.edge(a).state() == EdgeState::registered);
  CHECK(net.edge(a).address());
  CHECK(net.edge(a).counters().registrations == 1);
}

TEST_CASE("user/password edge: -P names the supernode's own federation") {
  const auto fed_key = keys::public_key(keys::federation_private_key("n2nkitFed"));
  TwoUsers t(locked(user_list({{"edge-1", kPasswordA}, {"edge-2", kPasswordB}}), "*n2nkitFed"),
             fed_key);
  CHECK(t.net.edge(t.a).state() == EdgeState::registered);
  CHECK(t.net.edge(t.a).dynamic_key() ==
        expected_dynamic_key(t.net.supernode(t.sn).key_time(), "*n2nkitFed"));
  CHECK(t.ping(t.a, t.b, 0x66) == 1);
}

TEST_CASE("user/password edge: a wrong password or an unknown user is refused with a NAK") {
  Network net;
  const auto sn = net.add_supernode(1, locked(user_list({{"edge-1", kPasswordA}})));
  const auto wrong = net.add_edge(1, user_edge(1, "not the password"));
  const auto unknown = net.add_edge(3, user_edge(3, kPasswordA));
  net.start(wrong);
  net.start(unknown);
  for (const auto i : {wrong, unknown}) {
    const auto& e = net.edge(i);
    CHECK(e.state() == EdgeState::waiting);
    CHECK_FALSE(e.accepted());
    CHECK(e.counters().naks == 1);
    CHECK(e.counters().auth_refusals == 1);
    CHECK(e.counters().registrations == 0);
  }
  CHECK(net.supernode(sn).counters().packets.reg_super_nak == 2);
  // It keeps trying (as the reference does), refused each time, and sends no frames.
  net.advance(10);
  CHECK(net.edge(wrong).counters().naks > 1);
  CHECK(net.edge(wrong).counters().auth_refusals == net.edge(wrong).counters().naks);
  CHECK_FALSE(net.edge(wrong).accepted());
  const auto& c = net.edge(wrong).config();
  net.frame(wrong, ping_frame(c.mac, wire::kBroadcastMac, c.address->addr, ip4(10, 20, 30, 9)));
  CHECK(net.edge(wrong).counters().drops_of(Reason::not_registered) == 1);
  const auto* community = net.supernode(sn).communities().find(wire::make_community("net"));
  REQUIRE(community != nullptr);
  CHECK(community->edges.empty());
}

TEST_CASE("user/password edge: with a wrong -P the supernode drops the registration") {
  Network net;
  const auto sn = net.add_supernode(1, locked(user_list({{"edge-1", kPasswordA}})));
  auto config = user_edge(1, kPasswordA);
  config.federation_public_key = keys::public_key(keys::federation_private_key("OtherFed"));
  const auto a = net.add_edge(1, config);
  net.start(a);
  // The user is known but the shared secret differs: the trailer does not verify.
  CHECK(net.supernode(sn).counters().drops_of(Reason::trailer_mismatch) == 1);
  CHECK(net.edge(a).counters().registrations == 0);
  CHECK(net.edge(a).counters().naks == 0);
}

TEST_CASE("user/password edge: RE_REGISTER_SUPER at a reload brings the new key at once") {
  TwoUsers t;
  auto& a = t.net.edge(t.a);
  auto& b = t.net.edge(t.b);
  CHECK(t.ping(t.a, t.b, 0x01) == 1);
  const auto old_key = a.dynamic_key();
  t.net.advance(7);
  t.net.reload(t.sn, user_list({{"edge-1", kPasswordA}, {"edge-2", kPasswordB}}));
  const auto key_time = t.net.supernode(t.sn).key_time();
  CHECK(key_time == kEdgeStart + 7);
  for (auto* e : {&a, &b}) {
    CHECK(e->counters().re_register_requests == 1);
    CHECK(e->state() == EdgeState::registered);
    CHECK(e->dynamic_key() != old_key);
    CHECK(e->dynamic_key() == expected_dynamic_key(key_time, "*Federation"));
    CHECK(e->counters().dynamic_key_changes == 2);
    // The next regular registration is pulled forward by less than 3/4 of the interval.
    CHECK(e->next_registration() <= t.net.now + e->config().interval);
    CHECK(e->next_registration() > t.net.now + e->config().interval / 4);
  }
  CHECK(t.net.supernode(t.sn).communities().find(wire::make_community("net"))->edges.size() == 2);
  CHECK(t.ping(t.a, t.b, 0x02) == 1);
  CHECK(t.ping(t.b, t.a, 0x03) == 1);
}

TEST_CASE("user/password edge: a missed RE_REGISTER_SUPER is made good by the next registration") {
  TwoUsers t;
  auto& a = t.net.edge(t.a);
  CHECK(t.ping(t.a, t.b, 0x01) == 1);
  t.net.advance(3);  // a new key time: another key
  t.net.nodes[t.a].reachable = false;
  t.net.reload(t.sn, user_list({{"edge-1", kPasswordA}, {"edge-2", kPasswordB}}));
  t.net.nodes[t.a].reachable = true;
  CHECK(a.counters().re_register_requests == 0);
  CHECK(t.net.edge(t.b).dynamic_key() != a.dynamic_key());
  // What A sends under the old key opens neither at the supernode nor at B: dropped, counted.
  const auto dropped = [&] {
    std::uint64_t n = 0;
    for (const auto r : {Reason::he_no_key, Reason::he_checksum}) {
      n += t.net.edge(t.b).counters().drops_of(r) + t.net.supernode(t.sn).counters().drops_of(r);
    }
    return n;
  };
  const auto before = dropped();
  CHECK(t.ping(t.a, t.b, 0x02) == 0);
  CHECK(dropped() > before);
  t.net.advance(a.config().interval + 1);
  CHECK(a.dynamic_key() == t.net.edge(t.b).dynamic_key());
  CHECK(a.dynamic_key() == expected_dynamic_key(t.net.supernode(t.sn).key_time(), "*Federation"));
  CHECK(t.ping(t.a, t.b, 0x03) == 1);
}

TEST_CASE("user/password edge: bad input is dropped and counted") {
  TwoUsers t;
  auto& a = t.net.edge(t.a);
  const auto from = Network::supernode_sock(1);
  const auto static_keys = wire::HeaderKeys::from_community(wire::make_community("net"));
  const auto dynamic_keys = wire::HeaderKeys::from_dynamic_key(*a.dynamic_key());

  // A supernode's PACKET sealed with the static keys (what any non-member can do).
  wire::Packet packet;
  packet.src_mac = t.net.edge(t.b).config().mac;
  packet.dst_mac = a.config().mac;
  packet.compression = 1;
  packet.transform = 4;
  const ByteVector payload(40, 0x42);
  packet.payload = payload;
  auto h = from_supernode_header();
  h.flags = wire::kFlagFromSupernode;
  t.net.inject(t.a, sealed(h, packet, static_keys, t.net.now, 16), from);
  CHECK(a.counters().drops_of(Reason::wrong_key_kind) == 1);

  // ACKs: one with a trailer that does not verify, one without (dynamic keys).
  wire::RegisterSuperAck ack;
  ack.cookie = 1;
  ack.src_mac = {0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};
  t.net.inject(t.a, sealed(from_supernode_header(), ack, static_keys, t.net.now, 16), from);
  CHECK(a.counters().drops_of(Reason::trailer_mismatch) == 1);
  t.net.inject(t.a, sealed(from_supernode_header(), ack, dynamic_keys, t.net.now, 0), from);
  CHECK(a.counters().drops_of(Reason::static_key_required) == 1);

  // A RE_REGISTER_SUPER from a socket that is no supernode of ours.
  wire::CommonHeader re;
  re.flags = wire::kFlagFromSupernode;
  re.community = wire::make_community("net");
  t.net.inject(t.a, sealed(re, wire::ReRegisterSuper{}, dynamic_keys, t.net.now, 0),
               Network::edge_sock(9));
  CHECK(a.counters().drops_of(Reason::unknown_supernode) == 1);
  CHECK(a.counters().re_register_requests == 0);
  CHECK(a.state() == EdgeState::registered);
}

TEST_CASE("edge without user/password: RE_REGISTER_SUPER is not for it") {
  Network net;
  net.add_supernode(1, locked(user_list({})));  // header encryption needs a listed community
  auto config = static_edge(1);
  config.header_encryption = true;
  const auto a = net.add_edge(1, config);
  net.start(a);
  REQUIRE(net.edge(a).state() == EdgeState::registered);
  wire::CommonHeader re;
  re.flags = wire::kFlagFromSupernode;
  re.community = wire::make_community("net");
  net.inject(a,
             sealed(re, wire::ReRegisterSuper{},
                    wire::HeaderKeys::from_community(wire::make_community("net")), net.now, 0),
             Network::supernode_sock(1));
  CHECK(net.edge(a).counters().drops_of(Reason::not_for_edge) == 1);
  CHECK(net.edge(a).state() == EdgeState::registered);
}

TEST_SUITE_END();
