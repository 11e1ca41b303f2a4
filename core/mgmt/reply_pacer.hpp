#pragma once
// Pacing of management replies. A listing of any length must arrive whole: the reference fires
// all datagrams of a reply at once and a client's receive buffer (about 200 small datagrams at
// Linux's default 212 KB) overflows, so rows beyond that are lost. The daemon queues each
// reply here and sends a bounded burst per loop tick, which a client reading in a loop keeps
// up with, while the relay keeps running between bursts.
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/wire/types.hpp"

namespace n2nkit::mgmt {

// What a loopback datagram of `bytes` costs the receiver's buffer (the kernel counts its
// allocation, not the payload): measured on Linux 6.1 x86_64, 300 bytes cost 1,280, 1,024 cost
// 2,304, 8,000 to 16,000 cost 16,640 (a 16 KiB slab), larger ones page fragments plus ~832.
// Rounded up, so that a sender counting with it never overfills a buffer.
std::size_t receive_buffer_charge(std::size_t bytes);

class ReplyPacer {
 public:
  enum class SendStatus {
    sent,
    socket_full,  // nothing can be sent now (EAGAIN): the burst ends, retried next time
    client_busy,  // this client is behind: its reply waits, the others go on
  };
  using Sender = std::function<SendStatus(const wire::Sock& to, const std::string& datagram)>;

  // max_pending: datagrams queued over all replies; a reply that would exceed it is refused.
  explicit ReplyPacer(std::size_t max_pending = 1'000'000) : max_pending_(max_pending) {}

  // Queues a whole reply for `to`; false (nothing queued) if it does not fit.
  bool push(const wire::Sock& to, std::vector<std::string> datagrams);

  // Sends up to `budget` datagrams. Replies take turns: the reply at the front sends its share
  // and, if unfinished, goes to the back, so a long listing does not hold up a short answer.
  // Returns how many were sent.
  std::size_t send_burst(std::size_t budget, const Sender& send);

  // Sends everything still queued, as far as send() accepts (used when the daemon stops).
  void flush(const Sender& send);

  // Forgets every reply queued for `to` (a client that stopped reading); returns how many
  // datagrams were dropped.
  std::size_t drop(const wire::Sock& to);

  bool empty() const { return replies_.empty(); }
  std::size_t pending() const { return pending_; }
  std::size_t replies() const { return replies_.size(); }

 private:
  struct Reply {
    wire::Sock to;
    std::vector<std::string> datagrams;
    std::size_t next = 0;
  };
  std::deque<Reply> replies_;
  std::size_t pending_ = 0;
  std::size_t max_pending_;
};

}  // namespace n2nkit::mgmt
