#include "event_loop.hpp"

#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

#include "rim.hpp"

namespace n2nkit::supernoded {
namespace {

// recvmmsg batches per readiness event: enough to drain a burst, few enough that TCP and the
// management port get their turn under a flood.
constexpr int kUdpBatchesPerEvent = 16;
constexpr std::uint64_t kReportInterval = 60;

std::uint64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000 +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1'000'000;
}

}  // namespace

wire::WallTime wall_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return {static_cast<std::uint64_t>(ts.tv_sec), static_cast<std::uint32_t>(ts.tv_nsec / 1000)};
}

EventLoop::EventLoop(const Options& options, supernode::SupernodeConfig config, Sockets sockets,
                     SignalEvents& signals, AnchorResolver& anchors)
    : options_(options),
      engine_(std::move(config), wall_now()),
      udp_(std::move(sockets.udp)),
      tcp_(poller_, std::move(sockets.tcp_listener),
           {[this](std::uint32_t id, const wire::Sock& peer, ByteView message) {
              engine_.on_datagram(message, supernode::Source{peer, id}, wall_now(), outbox_);
            },
            [this](std::uint32_t id) { engine_.on_connection_closed(id, wall_now()); }}),
      management_socket_(UdpSocket(std::move(sockets.management))),
      management_(engine_,
                  {[this] {
                     log(Level::normal, "management: stop requested");
                     running_ = false;
                   },
                   [] { return log_level(); },
                   [](unsigned level) {
                     set_log_level(level);
                     log(Level::normal, "management: log level set to {}", level);
                   },
                   options.community_file ? std::function<supernode::ReloadStatus()>([this] {
                     return reload_communities("management reload_communities");
                   })
                                          : std::function<supernode::ReloadStatus()>()},
                  options.management_password),
      signals_(signals),
      anchors_(anchors) {
  poller_.add(udp_.fd(), EPOLLIN, Token{Source::udp, 0}.pack());
  poller_.add(management_socket_.fd(), EPOLLIN, Token{Source::management, 0}.pack());
  poller_.add(signals_.fd(), EPOLLIN, Token{Source::signals, 0}.pack());
}

int EventLoop::timeout_ms(wire::WallTime now, std::uint64_t mono) const {
  std::uint64_t wait = next_second_ms_ > mono ? next_second_ms_ - mono : 0;
  const wire::WallTime deadline = engine_.next_deadline();
  if (deadline.sec <= now.sec) {
    wait = 0;
  } else {
    const std::uint64_t until =
        (deadline.sec - now.sec) * 1000 - std::min<std::uint64_t>(now.usec / 1000, 999);
    wait = std::min(wait, until);
  }
  if (!management_socket_.idle()) {
    wait = std::min(wait, next_burst_ms_ > mono ? next_burst_ms_ - mono : 0);
  }
  return static_cast<int>(std::min<std::uint64_t>(wait, 1000));
}

int EventLoop::run() {
  std::array<epoll_event, 64> events{};
  next_second_ms_ = monotonic_ms() + 1000;
  next_report_ = wall_now().sec + kReportInterval;
  while (running_) {
    const int n = poller_.wait(events, timeout_ms(wall_now(), monotonic_ms()));
    for (int i = 0; i < n && running_; ++i) dispatch(events[static_cast<std::size_t>(i)]);
    tcp_.reap();

    const wire::WallTime now = wall_now();
    if (engine_.next_deadline().sec <= now.sec) {
      engine_.on_tick(now, outbox_);
      flush_outbox(now);
    }
    const std::uint64_t mono = monotonic_ms();
    if (!management_socket_.idle() && mono >= next_burst_ms_) {
      const std::size_t failed = management_socket_.send_burst(mono);
      for (std::size_t i = 0; i < failed; ++i) engine_.note_send_error();
      next_burst_ms_ = mono + ManagementSocket::kBurstIntervalMs;
    }
    if (mono >= next_second_ms_) {
      every_second(now);
      next_second_ms_ = mono + 1000;
    }
    tcp_.reap();
  }
  management_socket_.flush();
  log(Level::normal, "supernode stopped");
  return kExitOk;
}

void EventLoop::dispatch(const epoll_event& event) {
  const Token token = Token::unpack(event.data.u64);
  switch (token.source) {
    case Source::udp:
      on_udp_readable();
      break;
    case Source::tcp_listener:
      tcp_.on_listener_ready(wall_now().sec);
      break;
    case Source::tcp_connection:
      tcp_.on_connection_ready(token.id, event.events, wall_now().sec);
      flush_outbox(wall_now());
      break;
    case Source::management:
      management_socket_.on_readable([this](ByteView request, const wire::Sock& /*from*/) {
        return management_.handle(request, wall_now().sec);
      });
      break;
    case Source::signals:
      on_signals();
      break;
  }
}

