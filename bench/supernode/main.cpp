// bench-supernode-scale: the supernode engine under 100,000 simulated edges, in process (no
// sockets): registration rate and memory, then relay rates for a steady mix, each relay next
// to the cost of a bare copy of the same datagram into the Outbox, plaintext and with header
// encryption. Prints measurements only; nothing here passes or fails.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "bench/supernode/scenario.hpp"

using namespace n2nkit;
using namespace n2nkit::bench;

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

double mib(double bytes) {
  return bytes / (1024.0 * 1024.0);
}

std::uint64_t total_drops(const supernode::Engine& engine) {
  std::uint64_t sum = 0;
  for (const auto d : engine.counters().drops) sum += d;
  return sum;
}

void print_drops(const supernode::Engine& engine) {
  const auto& c = engine.counters();
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    if (c.drops[i] != 0) {
      std::printf("  drops %s: %llu\n", reason_name(static_cast<Reason>(i)).data(),
                  static_cast<unsigned long long>(c.drops[i]));
    }
  }
  std::printf(
      "  engine counters: forward %llu, broadcast %llu, reg_super_rx %llu, nak %llu, "
      "errors_tx %llu, drops %llu\n",
      static_cast<unsigned long long>(c.packets.forward),
      static_cast<unsigned long long>(c.packets.broadcast),
      static_cast<unsigned long long>(c.packets.reg_super_rx),
      static_cast<unsigned long long>(c.packets.reg_super_nak),
      static_cast<unsigned long long>(c.packets.errors_tx),
      static_cast<unsigned long long>(total_drops(engine)));
}

void print_header() {
  std::printf("%-46s %10s %8s %8s %11s %9s %8s %8s\n", "measurement", "datagrams", "cpu s",
              "wall s", "per second", "ns each", "out/in", "x copy");
}

void print_row(const char* label, const Totals& t, double copy_ns) {
  const double out_per_in =
      t.datagrams ? static_cast<double>(t.sent) / static_cast<double>(t.datagrams) : 0;
  char ratio[32] = "-";
  if (copy_ns > 0) std::snprintf(ratio, sizeof ratio, "%.1f", t.ns_per_datagram() / copy_ns);
  std::printf("%-46s %10llu %8.3f %8.3f %11.0f %9.1f %8.2f %8s\n", label,
              static_cast<unsigned long long>(t.datagrams), t.cpu_s, t.wall_s, t.per_second(),
              t.ns_per_datagram(), out_per_in, ratio);
  std::fflush(stdout);
}

