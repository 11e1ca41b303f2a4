#pragma once
// The daemon's single loop (epoll): the main UDP socket (recvmmsg/sendmmsg batches), the TCP
// listener and its connections, the management port, signals, and the engine's timers. The
// engine is fed every datagram with its source and the wall time; its Outbox is drained after
// each batch: UDP datagrams in one sendmmsg run, TCP frames into the connections' queues, then
// the connections it asked to close.
#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "anchors.hpp"
#include "core/net/management_socket.hpp"
#include "core/supernode/engine.hpp"
#include "core/supernode/management.hpp"
#include "options.hpp"
#include "rim.hpp"
#include "tcp_server.hpp"

namespace n2nkit::supernoded {

wire::WallTime wall_now();

struct Sockets {
  UniqueFd udp;
  UniqueFd tcp_listener;
  UniqueFd management;
};

class EventLoop {
 public:
  EventLoop(const Options& options, supernode::SupernodeConfig config, Sockets sockets,
            SignalEvents& signals, AnchorResolver& anchors);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  supernode::Engine& engine() { return engine_; }
  bool valid() const { return poller_.valid(); }

  // Runs until SIGTERM/SIGINT or a management `stop`; returns the exit code.
  int run();

 private:
  void dispatch(const epoll_event& event);
  void on_udp_readable();
  void on_signals();
  void every_second(wire::WallTime now);
  void flush_outbox(wire::WallTime now);
  supernode::ReloadStatus reload_communities(std::string_view trigger);
  int timeout_ms(wire::WallTime now, std::uint64_t monotonic_ms) const;

  const Options& options_;
  Poller poller_;
  supernode::Engine engine_;
  supernode::Outbox outbox_;
  UdpSocket udp_;
  TcpServer tcp_;
  ManagementSocket management_socket_;
  supernode::Management management_;
  SignalEvents& signals_;
  AnchorResolver& anchors_;
  std::vector<UdpDatagram> udp_batch_;
  bool running_ = true;
  std::uint64_t next_second_ms_ = 0;
  std::uint64_t next_burst_ms_ = 0;
  // Datagrams lost to a full send buffer, oversized ones received; reported once a minute.
  std::uint64_t send_drops_ = 0;
  std::uint64_t oversized_ = 0;
  std::uint64_t reported_send_drops_ = 0;
  std::uint64_t reported_oversized_ = 0;
  std::uint64_t next_report_ = 0;
};

}  // namespace n2nkit::supernoded
