#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/supernode/community_regex.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;

namespace {

CommunityRegex compiled(std::string_view pattern) {
  std::string error;
  auto re = CommunityRegex::compile(pattern, &error);
  INFO("pattern: " << pattern << " error: " << error);
  REQUIRE(re);
  return *re;
}

std::string compile_error(std::string_view pattern) {
  std::string error;
  const auto re = CommunityRegex::compile(pattern, &error);
  INFO("pattern: " << pattern);
  REQUIRE_FALSE(re);
  CHECK(re.error() == Reason::bad_regex);
  CHECK_FALSE(error.empty());
  return error;
}

std::string two_digits(int i) {
  return std::string{static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10)};
}

}  // namespace

TEST_CASE("community regex: which tokens are regular expressions") {
  CHECK_FALSE(is_regex_token("office"));
  CHECK_FALSE(is_regex_token("home-net_1"));
  CHECK_FALSE(is_regex_token("^anchored$"));
  for (const char* t : {"a.b", "a*", "a+", "a?", "[ab]", "a]", "a\\b"}) {
    INFO(t);
    CHECK(is_regex_token(t));
  }
}

TEST_CASE("community regex: the two-digit team pattern from the spec's example") {
  const auto re = compiled("team[0-9][0-9]");
  CHECK(re.element_count() == 6);
  for (int i = 0; i < 100; ++i) CHECK(re.matches("team" + two_digits(i)));
  CHECK_FALSE(re.matches("team1"));
  CHECK_FALSE(re.matches("teamABC"));
  CHECK_FALSE(re.matches("team100"));
  CHECK_FALSE(re.matches("team"));
  CHECK_FALSE(re.matches("xteam00"));
  CHECK_FALSE(re.matches("Team00"));
  CHECK_FALSE(re.matches(""));
}

TEST_CASE("community regex: .* accepts every name") {
  const auto re = compiled(".*");
  CHECK(re.matches(""));
  CHECK(re.matches("x"));
  CHECK(re.matches("anything at all"));
  CHECK(re.matches(std::string("\0\xff\n", 3)));
}

TEST_CASE("community regex: a+b?c*") {
  const auto re = compiled("a+b?c*");
  CHECK(re.element_count() == 6);
  for (const char* yes : {"a", "aa", "ab", "abc", "abccc", "aaac", "aaabccc", "ac"}) {
    INFO(yes);
    CHECK(re.matches(yes));
  }
  for (const char* no : {"", "b", "c", "bc", "abb", "abcb", "aba", "acb", "abcd"}) {
    INFO(no);
    CHECK_FALSE(re.matches(no));
  }
}

TEST_CASE("community regex: optional element followed by the same byte") {
  // The whole name decides, whichever way a backtracking matcher would try first.
  const auto re = compiled("ab?b");
  CHECK(re.matches("ab"));
  CHECK(re.matches("abb"));
  CHECK_FALSE(re.matches("a"));
  CHECK_FALSE(re.matches("abbb"));
  const auto star = compiled("x*x");
  CHECK(star.matches("x"));
  CHECK(star.matches("xxxx"));
  CHECK_FALSE(star.matches(""));
}

TEST_CASE("community regex: escapes") {
  const auto dot = compiled("net\\.lab");
  CHECK(dot.matches("net.lab"));
  CHECK_FALSE(dot.matches("netxlab"));

  const auto digits = compiled("room\\d+");
  CHECK(digits.matches("room1"));
  CHECK(digits.matches("room2024"));
  CHECK_FALSE(digits.matches("room"));
  CHECK_FALSE(digits.matches("roomA"));

  const auto non_digit = compiled("\\D\\D");
  CHECK(non_digit.matches("ab"));
  CHECK_FALSE(non_digit.matches("a1"));

  const auto word = compiled("\\w+");
  CHECK(word.matches("Az09_"));
  CHECK_FALSE(word.matches("a-b"));
  const auto non_word = compiled("a\\Wb");
  CHECK(non_word.matches("a-b"));
  CHECK_FALSE(non_word.matches("a_b"));

  const auto space = compiled("a\\sb");
  CHECK(space.matches("a b"));
  CHECK(space.matches("a\tb"));
  CHECK_FALSE(space.matches("a_b"));
  const auto non_space = compiled("a\\Sb");
  CHECK(non_space.matches("a_b"));
  CHECK_FALSE(non_space.matches("a b"));

  // Any other escaped byte stands for itself.
  CHECK(compiled("a\\*").matches("a*"));
  CHECK_FALSE(compiled("a\\*").matches("aa"));
  CHECK(compiled("\\[x\\]").matches("[x]"));
  CHECK(compiled("a\\\\b").matches("a\\b"));
  CHECK(compiled("\\q\\?").matches("q?"));
}

TEST_CASE("community regex: ^ and $ are ordinary bytes") {
  const auto re = compiled("^a.$");
  CHECK(re.matches("^ab$"));
  CHECK_FALSE(re.matches("ab"));
}

