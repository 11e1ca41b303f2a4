#pragma once
// The edge daemon's single loop (epoll): the UDP socket (recvmmsg/sendmmsg batches), the TAP
// device, signals and the engine's timers. After each batch the engine's outboxes are drained:
// datagrams in one send, frames written to the TAP. An address the supernode assigns is put
// on the TAP as soon as it is known. With -S2 there is no UDP socket: what the engine sends
// goes over the TCP connection to the supernode (SupernodeTcp).
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
#include "route_upkeep.hpp"
#include "supernode_tcp.hpp"

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
  // The socket joined to the discovery group (spec §11.5); before run().
  void add_discovery_socket(net::UdpSocket socket);
  // udp is not valid (and not used) with -S2.
  // Runs until SIGTERM/SIGINT; returns the exit code.
  int run();
  const edge::Engine& engine() const { return engine_; }

 private:
  enum class Kind : std::uint64_t { udp = 1, tap, signals, management, tcp, discovery, routes };

  void on_udp_readable();
  void on_discovery_readable();
  void on_tap_readable();
  bool on_signals();  // false: stop
  void flush(wire::WallTime now);
  void apply_address();
  void report_registration();  // logs refusals and key changes the engine counted
  // -M auto: the TAP follows the engine's wanted MTU.
  void apply_mtu();
  int timeout_ms() const;
  void serve_management();
  void keep_routes();
  // -S2: the engine's datagrams to the connection; its events to the engine.
  void send_tcp();
  void on_tcp_event(SupernodeTcp::Event event, wire::WallTime now);

  const Options& options_;
  edge::Engine engine_;
  net::UdpSocket udp_;
  net::TapDevice tap_;
  net::SignalEvents& signals_;
  net::ManagementSocket management_socket_;
  edge::Management management_;
  RouteUpkeep routes_;
  std::vector<std::uint32_t> route_endpoints_;    // supernodes and peers, as last looked at
  std::vector<std::uint32_t> endpoints_scratch_;  // (reused: no allocation per pass)
  static constexpr std::uint64_t kEndpointScanMs = 100;
  std::uint64_t next_endpoint_scan_ms_ = 0;
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
  struct Reported {
    std::uint64_t naks = 0, auth_refusals = 0, challenge_mismatches = 0, re_register_requests = 0,
                  dynamic_key_changes = 0;
    bool silence = false;  // the -P hint was given
  } reported_;
  SetupDone once_configured_;
  bool stopping_ = false;
  int exit_code_ = kExitOk;
  std::optional<SupernodeTcp> tcp_;  // -S2
  net::UdpSocket discovery_;         // 0.0.0.0:1968 in 224.0.0.68, when discovery is on
};

}  // namespace n2nkit::edged
