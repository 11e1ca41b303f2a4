#include "core/common/reason.hpp"

#include <array>

namespace n2nkit {
namespace {
constexpr std::array<std::string_view, kReasonCount> kNames = {
#define N2NKIT_REASON_NAME(id, text) #id,
    N2NKIT_REASONS(N2NKIT_REASON_NAME)
#undef N2NKIT_REASON_NAME
};
constexpr std::array<std::string_view, kReasonCount> kTexts = {
#define N2NKIT_REASON_TEXT(id, text) text,
    N2NKIT_REASONS(N2NKIT_REASON_TEXT)
#undef N2NKIT_REASON_TEXT
};
}  // namespace

std::string_view reason_name(Reason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kNames.size() ? kNames[i] : "invalid";
}

std::string_view reason_text(Reason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kTexts.size() ? kTexts[i] : "invalid reason";
}

}  // namespace n2nkit
