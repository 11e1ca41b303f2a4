#pragma once
// The three n2n-mss commands; each returns the tool's exit status (see n2n-mss(8)).
#include "core/diag/mss_options.hpp"

namespace n2nmss {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblem = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPermission = 3;

int run_watch(n2nkit::diag::WatchOptions o);
int run_check(const n2nkit::diag::CheckOptions& o);
int run_clamp(const n2nkit::diag::ClampOptions& o);

}  // namespace n2nmss
