#include "core/mtu/probe_target.hpp"

#include <fmt/format.h>

#include <charconv>

namespace n2nkit::mtu {
namespace {

std::optional<unsigned> small_number(std::string_view text, unsigned max) {
  unsigned v = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || p != end || v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<crypto::TransformId> transform_option(std::string_view value) {
  if (value.empty()) return crypto::TransformId::aes;
  const auto n = small_number(value, 5);
  if (!n) return std::nullopt;
  return crypto::transform_from_cli(static_cast<int>(*n));
}

bool compression_option(std::string_view value, bool& compressed) {
  if (value.empty()) {
    compressed = true;
    return true;
  }
  const auto n = small_number(value, 2);
  if (!n) return false;
  compressed = *n != 0;
  return true;
}

std::string check_search_bounds(std::size_t lower, std::size_t upper, std::size_t smallest) {
  if (lower < smallest) {
    return fmt::format("--min {} is below {}, the smallest probe", lower, smallest);
  }
  if (upper > 65535) return fmt::format("--max {} is above 65535", upper);
  if (lower > upper) return fmt::format("--min {} is above --max {}", lower, upper);
  return {};
}

}  // namespace n2nkit::mtu
