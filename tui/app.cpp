#include "tui/app.hpp"

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <future>
#include <memory>

#include "tui/mtu_prober.hpp"
#include "tui/syn_capture.hpp"
#include "tui/views.hpp"

namespace n2nkit::tui {
namespace {

constexpr std::chrono::seconds kFirewallEvery{3};
constexpr int kJobCheckMs = 20;  // how often a running poll is looked at

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
  MtuProber prober(find_n2n_mtu());

  // Polls run on a thread of their own (a supernode's long listing takes a while to arrive),
  // so that keys and resizes are answered meanwhile; at most one at a time.
  struct Polled {
    Snapshot snap;
    bool firewall_read = false;
  };
  std::future<Polled> job;
  auto job_started = clock::time_point{};
  const auto start_poll = [&] {
    const bool want_firewall = !s.iface.empty() && ui.view == View::firewall &&
                               (force || clock::now() - firewall_read >= kFirewallEvery);
    if (want_firewall) firewall_read = clock::now();
    force = false;
    job_started = clock::now();
    job = std::async(std::launch::async, [&s, want_firewall] {
      Polled p{poll_all(s.targets, s.poll), want_firewall};
      if (want_firewall) p.snap.firewall = read_firewall(s.iface);
      return p;
    });
  };

  Snapshot snap;
  snap.firewall = firewall;
  bool bad = false;
  std::string status = "polling...";
  auto next_poll = clock::now();
  const auto redraw = [&] {
    if (capture) snap.capture = capture->state();
    snap.probes = prober.results();
    screen.draw(snap, ui, table_options(ui, snap.taken, s.path), status, bad);
  };
  start_poll();
  redraw();
  while (!ui.quit) {
    const bool running = job.valid();
    int wait = -1;
    if (running) {
      wait = kJobCheckMs;
    } else if (!ui.paused) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - clock::now());
      wait = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    }
    pollfd in{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&in, 1, wait);
    bool dirty = capture != nullptr && ui.view == View::mss && !ui.paused;
    bool repoll = false;
    // EINTR: SIGWINCH; ncurses' handler has queued KEY_RESIZE for getch.
    if (ready > 0 || (ready < 0 && errno == EINTR)) {
      if ((in.revents & (POLLHUP | POLLERR)) != 0) break;  // the terminal went away
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
        if (ui.quit) break;
      }
    }
    if (ui.probe_requested) {
      ui.probe_requested = false;
      for (const TargetSnapshot& t : snap.targets) {
        for (const PeerRow& p : t.peers) {
          const std::string host = underlay_host(p.underlay);
          if (p.pmtu == 0 && !host.empty()) prober.start(host);
        }
      }
      dirty = true;
    }
    // Probes finish in the background: the screen follows them.
    bool probing = false;
    for (const auto& [host, r] : snap.probes) probing = probing || r.running;
    dirty = dirty || probing;
    if (ui.quit) break;
    if (job.valid() && job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      Polled p = job.get();
      const auto took =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - job_started);
      if (p.firewall_read) firewall = p.snap.firewall;
      // Paused: the screen keeps what it showed when p was pressed.
      if (!ui.paused) {
        snap = std::move(p.snap);
        snap.firewall = firewall;
        status = status_summary(snap, took, bad);
        dirty = true;
      }
      next_poll = clock::now() + ui.refresh;
    }
    if (!job.valid() && !ui.paused && (repoll || clock::now() >= next_poll)) start_poll();
    if (dirty) redraw();
  }
  // A poll still running ends within its timeouts; the future waits for it.
  return 0;
}

}  // namespace n2nkit::tui
