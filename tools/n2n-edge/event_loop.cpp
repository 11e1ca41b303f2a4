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
// Seconds without any answer before a user/password edge suggests checking -P.
constexpr std::uint64_t kSilenceWarning = 10;

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
      routes_(options.routes, tap_.ifindex()),
      once_configured_(std::move(once_configured)) {
  applied_mtu_ = engine_.tap_mtu();
  if (udp_.valid()) poller_.add(udp_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::udp));
  if (options.tcp) {
    tcp_.emplace(poller_, static_cast<std::uint64_t>(Kind::tcp), options.bind_address);
  }
  poller_.add(tap_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::tap));
  poller_.add(signals_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::signals));
  poller_.add(management_socket_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::management));
  std::string error;
  if (!routes_.open(error)) {
    // The routes are still set up and checked every 30 s; only the quick reaction is lost.
    log(Level::warning, "{}", error);
  } else if (routes_.active()) {
    poller_.add(routes_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::routes));
  }
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
  if (routes_.active() && applied_address_) {
    const auto mono = monotonic_ms();
    ms = std::min<std::uint64_t>(ms, routes_.due_ms() > mono ? routes_.due_ms() - mono : 0);
  }
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

void EventLoop::send_tcp() {
  const auto& supernodes = engine_.supernodes();
  if (!supernodes.empty()) {
    tcp_->follow(supernodes[engine_.current_supernode()].sock, engine_.supernode_switches(),
                 monotonic_ms());
  }
  for (std::size_t i = 0; i < net_out_.size(); ++i) {
    tcp_->send(net_out_[i].to.sock, net_out_[i].bytes);
  }
  tcp_->update_interest();
}

void EventLoop::on_tcp_event(SupernodeTcp::Event event, wire::WallTime now) {
  switch (event) {
    case SupernodeTcp::Event::established:
      engine_.on_supernode_connected(now, net_out_);
      flush(now);
      break;
    case SupernodeTcp::Event::lost:
      engine_.on_supernode_connection_lost(now);
      break;
    case SupernodeTcp::Event::none:
      break;
  }
}

