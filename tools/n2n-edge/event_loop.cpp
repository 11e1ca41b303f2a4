#include "event_loop.hpp"

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/mtu/overhead.hpp"
#include "core/net/link_setup.hpp"
#include "core/service/log.hpp"

namespace n2nkit::edged {
namespace {

using service::Level;
using service::log;

// Frames read from the TAP per readiness event, and UDP batches: enough to drain a burst,
// few enough that the other side is not starved.
constexpr int kTapFramesPerEvent = 64;
constexpr int kUdpBatchesPerEvent = 4;

}  // namespace

wire::WallTime wall_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return {static_cast<std::uint64_t>(ts.tv_sec), static_cast<std::uint32_t>(ts.tv_nsec / 1000)};
}

std::uint64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000 +
         static_cast<std::uint64_t>(ts.tv_nsec / 1000000);
}

EventLoop::EventLoop(const Options& options, edge::EdgeConfig config, net::UdpSocket udp,
                     net::TapDevice tap, net::UdpSocket management, net::SignalEvents& signals,
                     SetupDone once_configured)
    : options_(options),
      engine_(std::move(config), wall_now()),
      udp_(std::move(udp)),
      tap_(std::move(tap)),
      signals_(signals),
      management_socket_(std::move(management)),
      management_(
          engine_,
          edge::ManagementHooks{[this] { stopping_ = true; }, [] { return service::log_level(); },
                                [](unsigned level) { service::set_log_level(level); }},
          options.management_password),
      once_configured_(std::move(once_configured)) {
  applied_mtu_ = engine_.tap_mtu();
  poller_.add(udp_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::udp));
  poller_.add(tap_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::tap));
  poller_.add(signals_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::signals));
  poller_.add(management_socket_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::management));
}

namespace {

std::uint64_t micros(wire::WallTime t) {
  return t.sec * 1'000'000 + t.usec;
}

}  // namespace

int EventLoop::timeout_ms() const {
  const auto now = micros(wall_now());
  const auto deadline = micros(engine_.next_deadline());
  if (deadline <= now) return 0;
  // Rounded up, so that the loop does not wake just before the deadline; never longer than a
  // second.
  std::uint64_t ms = (deadline - now + 999) / 1000;
  if (!management_socket_.idle()) ms = std::min<std::uint64_t>(ms, 1);
  return static_cast<int>(std::min<std::uint64_t>(ms, 1000));
}

void EventLoop::apply_address() {
  const auto& address = engine_.address();
  if (!address || applied_address_ == address) return;
  std::string error;
  if (!net::add_ipv4_address(tap_.ifindex(), *address, error)) {
    log(Level::error, "{}", error);
    return;
  }
  log(Level::normal, "{}: address {}", tap_.name(), wire::subnet_to_string(*address));
  applied_address_ = address;
  if (once_configured_) {
    const auto done = std::exchange(once_configured_, nullptr);
    if (!done(error)) {
      log(Level::error, "{}", error);
      stopping_ = true;
      exit_code_ = kExitFailure;
    }
  }
}

void EventLoop::flush(wire::WallTime now) {
  udp_batch_.clear();
  for (std::size_t i = 0; i < net_out_.size(); ++i) {
    if (net_out_[i].path_probe) continue;
    udp_batch_.push_back({net_out_[i].to.sock, net_out_[i].bytes});
  }
  if (!udp_batch_.empty()) {
    const auto result = udp_.send(udp_batch_);
    send_drops_ += result.dropped + result.failed;
  }
  // Probes alone, with DF: only they may fail for their size. Everything else keeps the
  // socket's default (DF only up to the route's known path MTU, fragments beyond it): frames
  // too big for the path still arrive, where DF on all traffic would lose them outright.
  for (std::size_t i = 0; i < net_out_.size(); ++i) {
    if (!net_out_[i].path_probe) continue;
    const auto outcome = udp_.send_probe(net_out_[i].to.sock, net_out_[i].bytes);
    if (outcome.too_big) {
      engine_.on_probe_too_big(
          net_out_[i].bytes.size() + mtu::underlay_header_bytes(mtu::Underlay::ipv4),
          outcome.local_mtu, now);
    }
  }
  for (std::size_t i = 0; i < tap_out_.size(); ++i) {
    if (!tap_.write(tap_out_[i].bytes)) ++tap_write_errors_;
  }
  net_out_.clear();
  tap_out_.clear();
  apply_address();
  apply_mtu();
}

