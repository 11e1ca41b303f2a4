#pragma once
// Where ../shared is: the N2NKIT_SHARED_DIR environment variable if set, else the CMake cache
// value baked in at configure time. Tests that need it skip loudly when it is absent.
#include <filesystem>
#include <optional>

namespace n2nkit::testing {

std::optional<std::filesystem::path> shared_dir();

}  // namespace n2nkit::testing
