#include "tests/netns/netns_udp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace n2nkit::netnstest {

namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

sockaddr_in to_sockaddr(const wire::Sock& s) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(s.port);
  std::memcpy(&sa.sin_addr.s_addr, s.addr.data(), 4);
  return sa;
}

wire::Sock from_sockaddr(const sockaddr_in& sa) {
  wire::Sock s;
  s.port = ntohs(sa.sin_port);
  std::memcpy(s.addr.data(), &sa.sin_addr.s_addr, 4);
  return s;
}

std::string netns_path(const std::string& netns) {
  return netns.front() == '/' ? netns : "/run/netns/" + netns;
}

}  // namespace

NetnsScope::NetnsScope(const std::string& netns, std::string& error) {
  if (netns.empty()) return;
  ok_ = false;
  home_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home_ < 0) {
    error = errno_text("/proc/self/ns/net");
    return;
  }
  const int target = ::open(netns_path(netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    error = errno_text(netns_path(netns).c_str());
    return;
  }
  if (::setns(target, CLONE_NEWNET) != 0) {
    error = errno_text("setns");
  } else {
    ok_ = true;
  }
  ::close(target);
}

NetnsScope::~NetnsScope() {
  if (home_ < 0) return;
  // Going home cannot fail for a namespace we came from; if it did, every later socket would
  // land in the wrong host, so stop rather than produce misleading results.
  if (::setns(home_, CLONE_NEWNET) != 0) std::abort();
  ::close(home_);
}

std::optional<UdpSocket> UdpSocket::open(const std::string& netns, std::uint16_t port,
                                         const wire::Sock& towards, std::string& error) {
  NetnsScope scope(netns, error);
  if (!scope.ok()) return std::nullopt;
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = errno_text("socket");
    return std::nullopt;
  }
  UdpSocket sock(fd, {});
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(port);
  local.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    error = errno_text("bind");
    return std::nullopt;
  }
  socklen_t len = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    error = errno_text("getsockname");
    return std::nullopt;
  }
  // The source address the kernel would choose towards the supernode (a connected throw-away
  // socket, as edges do it).
  const int probe = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) {
    error = errno_text("socket");
    return std::nullopt;
  }
  const sockaddr_in remote = to_sockaddr(towards);
  sockaddr_in chosen{};
  len = sizeof chosen;
  const bool found =
      ::connect(probe, reinterpret_cast<const sockaddr*>(&remote), sizeof remote) == 0 &&
      ::getsockname(probe, reinterpret_cast<sockaddr*>(&chosen), &len) == 0;
  if (!found) error = errno_text("route towards the supernode");
  ::close(probe);
  if (!found) return std::nullopt;
  sock.public_ = from_sockaddr(chosen);
  sock.public_.port = ntohs(local.sin_port);
  return sock;
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept : fd_(other.fd_), public_(other.public_) {
  other.fd_ = -1;
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    public_ = other.public_;
    other.fd_ = -1;
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool UdpSocket::send(ByteView datagram, const wire::Sock& to) const {
  const sockaddr_in sa = to_sockaddr(to);
  const auto sent = ::sendto(fd_, datagram.data(), datagram.size(), 0,
                             reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  return sent == static_cast<ssize_t>(datagram.size());
}

std::optional<Datagram> UdpSocket::receive(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    Datagram d;
    d.bytes.resize(65536);
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const auto got = ::recvfrom(fd_, d.bytes.data(), d.bytes.size(), 0,
                                reinterpret_cast<sockaddr*>(&from), &len);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return std::nullopt;
    }
    d.bytes.resize(static_cast<std::size_t>(got));
    d.from = from_sockaddr(from);
    return d;
  }
}

void UdpSocket::drain() const {
  while (receive(std::chrono::milliseconds(0))) {
  }
}

}  // namespace n2nkit::netnstest
