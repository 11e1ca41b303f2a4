// bench-tui: one refresh of n2n-tui's supernode view with 10,000 edges. The supernode is our
// engine, in process, with the edges registered by bench/supernode's fleet (REGISTER_SUPER
// datagrams through Engine::on_datagram), answering on a loopback management port through
// the daemon's own ManagementSocket and pacing, on a thread shaped like the daemon's loop.
// The TUI side is n2n-tui's: poll_target (every method, read_method each), build_target, the
// Peers table, and the ncurses draw of an 80x24 screen (newterm on /dev/null). With --serve it
// only serves (run.sh measures the n2n-tui process's memory against it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>

#include <curses.h>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "bench/supernode/scenario.hpp"
#include "core/mgmt/client.hpp"
#include "core/net/management_socket.hpp"
#include "core/net/udp_socket.hpp"
#include "core/supernode/management.hpp"
#include "tui/poller.hpp"
#include "tui/tables.hpp"

namespace {

using namespace n2nkit;
using clock_type = std::chrono::steady_clock;

std::uint64_t mono_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now().time_since_epoch())
          .count());
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The daemon's management loop, reduced to the management socket: requests answered by
// supernode::Management, replies leaving in bursts of ManagementSocket::kBurst every
// kBurstIntervalMs.
void serve(net::ManagementSocket& sock, supernode::Management& mgmt, std::atomic<bool>& stop) {
  std::uint64_t next_burst = 0;
  while (!stop) {
    const std::uint64_t now = mono_ms();
    int wait = 100;
    if (!sock.idle()) wait = next_burst > now ? static_cast<int>(next_burst - now) : 0;
    pollfd p{sock.fd(), POLLIN, 0};
    if (::poll(&p, 1, wait) > 0) {
      sock.on_readable([&](ByteView request, const wire::Sock&) {
        return mgmt.handle(request, static_cast<std::uint64_t>(std::time(nullptr)));
      });
    }
    const std::uint64_t mono = mono_ms();
    if (!sock.idle() && mono >= next_burst) {
      sock.send_burst(mono);
      next_burst = mono + net::ManagementSocket::kBurstIntervalMs;
    }
  }
}

struct Figures {
  double poll_ms = 0, poll_cpu_ms = 0, parse_ms = 0, table_ms = 0, draw_ms = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench-tui: one n2n-tui refresh of a supernode with many edges", "bench-tui"};
  std::size_t edges = 10'000;
  std::size_t communities = 100;
  int rounds = 5;
  bool serve_only = false;
  app.add_option("--edges", edges, "Edges registered (default 10000)");
  app.add_option("--communities", communities, "Communities they spread over (default 100)");
  app.add_option("--rounds", rounds, "Refreshes measured (default 5)");
  app.add_flag("--serve", serve_only, "Only serve: print the port, answer until killed");
  bool one_row = false;
  app.add_flag(
      "--one-row", one_row,
      "Ask without the packed-rows flag: one row per datagram, as from a reference daemon");
  CLI11_PARSE(app, argc, argv);

