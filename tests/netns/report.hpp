#pragma once
// One line per check: "PASS [a] ...", "FAIL [a] ...", "SKIP [h] ... (why)". The driver script
// and ctest read the exit status; people read the lines.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace n2nkit::netnstest {

class Report {
 public:
  bool check(bool ok, std::string_view step, std::string_view text) {
    fmt::print("{} [{}] {}\n", ok ? "PASS" : "FAIL", step, text);
    std::fflush(stdout);
    if (!ok) ++failures_;
    return ok;
  }
  // A failed check with what was seen instead.
  bool check(bool ok, std::string_view step, std::string_view text, std::string_view seen) {
    if (ok || seen.empty()) return check(ok, step, text);
    return check(ok, step, fmt::format("{} (got: {})", text, seen));
  }
  void skip(std::string_view step, std::string_view why) {
    fmt::print("SKIP [{}] {}\n", step, why);
    std::fflush(stdout);
  }
  void note(std::string_view step, std::string_view text) {
    fmt::print("     [{}] {}\n", step, text);
    std::fflush(stdout);
  }
  int failures() const { return failures_; }

 private:
  int failures_ = 0;
};

}  // namespace n2nkit::netnstest
