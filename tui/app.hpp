#pragma once
// The interactive loop: poll() on the terminal and the refresh timer, keys through UiState,
// a fresh snapshot every refresh unless paused, a redraw on every change and on SIGWINCH.
#include <vector>

#include "core/mtu/overhead.hpp"
#include "tui/poller.hpp"

namespace n2nkit::tui {

struct AppSettings {
  std::vector<Target> targets;
  PollSettings poll;
  mtu::PathConfig path;
  std::chrono::milliseconds refresh{1000};
  bool color = true;
  std::string iface;  // -i: the MSS view's capture and the Firewall view's overlay
};

// Returns the tool's exit code (0 after q).
int run_interactive(const AppSettings& s);

// The status line under the table: the first port with a problem, else a summary.
std::string status_summary(const Snapshot& s, std::chrono::milliseconds poll_time, bool& bad);

}  // namespace n2nkit::tui
