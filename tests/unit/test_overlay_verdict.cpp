#include <doctest/doctest.h>

#include "core/mtu/overlay_verdict.hpp"

using namespace n2nkit::mtu;

TEST_CASE("overlay verdict: full TAP MTU across is fine") {
  OverlayFacts f;
  f.largest = 1420;
  f.exact = true;
  f.tap_mtu = 1420;
  CHECK(assess_overlay(f).verdict == OverlayVerdict::fine);
}

TEST_CASE("overlay verdict: nothing across") {
  OverlayFacts f;
  f.tap_mtu = 1420;
  CHECK(assess_overlay(f).verdict == OverlayVerdict::no_answer);
}

TEST_CASE("overlay verdict: the local edge's frame limit explains it: -M too big") {
  OverlayFacts f;
  f.largest = 1264;
  f.exact = true;
  f.tap_mtu = 1420;
  f.management = true;
  f.peer_known = true;
  f.peer_path_mtu = 1360;
  f.peer_frame_limit = 1278;
  const auto a = assess_overlay(f);
  CHECK(a.verdict == OverlayVerdict::local_too_big);
  REQUIRE(a.suggested_mtu);
  CHECK(*a.suggested_mtu == 1264);
  CHECK(a.text.find("-M 1264") != std::string::npos);
}

TEST_CASE("overlay verdict: this side consistent: the far side is smaller") {
  OverlayFacts f;
  f.largest = 1380;
  f.exact = true;
  f.tap_mtu = 1420;
  f.management = true;
  f.peer_known = true;
  f.peer_path_mtu = 1500;
  f.peer_frame_limit = 1500 - 66;  // null transform: 1434 - 14 fits 1420
  const auto a = assess_overlay(f);
  CHECK(a.verdict == OverlayVerdict::far_side);
  CHECK(a.text.find("1380 < 1420") != std::string::npos);
}

TEST_CASE("overlay verdict: without management the side stays open") {
  OverlayFacts f;
  f.largest = 1380;
  f.tap_mtu = 1420;
  const auto a = assess_overlay(f);
  CHECK(a.verdict == OverlayVerdict::undetermined);
  CHECK(a.text.find("at least") != std::string::npos);  // not exact
}

TEST_CASE("overlay verdict: fragmented replies show a smaller far side even at full size") {
  OverlayFacts f;
  f.largest = 1290;
  f.exact = true;
  f.tap_mtu = 1290;
  f.management = true;
  f.reply_fragment = 1196;
  f.fragmented_reply_to = 1290;
  const auto a = assess_overlay(f);
  CHECK(a.verdict == OverlayVerdict::far_side);
  CHECK(a.text.find("1196..1203 < 1290") != std::string::npos);
}