void print_registration(const RegistrationResult& r, std::size_t edges) {
  print_row("REGISTER_SUPER (bootstraps included)", r.totals, 0);
  const double heap =
      static_cast<double>(r.after.heap_bytes) - static_cast<double>(r.before.heap_bytes);
  const double rss =
      static_cast<double>(r.after.rss_bytes) - static_cast<double>(r.before.rss_bytes);
  std::printf(
      "  %zu edges registered (%zu expected) in %.3f s CPU / %.3f s wall: %.0f edges/s; "
      "%zu registrations not ACKed\n",
      r.edges, edges, r.totals.cpu_s, r.totals.wall_s,
      static_cast<double>(r.edges) / r.totals.cpu_s, r.not_acked);
  std::printf(
      "  memory growth: heap %.1f MiB (%.0f B/edge), VmRSS %.1f MiB (%.0f B/edge); "
      "VmRSS now %.1f MiB\n",
      mib(heap), heap / static_cast<double>(edges), mib(rss), rss / static_cast<double>(edges),
      mib(static_cast<double>(r.after.rss_bytes)));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Supernode engine at scale: registrations, relay and memory, in process"};
  ScenarioOptions o;
  double seconds = 1.0;
  bool no_he = false;
  bool no_plain = false;
  app.add_option("--edges", o.edges, "Simulated edges")->check(CLI::Range(2, 10'000'000));
  app.add_option("--communities", o.communities, "Communities the edges are spread over")
      ->check(CLI::Range(1, 9'999));
  app.add_option("--seconds", seconds, "CPU time of each relay measurement")
      ->check(CLI::PositiveNumber);
  app.add_option("--pps", o.pps, "Simulated datagrams per second of the steady mix")
      ->check(CLI::Range(1'000, 1'000'000));
  app.add_option("--broadcast-share", o.broadcast_share, "Share of broadcast PACKETs")
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--no-he", no_he, "Skip the header-encrypted runs");
  app.add_flag("--no-plain", no_plain, "Skip the plaintext runs");
  CLI11_PARSE(app, argc, argv);
  if (o.communities > o.edges) o.communities = o.edges;

  const double reregister_share =
      static_cast<double>(o.edges) / o.reregister_interval / static_cast<double>(o.pps);
  std::printf(
      "bench-supernode-scale: %zu edges in %zu communities, half auto-IP, simple-id "
      "tokens, 1400-byte PACKET payloads\n",
      o.edges, o.communities);
  std::printf("machine: %s, nproc %u\n", cpu_model().c_str(), std::thread::hardware_concurrency());
  std::printf(
      "steady mix at %llu simulated datagrams/s: every edge re-registers every %.0f s "
      "-> %.1f %% REGISTER_SUPER; of the PACKETs %.1f %% broadcast\n",
      static_cast<unsigned long long>(o.pps), o.reregister_interval, 100.0 * reregister_share,
      100.0 * o.broadcast_share);
  std::printf(
      "sizeof: EdgeRecord %zu B (wire::Auth %zu B of it), one edge map entry %zu B "
      "before malloc's overhead\n",
      sizeof(supernode::EdgeRecord), sizeof(wire::Auth),
      sizeof(supernode::EdgeTable::Map::value_type) + 4 * sizeof(void*));
  std::printf(
      "times are the thread's CPU time in the engine calls (datagrams are built "
      "and sealed outside them); x copy = ns each / ns of a bare Outbox::push\n\n");

  double copy_ns = 0;
  if (!no_plain) {
    std::printf("== plaintext, open supernode (communities created on the fly)\n");
    print_header();
    Scenario s(o);
    const auto reg = s.register_all();
    print_registration(reg, o.edges);
    const auto copy = s.bare_copy(seconds);
    copy_ns = copy.ns_per_datagram();
    print_row("bare copy: Outbox::push of the PACKET + clear", copy, copy_ns);
    const auto steady = s.relay(Mix::steady, seconds);
    print_row("steady mix", steady.totals, copy_ns);
    std::printf("  of which unicast %llu, broadcast %llu, REGISTER_SUPER %llu\n",
                static_cast<unsigned long long>(steady.unicast),
                static_cast<unsigned long long>(steady.broadcast),
                static_cast<unsigned long long>(steady.reregister));
    print_row("unicast PACKET only", s.relay(Mix::unicast, seconds).totals, copy_ns);
    print_row("broadcast PACKET only", s.relay(Mix::broadcast, seconds).totals, copy_ns);
    print_row("re-registration only", s.relay(Mix::reregister, seconds).totals, copy_ns);
    const auto purge = s.purge_sweep();
    std::printf("  purge sweep 30 s later: %.2f ms CPU for %zu edges (%zu silent ones removed)\n",
                purge.cpu_ms, purge.edges_before, purge.edges_before - purge.edges_after);
    print_drops(s.engine());
    std::printf("\n");
  }

  if (!no_he) {
    std::printf("== header encryption, locked supernode (every community in community.list)\n");
    print_header();
    auto he = o;
    he.encrypted = true;
    Scenario s(he);
    const auto reg = s.register_all();
    print_registration(reg, he.edges);
    const auto steady = s.relay(Mix::steady, seconds);
    print_row("steady mix, HE", steady.totals, copy_ns);
    std::printf("  of which unicast %llu, broadcast %llu, REGISTER_SUPER %llu\n",
                static_cast<unsigned long long>(steady.unicast),
                static_cast<unsigned long long>(steady.broadcast),
                static_cast<unsigned long long>(steady.reregister));
    print_row("unicast PACKET only, HE", s.relay(Mix::unicast, seconds).totals, copy_ns);
    const auto last = static_cast<std::uint32_t>(s.fleet().community_count() - 1);
    print_row("unicast, HE, 1st community in trial order",
              s.relay(Mix::unicast, seconds, 0u).totals, copy_ns);
    print_row("unicast, HE, last community in trial order",
              s.relay(Mix::unicast, seconds, last).totals, copy_ns);
    s.use_system_random(false);
    print_row("unicast, HE, 1st community, xorshift filler",
              s.relay(Mix::unicast, seconds, 0u).totals, copy_ns);
    s.use_system_random(true);
    print_row("broadcast PACKET only, HE", s.relay(Mix::broadcast, seconds).totals, copy_ns);
    print_drops(s.engine());
  }
  return 0;
}
