#pragma once
// The I/O rim and service pieces the daemon uses (core/net, core/service), by their short
// names, and the tokens its epoll loop gives each descriptor.
#include <cstdint>

#include "core/net/management_socket.hpp"
#include "core/net/poller.hpp"
#include "core/net/signal_events.hpp"
#include "core/net/sockaddr.hpp"
#include "core/net/udp_socket.hpp"
#include "core/net/unique_fd.hpp"
#include "core/service/log.hpp"
#include "core/service/privileges.hpp"

namespace n2nkit::supernoded {

using net::bind_ipv4;
using net::ManagementSocket;
using net::Poller;
using net::SignalEvents;
using net::to_sock;
using net::to_sockaddr;
using net::UdpDatagram;
using net::UdpSendResult;
using net::UdpSocket;
using net::UniqueFd;
using service::daemonize;
using service::drop_privileges;
using service::Level;
using service::log;
using service::log_enabled;
using service::log_level;
using service::log_line;
using service::log_to_syslog;
using service::set_log_level;

enum class Source : std::uint32_t { udp = 1, tcp_listener, tcp_connection, management, signals };

struct Token {
  Source source;
  std::uint32_t id = 0;
  std::uint64_t pack() const {
    return (std::uint64_t{static_cast<std::uint32_t>(source)} << 32) | id;
  }
  static Token unpack(std::uint64_t v) {
    return {static_cast<Source>(v >> 32), static_cast<std::uint32_t>(v & 0xffffffffU)};
  }
};

}  // namespace n2nkit::supernoded