void EventLoop::flush(wire::WallTime now) {
  udp_batch_.clear();
  if (tcp_) {
    send_tcp();
    net_out_.clear();
  }
  bool with_ttl = false;
  for (std::size_t i = 0; i < net_out_.size(); ++i) {
    if (net_out_[i].path_probe) continue;
    if (net_out_[i].to.ip_ttl != 0) {
      with_ttl = true;
      continue;
    }
    udp_batch_.push_back({net_out_[i].to.sock, net_out_[i].bytes});
  }
  if (!udp_batch_.empty()) {
    const auto result = udp_.send(udp_batch_);
    send_drops_ += result.dropped + result.failed;
  }
  for (std::size_t i = 0; with_ttl && i < net_out_.size(); ++i) {
    // -L's short-lived REGISTERs: rare (a burst per new peer), one system call each.
    const auto& d = net_out_[i];
    if (d.to.ip_ttl != 0 && !udp_.send_one_with_ttl(d.to.sock, d.bytes, d.to.ip_ttl)) {
      ++send_drops_;
    }
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
  report_registration();
  apply_mtu();
}

void EventLoop::report_registration() {
  // The engine only counts; what an operator must act on is said here, once per event.
  const auto& c = engine_.counters();
  const auto& sn = engine_.supernodes().at(engine_.current_supernode());
  if (c.naks != reported_.naks) {
    if (c.auth_refusals != reported_.auth_refusals) {
      log(Level::error,
          "supernode {} refused user '{}': wrong user name (-I) or password (-J), or no such user "
          "in its community.list",
          wire::sock_to_string(sn.sock), engine_.config().desc);
    } else {
      log(Level::error,
          "supernode {} refused the registration: MAC or IP address already in use (or not yet "
          "released)",
          wire::sock_to_string(sn.sock));
    }
  }
  const auto mismatches = c.drops_of(Reason::auth_challenge_mismatch);
  if (mismatches != reported_.challenge_mismatches) {
    log(Level::warning,
        "supernode {}: an answer that does not return our challenge (replayed, or made with "
        "another shared secret), dropped",
        wire::sock_to_string(sn.sock));
  }
  if (c.re_register_requests != reported_.re_register_requests) {
    log(Level::info, "supernode {} announced a new community key: re-registering",
        wire::sock_to_string(sn.sock));
  }
  if (c.dynamic_key_changes != reported_.dynamic_key_changes) {
    log(Level::info, "dynamic header key from supernode {} in use", wire::sock_to_string(sn.sock));
  }
  // A supernode that finds the user but not the shared secret drops the request without a word
  // (so does the reference's): silence is the only sign of a -P from another federation.
  if (engine_.user_password() && !engine_.accepted() && c.naks == 0 && !reported_.silence &&
      wall_now().sec >= engine_.started() + kSilenceWarning) {
    log(Level::warning,
        "no answer from the supernode(s) after {} s: with user/password authentication a "
        "supernode drops registrations made with another federation's key; is -P the key of its "
        "federation (n2n-keygen -F NAME)?",
        kSilenceWarning);
    reported_.silence = true;
  }
  reported_ = {
      c.naks,           c.auth_refusals, mismatches, c.re_register_requests, c.dynamic_key_changes,
      reported_.silence};
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

void EventLoop::add_discovery_socket(net::UdpSocket socket) {
  discovery_ = std::move(socket);
  poller_.add(discovery_.fd(), EPOLLIN, static_cast<std::uint64_t>(Kind::discovery));
}

void EventLoop::on_discovery_readable() {
  // Discovery REGISTERs come a few per registration cycle: one batch per event is plenty.
  const auto now = wall_now();
  discovery_.receive_batch([&](ByteView datagram, const wire::Sock& from, bool truncated) {
    if (truncated) return;
    engine_.on_multicast_datagram(datagram, net::Endpoint{from, 0}, now, net_out_, tap_out_);
  });
  flush(now);
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
  for (const auto& e : engine_.take_peer_events()) management_.peer_event(e.action, e.mac, e.sock);
  for (auto& [to, datagram] : management_.take_events()) {
    management_socket_.push(to, {std::move(datagram)});
  }
  const std::uint64_t mono = monotonic_ms();
  if (!management_socket_.idle() && mono >= next_burst_ms_) {
    management_socket_.send_burst(mono);
    next_burst_ms_ = mono + net::ManagementSocket::kBurstIntervalMs;
  }
}

void EventLoop::keep_routes() {
  if (!routes_.active() || !applied_address_) return;
  // Not after every batch of packets: the tables are looked through ten times a second at
  // most, so a new peer gets its host route within 100 ms without a cost per packet.
  const std::uint64_t mono = monotonic_ms();
  if (mono < next_endpoint_scan_ms_ && mono < routes_.due_ms()) return;
  next_endpoint_scan_ms_ = mono + kEndpointScanMs;
  // Every underlay address the edge sends to; a change (a new peer) is looked at at once.
  endpoints_scratch_.clear();
  const auto add = [&](const wire::Sock& s) {
    const std::uint32_t a = s.ipv4_host_order();
    if (s.ipv6 || a == 0) return;
    if (std::find(endpoints_scratch_.begin(), endpoints_scratch_.end(), a) ==
        endpoints_scratch_.end()) {
      endpoints_scratch_.push_back(a);
    }
  };
  for (const auto& sn : engine_.supernodes()) add(sn.sock);
  for (const auto& [mac, peer] : engine_.peers().known_peers()) add(peer.sock);
  for (const auto& [mac, peer] : engine_.peers().pending_peers()) add(peer.sock);
  if (endpoints_scratch_ != route_endpoints_) {
    route_endpoints_ = endpoints_scratch_;
    routes_.endpoints_changed();
  }
  routes_.reconcile(mono, applied_address_, route_endpoints_);
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
        case Kind::discovery:
          on_discovery_readable();
          break;
        case Kind::signals:
          if (!on_signals()) stopping_ = true;
          break;
        case Kind::routes:
          routes_.on_readable(monotonic_ms());
          break;
        case Kind::tcp: {
          const auto now = wall_now();
          const auto& ev = events[static_cast<std::size_t>(i)];
          const auto event = tcp_->on_ready(
              ev.events, monotonic_ms(),
              [&](ByteView message) {
                engine_.on_datagram(message, net::Endpoint{tcp_->target(), 0}, now, net_out_,
                                    tap_out_);
              },
              [&] { flush(now); });
          on_tcp_event(event, now);
          break;
        }
        case Kind::management:
          management_socket_.on_readable([this](ByteView request, const wire::Sock& from) {
            return management_.handle(request, wall_now().sec, from);
          });
          break;
      }
    }
    const auto now = wall_now();
    if (tcp_) on_tcp_event(tcp_->on_timer(monotonic_ms()), now);
    if (micros(now) >= micros(engine_.next_deadline())) {
      engine_.on_tick(now, net_out_, tap_out_);
      flush(now);
    }
    serve_management();
    keep_routes();
  }
  const auto now = wall_now();
  engine_.stop(now, net_out_);
  flush(now);
  serve_management();  // the peers' `cleared` events
  management_socket_.flush();
  routes_.teardown();
  log(Level::normal, "stopped: {} registrations, {} frames sent, {} received",
      engine_.counters().registrations, engine_.counters().transop_tx,
      engine_.counters().transop_rx);
  if (tcp_) {
    const auto& c = tcp_->link().counters();
    log(Level::normal,
        "TCP: {} connections ({} attempts), {} messages sent, {} received; dropped: {} "
        "unconnected, {} for a full queue, {} for another supernode",
        c.established, c.connects, c.frames_tx, c.frames_rx, c.unconnected_drops, c.queue_drops,
        tcp_->stray_drops());
  }
  return exit_code_;
}

}  // namespace n2nkit::edged