void EventLoop::apply_mtu() {
  const std::size_t want = engine_.tap_mtu();
  if (want == applied_mtu_) return;
  std::string error;
  if (!net::configure_link(tap_.ifindex(), engine_.config().mac, static_cast<unsigned>(want),
                           error)) {
    log(Level::error, "{}", error);
    applied_mtu_ = want;  // not again and again
    return;
  }
  log(Level::normal, "{}: MTU {} (path MTU to the supernode {})", tap_.name(), want,
      engine_.supernode_path() ? engine_.supernode_path()->result().pmtu : 0);
  applied_mtu_ = want;
}

void EventLoop::on_udp_readable() {
  for (int batch = 0; batch < kUdpBatchesPerEvent; ++batch) {
    const auto now = wall_now();
    const std::size_t n =
        udp_.receive_batch([&](ByteView datagram, const wire::Sock& from, bool truncated) {
          if (truncated) return;  // longer than any n2n message (spec §1)
          engine_.on_datagram(datagram, net::Endpoint{from, 0}, now, net_out_, tap_out_);
        });
    flush(now);
    if (n < net::UdpSocket::kBatch) break;
  }
}

void EventLoop::on_tap_readable() {
  const auto now = wall_now();
  for (int i = 0; i < kTapFramesPerEvent; ++i) {
    const auto n = tap_.read(frame_);
    if (!n) break;
    engine_.on_frame(ByteView{frame_.data(), *n}, now, net_out_, tap_out_);
  }
  flush(now);
}

void EventLoop::serve_management() {
  for (auto& [to, datagram] : management_.take_events()) {
    management_socket_.push(to, {std::move(datagram)});
  }
  const std::uint64_t mono = monotonic_ms();
  if (!management_socket_.idle() && mono >= next_burst_ms_) {
    management_socket_.send_burst(mono);
    next_burst_ms_ = mono + net::ManagementSocket::kBurstIntervalMs;
  }
}

bool EventLoop::on_signals() {
  for (const int sig : signals_.take()) {
    if (sig == SIGTERM || sig == SIGINT) return false;
  }
  return true;
}

int EventLoop::run() {
  const auto start = wall_now();
  engine_.start(start, net_out_);
  flush(start);
  std::array<epoll_event, 16> events{};
  while (!stopping_) {
    const int n = poller_.wait(events, timeout_ms());
    for (int i = 0; i < n; ++i) {
      switch (static_cast<Kind>(events[static_cast<std::size_t>(i)].data.u64)) {
        case Kind::udp:
          on_udp_readable();
          break;
        case Kind::tap:
          on_tap_readable();
          break;
        case Kind::signals:
          if (!on_signals()) stopping_ = true;
          break;
        case Kind::management:
          management_socket_.on_readable([this](ByteView request, const wire::Sock& from) {
            return management_.handle(request, wall_now().sec, from);
          });
          break;
      }
    }
    const auto now = wall_now();
    if (micros(now) >= micros(engine_.next_deadline())) {
      engine_.on_tick(now, net_out_, tap_out_);
      flush(now);
    }
    serve_management();
  }
  management_socket_.flush();
  const auto now = wall_now();
  engine_.stop(now, net_out_);
  flush(now);
  log(Level::normal, "stopped: {} registrations, {} frames sent, {} received",
      engine_.counters().registrations, engine_.counters().transop_tx,
      engine_.counters().transop_rx);
  return exit_code_;
}

}  // namespace n2nkit::edged
