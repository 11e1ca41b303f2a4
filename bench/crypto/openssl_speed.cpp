#include "bench/crypto/openssl_speed.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace n2nkit::bench {
namespace {

struct PipeClose {
  void operator()(FILE* f) const { pclose(f); }
};

// The machine-readable result line: "+F:<index>:<cipher>:<bytes per second>".
std::optional<double> parse_f_line(std::string_view line) {
  if (!line.starts_with("+F:")) return std::nullopt;
  const auto last = line.rfind(':');
  if (last == std::string_view::npos) return std::nullopt;
  const std::string number(line.substr(last + 1));
  char* end = nullptr;
  const double v = std::strtod(number.c_str(), &end);
  if (end == number.c_str() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

std::string openssl_speed_command(const std::string& cipher, std::size_t bytes, int seconds,
                                  bool decrypt, bool wall_clock) {
  std::string cmd = "openssl speed -evp " + cipher + " -bytes " + std::to_string(bytes) +
                    " -seconds " + std::to_string(seconds) + " -mr";
  if (decrypt) cmd += " -decrypt";
  if (wall_clock) cmd += " -elapsed";
  return cmd;
}

std::optional<double> openssl_speed_mbps(const std::string& cipher, std::size_t bytes, int seconds,
                                         bool decrypt, bool wall_clock) {
  const std::string cmd =
      openssl_speed_command(cipher, bytes, seconds, decrypt, wall_clock) + " 2>/dev/null";
  std::unique_ptr<FILE, PipeClose> pipe(popen(cmd.c_str(), "r"));
  if (!pipe) return std::nullopt;
  std::optional<double> result;
  char line[512];
  while (std::fgets(line, sizeof line, pipe.get()) != nullptr) {
    if (auto v = parse_f_line(line)) result = *v / 1e6;
  }
  return result;
}

}  // namespace n2nkit::bench
