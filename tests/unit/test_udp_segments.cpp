// Grouping of outgoing datagrams for UDP_SEGMENT (core/net/udp_segments).
#include <doctest/doctest.h>

#include "core/net/udp_segments.hpp"

using namespace n2nkit;
using net::SegmentGroup;
using net::UdpDatagram;

namespace {

const wire::Sock kA = wire::Sock::ipv4(0xc6336401, 50001);
const wire::Sock kB = wire::Sock::ipv4(0xc6336402, 50002);

struct Fixture {
  std::vector<std::pair<wire::Sock, ByteVector>> sent;
  std::vector<UdpDatagram> datagrams;
  void add(const wire::Sock& to, std::size_t size) {
    sent.emplace_back(to, ByteVector(size, std::uint8_t{0x42}));
  }
  std::vector<SegmentGroup> plan(std::size_t max_segments = net::kMaxSegments,
                                 std::size_t max_bytes = net::kMaxSegmentedBytes) {
    datagrams.clear();
    for (const auto& [to, bytes] : sent) datagrams.push_back({to, bytes});
    std::vector<SegmentGroup> out{{99, 99, 99}};  // cleared first
    net::plan_segment_groups(datagrams, out, max_segments, max_bytes);
    return out;
  }
};

bool operator==(const SegmentGroup& a, const SegmentGroup& b) {
  return a.first == b.first && a.count == b.count && a.segment == b.segment;
}

}  // namespace

TEST_CASE("udp segments: a run of equal datagrams to one destination is one group") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.add(kA, 1438);
  f.add(kA, 100);  // a shorter last one joins and ends the run
  f.add(kA, 1438);
  const auto groups = f.plan();
  REQUIRE(groups.size() == 2);
  CHECK(groups[0] == SegmentGroup{0, 6, 1438});
  CHECK(groups[1] == SegmentGroup{6, 1, 0});
}

TEST_CASE("udp segments: destination changes, larger datagrams and empty ones split groups") {
  Fixture f;
  f.add(kA, 500);
  f.add(kB, 500);
  f.add(kB, 500);
  f.add(kB, 900);  // larger than the run's size
  f.add(kA, 0);
  f.add(kA, 0);
  const auto groups = f.plan();
  REQUIRE(groups.size() == 5);
  CHECK(groups[0] == SegmentGroup{0, 1, 0});
  CHECK(groups[1] == SegmentGroup{1, 2, 500});
  CHECK(groups[2] == SegmentGroup{3, 1, 0});
  CHECK(groups[3] == SegmentGroup{4, 1, 0});
  CHECK(groups[4] == SegmentGroup{5, 1, 0});
  CHECK(Fixture{}.plan().empty());
}

TEST_CASE("udp segments: the kernel's segment and byte limits are kept") {
  Fixture f;
  for (int i = 0; i < 100; ++i) f.add(kA, 1438);
  auto groups = f.plan();
  // 65507 / 1438 = 45 datagrams per message.
  REQUIRE(groups.size() == 3);
  CHECK(groups[0] == SegmentGroup{0, 45, 1438});
  CHECK(groups[1] == SegmentGroup{45, 45, 1438});
  CHECK(groups[2] == SegmentGroup{90, 10, 1438});
  Fixture small;
  for (int i = 0; i < 130; ++i) small.add(kB, 20);
  groups = small.plan();
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].count == 64);
  CHECK(groups[1].count == 64);
  CHECK(groups[2] == SegmentGroup{128, 2, 20});
  std::size_t covered = 0;
  for (const auto& g : small.plan(3, 1000)) {
    CHECK(g.count <= 3);
    CHECK(g.first == covered);
    covered += g.count;
  }
  CHECK(covered == 130);
}
