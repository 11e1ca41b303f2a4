// Supernode edge table: the address index behind find_by_address() and address_taken().
#include <doctest/doctest.h>

#include <cstdint>
#include <set>

#include "core/supernode/edge_table.hpp"

using namespace n2nkit;
using supernode::EdgeRecord;
using supernode::EdgeTable;

TEST_SUITE_BEGIN("supernode");

namespace {

constexpr std::uint32_t kA = 0x0a141e01;  // 10.20.30.1
constexpr std::uint32_t kB = 0x0a141e02;
constexpr std::uint32_t kC = 0x0a141e03;

EdgeRecord edge(std::uint8_t n, std::uint32_t address, std::uint64_t last_seen = 100) {
  EdgeRecord r;
  r.mac = {0x02, 0x20, 0x30, 0x00, 0x00, n};
  r.dev_addr = {address, 24};
  r.last_seen = last_seen;
  return r;
}

std::set<std::uint8_t> owners_seen(EdgeTable& table, std::uint32_t address) {
  std::set<std::uint8_t> seen;
  if (const auto* e = table.find_by_address(address)) seen.insert(e->mac[5]);
  return seen;
}

}  // namespace

TEST_CASE("edge table: find_by_address and address_taken follow put") {
  EdgeTable t;
  CHECK_FALSE(t.address_taken(kA));
  CHECK(t.find_by_address(kA) == nullptr);
  t.put(edge(1, kA));
  t.put(edge(2, kB));
  CHECK(t.address_taken(kA));
  CHECK(t.address_taken(kB));
  CHECK_FALSE(t.address_taken(kC));
  REQUIRE(t.find_by_address(kA) != nullptr);
  CHECK(t.find_by_address(kA)->mac == edge(1, kA).mac);
  REQUIRE(t.find_by_address(kB) != nullptr);
  CHECK(t.find_by_address(kB)->mac == edge(2, kB).mac);
  CHECK(t.find_by_address(kC) == nullptr);
  // The prefix plays no part: the address alone identifies the edge.
  auto other_prefix = edge(3, kC);
  other_prefix.dev_addr.prefix = 16;
  t.put(other_prefix);
  CHECK(t.address_taken(kC));
}

TEST_CASE("edge table: address 0 is never indexed nor matched") {
  EdgeTable t;
  t.put(edge(1, 0));
  t.put(edge(2, 0));
  t.put(edge(3, kA));
  CHECK(t.find_by_address(0) == nullptr);
  CHECK_FALSE(t.address_taken(0));
  CHECK(t.size() == 3);
  CHECK(t.erase(edge(1, 0).mac));
  CHECK(t.address_taken(kA));
  CHECK_FALSE(t.address_taken(0));
}

TEST_CASE("edge table: two edges with one address; the address stays taken until both leave") {
  EdgeTable t;
  t.put(edge(1, kA));
  t.put(edge(2, kA));
  CHECK(t.address_taken(kA));
  const auto* any = t.find_by_address(kA);
  REQUIRE(any != nullptr);
  CHECK((any->mac[5] == 1 || any->mac[5] == 2));

  CHECK(t.erase(edge(1, kA).mac));
  CHECK(t.address_taken(kA));
  REQUIRE(t.find_by_address(kA) != nullptr);
  CHECK(t.find_by_address(kA)->mac[5] == 2);

  CHECK(t.erase(edge(2, kA).mac));
  CHECK_FALSE(t.address_taken(kA));
  CHECK(t.find_by_address(kA) == nullptr);
  CHECK_FALSE(t.erase(edge(2, kA).mac));
}

TEST_CASE("edge table: the remaining duplicate is found whichever one leaves first") {
  for (const int leaving : {1, 2, 3}) {
    CAPTURE(leaving);
    EdgeTable t;
    for (std::uint8_t n = 1; n <= 3; ++n) t.put(edge(n, kA));
    t.put(edge(4, kB));
    CHECK(t.erase(edge(static_cast<std::uint8_t>(leaving), kA).mac));
    const auto* found = t.find_by_address(kA);
    REQUIRE(found != nullptr);
    CHECK(found->mac[5] != leaving);
    CHECK(found->dev_addr.addr == kA);
    CHECK(owners_seen(t, kB) == std::set<std::uint8_t>{4});
  }
}

