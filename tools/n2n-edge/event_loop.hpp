#pragma once
// The edge daemon's single loop (epoll): the UDP socket (recvmmsg/sendmmsg batches), the TAP
// device, signals and the engine's timers. After each batch the engine's outboxes are drained:
// datagrams in one send, frames written to the TAP. An address the supernode assigns is put
// on the TAP as soon as it is known.
#include <sys/epoll.h>

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "core/edge/engine.hpp"
#include "core/edge/management.hpp"
#include "core/net/management_socket.hpp"
#include "core/net/poller.hpp"
#include "core/net/signal_events.hpp"
#include "core/net/tap_device.hpp"
#include "core/net/udp_socket.hpp"
#include "options.hpp"

namespace n2nkit::edged {

wire::WallTime wall_now();

class EventLoop {
 public:
  // once_configured runs once, when the TAP has its address (at once for -a, after the
  // supernode's answer otherwise): the daemon drops its privileges there. A false return (with
  // one line in error) stops the loop with kExitFailure.
  using SetupDone = std::function<bool(std::string& error)>;
  EventLoop(const Options& options, edge::EdgeConfig config, net::UdpSocket udp, net::TapDevice tap,
            net::UdpSocket management, net::SignalEvents& signals, SetupDone once_configured);
  bool valid() const { return poller_.valid(); }
  // Runs until SIGTERM/SIGINT; returns the exit code.
  int run();
  const edge::Engine& engine() const { return engine_; }

 private:
  enum class Kind : std::uint64_t { udp = 1, tap, signals, management };

  void on_udp_readable();
  void on_tap_readable();
  bool on_signals();  // false: stop
  void flush(wire::WallTime now);
  void apply_address();
  // -M auto: the TAP follows the engine's wanted MTU.
  void apply_mtu();
  int timeout_ms() const;
  void serve_management();

  const Options& options_;
  edge::Engine engine_;
  net::UdpSocket udp_;
  net::TapDevice tap_;
  net::SignalEvents& signals_;
  net::ManagementSocket management_socket_;
  edge::Management management_;
  std::uint64_t next_burst_ms_ = 0;
  net::Poller poller_;
  net::Outbox net_out_;
  net::Outbox tap_out_;
  std::vector<net::UdpDatagram> udp_batch_;
  std::optional<wire::IpSubnet> applied_address_;
  std::size_t applied_mtu_ = 0;  // set from the engine at construction (the TAP's MTU)
  std::array<std::uint8_t, wire::kMaxDatagram> frame_{};
  std::uint64_t tap_write_errors_ = 0;
  std::uint64_t send_drops_ = 0;
  SetupDone once_configured_;
  bool stopping_ = false;
  int exit_code_ = kExitOk;
};

}  // namespace n2nkit::edged
