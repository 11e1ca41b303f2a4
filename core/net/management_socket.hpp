#pragma once
// A daemon's management port: UDP on 127.0.0.1 (-t). Requests are answered by the daemon's
// management model (supernode::Management, edge::Management); the reply datagrams leave
// paced (mgmt::ReplyPacer), a burst per loop tick, so that a listing of any length reaches a
// client that reads in a loop.
//
// Clients are local, so the daemon can see how far behind one is: /proc/net/udp shows the
// receive queue of the client's socket. A client whose queue holds more than
// kClientQueueLimit bytes gets nothing until it has read, one that has read gets no more in a
// burst than a default receive buffer holds beside its queue; one that reads nothing for
// kStalledClientMs loses its replies (it has given up: n2n-ctl waits 1 s).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/mgmt/reply_pacer.hpp"
#include "core/net/udp_socket.hpp"
#include "core/service/log.hpp"

namespace n2nkit::net {

class ManagementSocket {
 public:
  // Datagrams per burst and the pause between bursts while replies are queued.
  static constexpr std::size_t kBurst = 32;
  static constexpr int kBurstIntervalMs = 1;
  // Kernel accounting of a client's receive queue (about 1 KB per small datagram); Linux's
  // default receive buffer is 208 KB (212,992 bytes).
  static constexpr std::size_t kClientQueueLimit = 64 * 1024;
  // What one burst may add to a client's queue: Linux's default receive buffer
  // (net.core.rmem_default, 212,992 bytes) less what is queued already, counted with
  // mgmt::receive_buffer_charge, less a margin. One-row datagrams stay bound by kBurst (32 cost
  // at most 74 KB); packed ones (row_packing.hpp) by this, 12 of 16,000 bytes to a client
  // that has read everything.
  static constexpr std::size_t kAssumedReceiveBuffer = 212'992;
  static constexpr std::size_t kRoomMargin = 4096;
  static constexpr std::uint64_t kStalledClientMs = 5000;

  explicit ManagementSocket(UdpSocket socket) : socket_(std::move(socket)) {}

  int fd() const { return socket_.fd(); }

  // Reads the waiting requests; answer() gives each one's reply datagrams, which are queued.
  using Answerer =
      std::function<std::vector<std::string>(ByteView request, const wire::Sock& from)>;
  void on_readable(const Answerer& answer);

  // Queues datagrams nobody asked for just now (subscription events).
  void push(const wire::Sock& to, std::vector<std::string> datagrams) {
    pacer_.push(to, std::move(datagrams));
  }
  // Sends the next burst; returns the datagrams that could not be sent (send errors).
  std::size_t send_burst(std::uint64_t now_ms);
  // Everything still queued, as far as the socket takes it (the daemon is stopping).
  void flush();

  bool idle() const { return pacer_.empty(); }

 private:
  using ClientKey = std::uint64_t;  // address << 16 | port
  static ClientKey key_of(const wire::Sock& s) {
    return (std::uint64_t{s.ipv4_host_order()} << 16) | s.port;
  }
  // Receive-queue bytes of local UDP sockets by port (/proc/net/udp); empty if unreadable.
  static std::map<std::uint16_t, std::size_t> local_receive_queues();

  UdpSocket socket_;
  mgmt::ReplyPacer pacer_;
  // Clients found busy, with when that started.
  std::map<ClientKey, std::uint64_t> busy_since_;
};

}  // namespace n2nkit::net
