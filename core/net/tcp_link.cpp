#include "core/net/tcp_link.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/net/sockaddr.hpp"

namespace n2nkit::net {
namespace {

constexpr std::size_t kReceiveBuffer = 64 * 1024;

}  // namespace

TcpLink::TcpLink() : out_(kSendQueueBytes), in_(kReceiveBuffer) {}

bool TcpLink::connect(const wire::Sock& to, std::uint32_t bind_address, std::string& error) {
  close();
  ++generation_;
  ++counters_.connects;
  peer_ = to;
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    error = std::string("TCP socket: ") + std::strerror(errno);
    return false;
  }
  // Messages are written whole and at once; Nagle would only hold back registrations and
  // small frames behind an unacknowledged segment.
  const int one = 1;
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (bind_address != 0) {
    sockaddr_in local = to_sockaddr(wire::Sock::ipv4(bind_address, 0));
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      error = "TCP bind to " + wire::sock_to_string(wire::Sock::ipv4(bind_address, 0)) + ": " +
              std::strerror(errno);
      return false;
    }
  }
  const sockaddr_in remote = to_sockaddr(to);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&remote), sizeof remote) != 0 &&
      errno != EINPROGRESS) {
    error = "TCP connect to " + wire::sock_to_string(to) + ": " + std::strerror(errno);
    return false;
  }
  fd_ = std::move(fd);
  state_ = State::connecting;
  return true;
}

void TcpLink::close() {
  fd_.reset();
  state_ = State::closed;
  out_begin_ = out_end_ = 0;
  in_end_ = 0;
}

bool TcpLink::wants_write() const {
  return state_ == State::connecting || (state_ == State::connected && out_end_ > out_begin_);
}

bool TcpLink::send(ByteView message) {
  if (state_ != State::connected) {
    ++counters_.unconnected_drops;
    return false;
  }
  const std::size_t need = kTcpFrameHeader + message.size();
  if (message.size() > wire::kMaxDatagram || queued_bytes() + need > out_.size()) {
    ++counters_.queue_drops;
    return false;
  }
  if (out_.size() - out_end_ < need) {
    // Room at the front only: move the queued bytes there (at most one queue's worth).
    std::memmove(out_.data(), out_.data() + out_begin_, queued_bytes());
    out_end_ -= out_begin_;
    out_begin_ = 0;
  }
  write_frame(out_.data() + out_end_, message);
  out_end_ += need;
  ++counters_.frames_tx;
  // Straight to the kernel when it has room: the loop only waits for writability when not. A
  // write error shows again as EPOLLERR/EPOLLHUP, which ends the connection there.
  std::string ignored;
  write_queued(ignored);
  return true;
}

void TcpLink::fail(std::string& why, std::string text) {
  why = std::move(text);
  close();
}

bool TcpLink::write_queued(std::string& why) {
  while (out_end_ > out_begin_) {
    const ssize_t n = ::send(fd_.get(), out_.data() + out_begin_, out_end_ - out_begin_,
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      why = std::strerror(errno);
      return false;
    }
    out_begin_ += static_cast<std::size_t>(n);
  }
  out_begin_ = out_end_ = 0;
  return true;
}

TcpLink::Progress TcpLink::on_writable(std::string& why) {
  if (state_ == State::closed) return Progress::ok;
  if (state_ == State::connecting) {
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
    if (error == EINPROGRESS || error == EALREADY) return Progress::ok;
    if (error != 0) {
      fail(why, std::strerror(error));
      return Progress::ended;
    }
    state_ = State::connected;
    ++counters_.established;
    std::string write_error;
    if (!write_queued(write_error)) {
      fail(why, write_error);
      return Progress::ended;
    }
    return Progress::established;
  }
  std::string write_error;
  if (!write_queued(write_error)) {
    fail(why, write_error);
    return Progress::ended;
  }
  return Progress::ok;
}

long TcpLink::read_some(std::string& why) {
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), in_.data() + in_end_, in_.size() - in_end_, MSG_DONTWAIT);
    if (n > 0) {
      in_end_ += static_cast<std::size_t>(n);
      return n;
    }
    if (n == 0) {
      fail(why, "closed by the peer");
      return -1;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    fail(why, std::strerror(errno));
    return -1;
  }
}

}  // namespace n2nkit::net
