#include <doctest/doctest.h>

#include "core/mtu/overhead.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;
using crypto::TransformId;

TEST_CASE("spec §15 table: every transform, header encryption and compression setting") {
  struct Row {
    TransformId t;
    std::size_t udp_direct, udp_relayed, dgram_direct, dgram_relayed, ip_direct, ip_relayed;
  };
  const Row rows[] = {
      {TransformId::null, 38, 46, 66, 74, 80, 88},
      {TransformId::twofish, 54, 62, 82, 90, 96, 104},
      {TransformId::aes, 54, 62, 82, 90, 96, 104},
      {TransformId::chacha20, 54, 62, 82, 90, 96, 104},
      {TransformId::speck, 54, 62, 82, 90, 96, 104},
  };
  for (const auto& r : rows) {
    for (bool he : {false, true}) {
      for (bool z : {false, true}) {
        PathConfig c{r.t, he, z};
        CAPTURE(static_cast<int>(r.t));
        CHECK(udp_payload_overhead(c, Leg::direct) == r.udp_direct);
        CHECK(udp_payload_overhead(c, Leg::relayed) == r.udp_relayed);
        CHECK(datagram_overhead_per_frame(c, Leg::direct) == r.dgram_direct);
        CHECK(datagram_overhead_per_frame(c, Leg::relayed) == r.dgram_relayed);
        CHECK(datagram_overhead_per_ip_packet(c, Leg::direct) == r.ip_direct);
        CHECK(datagram_overhead_per_ip_packet(c, Leg::relayed) == r.ip_relayed);
      }
    }
  }
}

TEST_CASE("TAP MTU from a path MTU, and the reference's default cross-check") {
  PathConfig enc{TransformId::aes};
  PathConfig null{TransformId::null};
  CHECK(tap_mtu_for_path(1500, enc) == 1396);
  CHECK(tap_mtu_for_path(1500, null) == 1412);
  CHECK(tap_mtu_for_path(1500, enc, false) == 1404);
  CHECK(tap_mtu_for_path(1500, null, false) == 1420);
  // 1290 + 104 = 1394 <= 1400: the reference's documented default.
  CHECK(path_mtu_needed(1290, enc) == 1394);
  PathConfig vlan{TransformId::aes, false, false, true};
  CHECK(tap_mtu_for_path(1500, vlan) == 1392);
  CHECK(tap_mtu_for_path(50, enc) == 0);
  PathConfig v6{TransformId::aes, false, false, false, Underlay::ipv6};
  CHECK(tap_mtu_for_path(1500, v6) == 1376);
}

TEST_CASE("TCP MSS inside the overlay") {
  CHECK(tcp_mss_for_mtu(1290, false) == 1250);
  CHECK(tcp_mss_for_mtu(1290, true) == 1230);
  CHECK(tcp_mss_for_mtu(30, false) == 0);
}
