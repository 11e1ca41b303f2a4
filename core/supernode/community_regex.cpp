#include "core/supernode/community_regex.hpp"

#include <fmt/format.h>

#include <optional>

namespace n2nkit::supernode {
namespace {

using ByteSet = std::bitset<256>;

ByteSet range_set(unsigned char lo, unsigned char hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

ByteSet byte_set(unsigned char c) {
  ByteSet s;
  s.set(c);
  return s;
}

// The set an escape "\x" stands for: a shorthand class or the byte itself.
ByteSet escape_set(unsigned char x) {
  switch (x) {
    case 'd':
      return range_set('0', '9');
    case 'D':
      return ~range_set('0', '9');
    case 'w':
    case 'W': {
      const ByteSet word =
          range_set('a', 'z') | range_set('A', 'Z') | range_set('0', '9') | byte_set('_');
      return x == 'w' ? word : ~word;
    }
    case 's':
    case 'S': {
      const ByteSet space = byte_set(' ') | range_set('\t', '\r');  // \t \n \v \f \r
      return x == 's' ? space : ~space;
    }
    default:
      return byte_set(x);
  }
}

bool is_shorthand(unsigned char x) {
  return x == 'd' || x == 'D' || x == 'w' || x == 'W' || x == 's' || x == 'S';
}

bool is_quantifier(char c) {
  return c == '*' || c == '+' || c == '?';
}

struct ClassParse {
  ByteSet set;
  std::size_t end = 0;  // offset just past the closing ']'
};

// Parses the class that opens at pattern[open] == '['.
Result<ClassParse> parse_class(std::string_view p, std::size_t open, std::string& error) {
  std::size_t i = open + 1;
  bool negated = false;
  if (i < p.size() && p[i] == '^') {
    negated = true;
    ++i;
  }
  ByteSet set;
  bool any_item = false;
  while (i < p.size() && p[i] != ']') {
    // One class item: an escape or a byte, possibly the start of a range.
    std::optional<unsigned char> single;
    if (p[i] == '\\') {
      if (i + 1 >= p.size()) {
        error = fmt::format("trailing backslash at offset {}", i);
        return fail(Reason::bad_regex);
      }
      const auto x = static_cast<unsigned char>(p[i + 1]);
      if (is_shorthand(x)) {
        set |= escape_set(x);
      } else {
        single = x;
      }
      i += 2;
    } else {
      single = static_cast<unsigned char>(p[i]);
      i += 1;
    }
    any_item = true;
    if (!single) continue;
    // "a-b" is a range unless the '-' is the last byte before ']'.
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      const std::size_t range_at = i - 1;
      std::size_t j = i + 1;
      unsigned char hi = 0;
      if (p[j] == '\\') {
        if (j + 1 >= p.size()) {
          error = fmt::format("trailing backslash at offset {}", j);
          return fail(Reason::bad_regex);
        }
        hi = static_cast<unsigned char>(p[j + 1]);
        if (is_shorthand(hi)) {
          error = fmt::format("class shorthand \\{} cannot end a range (offset {})",
                              static_cast<char>(hi), j);
          return fail(Reason::bad_regex);
        }
        j += 2;
      } else {
        hi = static_cast<unsigned char>(p[j]);
        j += 1;
      }
      if (hi < *single) {
        error = fmt::format("reversed range in character class at offset {}", range_at);
        return fail(Reason::bad_regex);
      }
      set |= range_set(*single, hi);
      i = j;
    } else {
      set.set(*single);
    }
  }
  if (i >= p.size()) {
    error = fmt::format("unterminated character class starting at offset {}", open);
    return fail(Reason::bad_regex);
  }
  if (!any_item) {
    error = fmt::format("empty character class at offset {}", open);
    return fail(Reason::bad_regex);
  }
  return ClassParse{negated ? ~set : set, i + 1};
}

using StateSet = std::uint64_t;

}  // namespace

bool is_regex_token(std::string_view token) {
  return token.find_first_of(".*+?[]\\") != std::string_view::npos;
}

Result<CommunityRegex> CommunityRegex::compile(std::string_view pattern, std::string* error) {
  std::string message;
  const auto rejected = [&](std::string text) -> Result<CommunityRegex> {
    if (error) *error = std::move(text);
    return fail(Reason::bad_regex);
  };

  CommunityRegex re;
  re.pattern_ = std::string(pattern);
  std::size_t i = 0;
  // The reference keeps one slot free for its terminator; we refuse rather than truncate.
  const auto too_long = [&](std::size_t offset) {
    return rejected(fmt::format("pattern has more than {} elements (element {} at offset {})",
                                kMaxRegexElements, kMaxRegexElements + 1, offset));
  };
  while (i < pattern.size()) {
    const std::size_t atom_at = i;
    const char c = pattern[i];
    if (is_quantifier(c)) {
      return rejected(fmt::format("quantifier '{}' at offset {} has nothing to repeat", c, i));
    }
    Step step;
    if (c == '.') {
      step.accepts.set();
      i += 1;
    } else if (c == '\\') {
      if (i + 1 >= pattern.size())
        return rejected(fmt::format("trailing backslash at offset {}", i));
      step.accepts = escape_set(static_cast<unsigned char>(pattern[i + 1]));
      i += 2;
    } else if (c == '[') {
      auto cls = parse_class(pattern, i, message);
      if (!cls) return rejected(std::move(message));
      step.accepts = cls->set;
      i = cls->end;
    } else {
      step.accepts = byte_set(static_cast<unsigned char>(c));
      i += 1;
    }
    if (++re.element_count_ > kMaxRegexElements) return too_long(atom_at);

    if (i < pattern.size() && is_quantifier(pattern[i])) {
      const char q = pattern[i];
      if (++re.element_count_ > kMaxRegexElements) return too_long(i);
      i += 1;
      if (q == '+') {
        re.steps_.push_back(step);  // one mandatory copy, then the starred one
        step.repeat = true;
        step.optional = true;
      } else if (q == '*') {
        step.repeat = true;
        step.optional = true;
      } else {
        step.optional = true;
      }
    }
    re.steps_.push_back(step);
  }
  return re;
}

bool CommunityRegex::matches(std::string_view name) const {
  const std::size_t n = steps_.size();  // state n = the whole pattern consumed; n < 64
  // Adds every state reachable by skipping optional steps.
  const auto closure = [&](StateSet s) {
    for (std::size_t k = 0; k < n; ++k) {
      if ((s >> k & 1U) != 0 && steps_[k].optional) s |= StateSet{1} << (k + 1);
    }
    return s;
  };
  StateSet current = closure(1);
  for (const char ch : name) {
    const auto b = static_cast<unsigned char>(ch);
    StateSet next = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if ((current >> k & 1U) == 0 || !steps_[k].accepts.test(b)) continue;
      next |= StateSet{1} << (steps_[k].repeat ? k : k + 1);
    }
    current = closure(next);
    if (current == 0) return false;
  }
  return (current >> n & 1U) != 0;
}

}  // namespace n2nkit::supernode