  bench::ScenarioOptions so;
  so.edges = edges;
  so.communities = communities;
  bench::Scenario scenario(so);
  const auto reg = scenario.register_all();
  if (reg.edges != edges) {
    fmt::print(stderr, "bench-tui: only {} of {} edges registered\n", reg.edges, edges);
    return 1;
  }
  supernode::Management mgmt(scenario.engine(), {});
  std::string error;
  net::UniqueFd fd = net::bind_ipv4(SOCK_DGRAM, 0x7f000001, 0, error);
  if (!fd.valid()) {
    fmt::print(stderr, "bench-tui: {}\n", error);
    return 1;
  }
  sockaddr_in bound{};
  socklen_t len = sizeof bound;
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len);
  const auto port = ntohs(bound.sin_port);
  net::ManagementSocket sock{net::UdpSocket(std::move(fd))};
  std::atomic<bool> stop{false};
  if (serve_only) {
    fmt::print("{}\n", port);
    std::fflush(stdout);
    serve(sock, mgmt, stop);
    return 0;
  }
  // The daemon's side alone: building and serialising the `edges` reply (packed, as n2n-tui
  // asks for it, unless --one-row), before it is paced out.
  std::vector<double> answer_ms;
  for (int r = 0; r < rounds; ++r) {
    const std::string request = one_row ? "r 1 edges" : "r 1:100 edges";
    const auto t = clock_type::now();
    const auto datagrams =
        mgmt.handle(as_bytes(request), static_cast<std::uint64_t>(std::time(nullptr)));
    answer_ms.push_back(ms_since(t));
    if (datagrams.size() < 3) return 1;
  }
  std::ranges::sort(answer_ms);
  std::thread server([&] { serve(sock, mgmt, stop); });

  // The screen: ncurses on /dev/null, 80x24, as the views draw it.
  FILE* null_out = std::fopen("/dev/null", "w");
  FILE* null_in = std::fopen("/dev/null", "r");
  SCREEN* screen = newterm("xterm", null_out, null_in);
  if (screen == nullptr) {
    fmt::print(stderr, "bench-tui: no xterm terminfo\n");
    return 1;
  }
  resizeterm(24, 80);
  std::vector<Figures> figures;
  const tui::Target target{port, ""};
  const tui::PollSettings settings{std::chrono::milliseconds(2000), !one_row};
  std::size_t rows = 0;
  for (int r = 0; r < rounds; ++r) {
    Figures f;
    // poll: every method's request and its whole reply (the supernode's paced datagrams);
    // parse and tables measured separately below on the same answers.
    auto t = clock_type::now();
    double cpu = thread_cpu_ms();
    tui::Snapshot snap;
    snap.targets.push_back(tui::poll_target(target, settings));
    snap.taken = static_cast<std::int64_t>(std::time(nullptr));
    f.poll_ms = ms_since(t);
    f.poll_cpu_ms = thread_cpu_ms() - cpu;
    rows = snap.targets[0].peers.size();
    if (snap.targets[0].health != tui::Health::ok || rows != edges) {
      fmt::print(stderr, "bench-tui: poll got {} edges ({})\n", rows, snap.targets[0].status);
      stop = true;
      server.join();
      return 1;
    }
    t = clock_type::now();
    tui::TableOptions o{tui::kNoSort, false, "", snap.taken, {}};
    const tui::Table table = tui::make_table(tui::View::peers, snap, o);
    f.table_ms = ms_since(t);
    t = clock_type::now();
    erase();
    int y = 0;
    for (const auto& sec : table.sections) {
      if (y >= 22) break;
      mvaddnstr(y++, 0, sec.heading.c_str(), 80);
      for (const auto& row : sec.rows) {
        if (y >= 22) break;
        mvaddnstr(y++, 0, tui::row_line(table, row, 80).c_str(), 80);
      }
    }
    refresh();
    f.draw_ms = ms_since(t);
    figures.push_back(f);
  }
  // Parsing alone: build_target from already received answers, 10,000 rows.
  {
    std::map<std::string, tui::MethodAnswer> answers;
    for (const auto& m : tui::polled_methods()) {
      auto a = mgmt::read_method(port, "", m, std::chrono::milliseconds(2000), !one_row);
      answers[m] = tui::MethodAnswer{std::move(a.rows), a.error, a.refused, a.ok};
    }
    for (auto& f : figures) {
      const auto t = clock_type::now();
      const auto target_snapshot = tui::build_target("bench", port, answers);
      f.parse_ms = ms_since(t);
    }
  }
  endwin();
  delscreen(screen);
  stop = true;
  server.join();

  const auto median = [&](double Figures::*m) {
    std::vector<double> v;
    for (const auto& f : figures) v.push_back(f.*m);
    std::ranges::sort(v);
    return v[v.size() / 2];
  };
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  fmt::print("edges {} in {} communities, {} refreshes (median), {}\n", rows, communities, rounds,
             one_row ? "one row per datagram (--one-row)" : "packed rows");
  fmt::print(
      "poll (all 8 methods, paced replies) {:.1f} ms wall, {:.1f} ms CPU of the TUI thread\n",
      median(&Figures::poll_ms), median(&Figures::poll_cpu_ms));
  fmt::print("supernode: the edges reply built     {:.1f} ms (of the poll's wall time)\n",
             answer_ms[answer_ms.size() / 2]);
  fmt::print("parse (build_target)               {:.1f} ms\n", median(&Figures::parse_ms));
  fmt::print("Peers table (sections, cells)      {:.1f} ms\n", median(&Figures::table_ms));
  fmt::print("ncurses draw 80x24                 {:.2f} ms\n", median(&Figures::draw_ms));
  fmt::print(
      "TUI CPU per refresh (poll CPU + table + draw) {:.1f} ms\n",
      median(&Figures::poll_cpu_ms) + median(&Figures::table_ms) + median(&Figures::draw_ms));
  fmt::print("refresh wall (poll wall + table + draw) {:.1f} ms\n",
             median(&Figures::poll_ms) + median(&Figures::table_ms) + median(&Figures::draw_ms));
  fmt::print("bench process max RSS {} MB (supernode engine with its edges included)\n",
             ru.ru_maxrss / 1024);
  return 0;
}
