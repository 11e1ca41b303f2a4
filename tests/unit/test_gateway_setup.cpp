#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/firewall/rule_plan.hpp"
#include "core/routes/gateway_setup.hpp"

using namespace n2nkit;
using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}
constexpr int kLan = 3;
constexpr int kTap = 7;

std::vector<KernelRoute> gateway_table() {
  return {
      {{ip(10, 10, 10, 0), 24, 0, kLan, 0}, 2, 253, ip(10, 10, 10, 1)},
      {{ip(10, 20, 30, 0), 24, 0, kTap, 0}, 2, 253, ip(10, 20, 30, 254)},
      // An -n route on the TAP is not its subnet.
      {{ip(10, 99, 0, 0), 16, ip(10, 20, 30, 1), kTap, 0}, 4, 0, 0},
  };
}

}  // namespace

TEST_CASE("gateway setup: the overlay subnet is the TAP's own, NAT as asked") {
  const auto t = gateway_table();
  CHECK(device_subnet(t, kTap) == Ipv4Net{ip(10, 20, 30, 0), 24});
  CHECK_FALSE(device_subnet(t, 99));
  std::string error;
  const auto m = gateway_request({"n2n0", kTap, "lan0", "", true}, t, error);
  REQUIRE(m);
  CHECK(m->overlay_subnet == "10.20.30.0/24");
  CHECK(m->masquerade);
  const auto s = gateway_request({"n2n0", kTap, "lan0", "10.10.10.1", false}, t, error);
  REQUIRE(s);
  CHECK_FALSE(s->masquerade);
  CHECK(s->snat_address == "10.10.10.1");
  // The plan core/firewall makes of it: the seed's three rules, marked as the gateway's.
  const auto plan = firewall::plan_gateway(*m, error);
  REQUIRE(plan);
  CHECK(plan->nft_table == "n2nkit_gateway");
  CHECK(plan->nft_apply_script.find("ip saddr 10.20.30.0/24 masquerade") != std::string::npos);
  CHECK(plan->nft_apply_script.find("established,related accept") != std::string::npos);
}

TEST_CASE("gateway setup: bad requests are one line each") {
  const auto t = gateway_table();
  std::string error;
  CHECK_FALSE(gateway_request({"n2n0", kTap, "lan0", "", false}, t, error));
  CHECK(error.find("exactly one") != std::string::npos);
  CHECK_FALSE(gateway_request({"n2n0", kTap, "lan0", "10.10.10.1", true}, t, error));
  CHECK_FALSE(gateway_request({"n2n0", kTap, "lan0", "10.10.10.300", false}, t, error));
  CHECK(error.find("10.10.10.300") != std::string::npos);
  CHECK_FALSE(gateway_request({"n2n0", kTap, "", "", true}, t, error));
  CHECK(error.find("--lan") != std::string::npos);
  CHECK_FALSE(gateway_request({"n2n0", 99, "lan0", "", true}, t, error));
  CHECK(error.find("no IPv4 address") != std::string::npos);
}

TEST_CASE("gateway setup: auto goes to iptables where its FORWARD chain drops, else nft") {
  firewall::FirewallState open;
  std::string why;
  CHECK(choose_backend("auto", open, why) == "nft");
  firewall::FirewallState docker;
  firewall::ChainPolicy p;
  p.place.source = firewall::Source::iptables_nft;
  p.place.table = "filter";
  p.place.chain = "FORWARD";
  p.drops = true;
  docker.forward_policies.push_back(p);
  CHECK(choose_backend("auto", docker, why) == "iptables-nft");
  CHECK(why.find("drops") != std::string::npos);
  docker.forward_policies[0].place.source = firewall::Source::iptables_legacy;
  CHECK(choose_backend("auto", docker, why) == "iptables-legacy");
  CHECK(choose_backend("iptables", docker, why) == "iptables");
}
