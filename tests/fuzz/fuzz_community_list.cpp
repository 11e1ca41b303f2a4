// community.list parsing and the community regex dialect on arbitrary input. The parser either
// yields a list that keeps its own limits or one single-line error naming the source; the regex
// compiler never yields more than 29 elements, and a pattern made by escaping a name matches
// exactly that name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/supernode/community_list.hpp"
#include "core/supernode/community_regex.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;

namespace {

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void check_list(std::string_view text) {
  std::vector<std::string> warnings;
  std::string error;
  const auto list = parse_community_list(text, "fuzz.list", warnings, error);
  for (const auto& w : warnings) {
    if (w.rfind("fuzz.list:", 0) != 0) __builtin_trap();
  }
  if (!list) {
    if (list.error() != Reason::bad_community_list) __builtin_trap();
    if (error.rfind("fuzz.list:", 0) != 0 || error.find('\n') != std::string::npos) {
      __builtin_trap();
    }
    return;
  }
  if (!error.empty()) __builtin_trap();
  for (const auto& c : list->fixed) {
    if (c.name.empty() || c.name.size() > kMaxCommunityNameBytes) __builtin_trap();
    if (!list->allows(c.name) || list->find(c.name) != &c) __builtin_trap();
    if (c.subnet && (c.subnet->prefix < 1 || c.subnet->prefix > 30)) __builtin_trap();
    for (const auto& u : c.users) {
      if (u.name.empty() || u.name.size() > keys::kMaxUserNameBytes) __builtin_trap();
    }
  }
  for (const auto& r : list->regexes) {
    if (r.regex.element_count() > kMaxRegexElements) __builtin_trap();
  }
}

void check_regex(std::string_view pattern, std::string_view name) {
  std::string error;
  const auto re = CommunityRegex::compile(pattern, &error);
  if (!re) {
    if (re.error() != Reason::bad_regex || error.empty()) __builtin_trap();
  } else {
    if (re->element_count() > kMaxRegexElements) __builtin_trap();
    if (re->pattern() != pattern) __builtin_trap();
    if (re->matches(name) != re->matches(name)) __builtin_trap();
  }

  // An escaped name is a pattern for exactly that name.
  if (name.size() > kMaxRegexElements) name = name.substr(0, kMaxRegexElements);
  std::string escaped;
  for (const char c : name) {
    if (!is_alnum(c)) escaped += '\\';
    escaped += c;
  }
  const auto literal = CommunityRegex::compile(escaped);
  if (!literal || literal->element_count() != name.size()) __builtin_trap();
  if (!literal->matches(name)) __builtin_trap();
  if (literal->matches(std::string(name) + "x")) __builtin_trap();
  if (!name.empty() && literal->matches(name.substr(0, name.size() - 1))) __builtin_trap();

  // ".*" in front of any valid pattern accepts whatever the pattern accepts.
  if (re && re->element_count() <= kMaxRegexElements - 2) {
    const auto any = CommunityRegex::compile(".*" + std::string(pattern));
    if (!any) __builtin_trap();
    if (re->matches(name) && !any->matches(name)) __builtin_trap();
    if (!any->matches("prefix" + std::string(name)) && re->matches(name)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_list(text);
  // The first NUL splits the input into a pattern and a name.
  const std::size_t split = text.find('\0');
  if (split != std::string_view::npos) {
    check_regex(text.substr(0, split), text.substr(split + 1));
  } else {
    check_regex(text, text);
  }
  return 0;
}
