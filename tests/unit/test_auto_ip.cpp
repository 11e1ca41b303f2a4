// Supernode auto-IP (spec §11.8, §14.3): the shared capture auto-ip.pcap, the default pool, the
// collision searches, exhaustion and the -a option.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/supernode/auto_ip.hpp"
#include "core/wire/pearson.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;
using wire::IpSubnet;

TEST_SUITE_BEGIN("supernode");

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

AutoIpPool pool_of(std::string_view text) {
  std::string error;
  auto pool = parse_auto_ip_pool(text, error);
  INFO(error);
  REQUIRE(pool);
  return *pool;
}

std::string parse_error(std::string_view text) {
  std::string error;
  const auto pool = parse_auto_ip_pool(text, error);
  CHECK_FALSE(pool);
  CHECK(pool.error() == Reason::bad_field);
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.rfind("-a ", 0) == 0);
  return error;
}

}  // namespace

TEST_CASE("auto-ip.pcap: supernode -a 10.20.30.0-10.20.30.0/24, community.list without subnet") {
  // index.json: `supernode ... -c community.list -a 10.20.30.0-10.20.30.0/24`, community_file
  // "n2nkit-testvector\n": the subnet is the pool's only one, not a fixed one.
  const AutoIpPool pool = pool_of("10.20.30.0-10.20.30.0/24");
  CHECK(pool_subnet_count(pool) == 1);
  const IpSubnet subnet = choose_community_subnet(pool, wire::make_community("n2nkit-testvector"),
                                                  std::span<const IpSubnet>{});
  CHECK(subnet == IpSubnet{ip(10, 20, 30, 0), 24});

  const auto desc_a = wire::make_description("edge-a");
  const auto desc_b = wire::make_description("edge-b");
  CHECK(wire::pearson32(desc_a) == 0xe600de63u);
  CHECK(wire::pearson32(desc_b) == 0x2bc3c478u);

  std::vector<std::uint32_t> taken;
  const auto a = choose_edge_address(subnet, desc_a, taken);
  REQUIRE(a);
  CHECK(*a == IpSubnet{ip(10, 20, 30, 99), 24});
  taken.push_back(a->addr);
  const auto b = choose_edge_address(subnet, desc_b, taken);
  REQUIRE(b);
  CHECK(*b == IpSubnet{ip(10, 20, 30, 120), 24});
  CHECK(wire::subnet_to_string(*b) == "10.20.30.120/24");
}

