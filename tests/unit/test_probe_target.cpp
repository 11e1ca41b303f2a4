#include <doctest/doctest.h>

#include "core/mtu/probe_target.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;

TEST_CASE("probe target: host:port forms") {
  std::string e;
  auto hp = parse_host_port("198.51.100.1:7654", e);
  REQUIRE(hp);
  CHECK(hp->host == "198.51.100.1");
  CHECK(hp->port == 7654);
  hp = parse_host_port("sn.example.org:1", e);
  REQUIRE(hp);
  CHECK(hp->host == "sn.example.org");
  hp = parse_host_port("[2001:db8::1]:65535", e);
  REQUIRE(hp);
  CHECK(hp->host == "2001:db8::1");
  CHECK(hp->port == 65535);
}

TEST_CASE("probe target: malformed host:port names the problem") {
  std::string e;
  CHECK_FALSE(parse_host_port("198.51.100.1", e));
  CHECK(e.find("no port") != std::string::npos);
  CHECK_FALSE(parse_host_port(":7654", e));
  CHECK(e.find("no host") != std::string::npos);
  CHECK_FALSE(parse_host_port("h:0", e));
  CHECK_FALSE(parse_host_port("h:65536", e));
  CHECK_FALSE(parse_host_port("h:12x", e));
  CHECK(e.find("1..65535") != std::string::npos);
  CHECK_FALSE(parse_host_port("2001:db8::1:7654", e));
  CHECK(e.find("brackets") != std::string::npos);
  CHECK_FALSE(parse_host_port("[2001:db8::1]7654", e));
  CHECK_FALSE(parse_host_port("[2001:db8::1", e));
  CHECK_FALSE(parse_host_port("", e));
}

TEST_CASE("probe target: -A and -z values as the edge reads them") {
  CHECK(transform_option("") == crypto::TransformId::aes);
  CHECK(transform_option("1") == crypto::TransformId::null);
  CHECK(transform_option("5") == crypto::TransformId::speck);
  CHECK_FALSE(transform_option("0"));
  CHECK_FALSE(transform_option("6"));
  CHECK_FALSE(transform_option("x"));
  bool z = false;
  CHECK(compression_option("", z));
  CHECK(z);
  CHECK(compression_option("0", z));
  CHECK_FALSE(z);
  CHECK(compression_option("2", z));
  CHECK(z);
  CHECK_FALSE(compression_option("3", z));
}

TEST_CASE("probe target: search bounds") {
  CHECK(check_search_bounds(1200, 1500, 66).empty());
  CHECK(check_search_bounds(66, 66, 66).empty());
  CHECK_FALSE(check_search_bounds(65, 1500, 66).empty());
  CHECK_FALSE(check_search_bounds(1500, 1200, 66).empty());
  CHECK_FALSE(check_search_bounds(1200, 70000, 66).empty());
}
