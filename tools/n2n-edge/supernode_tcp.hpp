#pragma once
// -S2 (spec §11.11): the edge's connection to its current supernode. It follows the engine:
// connects to the supernode the engine addresses, opens a new connection whenever the engine
// moves on (an unanswered registration over TCP means a dead connection, as in the
// reference), and reconnects with a growing pause after a failure or a drop. Messages for the
// supernode go over it framed; what arrives is handed back as datagrams from the supernode.
#include <cstdint>
#include <string>

#include "core/common/bytes.hpp"
#include "core/net/poller.hpp"
#include "core/net/tcp_link.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::edged {

class SupernodeTcp {
 public:
  static constexpr std::uint64_t kFirstBackoffMs = 1000;
  static constexpr std::uint64_t kMaxBackoffMs = 16000;
  // The kernel would try for minutes; a supernode that has not answered the SYN by then is
  // not there.
  static constexpr std::uint64_t kConnectTimeoutMs = 5000;
  // Moves of the engine faster than this do not each cost a connection.
  static constexpr std::uint64_t kMinReconnectMs = 1000;

  enum class Event { none, established, lost };

  SupernodeTcp(net::Poller& poller, std::uint64_t token, std::uint32_t bind_address);

  // After each engine call: the supernode it uses now and its count of supernode switches.
  void follow(const wire::Sock& current, std::uint64_t switches, std::uint64_t now_ms);
  // A datagram the engine addressed to `to`; false: dropped (counted).
  bool send(const wire::Sock& to, ByteView bytes);
  // Poller interest for what send() left queued; once per batch of sends.
  void update_interest();

  // Readiness of the socket (its token). on_message(ByteView) gets every complete message;
  // call flush-like work in between through the `drain` callback.
  template <typename OnMessage, typename Drain>
  Event on_ready(std::uint32_t events, std::uint64_t now_ms, OnMessage&& on_message, Drain&& drain);
  // Connect time-outs and due reconnections; call every loop pass.
  Event on_timer(std::uint64_t now_ms);

  const net::TcpLink& link() const { return link_; }
  const wire::Sock& target() const { return target_; }
  std::uint64_t stray_drops() const { return stray_drops_; }

 private:
  void connect_now(std::uint64_t now_ms);
  // The connection ended (or never came up): log, schedule the next attempt.
  Event lost(const std::string& why, std::uint64_t now_ms);
  void watch();
  void log_established() const;

  net::Poller& poller_;
  std::uint64_t token_;
  std::uint32_t bind_address_;
  net::TcpLink link_;
  wire::Sock target_{};
  bool have_target_ = false;
  std::uint64_t switches_ = 0;
  std::uint64_t connect_started_ms_ = 0;
  std::uint64_t reconnect_at_ms_ = 0;  // 0: none scheduled
  std::uint64_t backoff_ms_ = kFirstBackoffMs;
  bool heard_ = false;  // a message arrived on the current connection
  int watched_fd_ = -1;
  std::uint32_t watched_generation_ = 0;
  std::uint32_t watched_events_ = 0;
  std::uint64_t stray_drops_ = 0;  // for another supernode than the connected one
};

template <typename OnMessage, typename Drain>
SupernodeTcp::Event SupernodeTcp::on_ready(std::uint32_t events, std::uint64_t now_ms,
                                           OnMessage&& on_message, Drain&& drain) {
  std::string why;
  Event result = Event::none;
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0 ||
      link_.state() == net::TcpLink::State::connecting) {
    switch (link_.on_writable(why)) {
      case net::TcpLink::Progress::ended:
        return lost(why, now_ms);
      case net::TcpLink::Progress::established:
        log_established();
        result = Event::established;
        break;
      default:
        break;
    }
  }
  if (link_.state() == net::TcpLink::State::connected &&
      (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0) {
    const auto wrapped = [&](ByteView message) {
      heard_ = true;
      on_message(message);
    };
    const auto generation = link_.generation();
    for (int round = 0; round < 16; ++round) {
      const auto progress = link_.on_readable(wrapped, why);
      if (progress == net::TcpLink::Progress::ended) {
        drain();
        return lost(why, now_ms);
      }
      drain();
      // What drain() handed to the engine may have moved it to another connection.
      if (link_.generation() != generation) return Event::none;
      if (progress != net::TcpLink::Progress::more) break;
    }
    if (heard_) backoff_ms_ = kFirstBackoffMs;
  }
  watch();
  return result;
}

}  // namespace n2nkit::edged
