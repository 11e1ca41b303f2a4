// Supernode Outbox: slots are reused across clear(), nothing over 2048 bytes is queued.
#include <doctest/doctest.h>

#include "core/supernode/outbox.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;

TEST_SUITE_BEGIN("supernode");

TEST_CASE("supernode outbox: slots are reused after clear") {
  Outbox out;
  const Endpoint to{wire::Sock::ipv4(0x7F000001u, 7654), 0};
  const ByteVector small{1, 2, 3};
  out.push(to, small);
  out.push(to, small);
  REQUIRE(out.size() == 2);
  const auto* first = out[0].bytes.data();
  const auto* second = out[1].bytes.data();
  CHECK(out[1].to == to);
  CHECK(ByteVector(out[1].bytes.begin(), out[1].bytes.end()) == small);

  out.clear();
  CHECK(out.empty());
  out.push(to, small);
  out.push(to, small);
  CHECK(out[0].bytes.data() == first);
  CHECK(out[1].bytes.data() == second);

  // prepare() without commit() queues nothing.
  CHECK(out.prepare().size() == wire::kMaxDatagram);
  CHECK(out.size() == 2);
  out.commit(to, wire::kMaxDatagram + 1);
  CHECK(out.size() == 2);
  out.push(to, ByteVector(wire::kMaxDatagram + 1, 0));
  CHECK(out.size() == 2);
  out.push(to, ByteVector(wire::kMaxDatagram, 0));
  CHECK(out.size() == 3);
}

TEST_SUITE_END();
