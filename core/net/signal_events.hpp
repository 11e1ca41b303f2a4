#pragma once
// Signals as events of the loop (signalfd): SIGTERM and SIGINT stop the daemon cleanly, SIGHUP
// re-reads community.list. SIGPIPE is ignored (a TCP peer that went away is seen by send()).
#include <vector>

#include "core/net/unique_fd.hpp"

namespace n2nkit::net {

class SignalEvents {
 public:
  // Blocks the signals for the whole process; call before any thread is started.
  SignalEvents();
  int fd() const { return fd_.get(); }
  bool valid() const { return fd_.valid(); }
  // The signals that arrived since the last call.
  std::vector<int> take();

 private:
  UniqueFd fd_;
};

}  // namespace n2nkit::net
