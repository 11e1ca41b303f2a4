// keys::analyse_mac (core/keys/mac_analysis): the bits, the ranges n2n treats specially and
// the verdict n2n-mac check gives.
#include <doctest/doctest.h>

#include "core/keys/mac_address.hpp"
#include "core/keys/mac_analysis.hpp"

using n2nkit::keys::analyse_mac;
using n2nkit::keys::SlapQuadrant;
using n2nkit::wire::Mac;

TEST_CASE("mac analysis: locally administered unicast is safe, in each quadrant") {
  struct Case {
    Mac mac;
    SlapQuadrant quadrant;
  };
  for (const Case& c : {Case{{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, SlapQuadrant::aai},
                        Case{{0xf6, 0, 0, 0, 0, 1}, SlapQuadrant::reserved},
                        Case{{0x1a, 0, 0, 0, 0, 1}, SlapQuadrant::eli},
                        Case{{0xae, 0, 0, 0, 0, 1}, SlapQuadrant::sai}}) {
    CAPTURE(n2nkit::wire::mac_to_string(c.mac));
    const auto a = analyse_mac(c.mac);
    CHECK_FALSE(a.group);
    CHECK(a.local);
    CHECK_FALSE(a.null);
    CHECK_FALSE(a.broadcast);
    CHECK_FALSE(a.n2n_multicast);
    REQUIRE(a.quadrant);
    CHECK(*a.quadrant == c.quadrant);
    CHECK(a.block.empty());
    CHECK(a.edge_accepts);
    CHECK(a.safe());
  }
  CHECK(n2nkit::keys::slap_quadrant_name(SlapQuadrant::aai) == "AAI");
  CHECK(n2nkit::keys::slap_quadrant_name(SlapQuadrant::eli) == "ELI");
  CHECK(n2nkit::keys::slap_quadrant_name(SlapQuadrant::sai) == "SAI");
  CHECK(n2nkit::keys::slap_quadrant_name(SlapQuadrant::reserved) == "reserved");
}

TEST_CASE("mac analysis: whatever gen and from-name make is safe") {
  for (int i = 0; i < 200; ++i) {
    CHECK(analyse_mac(n2nkit::keys::random_local_mac()).safe());
    CHECK(analyse_mac(n2nkit::keys::mac_from_name("edge" + std::to_string(i))).safe());
  }
}

TEST_CASE("mac analysis: universally administered unicast is unsafe but taken by the edge") {
  const auto a = analyse_mac({0x00, 0x11, 0x22, 0x33, 0x44, 0x55});
  CHECK_FALSE(a.group);
  CHECK_FALSE(a.local);
  CHECK_FALSE(a.quadrant);
  CHECK(a.edge_accepts);
  CHECK_FALSE(a.safe());
  REQUIRE(a.problems.size() == 1);
  CHECK(a.problems[0].find("universally administered") != std::string::npos);
  CHECK(a.problems[0].find("00:11:22") != std::string::npos);
  CHECK(n2nkit::keys::mac_oui({0x00, 0x11, 0x22, 0x33, 0x44, 0x55}) == "00:11:22");
  // Second hex digit 4, 8, c: universal too.
  CHECK_FALSE(analyse_mac({0x04, 0, 0, 0, 0, 1}).safe());
  CHECK_FALSE(analyse_mac({0x08, 0, 0, 0, 0, 1}).safe());
  CHECK_FALSE(analyse_mac({0xfc, 0, 0, 0, 0, 1}).safe());
}

TEST_CASE("mac analysis: the null address") {
  const auto a = analyse_mac(n2nkit::wire::kNullMac);
  CHECK(a.null);
  CHECK_FALSE(a.group);
  CHECK_FALSE(a.edge_accepts);
  CHECK_FALSE(a.safe());
  REQUIRE(a.problems.size() == 1);
  CHECK(a.problems[0].find("null address") != std::string::npos);
  CHECK(a.block == "the null address");
}

TEST_CASE("mac analysis: broadcast and multicast") {
  const auto b = analyse_mac(n2nkit::wire::kBroadcastMac);
  CHECK(b.broadcast);
  CHECK(b.group);
  CHECK(b.n2n_multicast);
  CHECK_FALSE(b.quadrant);  // the local bit of all-ones means nothing
  CHECK_FALSE(b.edge_accepts);
  CHECK_FALSE(b.safe());
  REQUIRE(b.problems.size() == 1);
  CHECK(b.problems[0].find("broadcast") != std::string::npos);

  const auto v4 = analyse_mac({0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb});
  CHECK(v4.group);
  CHECK(v4.n2n_multicast);
  CHECK(v4.block.find("IPv4 multicast") != std::string::npos);
  CHECK_FALSE(v4.safe());
  // The group n2n itself uses for local peer discovery (spec 11.5).
  const auto discovery = analyse_mac({0x01, 0x00, 0x5e, 0x00, 0x00, 0x44});
  CHECK(discovery.n2n_multicast);
  CHECK(discovery.block.find("224.0.0.68") != std::string::npos);
  CHECK_FALSE(discovery.safe());
  // The upper half of 01:00:5e is multicast, but not what n2n drops as IPv4 multicast.
  const auto upper = analyse_mac({0x01, 0x00, 0x5e, 0x80, 0x00, 0x01});
  CHECK(upper.group);
  CHECK_FALSE(upper.n2n_multicast);
  CHECK(upper.block.find("not IPv4") != std::string::npos);

  const auto v6 = analyse_mac({0x33, 0x33, 0x00, 0x00, 0x00, 0x01});
  CHECK(v6.group);
  CHECK(v6.local);
  CHECK_FALSE(v6.quadrant);
  CHECK(v6.n2n_multicast);
  CHECK(v6.block.find("IPv6 multicast") != std::string::npos);
  CHECK_FALSE(v6.edge_accepts);
  CHECK_FALSE(v6.safe());

  const auto stp = analyse_mac({0x01, 0x80, 0xc2, 0x00, 0x00, 0x00});
  CHECK(stp.group);
  CHECK_FALSE(stp.n2n_multicast);
  CHECK(stp.block.find("IEEE 802.1") != std::string::npos);
  CHECK(analyse_mac({0x01, 0x80, 0xc2, 0x00, 0x00, 0x10}).block.empty());

  // A locally administered group address: the group bit decides.
  const auto local_group = analyse_mac({0x03, 0, 0, 0, 0, 1});
  CHECK(local_group.group);
  CHECK(local_group.local);
  CHECK_FALSE(local_group.edge_accepts);
  REQUIRE(local_group.problems.size() == 1);
  CHECK(local_group.problems[0].find("multicast") != std::string::npos);
}

TEST_CASE("mac analysis: agrees with n2n's multicast test for every first octet") {
  for (unsigned first = 0; first < 256; ++first) {
    const Mac mac{static_cast<std::uint8_t>(first), 0x33, 0x5e, 0x01, 0x02, 0x03};
    const auto a = analyse_mac(mac);
    CAPTURE(first);
    CHECK(a.group == ((first & 1U) != 0));
    CHECK(a.local == ((first & 2U) != 0));
    CHECK(a.safe() == ((first & 3U) == 2U));
    CHECK(a.quadrant.has_value() == ((first & 3U) == 2U));
    CHECK(a.edge_accepts == ((first & 1U) == 0));
    CHECK(a.n2n_multicast == n2nkit::wire::is_multicast_or_broadcast(mac));
  }
}
