#include <doctest/doctest.h>

#include "tests/unit/transform_checks.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;
using namespace n2nkit::testing;

TEST_CASE("null transform: the payload is the frame, no IV drawn") {
  const auto t = make_transform(TransformId::null, "ignored");
  REQUIRE(t);
  CHECK(t->id() == TransformId::null);
  CHECK(t->overhead() == 0);
  bool drew = false;
  const RandomSource spy = [&drew](MutableByteView) { drew = true; };
  const ByteVector frame = reference_frame();
  CHECK(encrypt_all(*t, frame, spy) == frame);
  CHECK_FALSE(drew);
  CHECK(decrypt_all(*t, frame) == frame);
}

TEST_CASE("null transform: round trips and limits") {
  const auto t = make_transform(TransformId::null, "");
  check_round_trips(*t);
  check_limits(*t);
  check_garbage(*t);
}