TEST_CASE("edge table: replacing a record moves it to its new address") {
  EdgeTable t;
  t.put(edge(1, kA));
  t.put(edge(2, kA));
  auto moved = edge(1, kB);
  moved.cookie = 7;
  const auto& stored = t.put(moved);
  CHECK(stored.cookie == 7);
  CHECK(t.size() == 2);
  CHECK(t.address_taken(kB));
  REQUIRE(t.find_by_address(kB) != nullptr);
  CHECK(t.find_by_address(kB)->mac[5] == 1);
  // A is still announced by edge 2, and only by it.
  REQUIRE(t.find_by_address(kA) != nullptr);
  CHECK(t.find_by_address(kA)->mac[5] == 2);
  t.erase(edge(2, kA).mac);
  CHECK_FALSE(t.address_taken(kA));

  // To 0 and back: no entry while at 0.
  t.put(edge(1, 0));
  CHECK_FALSE(t.address_taken(kB));
  CHECK(t.find_by_address(kB) == nullptr);
  t.put(edge(1, kC));
  CHECK(t.address_taken(kC));
  // Re-putting the same record (a re-registration) leaves one entry, not two.
  t.put(edge(1, kC));
  t.put(*t.find(edge(1, kC).mac));
  CHECK(t.erase(edge(1, kC).mac));
  CHECK_FALSE(t.address_taken(kC));
  CHECK(t.empty());
}

TEST_CASE("edge table: a record whose address was changed in place is repaired by put") {
  EdgeTable t;
  t.put(edge(1, kA));
  // Against the interface's rule, but it must not leave kA taken forever.
  auto* record = t.find(edge(1, kA).mac);
  REQUIRE(record != nullptr);
  record->dev_addr.addr = kB;
  CHECK(t.find_by_address(kA) == nullptr);  // not returned under an address it no longer has
  t.put(*record);
  CHECK_FALSE(t.address_taken(kA));
  CHECK(t.address_taken(kB));
  REQUIRE(t.find_by_address(kB) != nullptr);
  CHECK(t.find_by_address(kB)->mac[5] == 1);
}

TEST_CASE("edge table: erase_if removes index entries of exactly the removed edges") {
  EdgeTable t;
  t.put(edge(1, kA));
  t.put(edge(2, kA));
  t.put(edge(3, kB));
  t.put(edge(4, kC));
  t.put(edge(5, 0));
  const auto removed = t.erase_if([](const EdgeRecord& e) { return e.mac[5] % 2 == 1; });
  CHECK(removed == 3);
  CHECK(t.size() == 2);
  REQUIRE(t.find_by_address(kA) != nullptr);
  CHECK(t.find_by_address(kA)->mac[5] == 2);
  CHECK_FALSE(t.address_taken(kB));
  CHECK(t.address_taken(kC));
  CHECK(t.erase_if([](const EdgeRecord&) { return false; }) == 0);
  CHECK(t.erase_if([](const EdgeRecord&) { return true; }) == 2);
  CHECK_FALSE(t.address_taken(kA));
  CHECK_FALSE(t.address_taken(kC));
}

TEST_CASE("edge table: purge_older_than removes the stale edges from the index") {
  EdgeTable t;
  t.put(edge(1, kA, 100));  // stale at 200 with max_age 60
  t.put(edge(2, kA, 150));  // fresh
  t.put(edge(3, kB, 139));  // stale: 61 s
  t.put(edge(4, kC, 140));  // kept: exactly 60 s
  std::set<std::uint8_t> told;
  const auto removed =
      t.purge_older_than(200, 60, [&](const EdgeRecord& e) { told.insert(e.mac[5]); });
  CHECK(removed == 2);
  CHECK(told == std::set<std::uint8_t>{1, 3});
  REQUIRE(t.find_by_address(kA) != nullptr);
  CHECK(t.find_by_address(kA)->mac[5] == 2);
  CHECK_FALSE(t.address_taken(kB));
  CHECK(t.address_taken(kC));
  CHECK(t.purge_older_than(1000, 60) == 2);
  CHECK(t.empty());
  CHECK_FALSE(t.address_taken(kA));
  CHECK_FALSE(t.address_taken(kC));
}

TEST_CASE("edge table: the index agrees with a scan after a random sequence of changes") {
  EdgeTable t;
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 16;
  };
  for (int step = 0; step < 5000; ++step) {
    const auto n = static_cast<std::uint8_t>(next() % 40);
    // Few addresses, so duplicates are common; 0 now and then.
    const std::uint32_t address = next() % 8 == 0 ? 0 : kA + next() % 12;
    switch (next() % 4) {
      case 0:
      case 1:
        t.put(edge(n, address, next() % 300));
        break;
      case 2:
        t.erase(edge(n, 0).mac);
        break;
      default:
        if (step % 50 == 0) t.purge_older_than(250, 60);
        break;
    }
    for (std::uint32_t a = 0; a < 13; ++a) {
      const std::uint32_t probe = a == 12 ? 0 : kA + a;
      bool scanned = false;
      for (const auto& [mac, e] : t) scanned = scanned || (probe != 0 && e.dev_addr.addr == probe);
      REQUIRE(t.address_taken(probe) == scanned);
      const auto* found = t.find_by_address(probe);
      REQUIRE((found != nullptr) == scanned);
      if (found != nullptr) REQUIRE(found->dev_addr.addr == probe);
    }
  }
}

TEST_SUITE_END();
