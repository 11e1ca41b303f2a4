// n2n-tui: the whole overlay on one screen. Attaches to the management ports of edges and
// supernodes (ours or the reference's) and shows peers (P2P or relayed), path MTUs against
// n2n's overhead, and counters; without a terminal, or with --once, one snapshot as text,
// with --json as one JSON document.
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <thread>

#include "core/mtu/probe_target.hpp"
#include "tui/app.hpp"
#include "tui/poller.hpp"
#include "tui/syn_capture.hpp"
#include "tui/text_render.hpp"

namespace {

using namespace n2nkit;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

constexpr const char* kFooter =
    "Keys: ? help, 1-5 or Tab views, s/S sort, / filter, p or space pause, +/- refresh, q quit.\n"
    "Exit status: 0 fine; 1 a problem was found (a path too small for the TAP MTU plus n2n's\n"
    "overhead, a wrong management password, a reply that is not the management API's, with -i a\n"
    "problem n2n-mss check reports);\n"
    "2 usage error; 4 a management port did not answer.";

int usage(const std::string& message) {
  fmt::print(stderr, "n2n-tui: {}\n", message);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "n2n-tui: peers (P2P or relayed), path MTUs and counters of n2n edges and supernodes, "
      "from their management ports, on one screen.",
      "n2n-tui"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string(N2NKIT_VERSION));
  std::vector<int> ports;
  std::vector<std::string> passwords;
  double refresh_s = 1.0;
  int timeout_ms = 500;
  std::string transform_text = "3";
  bool once = false;
  bool json = false;
  bool no_color = false;
  app.add_option("-t", ports,
                 "Management port on 127.0.0.1 (UDP; default 5644); repeat for several daemons");
  app.add_option("--management-password", passwords,
                 "Management password: one for all ports, or one per -t in order");
  app.add_option("-d,--refresh", refresh_s, "Seconds between polls (default 1; keys + and -)");
  app.add_option("--timeout", timeout_ms, "Milliseconds to wait for each reply (default 500)");
  app.add_option("-A", transform_text,
                 "Transform the overhead is computed for: 1 null, 2 Twofish, 3 AES (default), "
                 "4 ChaCha20, 5 Speck");
  std::string iface;
  app.add_option("-i", iface,
                 "Interface for the MSS view's SYN capture (needs CAP_NET_RAW) and the Firewall "
                 "view's overlay (e.g. n2n0)");
  app.add_flag("--once", once, "Print one snapshot of every view as text and exit");
  app.add_flag("--json", json, "Print one snapshot as one JSON document and exit");
  app.add_flag("--no-color", no_color, "No colours (severity shown in bold only)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    fmt::print("n2n-tui {}\n", N2NKIT_VERSION);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    return usage(e.what());
  }
  if (ports.empty()) ports.push_back(5644);
  if (passwords.size() > 1 && passwords.size() != ports.size()) {
    return usage(fmt::format("{} passwords for {} ports: give one for all, or one per -t",
                             passwords.size(), ports.size()));
  }
  tui::AppSettings s;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    if (ports[i] < 1 || ports[i] > 65535) {
      return usage(fmt::format("-t {}: not a UDP port (1..65535)", ports[i]));
    }
    tui::Target t;
    t.port = static_cast<std::uint16_t>(ports[i]);
    if (!passwords.empty()) t.password = passwords.size() == 1 ? passwords[0] : passwords[i];
    s.targets.push_back(std::move(t));
  }
  if (!std::isfinite(refresh_s) || refresh_s < 0.2 || refresh_s > 60) {
    return usage(fmt::format("--refresh {}: want 0.2 .. 60 seconds", refresh_s));
  }
  if (timeout_ms < 10 || timeout_ms > 10000) {
    return usage(fmt::format("--timeout {}: want 10 .. 10000 ms", timeout_ms));
  }
  const auto transform = mtu::transform_option(transform_text);
  if (!transform) return usage(fmt::format("-A{}: want -A1 .. -A5", transform_text));
  s.path.transform = *transform;
  s.poll.timeout = std::chrono::milliseconds(timeout_ms);
  s.refresh = std::chrono::milliseconds(static_cast<std::int64_t>(refresh_s * 1000));
  s.color = !no_color;
  s.iface = iface;

  if (once || json || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0) {
    // With -i the snapshot's MSS list is what one refresh interval of capture sees, as in the
    // interactive screen's first refresh: the capture starts before the poll and runs on.
    const auto started = std::chrono::steady_clock::now();
    std::unique_ptr<tui::SynCapture> capture;
    if (!iface.empty()) capture = std::make_unique<tui::SynCapture>(iface);
    tui::Snapshot snap = tui::poll_all(s.targets, s.poll);
    if (capture) {
      if (!capture->state().failed) std::this_thread::sleep_until(started + s.refresh);
      snap.capture = capture->state();
      if (!snap.capture.failed) {
        snap.capture.status =
            fmt::format("SYNs captured on {} for {:.1f} s (-d): {} seen, {} too big", iface,
                        refresh_s, snap.capture.seen, snap.capture.oversized);
      }
      snap.firewall = tui::read_firewall(iface);
    }
    const tui::TableOptions o{tui::kNoSort, false, "", snap.taken, s.path};
    if (json) {
      std::cout << tui::render_json(snap, o).dump(1) << '\n';
    } else {
      std::cout << tui::render_text(snap, o, 0);
    }
    return tui::snapshot_exit_code(snap, o);
  }
  return tui::run_interactive(s);
}
