#include "tui/mtu_prober.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/firewall/program_run.hpp"

namespace n2nkit::tui {

MtuProber::~MtuProber() {
  // n2n-mtu gives up after its --timeout: the threads end.
  for (std::thread& t : threads_) t.join();
}

void MtuProber::start(const std::string& host) {
  {
    const std::lock_guard lock(mutex_);
    MtuProbeResult& r = results_[host];
    if (r.running) return;
    r = MtuProbeResult{true, 0, ""};
  }
  threads_.emplace_back([this, host] {
    const auto run =
        firewall::run_program({program_, "probe", "--host", host, "--timeout", "5", "--json"});
    MtuProbeResult r = run.started ? probe_result_from(run.exit_code, run.out, run.err)
                                   : MtuProbeResult{false, 0, run.error};
    const std::lock_guard lock(mutex_);
    results_[host] = std::move(r);
  });
}

std::map<std::string, MtuProbeResult> MtuProber::results() const {
  const std::lock_guard lock(mutex_);
  return results_;
}

std::string find_n2n_mtu() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto dir = self.parent_path();
    for (const auto& candidate : {dir / "n2n-mtu", dir.parent_path() / "n2n-mtu" / "n2n-mtu"}) {
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return "n2n-mtu";
}

}  // namespace n2nkit::tui
