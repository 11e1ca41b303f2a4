#pragma once
// Key m: n2n-mtu probe --host towards the underlay address of every peer whose path MTU the
// edge does not report (a reference edge reports none), each on a thread of its own.
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tui/model.hpp"

namespace n2nkit::tui {

class MtuProber {
 public:
  explicit MtuProber(std::string program) : program_(std::move(program)) {}
  ~MtuProber();
  MtuProber(const MtuProber&) = delete;
  MtuProber& operator=(const MtuProber&) = delete;

  // Starts a probe unless one for this host runs already (a finished one is repeated).
  void start(const std::string& host);
  std::map<std::string, MtuProbeResult> results() const;

 private:
  std::string program_;
  mutable std::mutex mutex_;
  std::map<std::string, MtuProbeResult> results_;
  std::vector<std::thread> threads_;
};

// The n2n-mtu next to this n2n-tui (installed side by side, or in the build tree), else the
// one in PATH.
std::string find_n2n_mtu();

}  // namespace n2nkit::tui
