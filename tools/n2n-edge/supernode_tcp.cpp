#include "supernode_tcp.hpp"

#include <algorithm>

#include "core/service/log.hpp"

namespace n2nkit::edged {

using service::Level;
using service::log;

SupernodeTcp::SupernodeTcp(net::Poller& poller, std::uint64_t token, std::uint32_t bind_address)
    : poller_(poller), token_(token), bind_address_(bind_address) {}

void SupernodeTcp::follow(const wire::Sock& current, std::uint64_t switches, std::uint64_t now_ms) {
  const bool moved = !have_target_ || current != target_ || switches != switches_;
  if (!moved) return;
  const bool first = !have_target_;
  have_target_ = true;
  target_ = current;
  switches_ = switches;
  if (first) return connect_now(now_ms);
  // A new connection at each move, as the reference opens one; but not in a tight loop.
  const std::uint64_t earliest = connect_started_ms_ + kMinReconnectMs;
  if (link_.state() != net::TcpLink::State::closed) {
    link_.close();
    watch();
  }
  if (now_ms >= earliest && reconnect_at_ms_ == 0) return connect_now(now_ms);
  reconnect_at_ms_ = std::max(reconnect_at_ms_, earliest);
}

void SupernodeTcp::connect_now(std::uint64_t now_ms) {
  reconnect_at_ms_ = 0;
  connect_started_ms_ = now_ms;
  heard_ = false;
  std::string error;
  log(Level::info, "TCP: connecting to supernode {}", wire::sock_to_string(target_));
  if (!link_.connect(target_, bind_address_, error)) {
    lost(error, now_ms);
    return;
  }
  watch();
}

SupernodeTcp::Event SupernodeTcp::lost(const std::string& why, std::uint64_t now_ms) {
  const bool was_up = heard_;
  link_.close();
  watch();
  reconnect_at_ms_ = now_ms + backoff_ms_;
  log(was_up ? Level::warning : Level::info,
      "TCP: {} supernode {}: {}; reconnecting in {} s ({} messages dropped unconnected, {} for "
      "a full queue so far)",
      was_up ? "lost the connection to" : "no connection to", wire::sock_to_string(target_), why,
      backoff_ms_ / 1000, link_.counters().unconnected_drops, link_.counters().queue_drops);
  backoff_ms_ = std::min(backoff_ms_ * 2, kMaxBackoffMs);
  return Event::lost;
}

bool SupernodeTcp::send(const wire::Sock& to, ByteView bytes) {
  if (!have_target_ || to != target_) {
    ++stray_drops_;
    return false;
  }
  return link_.send(bytes);
}

void SupernodeTcp::log_established() const {
  log(Level::normal, "TCP: connected to supernode {}", wire::sock_to_string(target_));
}

void SupernodeTcp::update_interest() {
  watch();
}

void SupernodeTcp::watch() {
  const int fd = link_.state() == net::TcpLink::State::closed ? -1 : link_.fd();
  const std::uint32_t events = EPOLLIN | EPOLLRDHUP | (link_.wants_write() ? EPOLLOUT : 0U);
  if (fd != watched_fd_ || link_.generation() != watched_generation_) {
    // A closed descriptor has left the epoll set by itself (a new one may reuse its number).
    if (fd >= 0) poller_.add(fd, events, token_);
    watched_fd_ = fd;
    watched_generation_ = link_.generation();
    watched_events_ = events;
    return;
  }
  if (fd >= 0 && events != watched_events_) {
    poller_.modify(fd, events, token_);
    watched_events_ = events;
  }
}

SupernodeTcp::Event SupernodeTcp::on_timer(std::uint64_t now_ms) {
  if (link_.state() == net::TcpLink::State::connecting &&
      now_ms >= connect_started_ms_ + kConnectTimeoutMs) {
    return lost("no answer to the connection request", now_ms);
  }
  if (link_.state() == net::TcpLink::State::closed && reconnect_at_ms_ != 0 &&
      now_ms >= reconnect_at_ms_) {
    connect_now(now_ms);
  }
  return Event::none;
}

}  // namespace n2nkit::edged
