#include <doctest/doctest.h>

#include "core/wire/time_stamp.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_CASE("stamps are strictly increasing whatever the clock does") {
  StampGenerator g;
  std::uint64_t prev = 0;
  const WallTime still{1795563306, 500000};
  for (int i = 0; i < 1000; ++i) {
    const auto s = g.next(still);
    CHECK(s > prev);
    CHECK((s & 0xf) == 0);
    prev = s;
  }
  // The clock steps back: still increasing.
  CHECK(g.next(WallTime{1795563300, 0}) > prev);
  // The clock moves on: the stamp is the clock again, counter 0.
  CHECK(g.next(WallTime{1795563400, 1}) == stamp_of(WallTime{1795563400, 1}));
}

TEST_CASE("microsecond carry into seconds when the counter is exhausted") {
  StampGenerator g;
  const WallTime t{10, 999999};
  std::uint64_t s = 0;
  for (int i = 0; i < 257; ++i) s = g.next(t);
  CHECK(stamp_seconds(s) == 11);
  CHECK(((s >> 12) & 0xfffff) == 0);
}

TEST_CASE("frame: ±16 s around the local clock") {
  const auto now = stamp_of(WallTime{1000, 0});
  CHECK(check_stamp_frame(stamp_of(WallTime{1015, 999999}), now).ok());
  CHECK(check_stamp_frame(stamp_of(WallTime{985, 1}), now).ok());
  CHECK(check_stamp_frame(stamp_of(WallTime{1016, 0}), now).error() == Reason::stamp_out_of_window);
  CHECK(check_stamp_frame(stamp_of(WallTime{984, 0}), now).error() == Reason::stamp_out_of_window);
}

TEST_CASE("replay: strictly newer, jitter of 160 ms where allowed") {
  const auto now = stamp_of(WallTime{1000, 0});
  ReplayWindow w(now);
  const auto s1 = stamp_of(WallTime{1000, 100000});
  CHECK(w.accept(s1, now, false).ok());
  CHECK(w.accept(s1, now, false).error() == Reason::stamp_replayed);
  // 100 ms older: tolerated only with jitter, and the window keeps the newest.
  const auto older = stamp_of(WallTime{1000, 0});
  CHECK(w.accept(older, now, false).error() == Reason::stamp_replayed);
  CHECK(w.accept(older, now, true).ok());
  CHECK(w.last() == s1);
  // 200 ms older: too old even with jitter.
  CHECK(w.accept(stamp_of(WallTime{999, 900000}), now, true).error() == Reason::stamp_replayed);
  // Counter-only stamps get ~41 s of jitter.
  CHECK(w.accept(stamp_of(WallTime{990, 0}) | 1, now, true).ok());
  // Out of the frame is reported as such, state unchanged.
  CHECK(w.accept(stamp_of(WallTime{2000, 0}), now, false).error() == Reason::stamp_out_of_window);
  CHECK(w.last() == s1);
}

TEST_CASE("a new sender's window starts 16 s in the past") {
  const auto now = stamp_of(WallTime{1000, 0});
  ReplayWindow w(now);
  CHECK(w.accept(stamp_of(WallTime{985, 0}), now, false).ok());
}
