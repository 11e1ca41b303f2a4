#pragma once
// n2n-ctl's command line: the reference scripts/n2n-ctl's options, plus --json (a synonym of
// --raw, as every n2nkit tool has it), --timeout and --version.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/mgmt/client.hpp"

namespace n2nkit::ctltool {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoAnswer = 4;

struct Options {
  std::uint16_t port = 5644;
  std::optional<std::string> key;
  bool debug = false;
  bool raw = false;
  std::optional<std::string> orderby;
  mgmt::RequestType type = mgmt::RequestType::read;
  std::chrono::milliseconds timeout{1000};
  std::string cmd;
  std::vector<std::string> args;
};

// The options, or nothing with exit_code set (0 after --help/--version, 2 on a usage error,
// which has been reported in one line).
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace n2nkit::ctltool
