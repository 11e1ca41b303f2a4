#pragma once
// TCP for edges started with -S2 (spec §11.11): a listener on the supernode's port number,
// connections numbered 1, 2, 3, ... (the engine's Endpoint::tcp_connection), every message
// framed as BE16 length ‖ message. Reads and writes are non-blocking and buffered per
// connection; a length above 2048 closes the connection.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"
#include "rim.hpp"

namespace n2nkit::supernoded {

class TcpServer {
 public:
  static constexpr int kBacklog = 64;
  static constexpr std::size_t kMaxConnections = 4096;
  // Frames waiting for a slow reader; beyond this new frames are dropped (counted).
  static constexpr std::size_t kWriteQueueCap = 256 * 1024;
  // An -S2 edge re-registers every 20 s; a connection silent this long is dead.
  static constexpr std::uint64_t kIdleTimeout = 180;
  // How long a connection the engine asked to close may take to flush its last frames.
  static constexpr std::uint64_t kCloseGrace = 5;

  struct Callbacks {
    std::function<void(std::uint32_t id, const wire::Sock& peer, ByteView message)> on_message;
    std::function<void(std::uint32_t id)> on_closed;
  };

  TcpServer(Poller& poller, UniqueFd listener, Callbacks callbacks);
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  void on_listener_ready(std::uint64_t now);
  void on_connection_ready(std::uint32_t id, std::uint32_t events, std::uint64_t now);

  // Queues one framed message; false if the connection is gone, closing or its queue is full.
  bool send(std::uint32_t id, ByteView message);
  // Closes once the queued frames are written (or after kCloseGrace seconds).
  void close_after_flush(std::uint32_t id, std::uint64_t now);
  // Once a second: idle and lingering connections, a paused listener.
  void on_timer(std::uint64_t now);
  // Closes what was marked for closing; call after each batch of events.
  void reap();

  std::size_t size() const { return connections_.size(); }

 private:
  struct Connection {
    UniqueFd fd;
    wire::Sock peer;
    std::vector<std::uint8_t> in;
    std::vector<std::uint8_t> out;
    std::size_t out_offset = 0;
    std::uint64_t last_rx = 0;
    std::uint64_t close_by = 0;  // nonzero: closing, no more reads, closed at this time
    bool dead = false;
    bool want_write = false;
  };

  void read_from(std::uint32_t id, Connection& c, std::uint64_t now);
  void write_to(Connection& c);
  void update_interest(std::uint32_t id, Connection& c);
  void kill(Connection& c, std::string_view why, std::uint32_t id);

  Poller& poller_;
  UniqueFd listener_;
  Callbacks callbacks_;
  std::unordered_map<std::uint32_t, Connection> connections_;
  std::uint32_t next_id_ = 1;
  std::uint64_t listener_paused_until_ = 0;
};

}  // namespace n2nkit::supernoded
