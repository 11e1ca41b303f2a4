// keys::read_mac_text (core/keys/mac_text): the spellings n2n-mac check reads and its phrases
// for the ones it does not.
#include <doctest/doctest.h>

#include <string>

#include "core/keys/mac_text.hpp"

using n2nkit::keys::read_mac_text;
using n2nkit::wire::Mac;

TEST_CASE("mac text: every spelling n2n-edge -m takes, read by the edge's parser") {
  const Mac expected{0x02, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e};
  for (const char* text : {"02:1a:2b:3c:4d:5e", "02:1A:2B:3C:4D:5E", "02-1a-2b-3c-4d-5e",
                           "02:1a-2b:3c-4d:5e", "2:1a:2b:3c:4d:5e"}) {
    CAPTURE(text);
    const auto r = read_mac_text(text);
    REQUIRE(r.mac);
    CHECK(*r.mac == expected);
    CHECK(r.edge_spelling);
    CHECK(r.problem.empty());
    // Whatever the edge's own parser reads, read_mac_text reads the same way.
    CHECK(n2nkit::wire::parse_mac(text) == r.mac);
  }
}

TEST_CASE("mac text: the reference's fixed-offset reading") {
  CHECK(read_mac_text("02:1a:2b:3c:4d:5e").reference_spelling);
  CHECK(read_mac_text("02-1A-2B-3C-4D-5E").reference_spelling);
  // One-digit octets: n2n-edge reads them, ntop/n2n's str2mac reads the wrong characters.
  const auto short_octets = read_mac_text("2:0:0:0:0:1");
  REQUIRE(short_octets.mac);
  CHECK(*short_octets.mac == Mac{0x02, 0, 0, 0, 0, 0x01});
  CHECK(short_octets.edge_spelling);
  CHECK_FALSE(short_octets.reference_spelling);
}

TEST_CASE("mac text: twelve bare hex digits, which n2n-edge -m does not take") {
  const auto r = read_mac_text("021A2b3c4d5e");
  REQUIRE(r.mac);
  CHECK(*r.mac == Mac{0x02, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e});
  CHECK_FALSE(r.edge_spelling);
  CHECK_FALSE(r.reference_spelling);
  CHECK_FALSE(n2nkit::wire::parse_mac("021A2b3c4d5e"));
}

TEST_CASE("mac text: one phrase naming what is wrong") {
  const auto problem = [](std::string_view text) {
    const auto r = read_mac_text(text);
    CHECK_FALSE(r.mac);
    CHECK_FALSE(r.edge_spelling);
    return r.problem;
  };
  CHECK(problem("") == "empty");
  CHECK(problem("02:11:22:33:44") == "5 octets, expected 6");
  CHECK(problem("02:11:22:33:44:55:66") == "7 octets, expected 6");
  CHECK(problem("02") == "2 hex digits, expected 12 (or six octets separated by ':' or '-')");
  CHECK(problem("0211223344") ==
        "10 hex digits, expected 12 (or six octets separated by ':' or '-')");
  CHECK(problem("02112233445566") ==
        "14 hex digits, expected 12 (or six octets separated by ':' or '-')");
  CHECK(problem("0g:11:22:33:44:55") == "'g' is not a hex digit, ':' or '-'");
  CHECK(problem("0211.2233.4455") == "'.' is not a hex digit, ':' or '-'");
  CHECK(problem("02:11:22:33:44:55 ") == "' ' is not a hex digit, ':' or '-'");
  CHECK(problem(" 02:11:22:33:44:55") == "' ' is not a hex digit, ':' or '-'");
  CHECK(problem("02:11:22:33:44:5\n") == "'\\x0a' is not a hex digit, ':' or '-'");
  CHECK(problem("\xc3\xbc") == "byte 0xc3 is not a hex digit, ':' or '-'");
  CHECK(problem("02::11:22:33:44") == "an empty octet (a separator at either end or two in a row)");
  CHECK(problem(":02:11:22:33:44:55") ==
        "an empty octet (a separator at either end or two in a row)");
  CHECK(problem("02:11:22:33:44:55:") ==
        "an empty octet (a separator at either end or two in a row)");
  CHECK(problem("021:1:22:33:44:55") == "octet '021' has 3 hex digits, at most 2");
  CHECK(problem("02:11:22:33:44:0055") == "octet '0055' has 4 hex digits, at most 2");
}
