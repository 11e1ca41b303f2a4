#include "tui/app.hpp"

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <memory>

#include "tui/syn_capture.hpp"
#include "tui/views.hpp"

namespace n2nkit::tui {
namespace {

constexpr std::chrono::seconds kFirewallEvery{3};

}  // namespace

std::string status_summary(const Snapshot& s, std::chrono::milliseconds poll_time, bool& bad) {
  for (const TargetSnapshot& t : s.targets) {
    if (t.health != Health::ok) {
      bad = true;
      return t.status;
    }
  }
  bad = false;
  std::string out;
  for (const TargetSnapshot& t : s.targets) {
    if (!out.empty()) out += " | ";
    out += t.status;
  }
  return fmt::format("{} ({} ms)", out, poll_time.count());
}

int run_interactive(const AppSettings& s) {
  using clock = std::chrono::steady_clock;
  UiState ui;
  ui.refresh = s.refresh;
  Screen screen(s.color);
  std::unique_ptr<SynCapture> capture;
  if (!s.iface.empty()) capture = std::make_unique<SynCapture>(s.iface);
  // The firewall takes subprocesses to read: only while its view is shown, every few seconds
  // or on u.
  FirewallSnapshot firewall;
  firewall.overlay = s.iface;
  auto firewall_read = clock::time_point{};
  bool force = false;
  const auto poll_now = [&](Snapshot& snap, std::chrono::milliseconds& took) {
    const auto start = clock::now();
    snap = poll_all(s.targets, s.poll);
    if (capture) snap.capture = capture->state();
    if (!s.iface.empty() && ui.view == View::firewall &&
        (force || clock::now() - firewall_read >= kFirewallEvery)) {
      firewall = read_firewall(s.iface);
      firewall_read = clock::now();
    }
    force = false;
    snap.firewall = firewall;
    took = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
  };
  Snapshot snap;
  std::chrono::milliseconds took{0};
  poll_now(snap, took);
  auto next_poll = clock::now() + ui.refresh;
  bool bad = false;
  std::string status = status_summary(snap, took, bad);
  const auto redraw = [&] {
    screen.draw(snap, ui, table_options(ui, snap.taken, s.path), status, bad);
  };
  redraw();
  while (!ui.quit) {
    int wait = -1;
    if (!ui.paused) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - clock::now());
      wait = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    pollfd in{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&in, 1, wait);
    bool dirty = false;
    bool repoll = false;
    // EINTR: SIGWINCH; ncurses' handler has queued KEY_RESIZE for getch.
    if (ready > 0 || (ready < 0 && errno == EINTR)) {
      if ((in.revents & (POLLHUP | POLLERR)) != 0) return 0;  // the terminal went away
      for (int key = screen.read_key(); key != kKeyNone; key = screen.read_key()) {
        if (key == kKeyResize) {
          dirty = true;
          continue;
        }
        const View before = ui.view;
        const KeyEffect e = handle_key(ui, key);
        if (key == 'u') force = true;
        // Entering the Firewall view reads it at once.
        if (ui.view != before && ui.view == View::firewall) repoll = force = true;
        dirty = dirty || e != KeyEffect::none;
        repoll = repoll || e == KeyEffect::repoll;
        if (ui.quit) return 0;
      }
    }
    if (!ui.paused && (repoll || clock::now() >= next_poll)) {
      poll_now(snap, took);
      status = status_summary(snap, took, bad);
      next_poll = clock::now() + ui.refresh;
      dirty = true;
    }
    if (dirty) redraw();
  }
  return 0;
}

}  // namespace n2nkit::tui
