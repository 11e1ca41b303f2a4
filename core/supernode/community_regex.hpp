#pragma once
// The regular-expression dialect of community.list (spec §14.4). A supernode accepts a
// community that is not listed by name when the WHOLE name matches one of these patterns.
//
// Dialect:
//   .            any byte
//   x* x+ x?     zero or more, one or more, zero or one of the preceding atom
//   [abc] [a-z]  character class; items are bytes, ranges a-b (a <= b) and the escapes below;
//                '-' first or last is literal; write "\]" for a literal ']'
//   [^...]       negated class: every byte the class without '^' would not accept. (The
//                reference documents its own as broken; this is the plain, correct meaning.)
//   \d \D        digit, not a digit          \w \W   [A-Za-z0-9_], not that
//   \s \S        space \t \n \v \f \r, not that (ASCII, independent of the locale)
//   \x           any other escaped byte stands for itself ("\." is a dot, "\\" a backslash)
//   ^ $ ] ( ) |  ordinary bytes; there are no anchors, groups or alternation
//
// A pattern has at most kMaxRegexElements elements, counted as the reference counts them: every
// atom (byte, '.', class, escape) and every quantifier is one element. The reference silently
// drops what does not fit; we reject the pattern instead, as we do a quantifier with nothing to
// repeat, an unterminated or empty class, a reversed range and a trailing backslash.
//
// Matching decides membership in the regular language (a Thompson-style simulation of the
// pattern's automaton): time O(length × elements), no recursion, no backtracking, so hostile
// names or patterns cannot make it slow. The reference's backtracking matcher returns the first
// match it finds and the supernode then compares its length with the name's; where that first
// match is shorter than the name although a whole-name match exists, the reference rejects a
// name we accept (the spec lists these edge cases as unverified, §17).
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"

namespace n2nkit::supernode {

inline constexpr std::size_t kMaxRegexElements = 29;

// True if a community.list token is a regular expression rather than a fixed name: it holds
// any of . * + ? [ ] and backslash.
bool is_regex_token(std::string_view token);

class CommunityRegex {
 public:
  // Reason::bad_regex on failure; *error (when given) then gets a one-line explanation that
  // names the offending offset, e.g. "unterminated character class starting at offset 4".
  static Result<CommunityRegex> compile(std::string_view pattern, std::string* error = nullptr);

  // True if the whole of name matches (an empty name matches only patterns that accept "").
  bool matches(std::string_view name) const;

  const std::string& pattern() const { return pattern_; }
  // Elements as counted against kMaxRegexElements.
  std::size_t element_count() const { return element_count_; }

 private:
  using ByteSet = std::bitset<256>;
  // A state of the automaton: one atom, possibly repeated. "x+" compiles to "x" then "x*".
  struct Step {
    ByteSet accepts;
    bool repeat = false;    // '*': may consume any number of times
    bool optional = false;  // '*' or '?': may be skipped
  };

  CommunityRegex() = default;

  std::string pattern_;
  std::vector<Step> steps_;  // at most 2 × kMaxRegexElements, so a state set fits in 64 bits
  std::size_t element_count_ = 0;
};

}  // namespace n2nkit::supernode
