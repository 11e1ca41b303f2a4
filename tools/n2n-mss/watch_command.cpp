// n2n-mss watch: SYNs and SYN-ACKs from libpcap, each judged against the routes it crosses here.
#include <sys/time.h>

#include <csignal>
#include <ctime>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/capture/pcap_source.hpp"
#include "core/capture/syn_watch.hpp"
#include "tools/n2n-mss/commands.hpp"

namespace n2nmss {
namespace {

using n2nkit::capture::NextStatus;
using n2nkit::capture::PcapSource;
using n2nkit::net::RouteFacts;

PcapSource* g_live = nullptr;
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
  if (g_live) g_live->break_loop();
}

// libpcap in immediate mode can block in poll() with no packets at all; a timer ends that.
void arm_timeout(double seconds) {
  itimerval t{};
  t.it_value.tv_sec = static_cast<time_t>(seconds);
  t.it_value.tv_usec =
      static_cast<suseconds_t>((seconds - static_cast<double>(t.it_value.tv_sec)) * 1e6);
  if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0) t.it_value.tv_usec = 1;
  std::signal(SIGALRM, on_signal);
  setitimer(ITIMER_REAL, &t, nullptr);
}

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string clock_text(double t) {
  const auto secs = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return fmt::format("{:02}:{:02}:{:02}.{:06}", tm.tm_hour, tm.tm_min, tm.tm_sec,
                     static_cast<long>((t - static_cast<double>(secs)) * 1e6));
}

nlohmann::ordered_json route_json(const std::optional<RouteFacts>& r) {
  if (!r) return nullptr;
  nlohmann::ordered_json j = {{"iface", r->iface},   {"iface_mtu", r->iface_mtu},
                              {"local", r->local},   {"route_mtu", r->route_mtu},
                              {"advmss", r->advmss}, {"gateway", r->gateway}};
  return j;
}

std::string route_text(const std::optional<RouteFacts>& r) {
  if (!r) return "no route";
  if (r->local) return "local";
  std::string t = fmt::format("{} {}", r->iface, r->iface_mtu);
  if (r->route_mtu) t += fmt::format(" mtu {}", r->route_mtu);
  if (r->advmss) t += fmt::format(" advmss {}", r->advmss);
  return t;
}

}  // namespace

int run_watch(n2nkit::diag::WatchOptions o) {
  if (const auto bad = n2nkit::diag::check_watch_options(o)) {
    std::cerr << "n2n-mss watch: " << *bad << "\n";
    return kExitUsage;
  }
  std::string error;
  auto routes = n2nkit::net::RouteLookup::open(error);
  if (!routes) {
    std::cerr << "n2n-mss watch: " << error << "\n";
    return kExitProblem;
  }
  const bool live = o.read_file.empty();
  auto source =
      live ? PcapSource::open_live(o.iface, n2nkit::capture::syn_capture_filter(o.ports), error)
           : PcapSource::open_file(o.read_file, error);
  if (!source) {
    std::cerr << "n2n-mss watch: " << error << "\n";
    return error.find("CAP_NET_RAW") != std::string::npos ? kExitPermission : kExitUsage;
  }
  if (!n2nkit::capture::syn_linktype_supported(source->linktype())) {
    std::cerr << fmt::format(
        "n2n-mss watch: {}: link type {} is not supported (Ethernet, Linux cooked, raw IP, "
        "loopback are)\n",
        live ? o.iface : o.read_file, n2nkit::capture::linktype_name(source->linktype()));
    return kExitUsage;
  }
  if (live) {
    g_live = source.get();
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    if (o.timeout > 0) arm_timeout(o.timeout);
  }

  n2nkit::capture::WatchSummary summary;
  std::vector<std::uint8_t> scratch;
  n2nkit::capture::CapturedFrame frame;
  std::uint64_t seen = 0;
  bool read_error = false;
  const double start = now_seconds();
  while (!g_stop) {
    if (o.timeout > 0 && now_seconds() - start >= o.timeout) break;
    const auto st = source->next(frame);
    if (st == NextStatus::timeout) continue;
    if (st == NextStatus::end) break;
    if (st == NextStatus::error) {
      if (g_stop) break;  // break_loop from the signal handler
      std::cerr << "n2n-mss watch: " << source->error() << "\n";
      read_error = true;
      break;
    }
    const auto syn = n2nkit::capture::syn_in_capture(frame.linktype, frame.data, scratch);
    if (!syn) {
      ++summary.not_syn_frames;
      continue;
    }
    std::string src_error, dst_error;
    const auto to_src = routes->lookup(syn->src, src_error);
    const auto to_dst = routes->lookup(syn->dst, dst_error);
    const auto v = n2nkit::capture::judge_syn(*syn, to_src, to_dst);
    summary.add(*syn, v);
    const std::string src = n2nkit::packet::endpoint_to_string(syn->src);
    const std::string dst = n2nkit::packet::endpoint_to_string(syn->dst);
    if (o.json) {
      nlohmann::ordered_json j = {
          {"time", frame.time},
          {"type", syn->syn_ack() ? "syn-ack" : "syn"},
          {"src", src},
          {"dst", dst},
          {"mss", syn->mss ? nlohmann::json(*syn->mss) : nlohmann::json(nullptr)},
          {"options_malformed", syn->options_malformed},
          {"route_to_src", route_json(to_src)},
          {"route_to_dst", route_json(to_dst)},
          {"path_mtu", v.path_mtu},
          {"mss_limit", v.mss_limit},
          {"oversized", v.oversized}};
      std::cout << j.dump() << "\n";
    } else {
      std::string mss =
          syn->mss ? std::to_string(*syn->mss) : (syn->options_malformed ? "malformed" : "none");
      std::string line = fmt::format("{} {:<7} {} > {} mss {}  routes: {} / {}",
                                     clock_text(frame.time), syn->syn_ack() ? "SYN-ACK" : "SYN",
                                     src, dst, mss, route_text(to_src), route_text(to_dst));
      if (v.mss_limit != 0) line += fmt::format("  limit {}", v.mss_limit);
      if (v.oversized) line += fmt::format("  TOO BIG by {}", *syn->mss - v.mss_limit);
      std::cout << line << "\n";
    }
    std::cout.flush();
    if (o.count && ++seen >= o.count) break;
  }
  g_live = nullptr;

  if (o.json) {
    nlohmann::ordered_json mss_seen = nlohmann::ordered_json::object();
    for (const auto& [value, n] : summary.mss_seen) mss_seen[std::to_string(value)] = n;
    std::cout << nlohmann::ordered_json{{"summary",
                                         {{"syn", summary.syns},
                                          {"syn_ack", summary.syn_acks},
                                          {"oversized", summary.oversized},
                                          {"without_mss", summary.without_mss},
                                          {"malformed_options", summary.malformed_options},
                                          {"route_unknown", summary.route_unknown},
                                          {"other_frames", summary.not_syn_frames},
                                          {"mss_seen", mss_seen}}}}
                     .dump()
              << "\n";
  } else {
    std::string values;
    for (const auto& [value, n] : summary.mss_seen)
      values += fmt::format("{}{}x{}", values.empty() ? "" : ", ", n, value);
    std::cout << fmt::format(
        "summary: {} SYN, {} SYN-ACK, {} with an MSS too big for the path, {} without MSS, {} "
        "with malformed options{}\n",
        summary.syns, summary.syn_acks, summary.oversized, summary.without_mss,
        summary.malformed_options, values.empty() ? "" : "; MSS seen: " + values);
  }
  if (read_error) return kExitUsage;
  return summary.oversized ? kExitProblem : kExitOk;
}

}  // namespace n2nmss
