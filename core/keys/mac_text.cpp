#include "core/keys/mac_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/common/printable.hpp"

namespace n2nkit::keys {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_separator(char c) {
  return c == ':' || c == '-';
}

bool reference_reads(std::string_view text) {
  if (text.size() != 17) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool separator_slot = i % 3 == 2;
    if (separator_slot ? !is_separator(text[i]) : !is_hex(text[i])) return false;
  }
  return true;
}

std::optional<wire::Mac> bare_hex(std::string_view text) {
  if (text.size() != 12 || !std::all_of(text.begin(), text.end(), is_hex)) return std::nullopt;
  std::string spaced;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    if (i > 0) spaced += ':';
    spaced += text.substr(i, 2);
  }
  return wire::parse_mac(spaced);
}

// Only called for text wire::parse_mac refused, so some phrase below always applies.
std::string diagnose(std::string_view text) {
  if (text.empty()) return "empty";
  const auto odd =
      std::find_if(text.begin(), text.end(), [](char c) { return !is_hex(c) && !is_separator(c); });
  if (odd != text.end()) {
    const auto byte = static_cast<unsigned char>(*odd);
    if (byte >= 0x80) return fmt::format("byte 0x{:02x} is not a hex digit, ':' or '-'", byte);
    return fmt::format("'{}' is not a hex digit, ':' or '-'",
                       printable(std::string_view(&*odd, 1)));
  }
  if (std::none_of(text.begin(), text.end(), is_separator)) {
    return fmt::format("{} hex digit{}, expected 12 (or six octets separated by ':' or '-')",
                       text.size(), text.size() == 1 ? "" : "s");
  }
  std::vector<std::string_view> octets;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || is_separator(text[i])) {
      octets.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (std::any_of(octets.begin(), octets.end(), [](std::string_view o) { return o.empty(); })) {
    return "an empty octet (a separator at either end or two in a row)";
  }
  const auto long_octet =
      std::find_if(octets.begin(), octets.end(), [](std::string_view o) { return o.size() > 2; });
  if (long_octet != octets.end()) {
    return fmt::format("octet '{}' has {} hex digits, at most 2", *long_octet, long_octet->size());
  }
  if (octets.size() != 6) return fmt::format("{} octets, expected 6", octets.size());
  return "not six octets";
}

}  // namespace

MacText read_mac_text(std::string_view text) {
  MacText result;
  result.mac = wire::parse_mac(text);
  if (result.mac) {
    result.edge_spelling = true;
    result.reference_spelling = reference_reads(text);
    return result;
  }
  result.mac = bare_hex(text);
  if (!result.mac) result.problem = diagnose(text);
  return result;
}

}  // namespace n2nkit::keys
