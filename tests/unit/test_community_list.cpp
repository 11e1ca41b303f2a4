#include <doctest/doctest.h>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <string>

#include "core/common/bytes.hpp"
#include "core/supernode/community_list.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;

namespace {

keys::Key32 key32(std::string_view hex) {
  const auto bytes = from_hex(hex);
  REQUIRE(bytes);
  REQUIRE(bytes->size() == 32);
  keys::Key32 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

struct Parsed {
  CommunityList list;
  std::vector<std::string> warnings;
};

Parsed parse_ok(std::string_view text) {
  std::vector<std::string> warnings;
  std::string error;
  auto list = parse_community_list(text, "community.list", warnings, error);
  INFO("error: " << error);
  REQUIRE(list);
  CHECK(error.empty());
  return Parsed{std::move(*list), std::move(warnings)};
}

std::string parse_error(std::string_view text) {
  std::vector<std::string> warnings;
  std::string error;
  const auto list = parse_community_list(text, "community.list", warnings, error);
  REQUIRE_FALSE(list);
  CHECK(list.error() == Reason::bad_community_list);
  CHECK(error.find('\n') == std::string::npos);
  return error;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

constexpr std::string_view kLogan = "nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG";
constexpr std::string_view kAlice = "98cFkh40rowC0PCFbIv4XpSI9azGxIjZ3gXMC-f-rGq";
constexpr std::string_view kBob = "7JYsjyaoY2C79hq37HPe-zZBrw0+RkK0TJ9eyOVay3e";

constexpr std::string_view kSpecExample =
    "# fixed names (plaintext or header-encrypted, decided by the first packet)\n"
    "office\n"
    "# a user/password community: users follow their community line\n"
    "lab\n"
    "* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG\n"
    "# regular expression: team00 … team99 (always plaintext headers)\n"
    "team[0-9][0-9]\n"
    "# fixed name with its own auto-IP subnet\n"
    "home 192.168.168.0/24\n";

}  // namespace

TEST_CASE("community.list: the spec's example") {
  const auto parsed = parse_ok(kSpecExample);
  CHECK(parsed.warnings.empty());
  const auto& list = parsed.list;
  REQUIRE(list.fixed.size() == 3);
  CHECK(list.fixed[0].name == "office");
  CHECK(list.fixed[0].line == 2);
  CHECK_FALSE(list.fixed[0].subnet);
  CHECK_FALSE(list.fixed[0].user_password());
  CHECK(list.fixed[1].name == "lab");
  CHECK(list.fixed[1].user_password());
  REQUIRE(list.fixed[1].users.size() == 1);
  CHECK(list.fixed[1].users[0].name == "logan");
  CHECK(list.fixed[1].users[0].line == 5);
  CHECK(list.fixed[1].users[0].public_key ==
        key32("c51838c3ed440ae0743619d2a11fe03d4a3cbd415ef157376fdef2a5b5caab34"));
  CHECK(list.fixed[2].name == "home");
  REQUIRE(list.fixed[2].subnet);
  CHECK(*list.fixed[2].subnet == wire::IpSubnet{0xc0a8a800U, 24});
  CHECK_FALSE(list.fixed[2].user_password());
  REQUIRE(list.regexes.size() == 1);
  CHECK(list.regexes[0].regex.pattern() == "team[0-9][0-9]");
  CHECK(list.regexes[0].line == 7);

  CHECK(list.allows("office"));
  CHECK(list.allows("lab"));
  CHECK(list.allows("home"));
  CHECK(list.allows("team00"));
  CHECK(list.allows("team42"));
  CHECK(list.allows("team99"));
  CHECK_FALSE(list.allows("team1"));
  CHECK_FALSE(list.allows("team100"));
  CHECK_FALSE(list.allows("teamABC"));
  CHECK_FALSE(list.allows("offic"));
  CHECK_FALSE(list.allows("office2"));
  CHECK_FALSE(list.allows(""));
  CHECK_FALSE(list.allows("team[0-9][0-9]"));  // patterns are not names
  REQUIRE(list.find("lab") != nullptr);
  CHECK(list.find("lab")->users.size() == 1);
  CHECK(list.find("team00") == nullptr);
}

TEST_CASE("community.list: lookups take the 20-byte wire field") {
  const auto parsed = parse_ok("office\nteam[0-9][0-9]\n");
  const auto field = wire::make_community("office");
  const std::string_view as_bytes(reinterpret_cast<const char*>(field.data()), field.size());
  CHECK(parsed.list.allows(as_bytes));
  REQUIRE(parsed.list.find(as_bytes) != nullptr);
  const auto team = wire::make_community("team07");
  CHECK(parsed.list.allows(
      std::string_view(reinterpret_cast<const char*>(team.data()), team.size())));
}

TEST_CASE("community.list: public keys of the shared vectors decode to the right bytes") {
  const std::string text =
      "n2nkit-authvector\n* alice " + std::string(kAlice) + "\n* bob " + std::string(kBob) + "\n";
  const auto parsed = parse_ok(text);
  REQUIRE(parsed.list.fixed.size() == 1);
  const auto& users = parsed.list.fixed[0].users;
  REQUIRE(users.size() == 2);
  CHECK(users[0].name == "alice");
  CHECK(users[0].public_key ==
        key32("24898fbab100d72e8c01930f952e44873712264f50ed2b630ea85633fa7fd50d"));
  CHECK(users[1].name == "bob");
  CHECK(users[1].public_key ==
        key32("1d38b6b7c93288230726bd031d1668ffd8cbd7a03e6ee500753268f187e4f03a"));
}

TEST_CASE("community.list: user lines bind to the most recent fixed-name community") {
  const std::string text = "one\n* alice " + std::string(kAlice) + "\ntwo\nthree\n* bob " +
                           std::string(kBob) + "\n* logan " + std::string(kLogan) +
                           "\nfour 10.1.2.0/24\n* alice " + std::string(kAlice) + "\n";
  const auto parsed = parse_ok(text);
  const auto& fixed = parsed.list.fixed;
  REQUIRE(fixed.size() == 4);
  REQUIRE(fixed[0].users.size() == 1);
  CHECK(fixed[0].users[0].name == "alice");
  CHECK(fixed[1].users.empty());
  REQUIRE(fixed[2].users.size() == 2);
  CHECK(fixed[2].users[0].name == "bob");
  CHECK(fixed[2].users[1].name == "logan");
  REQUIRE(fixed[3].users.size() == 1);
  CHECK(fixed[3].users[0].name == "alice");
  CHECK(fixed[3].subnet == wire::IpSubnet{0x0a010200U, 24});
}

TEST_CASE("community.list: CRLF files, comments, blank and short lines") {
  const std::string text = "# comment\r\n\r\noffice\r\nlab 10.9.0.0/16\r\n* alice " +
                           std::string(kAlice) + "\r\n \r\n\t\t\r\nx\r\nteam\\d+\r\nlast";
  const auto parsed = parse_ok(text);
  const auto& fixed = parsed.list.fixed;
  REQUIRE(fixed.size() == 3);
  CHECK(fixed[0].name == "office");
  CHECK(fixed[1].name == "lab");
  CHECK(fixed[1].subnet == wire::IpSubnet{0x0a090000U, 16});
  REQUIRE(fixed[1].users.size() == 1);
  CHECK(fixed[1].users[0].public_key ==
        key32("24898fbab100d72e8c01930f952e44873712264f50ed2b630ea85633fa7fd50d"));
  CHECK(fixed[2].name == "last");
  CHECK(fixed[2].line == 10);
  REQUIRE(parsed.list.regexes.size() == 1);
  CHECK(parsed.list.regexes[0].regex.matches("team5"));
  // "x" is ignored, as the reference does, but flagged.
  REQUIRE(parsed.warnings.size() == 1);
  CHECK(parsed.warnings[0] ==
        "community.list:8: one-byte line 'x' ignored (names need at least 2 bytes)");
  CHECK_FALSE(parsed.list.allows("x"));
}

TEST_CASE("community.list: leading and repeated whitespace") {
  const auto parsed = parse_ok("  office\n\thome \t 10.0.0.0/8  \n");
  REQUIRE(parsed.list.fixed.size() == 2);
  CHECK(parsed.list.fixed[0].name == "office");
  CHECK(parsed.list.fixed[1].name == "home");
  CHECK(parsed.list.fixed[1].subnet == wire::IpSubnet{0x0a000000U, 8});
  CHECK(parsed.warnings.empty());
}

TEST_CASE("community.list: empty input is an empty list") {
  const auto parsed = parse_ok("");
  CHECK(parsed.list.fixed.empty());
  CHECK(parsed.list.regexes.empty());
  CHECK_FALSE(parsed.list.allows("office"));
}

TEST_CASE("community.list: names are truncated to 19 bytes with a warning") {
  const auto parsed = parse_ok("abcdefghijklmnopqrstuvwxyz\n");
  REQUIRE(parsed.list.fixed.size() == 1);
  CHECK(parsed.list.fixed[0].name == "abcdefghijklmnopqrs");
  REQUIRE(parsed.warnings.size() == 1);
  CHECK(parsed.warnings[0] ==
        "community.list:1: community name 'abcdefghijklmnopqrstuvwxyz' truncated to 19 bytes: "
        "'abcdefghijklmnopqrs'");
  CHECK(parsed.list.allows("abcdefghijklmnopqrs"));
  // What the wire carries of the long name is its first 19 bytes.
  CHECK(parsed.list.allows("abcdefghijklmnopqrstuvwxyz"));
  // Exactly 19 bytes: no warning.
  CHECK(parse_ok("abcdefghijklmnopqrs\n").warnings.empty());
}

TEST_CASE("community.list: subnets") {
  CHECK(parse_community_subnet("192.168.168.0/24") == wire::IpSubnet{0xc0a8a800U, 24});
  CHECK(parse_community_subnet("10.0.0.0/1") == std::nullopt);  // host bits set
  CHECK(parse_community_subnet("0.0.0.0/1") == wire::IpSubnet{0, 1});
  CHECK(parse_community_subnet("128.0.0.0/1") == wire::IpSubnet{0x80000000U, 1});
  CHECK(parse_community_subnet("10.1.2.4/30") == wire::IpSubnet{0x0a010204U, 30});
  for (const char* bad :
       {"10.1.2.4/31", "10.1.2.0/32", "10.0.0.0/0", "10.1.2.3/24", "10.1.2.0", "10.1.2/24",
        "10.1.2.0.0/24", "256.0.0.0/8", "a.b.c.d/8", "10.1.2.0/", "/24", "10..2.0/24",
        "10.1.2.0/024", "10.1.2.0/2x", "1000.0.0.0/8", " 10.0.0.0/8", "10.0.0.0/-8", ""}) {
    INFO(bad);
    CHECK(parse_community_subnet(bad) == std::nullopt);
  }
}

TEST_CASE("community.list: an invalid subnet is a warning and leaves the subnet automatic") {
  const auto parsed = parse_ok("office\nhome 192.168.168.1/24\nlab 10.0.0.0/31\n");
  REQUIRE(parsed.list.fixed.size() == 3);
  CHECK_FALSE(parsed.list.fixed[1].subnet);
  CHECK_FALSE(parsed.list.fixed[2].subnet);
  REQUIRE(parsed.warnings.size() == 2);
  CHECK(parsed.warnings[0].rfind("community.list:2: invalid subnet '192.168.168.1/24' for "
                                 "community 'home'",
                                 0) == 0);
  CHECK(parsed.warnings[1].rfind("community.list:3: invalid subnet '10.0.0.0/31'", 0) == 0);
}

TEST_CASE("community.list: extra tokens and subnets on regex lines are warnings") {
  const auto parsed = parse_ok("home 10.0.0.0/8 extra\nteam\\d 10.0.0.0/8\n");
  CHECK(parsed.list.fixed[0].subnet == wire::IpSubnet{0x0a000000U, 8});
  REQUIRE(parsed.list.regexes.size() == 1);
  REQUIRE(parsed.warnings.size() == 2);
  CHECK(parsed.warnings[0] == "community.list:1: ignored after the subnet: 'extra'");
  CHECK(parsed.warnings[1].rfind("community.list:2: ignored after the regular expression", 0) == 0);
}

TEST_CASE("community.list: repeated names merge into the first") {
  const std::string text = "lab\n* alice " + std::string(kAlice) +
                           "\nother\nlab 10.5.0.0/16\n* bob " + std::string(kBob) +
                           "\nlab 10.6.0.0/16\n";
  const auto parsed = parse_ok(text);
  REQUIRE(parsed.list.fixed.size() == 2);
  const auto& lab = parsed.list.fixed[0];
  CHECK(lab.line == 1);
  CHECK(lab.subnet == wire::IpSubnet{0x0a050000U, 16});
  REQUIRE(lab.users.size() == 2);
  CHECK(lab.users[1].name == "bob");
  CHECK(parsed.list.fixed[1].users.empty());
  REQUIRE(parsed.warnings.size() == 3);
  CHECK(parsed.warnings[0] ==
        "community.list:4: community 'lab' already listed on line 1; the "
        "lines are merged");
  CHECK(parsed.warnings[2] ==
        "community.list:6: subnet '10.6.0.0/16' ignored; community 'lab' "
        "keeps 10.5.0.0/16 from line 1");
}

TEST_CASE("community.list: regex classes of several lines stay apart") {
  const auto parsed = parse_ok("a[xy]\nb[0-3]\nc[^a-z]\n");
  CHECK(parsed.list.allows("ax"));
  CHECK_FALSE(parsed.list.allows("a0"));
  CHECK(parsed.list.allows("b2"));
  CHECK_FALSE(parsed.list.allows("bx"));
  CHECK(parsed.list.allows("c7"));
  CHECK_FALSE(parsed.list.allows("cq"));
}

TEST_CASE("community.list: errors name the file, the line and the problem") {
  CHECK(parse_error("# users need a community\n* alice " + std::string(kAlice) + "\n") ==
        "community.list:2: user line before any community line");
  CHECK(parse_error("office\nteam\\d+\n\n* alice " + std::string(kAlice) + "\n") ==
        "community.list:4: user line after the regular expression on line 2; users belong to the "
        "fixed-name community line above them");
  CHECK(parse_error("lab\n* " + std::string(16, 'u') + " " + std::string(kAlice) + "\n") ==
        "community.list:2: user name 'uuuuuuuuuuuuuuuu' longer than 15 bytes");
  // 15 bytes are fine.
  CHECK(parse_ok("lab\n* " + std::string(15, 'u') + " " + std::string(kAlice) + "\n")
            .list.fixed[0]
            .users.size() == 1);
  CHECK(parse_error("lab\n* alice " + std::string(kAlice.substr(1)) + "\n") ==
        "community.list:2: bad public key for user 'alice': key has the wrong length");
  CHECK(parse_error("lab\n* alice " + std::string(kAlice.substr(1)) + "!\n") ==
        "community.list:2: bad public key for user 'alice': not a valid n2n 6-bit key string");
  CHECK(parse_error("lab\n* alice\n") ==
        "community.list:2: user line must be '* <user name> <43-character public key>'");
  CHECK(contains(parse_error("lab\n*alice " + std::string(kAlice) + "\n"),
                 "community.list:2: user line must be"));
  CHECK(contains(parse_error("lab\n* alice " + std::string(kAlice) + " extra\n"),
                 "community.list:2: user line must be"));
  CHECK(parse_error("office\n\nteam[0-9\n") ==
        "community.list:3: invalid regular expression 'team[0-9': unterminated character class "
        "starting at offset 4");
  CHECK(contains(parse_error("a\nbb\n" + std::string(30, 'x') + ".\n"),
                 "community.list:3: invalid regular expression"));
  CHECK(parse_error("office\n" + std::string(4096, 'a') + "\n") ==
        "community.list:2: line longer than 4095 bytes");
  CHECK(parse_error(std::string("office\nla\0b\n", 12)) ==
        "community.list:2: line contains a NUL byte");
}

TEST_CASE("community.list: a line of exactly 4095 bytes is read") {
  const auto parsed = parse_ok(std::string(4095, 'a') + "\r\n");
  REQUIRE(parsed.list.fixed.size() == 1);
  CHECK(parsed.list.fixed[0].name == std::string(19, 'a'));
}

TEST_CASE("community.list: a hostile long regex line does not slow the parser") {
  // Rejected for its length, but it must not take long to find that out.
  std::string pattern;
  for (int i = 0; i < 2000; ++i) pattern += "a*";
  const auto error = parse_error(pattern + "\n");
  CHECK(contains(error, "community.list:1: invalid regular expression"));
  CHECK(contains(error, "more than 29 elements"));
}

TEST_CASE("community.list: loading a file") {
  char path[] = "/tmp/n2nkit-community-list-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  const std::string text = std::string(kSpecExample) + "bad 10.0.0.1/8\n";
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);

  std::vector<std::string> warnings;
  std::string error;
  const auto list = load_community_list(path, warnings, error);
  REQUIRE(list);
  CHECK(list->fixed.size() == 4);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind(std::string(path) + ":10: invalid subnet", 0) == 0);
  std::remove(path);

  warnings.clear();
  const auto missing = load_community_list(path, warnings, error);
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == Reason::bad_community_list);
  CHECK(error == std::string(path) + ": cannot read: No such file or directory");

  const auto directory = load_community_list("/tmp", warnings, error);
  REQUIRE_FALSE(directory);
  CHECK(error == "/tmp: cannot read: Is a directory");
}
