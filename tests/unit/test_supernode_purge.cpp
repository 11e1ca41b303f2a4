// Supernode engine: the purge timer and next_deadline (spec §11.7, §12.2).
#include <doctest/doctest.h>

#include "tests/unit/supernode_harness.hpp"

using namespace n2nkit;
using namespace n2nkit::testing;

TEST_SUITE_BEGIN("supernode");

TEST_CASE("supernode engine: the purge runs every 30 s and removes silent edges") {
  SupernodeHarness sn;
  // The federation round is due at once, the first purge after 30 s.
  CHECK(sn.engine.next_deadline().sec == kStart);
  CHECK(sn.engine.next_purge().sec == kStart + 30);
  const auto a = scripted_edge(1);
  const auto b = scripted_edge(2);
  sn.register_edge(a);
  sn.register_edge(b);
  const auto lone = scripted_edge(3, "lonely");
  sn.register_edge(lone);

  // B keeps registering every 20 s, A and the lonely edge fall silent.
  for (int i = 0; i < 4; ++i) {
    sn.advance(20);
    sn.register_edge(b);
  }  // now +80: sweeps at +30 and +60 kept A (59 s old at most)
  CHECK(sn.edge("net", a.mac) != nullptr);
  CHECK(sn.engine.next_purge().sec == kStart + 90);
  CHECK(sn.engine.next_deadline().sec == kStart + 90);
  sn.advance(10);  // +90: A is 90 s old
  CHECK(sn.edge("net", a.mac) == nullptr);
  CHECK(sn.edge("net", b.mac) != nullptr);
  CHECK(sn.engine.communities().find(wire::make_community("lonely")) == nullptr);
  CHECK(sn.engine.communities().find(wire::make_community("net")) != nullptr);
  CHECK(sn.engine.next_purge().sec == kStart + 120);
  CHECK(sn.engine.next_deadline().sec == kStart + 100);  // the federation round

  sn.advance(100);
  CHECK(sn.engine.communities().size() == 0);
}

TEST_CASE("supernode engine: on_tick before the deadline does nothing") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  sn.engine.on_tick({kStart + 1000 - 1, 0}, sn.out);  // late first tick: one sweep
  CHECK(sn.edge("net", a.mac) == nullptr);
  CHECK(sn.engine.next_purge().sec == kStart + 1029);
  CHECK(sn.engine.next_federation_round().sec == kStart + 1009);
  sn.now = kStart + 1000;
  sn.register_edge(a);
  sn.engine.on_tick({kStart + 1028, 0}, sn.out);
  CHECK(sn.edge("net", a.mac) != nullptr);
  CHECK(sn.engine.next_purge().sec == kStart + 1029);
}

TEST_CASE("supernode engine: a TTL or he_no_key drop does not refresh an edge") {
  SupernodeHarness sn;
  const auto a = scripted_edge(1);
  sn.register_edge(a);
  sn.advance(50);
  auto stale = a.register_super();
  stale[1] = 0;  // TTL 0
  CHECK(sn.from_edge(a, stale).empty());
  sn.advance(40);
  CHECK(sn.edge("net", a.mac) == nullptr);
}

TEST_SUITE_END();