void EventLoop::on_udp_readable() {
  for (int batch = 0; batch < kUdpBatchesPerEvent; ++batch) {
    const wire::WallTime now = wall_now();
    const std::size_t n =
        udp_.receive_batch([&](ByteView datagram, const wire::Sock& from, bool truncated) {
          if (truncated) {
            ++oversized_;  // longer than any n2n message (spec §1)
            return;
          }
          engine_.on_datagram(datagram, supernode::Source{from, 0}, now, outbox_);
        });
    flush_outbox(now);
    if (n < UdpSocket::kBatch) break;
  }
}

void EventLoop::flush_outbox(wire::WallTime now) {
  if (outbox_.empty() && outbox_.connections_to_close().empty()) return;
  udp_batch_.clear();
  for (std::size_t i = 0; i < outbox_.size(); ++i) {
    const supernode::OutgoingDatagram d = outbox_[i];
    if (d.to.is_tcp()) {
      if (!tcp_.send(d.to.tcp_connection, d.bytes)) engine_.note_send_error();
    } else if (d.to.sock.ipv6) {
      engine_.note_send_error();  // never produced: the supernode speaks IPv4 only
    } else {
      udp_batch_.push_back({d.to.sock, d.bytes});
    }
  }
  const UdpSendResult result = udp_.send(udp_batch_);
  for (std::size_t i = 0; i < result.failed + result.dropped; ++i) engine_.note_send_error();
  send_drops_ += result.dropped;
  for (const std::uint32_t id : outbox_.connections_to_close()) tcp_.close_after_flush(id, now.sec);
  outbox_.clear();
}

void EventLoop::on_signals() {
  for (const int signo : signals_.take()) {
    if (signo == SIGHUP) {
      if (options_.community_file) {
        reload_communities("SIGHUP");
      } else {
        log(Level::normal, "SIGHUP: no community file (-c) to reload");
      }
    } else {
      log(Level::normal, "{}: stopping", signo == SIGINT ? "SIGINT" : "SIGTERM");
      running_ = false;
    }
  }
}

void EventLoop::every_second(wire::WallTime now) {
  tcp_.on_timer(now.sec);
  for (const auto& [index, sock] : anchors_.poll(now.sec)) engine_.set_anchor_address(index, sock);
  if (now.sec >= next_report_) {
    next_report_ = now.sec + kReportInterval;
    if (send_drops_ != reported_send_drops_) {
      log(Level::warning, "{} datagrams dropped in the last minute: the UDP send buffer was full",
          send_drops_ - reported_send_drops_);
      reported_send_drops_ = send_drops_;
    }
    if (oversized_ != reported_oversized_) {
      log(Level::info, "{} datagrams longer than {} bytes ignored in the last minute",
          oversized_ - reported_oversized_, wire::kMaxDatagram);
      reported_oversized_ = oversized_;
    }
  }
}

supernode::ReloadStatus EventLoop::reload_communities(std::string_view trigger) {
  const std::string& path = *options_.community_file;
  {
    std::ifstream probe(path);
    if (!probe) {
      log(Level::warning, "{}: cannot read {}: {}; the communities stay as they were", trigger,
          path, std::strerror(errno));
      return supernode::ReloadStatus::file_missing;
    }
  }
  std::vector<std::string> warnings;
  std::string error;
  auto list = supernode::load_community_list(path, warnings, error);
  for (const auto& w : warnings) log(Level::warning, "{}", w);
  if (!list) {
    log(Level::warning, "{}: {}; the communities stay as they were", trigger, error);
    return supernode::ReloadStatus::no_valid_entries;
  }
  if (list->fixed.empty() && list->regexes.empty()) {
    log(Level::warning, "{}: {} lists no community; the communities stay as they were", trigger,
        path);
    return supernode::ReloadStatus::no_valid_entries;
  }
  const std::size_t fixed = list->fixed.size();
  const std::size_t regexes = list->regexes.size();
  const wire::WallTime now = wall_now();
  engine_.reload_communities(std::move(*list), now, outbox_);
  flush_outbox(now);
  log(Level::normal, "{}: reloaded {}: {} communities, {} regular expressions", trigger, path,
      fixed, regexes);
  return supernode::ReloadStatus::ok;
}

}  // namespace n2nkit::supernoded
