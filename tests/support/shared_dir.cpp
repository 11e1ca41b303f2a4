#include "tests/support/shared_dir.hpp"

#include <cstdlib>

namespace n2nkit::testing {

std::optional<std::filesystem::path> shared_dir() {
  const char* env = std::getenv("N2NKIT_SHARED_DIR");
  std::filesystem::path p = env && *env ? env : N2NKIT_SHARED_DIR_DEFAULT;
  std::error_code ec;
  if (!std::filesystem::is_directory(p / "spec", ec)) return std::nullopt;
  return p;
}

}  // namespace n2nkit::testing
