#pragma once
// Checks every payload transform must pass (used by the test_transform_*.cpp files).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/transform.hpp"
#include "core/crypto/xorshift128.hpp"

namespace n2nkit::testing {

inline constexpr std::string_view kReferenceKey = "SoMEVer!S$cUREPassWORD";

// PKT_CONTENT of the reference tests: 00..0f repeated 32 times.
inline ByteVector reference_frame() {
  ByteVector v(512);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i % 16);
  return v;
}

// A source that always yields the same 16 bytes (the reference test's random blocks).
inline crypto::RandomSource fixed_random(std::string_view hex16) {
  const ByteVector bytes = from_hex(hex16).value();
  return [bytes](MutableByteView out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes[i % bytes.size()];
  };
}

inline ByteVector patterned(std::size_t len, std::uint8_t seed) {
  ByteVector v(len);
  for (std::size_t i = 0; i < len; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 31 + (i >> 3));
  return v;
}

inline ByteVector encrypt_all(const crypto::Transform& t, ByteView in,
                              const crypto::RandomSource& random) {
  ByteVector out(in.size() + t.overhead());
  auto n = t.encrypt(in, out, random);
  REQUIRE(n.has_value());
  REQUIRE(*n == out.size());
  return out;
}

inline ByteVector decrypt_all(const crypto::Transform& t, ByteView in) {
  REQUIRE(in.size() >= t.overhead());
  ByteVector out(in.size() - t.overhead());
  auto n = t.decrypt(in, out);
  REQUIRE(n.has_value());
  REQUIRE(*n == out.size());
  return out;
}

// Every length 0..200 and 1400 comes back unchanged, with output = input + overhead.
inline void check_round_trips(const crypto::Transform& t) {
  crypto::Xorshift128Plus rng;
  const auto random = crypto::xorshift_source(rng);
  std::vector<std::size_t> lengths;
  for (std::size_t len = 0; len <= 200; ++len) lengths.push_back(len);
  lengths.push_back(1400);
  lengths.push_back(crypto::kMaxTransformInput);
  for (std::size_t len : lengths) {
    CAPTURE(len);
    const ByteVector frame = patterned(len, static_cast<std::uint8_t>(len));
    const ByteVector wire = encrypt_all(t, frame, random);
    CHECK(wire.size() == len + t.overhead());
    CHECK(decrypt_all(t, wire) == frame);
  }
}

// Two encryptions of one frame differ (fresh IV), unless the transform has none.
inline void check_fresh_iv(const crypto::Transform& t) {
  crypto::Xorshift128Plus rng;
  const auto random = crypto::xorshift_source(rng);
  const ByteVector frame = patterned(100, 1);
  CHECK(encrypt_all(t, frame, random) != encrypt_all(t, frame, random));
}

// Sizes the transforms must refuse, and the reasons.
inline void check_limits(const crypto::Transform& t) {
  crypto::Xorshift128Plus rng;
  const auto random = crypto::xorshift_source(rng);
  const std::size_t oh = t.overhead();
  ByteVector big(crypto::kMaxTransformInput + 1), out(4096);
  CHECK(t.encrypt(big, out, random).error() == Reason::frame_too_large);
  ByteVector frame(100), small(100 + oh - 1);
  CHECK(t.encrypt(frame, small, random).error() == Reason::buffer_too_small);
  ByteVector huge(crypto::kMaxTransformCiphertext + 1);
  CHECK(t.decrypt(huge, out).error() == Reason::frame_too_large);
  ByteVector wire(100 + oh), short_out(100 - 1);
  CHECK(t.decrypt(wire, short_out).error() == Reason::buffer_too_small);
  for (std::size_t len = 0; len < oh; ++len) {
    ByteVector tiny(len);
    CHECK(t.decrypt(tiny, out).error() == Reason::payload_too_short);
  }
  // Exactly the overhead: an empty frame.
  ByteVector just_iv(oh);
  auto n = t.decrypt(just_iv, out);
  REQUIRE(n.has_value());
  CHECK(*n == 0);
}

// Random garbage of every length decrypts to something of the right size or is refused as
// too short; it never crashes (ASan/UBSan builds make that a real check).
inline void check_garbage(const crypto::Transform& t) {
  crypto::Xorshift128Plus rng(12345, 67890);
  const auto random = crypto::xorshift_source(rng);
  ByteVector out(crypto::kMaxTransformCiphertext);
  for (std::size_t len = 0; len <= 300; ++len) {
    ByteVector junk(len);
    random(junk);
    auto n = t.decrypt(junk, out);
    if (len < t.overhead()) {
      CHECK(n.error() == Reason::payload_too_short);
    } else {
      REQUIRE(n.has_value());
      CHECK(*n == len - t.overhead());
    }
  }
  ByteVector junk(crypto::kMaxTransformCiphertext);
  random(junk);
  auto n = t.decrypt(junk, out);
  REQUIRE(n.has_value());
  CHECK(*n == junk.size() - t.overhead());
}

// The first and last bytes of the reference test's transform output (tests-transform).
inline void check_reference_output(const crypto::Transform& t, std::string_view random_hex,
                                   std::string_view head_hex, std::string_view tail_hex) {
  const ByteVector frame = reference_frame();
  const ByteVector wire = encrypt_all(t, frame, fixed_random(random_hex));
  REQUIRE(wire.size() == 528);
  const ByteVector head = from_hex(head_hex).value();
  const ByteVector tail = from_hex(tail_hex).value();
  CHECK(to_hex(ByteView(wire).first(head.size())) == head_hex);
  CHECK(to_hex(ByteView(wire).last(tail.size())) == tail_hex);
  CHECK(decrypt_all(t, wire) == frame);
}

}  // namespace n2nkit::testing