TEST_CASE("default pool: community subnets by the spec's formula") {
  CHECK(pool_subnet_count(kDefaultAutoIpPool) == 32768);
  CHECK(format_auto_ip_pool(kDefaultAutoIpPool) == "10.128.0.0-10.255.255.0/24");
  CHECK(pool_of("10.128.0.0-10.255.255.0/24") == kDefaultAutoIpPool);

  struct Case {
    const char* name;
    std::uint32_t hash;
    std::uint32_t subnet;  // computed outside n2nkit from the spec's §5 and §11.8
  };
  const Case cases[] = {
      {"n2nkit-testvector", 0xf0791f06u, ip(10, 159, 6, 0)},
      {"office", 0xc6e5783fu, ip(10, 248, 63, 0)},
      {"home", 0x8d6add9du, ip(10, 221, 157, 0)},
      {"a", 0x986288f2u, ip(10, 136, 242, 0)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto community = wire::make_community(c.name);
    CHECK(wire::pearson32(community) == c.hash);
    const std::uint32_t by_formula = 0x0A800000u + ((c.hash % 32768u) << 8);
    CHECK(by_formula == c.subnet);
    CHECK(proposed_community_subnet(kDefaultAutoIpPool, community) == IpSubnet{c.subnet, 24});
    CHECK(choose_community_subnet(kDefaultAutoIpPool, community, std::span<const IpSubnet>{}) ==
          IpSubnet{c.subnet, 24});
  }
}

TEST_CASE("community subnet: search down, then up, skipping overlaps; exhaustion gives 0/0") {
  const auto office = wire::make_community("office");       // hash 0xc6e5783f
  const AutoIpPool pool = pool_of("10.0.0.0-10.0.7.0/24");  // N = 8
  const std::uint32_t proposal = 0xc6e5783fu % 8;           // 7
  REQUIRE(proposal == 7);
  CHECK(proposed_community_subnet(pool, office) == IpSubnet{ip(10, 0, 7, 0), 24});

  // The proposal is taken: the next one below.
  std::vector<IpSubnet> others{{ip(10, 0, 7, 0), 24}};
  CHECK(choose_community_subnet(pool, office, others) == IpSubnet{ip(10, 0, 6, 0), 24});

  // A fixed subnet from community.list that covers several pool subnets is avoided too, and a
  // community without a subnet (0/0) takes nothing.
  others = {{ip(10, 0, 7, 0), 24}, {ip(10, 0, 4, 0), 22}, {0, 0}};
  CHECK(choose_community_subnet(pool, office, others) == IpSubnet{ip(10, 0, 3, 0), 24});

  // Everything from the proposal down is taken: search upward from proposal + 1.
  const AutoIpPool wide = pool_of("10.0.0.0-10.0.15.0/24");  // N = 16, proposal 0xc6e5783f % 16
  const std::uint32_t p16 = 0xc6e5783fu % 16;                // 15: nothing above
  REQUIRE(p16 == 15);
  const auto lab = wire::make_community("lab");  // 0x1b3e7b9d % 16 = 13
  REQUIRE(0x1b3e7b9du % 16 == 13);
  others = {{ip(10, 0, 0, 0), 21},
            {ip(10, 0, 8, 0), 22},
            {ip(10, 0, 12, 0), 23},
            {ip(10, 0, 13, 0), 24}};  // 10.0.0.0 ... 10.0.13.255
  CHECK(choose_community_subnet(wide, lab, others) == IpSubnet{ip(10, 0, 14, 0), 24});

  // The callable form sees the candidates in search order: 13, 12, ..., 0, 14, 15.
  std::vector<std::uint32_t> seen;
  const IpSubnet none = choose_community_subnet(wide, lab, [&](const IpSubnet& candidate) {
    seen.push_back((candidate.addr >> 8) & 0xFFu);
    return true;
  });
  CHECK(none == IpSubnet{0, 0});
  const std::vector<std::uint32_t> order{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 14, 15};
  CHECK(seen == order);

  // Pool exhausted.
  others = {{ip(10, 0, 0, 0), 8}};
  CHECK(choose_community_subnet(pool, office, others) == IpSubnet{0, 0});
}

TEST_CASE("edge address: collisions, 0 and all-ones host parts") {
  const IpSubnet subnet{ip(10, 20, 30, 0), 24};
  // host-99 hashes to the same host part (0x63) as edge-a.
  const auto edge_a = wire::make_description("edge-a");
  const auto host_99 = wire::make_description("host-99");
  REQUIRE((wire::pearson32(host_99) & 0xFFu) == 0x63u);
  CHECK(proposed_edge_address(subnet, edge_a) == proposed_edge_address(subnet, host_99));

  std::vector<std::uint32_t> taken;
  const auto first = choose_edge_address(subnet, edge_a, taken);
  REQUIRE(first);
  taken.push_back(first->addr);
  const auto second = choose_edge_address(subnet, host_99, taken);
  REQUIRE(second);
  CHECK(first->addr == ip(10, 20, 30, 99));
  CHECK(second->addr == ip(10, 20, 30, 98));

  // Host part 0 becomes 1, all ones becomes all ones - 1.
  const auto zero = wire::make_description("host-226");
  const auto ones = wire::make_description("host-305");
  REQUIRE((wire::pearson32(zero) & 0xFFu) == 0u);
  REQUIRE((wire::pearson32(ones) & 0xFFu) == 0xFFu);
  CHECK(proposed_edge_address(subnet, zero) == ip(10, 20, 30, 1));
  CHECK(proposed_edge_address(subnet, ones) == ip(10, 20, 30, 254));

  // .1 taken and nothing below it: search upward.
  const auto one = wire::make_description("host-97");
  REQUIRE((wire::pearson32(one) & 0xFFu) == 1u);
  const std::vector<std::uint32_t> low{ip(10, 20, 30, 1)};
  CHECK(choose_edge_address(subnet, one, low) == IpSubnet{ip(10, 20, 30, 2), 24});

  // .254 and everything below taken: nothing above (.255 is the broadcast).
  const auto full =
      choose_edge_address(subnet, ones, [](std::uint32_t a) { return a <= ip(10, 20, 30, 254); });
  CHECK_FALSE(full);

  // The network part of `subnet` need not be clean: the prefix decides.
  CHECK(proposed_edge_address({ip(10, 20, 30, 77), 24}, edge_a) == ip(10, 20, 30, 99));
  // No host range.
  CHECK_FALSE(proposed_edge_address({0, 0}, edge_a));
  CHECK_FALSE(proposed_edge_address({ip(10, 0, 0, 0), 31}, edge_a));
}

TEST_CASE("edge address: a /30 has two hosts") {
  const IpSubnet subnet{ip(192, 168, 7, 4), 30};
  const auto edge_a = wire::make_description("edge-a");  // host part 3 -> 2
  const auto edge_b = wire::make_description("edge-b");  // host part 0 -> 1
  const auto x = wire::make_description("x");
  std::vector<std::uint32_t> taken;
  const auto a = choose_edge_address(subnet, edge_a, taken);
  REQUIRE(a);
  CHECK(*a == IpSubnet{ip(192, 168, 7, 6), 30});
  taken.push_back(a->addr);
  const auto b = choose_edge_address(subnet, edge_b, taken);
  REQUIRE(b);
  CHECK(*b == IpSubnet{ip(192, 168, 7, 5), 30});
  taken.push_back(b->addr);
  CHECK_FALSE(choose_edge_address(subnet, x, taken));
  CHECK_FALSE(choose_edge_address(subnet, edge_a, taken));
}

TEST_CASE("-a option: good and bad values") {
  CHECK(pool_of("192.168.0.0-192.168.255.0/24") ==
        AutoIpPool{ip(192, 168, 0, 0), ip(192, 168, 255, 0), 24});
  CHECK(pool_of("10.0.0.0-10.0.0.0/30") == AutoIpPool{ip(10, 0, 0, 0), ip(10, 0, 0, 0), 30});
  CHECK(pool_of("128.0.0.0-128.0.0.0/1") == AutoIpPool{ip(128, 0, 0, 0), ip(128, 0, 0, 0), 1});
  CHECK(pool_subnet_count(pool_of("10.0.0.0-10.0.0.12/30")) == 4);

  CHECK(parse_error("10.0.0.1-10.0.1.0/24").find("host bits") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.1/24").find("10.0.1.1") != std::string::npos);
  CHECK(parse_error("10.0.1.0-10.0.0.0/24").find("above") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0/0").find("1 to 30") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0/31").find("1 to 30") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0/24x").find("1 to 30") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0/").find("1 to 30") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0/-24").find("1 to 30") != std::string::npos);
  CHECK(parse_error("10.0.0.0/24").find("<min>-<max>/<n>") != std::string::npos);
  CHECK(parse_error("10.0.0.0-10.0.1.0").find("<min>-<max>/<n>") != std::string::npos);
  CHECK(parse_error("").find("<min>-<max>/<n>") != std::string::npos);
  CHECK(parse_error("256.0.0.0-256.0.1.0/24").find("not an IPv4 address") != std::string::npos);
  CHECK(parse_error("10.0.0-10.0.1.0/24").find("not an IPv4 address") != std::string::npos);
  CHECK(parse_error("10.0.0.0.0-10.0.1.0/24").find("not an IPv4 address") != std::string::npos);
  CHECK(parse_error("010.0.0.0-10.0.1.0/24").find("not an IPv4 address") != std::string::npos);
  CHECK(parse_error(" 10.0.0.0-10.0.1.0/24").find("not an IPv4 address") != std::string::npos);
  CHECK(parse_error("0.0.0.0-10.0.0.0/8").find("cannot be a pool network") != std::string::npos);
  CHECK(parse_error("10.0.0.0\n-10.0.1.0/24").find("10.0.0.0\\x0a") != std::string::npos);
  CHECK(parse_error("10.0.0.0-255.255.255.255/30").find("cannot be") != std::string::npos);
}

TEST_CASE("subnet overlap") {
  CHECK(subnets_overlap({ip(10, 0, 0, 0), 8}, {ip(10, 1, 2, 0), 24}));
  CHECK(subnets_overlap({ip(10, 1, 2, 0), 24}, {ip(10, 0, 0, 0), 8}));
  CHECK_FALSE(subnets_overlap({ip(10, 1, 2, 0), 24}, {ip(10, 1, 3, 0), 24}));
  CHECK(subnets_overlap({ip(10, 1, 2, 0), 24}, {ip(10, 1, 2, 128), 25}));
  CHECK(prefix_netmask(0) == 0);
  CHECK(prefix_netmask(24) == 0xFFFFFF00u);
  CHECK(prefix_netmask(32) == 0xFFFFFFFFu);
}

TEST_SUITE_END();