TEST_CASE("community regex: character classes") {
  const auto set = compiled("[abc]+");
  CHECK(set.matches("abcabc"));
  CHECK_FALSE(set.matches("abd"));

  const auto ranges = compiled("[a-fA-F0-9]+");
  CHECK(ranges.matches("deadBEEF42"));
  CHECK_FALSE(ranges.matches("g"));

  const auto dash = compiled("[-a]x[a-]");
  CHECK(dash.matches("-xa"));
  CHECK(dash.matches("ax-"));
  CHECK_FALSE(dash.matches("bxa"));

  const auto shorthand = compiled("[\\d_]+");
  CHECK(shorthand.matches("12_3"));
  CHECK_FALSE(shorthand.matches("1a"));

  const auto escaped = compiled("[\\]\\\\.]");
  CHECK(escaped.matches("]"));
  CHECK(escaped.matches("\\"));
  CHECK(escaped.matches("."));  // '.' is literal inside a class
  CHECK_FALSE(escaped.matches("a"));

  const auto dollar = compiled("[$^]");
  CHECK(dollar.matches("$"));
  CHECK(dollar.matches("^"));
}

TEST_CASE("community regex: negated classes are the complement") {
  const auto re = compiled("[^0-9]+");
  CHECK(re.matches("abc"));
  CHECK(re.matches("-_ "));
  CHECK_FALSE(re.matches("a1"));
  CHECK_FALSE(re.matches("7"));
  const auto vowel = compiled("x[^aeiou]y");
  CHECK(vowel.matches("xby"));
  CHECK_FALSE(vowel.matches("xay"));
  // A '^' that is not first is an ordinary member.
  CHECK(compiled("[a^]").matches("^"));
}

TEST_CASE("community regex: classes belong to their own regex") {
  // The reference shares one class buffer between all compiled patterns.
  const auto first = compiled("[ab]+");
  const auto second = compiled("[xy]+");
  const auto third = compiled("[0-3]+");
  CHECK(first.matches("abba"));
  CHECK_FALSE(first.matches("xy"));
  CHECK(second.matches("xyyx"));
  CHECK_FALSE(second.matches("ab"));
  CHECK(third.matches("0123"));
  CHECK_FALSE(third.matches("4"));
}

TEST_CASE("community regex: at most 29 elements") {
  const std::string x29(29, 'x');
  const auto re = compiled(x29);
  CHECK(re.element_count() == 29);
  CHECK(re.matches(x29));
  CHECK_FALSE(re.matches(x29 + "x"));

  CHECK(compiled(std::string(28, 'x') + "?").element_count() == 29);
  CHECK(compiled("[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"
                 "\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d")
            .element_count() == 29);

  CHECK(compile_error(std::string(30, 'x')).find("29 elements") != std::string::npos);
  CHECK(compile_error(std::string(30, 'x')).find("offset 29") != std::string::npos);
  // The quantifier is the 30th element.
  CHECK(compile_error(std::string(29, 'x') + "*").find("offset 29") != std::string::npos);
  compile_error(std::string(4095, 'a'));
}

TEST_CASE("community regex: malformed patterns are rejected with the offset") {
  CHECK(compile_error("*abc").find("offset 0") != std::string::npos);
  CHECK(compile_error("+") == "quantifier '+' at offset 0 has nothing to repeat");
  CHECK(compile_error("a**").find("offset 2") != std::string::npos);
  CHECK(compile_error("a?+").find("offset 2") != std::string::npos);
  CHECK(compile_error("team[0-9") == "unterminated character class starting at offset 4");
  CHECK(compile_error("[^") == "unterminated character class starting at offset 0");
  CHECK(compile_error("ab[]") == "empty character class at offset 2");
  CHECK(compile_error("[^]") == "empty character class at offset 0");
  CHECK(compile_error("[z-a]") == "reversed range in character class at offset 1");
  CHECK(compile_error("abc\\") == "trailing backslash at offset 3");
  CHECK(compile_error("[a\\") == "trailing backslash at offset 2");
  CHECK(compile_error("[a-\\d]").find("cannot end a range") != std::string::npos);
  // Without an error string the reason alone comes back.
  const auto re = CommunityRegex::compile("[");
  CHECK(re.error() == Reason::bad_regex);
}

TEST_CASE("community regex: a stray closing bracket is an ordinary byte") {
  CHECK(compiled("a]").matches("a]"));
}

TEST_CASE("community regex: hostile patterns and names are fast") {
  // Exponential for a backtracking matcher: (x*)^14 followed by y, against many x and no y.
  std::string pattern;
  for (int i = 0; i < 14; ++i) pattern += "x*";
  pattern += "y";
  const auto re = compiled(pattern);
  const std::string name(4095, 'x');
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) CHECK_FALSE(re.matches(name));
  CHECK(re.matches(name + "y"));
  const auto many_plus = compiled(".+.+.+.+.+.+.+.+.+.+.+.+.+.+z");
  CHECK_FALSE(many_plus.matches(name));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(1));
}
