#include "core/net/signal_events.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace n2nkit::net {

SignalEvents::SignalEvents() {
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return;
  fd_.reset(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
}

std::vector<int> SignalEvents::take() {
  std::vector<int> signals;
  signalfd_siginfo info{};
  for (;;) {
    const ssize_t n = read(fd_.get(), &info, sizeof info);
    if (n != static_cast<ssize_t>(sizeof info)) {
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    signals.push_back(static_cast<int>(info.ssi_signo));
  }
  return signals;
}

}  // namespace n2nkit::net
