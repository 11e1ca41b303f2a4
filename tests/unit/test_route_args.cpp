#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/routes/route_args.hpp"

using namespace n2nkit::routes;

namespace {

constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

}  // namespace

TEST_CASE("route args: NET [via GATEWAY]") {
  std::string error;
  const auto full = parse_route_args({"10.10.10.0/24", "via", "10.20.30.254"}, error);
  REQUIRE(full);
  CHECK(full->net == Ipv4Net{ip(10, 10, 10, 0), 24});
  CHECK(full->gateway == ip(10, 20, 30, 254));
  const auto link = parse_route_args({"default"}, error);
  REQUIRE(link);
  CHECK(link->net == Ipv4Net{0, 0});
  CHECK_FALSE(link->gateway);

  const std::vector<std::pair<std::vector<std::string>, const char*>> bad{
      {{}, "expected NET"},
      {{"10.10.10.0/24", "via"}, "expected NET"},
      {{"10.10.10.0/24", "via", "10.20.30.254", "dev"}, "expected NET"},
      {{"10.10.10.0/24", "through", "10.20.30.254"}, "expected 'via'"},
      {{"10.10.10.0/24", "via", "10.20.30"}, "not an IPv4 gateway"},
      {{"10.10.10.0/24", "via", "0.0.0.0"}, "not an IPv4 gateway"},
      {{"10.10.10.5/24", "via", "10.20.30.254"}, "host bits"},
      {{"n2n0"}, "not an IPv4 network"},
  };
  for (const auto& [words, expected] : bad) {
    error.clear();
    CHECK_FALSE(parse_route_args(words, error));
    CHECK_MESSAGE(error.find(expected) != std::string::npos, error);
    CHECK(error.find('\n') == std::string::npos);
  }
}

TEST_CASE("route args: the reference form's -n, with and without a gateway") {
  std::string error;
  const auto own = parse_reference_net("10.10.10.0/24", ip(10, 20, 30, 254), error);
  REQUIRE(own);
  CHECK(*own == OverlayRoute{ip(10, 10, 10, 0), 24, ip(10, 20, 30, 254)});
  const auto other = parse_reference_net("10.11.0.0/16:10.20.30.253", ip(10, 20, 30, 254), error);
  REQUIRE(other);
  CHECK(other->gateway == ip(10, 20, 30, 253));
  CHECK_FALSE(parse_reference_net("10.0.0.0/40", ip(10, 20, 30, 254), error));
  CHECK(error.rfind("-n ", 0) == 0);
  CHECK_FALSE(parse_reference_net("10.0.0.0", ip(10, 20, 30, 254), error));
}

TEST_CASE("route args: each option belongs to its commands") {
  using C = RouteCommand;
  CHECK_FALSE(misplaced_option(C::add, {}));
  CHECK_FALSE(misplaced_option(C::add, {.metric = true}));
  CHECK_FALSE(misplaced_option(C::del, {.metric = true}));
  CHECK(misplaced_option(C::list, {.metric = true}) == "--metric is only for add and del");
  CHECK_FALSE(misplaced_option(C::gateway_enable, {.lan = true, .snat = true, .firewall = true}));
  CHECK(misplaced_option(C::gateway_disable, {.lan = true}) == "--lan is only for gateway enable");
  CHECK_FALSE(misplaced_option(C::gateway_disable, {.firewall = true}));
  CHECK(misplaced_option(C::add, {.masquerade = true}) ==
        "--masquerade is only for gateway enable");
  CHECK_FALSE(misplaced_option(C::supernode_route, {.supernode = true, .mgmt = true}));
  CHECK_FALSE(misplaced_option(C::list, {.supernode = true, .mgmt = true}));
  CHECK(misplaced_option(C::undo, {.supernode = true}) ==
        "--supernode is only for supernode-route and list");
  CHECK(misplaced_option(C::add, {.mgmt = true}) ==
        "-t and -p are only for supernode-route, list and the reference form");
  CHECK_FALSE(misplaced_option(C::follow, {.mgmt = true, .reference = true}));
  CHECK(misplaced_option(C::list, {.reference = true})->find("reference form") !=
        std::string::npos);
}
