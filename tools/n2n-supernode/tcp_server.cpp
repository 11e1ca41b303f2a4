#include "tcp_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/net/tcp_frames.hpp"
#include "rim.hpp"

namespace n2nkit::supernoded {
namespace {

using net::FrameScan;
using net::scan_frame;
using net::write_frame;

constexpr std::size_t kFrameHeader = net::kTcpFrameHeader;
// Bytes read per readiness event, so one busy connection cannot starve the others.
constexpr std::size_t kReadBudget = 64 * 1024;

}  // namespace

TcpServer::TcpServer(Poller& poller, UniqueFd listener, Callbacks callbacks)
    : poller_(poller), listener_(std::move(listener)), callbacks_(std::move(callbacks)) {
  poller_.add(listener_.get(), EPOLLIN, Token{Source::tcp_listener, 0}.pack());
}

void TcpServer::on_listener_ready(std::uint64_t now) {
  for (;;) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    UniqueFd fd(accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                        SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // The pending connection would wake us again at once: stop listening for a second.
        log(Level::warning, "TCP: cannot accept a connection: {}; pausing the listener for 1 s",
            std::strerror(errno));
        poller_.remove(listener_.get());
        listener_paused_until_ = now + 1;
      }
      return;  // EAGAIN, or a connection that went away before we took it
    }
    if (connections_.size() >= kMaxConnections || peer.sin_family != AF_INET) {
      log(Level::info, "TCP: refusing a connection from {} ({} connections open)",
          wire::sock_to_string(to_sock(peer)), connections_.size());
      continue;  // closed by UniqueFd
    }
    const std::uint32_t id = next_id_;
    next_id_ = next_id_ == UINT32_MAX ? 1 : next_id_ + 1;
    if (connections_.count(id) != 0) continue;  // 4 billion connections later, still open
    Connection c;
    c.fd = std::move(fd);
    c.peer = to_sock(peer);
    c.last_rx = now;
    if (!poller_.add(c.fd.get(), EPOLLIN | EPOLLRDHUP, Token{Source::tcp_connection, id}.pack()))
      continue;
    log(Level::info, "TCP: connection {} from {}", id, wire::sock_to_string(c.peer));
    connections_.emplace(id, std::move(c));
  }
}

void TcpServer::on_connection_ready(std::uint32_t id, std::uint32_t events, std::uint64_t now) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if (c.dead) return;
  if ((events & EPOLLOUT) != 0) write_to(c);
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0 && !c.dead) {
    read_from(id, c, now);
  }
  if (!c.dead && c.close_by != 0 && c.out_offset == c.out.size()) {
    c.dead = true;
  }
  if (!c.dead) update_interest(id, c);
}

void TcpServer::read_from(std::uint32_t id, Connection& c, std::uint64_t now) {
  std::size_t budget = kReadBudget;
  std::uint8_t chunk[8192];
  std::string ended;  // why the connection ends, once the frames read so far are handled
  while (budget > 0) {
    const ssize_t n = recv(c.fd.get(), chunk, sizeof chunk, MSG_DONTWAIT);
    if (n == 0) {
      ended = "closed by the peer";
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) ended = std::strerror(errno);
      break;
    }
    budget -= std::min(budget, static_cast<std::size_t>(n));
    if (c.close_by != 0) continue;  // closing: what the peer still sends is discarded
    c.last_rx = now;
    c.in.insert(c.in.end(), chunk, chunk + n);
  }
  std::size_t pos = 0;
  for (;;) {
    const auto scan = scan_frame(ByteView{c.in.data() + pos, c.in.size() - pos});
    const std::size_t length = scan.length;
    if (scan.kind == FrameScan::Kind::too_long) {
      return kill(c, fmt::format("frame of {} bytes (more than {})", length, wire::kMaxDatagram),
                  id);
    }
    if (scan.kind == FrameScan::Kind::incomplete) break;
    // The handler may queue frames to any connection (this one included) but never closes one
    // directly, so c stays valid.
    callbacks_.on_message(id, c.peer, ByteView{c.in.data() + pos + kFrameHeader, length});
    pos += kFrameHeader + length;
    if (c.dead) return;
  }
  c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(pos));
  if (!ended.empty()) kill(c, ended, id);
}

void TcpServer::write_to(Connection& c) {
  while (c.out_offset < c.out.size()) {
    const ssize_t n = ::send(c.fd.get(), c.out.data() + c.out_offset, c.out.size() - c.out_offset,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.dead = true;
      break;
    }
    c.out_offset += static_cast<std::size_t>(n);
  }
  if (c.out_offset == c.out.size()) {
    c.out.clear();
    c.out_offset = 0;
  } else if (c.out_offset > kWriteQueueCap) {
    c.out.erase(c.out.begin(), c.out.begin() + static_cast<std::ptrdiff_t>(c.out_offset));
    c.out_offset = 0;
  }
}

void TcpServer::update_interest(std::uint32_t id, Connection& c) {
  const bool want_write = c.out_offset < c.out.size();
  if (want_write == c.want_write) return;
  c.want_write = want_write;
  poller_.modify(c.fd.get(), EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0U),
                 Token{Source::tcp_connection, id}.pack());
}

bool TcpServer::send(std::uint32_t id, ByteView message) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  Connection& c = it->second;
  if (c.dead || c.close_by != 0 || message.size() > wire::kMaxDatagram) return false;
  if (c.out.size() - c.out_offset + kFrameHeader + message.size() > kWriteQueueCap) return false;
  const std::size_t start = c.out.size();
  c.out.resize(start + kFrameHeader + message.size());
  write_frame(c.out.data() + start, message);
  write_to(c);
  if (!c.dead) update_interest(id, c);
  return true;
}

void TcpServer::close_after_flush(std::uint32_t id, std::uint64_t now) {
  const auto it = connections_.find(id);
  if (it == connections_.end() || it->second.dead) return;
  Connection& c = it->second;
  if (c.close_by == 0) c.close_by = now + kCloseGrace;
  if (c.out_offset == c.out.size()) c.dead = true;
}

void TcpServer::on_timer(std::uint64_t now) {
  if (listener_paused_until_ != 0 && now >= listener_paused_until_) {
    listener_paused_until_ = 0;
    poller_.add(listener_.get(), EPOLLIN, Token{Source::tcp_listener, 0}.pack());
  }
  for (auto& [id, c] : connections_) {
    if (c.dead) continue;
    if (c.close_by != 0 && now >= c.close_by) {
      c.dead = true;
    } else if (c.close_by == 0 && now > c.last_rx + kIdleTimeout) {
      kill(c, fmt::format("silent for more than {} s", kIdleTimeout), id);
    }
  }
}

void TcpServer::kill(Connection& c, std::string_view why, std::uint32_t id) {
  if (c.dead) return;
  c.dead = true;
  log(Level::info, "TCP: connection {} from {} closed: {}", id, wire::sock_to_string(c.peer), why);
}

void TcpServer::reap() {
  for (auto it = connections_.begin(); it != connections_.end();) {
    if (!it->second.dead) {
      ++it;
      continue;
    }
    const std::uint32_t id = it->first;
    poller_.remove(it->second.fd.get());
    it = connections_.erase(it);  // closes the socket
    if (callbacks_.on_closed) callbacks_.on_closed(id);
  }
}

}  // namespace n2nkit::supernoded
