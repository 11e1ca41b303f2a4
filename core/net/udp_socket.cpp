#include "core/net/udp_socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <algorithm>

#include "core/net/sockaddr.hpp"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103  // linux/udp.h; older C libraries lack it
#endif

namespace n2nkit::net {
namespace {

std::string bind_failure(int type, std::uint32_t address, std::uint16_t port, int error) {
  const char* proto = type == SOCK_STREAM ? "TCP" : "UDP";
  const std::string where =
      fmt::format("{} port {}{}", proto, port, address == INADDR_LOOPBACK ? " on 127.0.0.1" : "");
  switch (error) {
    case EADDRINUSE:
      return fmt::format("cannot bind {}: it is already in use (another n2n daemon running?)",
                         where);
    case EACCES:
    case EPERM:
      return fmt::format(
          "cannot bind {}: permission denied (ports below 1024 need root or "
          "CAP_NET_BIND_SERVICE)",
          where);
    default:
      return fmt::format("cannot bind {}: {}", where, std::strerror(error));
  }
}

}  // namespace

UniqueFd bind_ipv4(int type, std::uint32_t address, std::uint16_t port, std::string& error) {
  UniqueFd fd(socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    error = fmt::format("cannot create a socket: {}", std::strerror(errno));
    return {};
  }
  const int one = 1;
  if (type == SOCK_STREAM) {
    // A restarted daemon must not wait for TIME_WAIT connections of its predecessor.
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  const sockaddr_in sa = to_sockaddr(wire::Sock::ipv4(address, port));
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
    error = bind_failure(type, address, port, errno);
    return {};
  }
  return fd;
}

UdpSocket::UdpSocket(UniqueFd fd) : fd_(std::move(fd)), buffers_(kBatch) {
  // Bursts of registrations and relayed broadcasts arrive faster than one loop turn; the kernel
  // caps these at net.core.[rw]mem_max unless the daemon runs as root.
  const int size = 4 << 20;
  if (setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
}

std::size_t UdpSocket::receive_batch(const Receiver& on_datagram) {
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_in, kBatch> from{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov[i].iov_base = buffers_[i].data();
    iov[i].iov_len = buffers_[i].size();
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  const int n = recvmmsg(fd_.get(), msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (n <= 0) return 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    if (from[i].sin_family != AF_INET) continue;
    const bool truncated = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    on_datagram(ByteView{buffers_[i].data(), msgs[i].msg_len}, to_sock(from[i]), truncated);
  }
  return static_cast<std::size_t>(n);
}

UdpSendResult UdpSocket::send(std::span<const UdpDatagram> datagrams) {
  UdpSendResult result;
  if (!segmentation_) {
    send_plain(datagrams, result);
    return result;
  }
  net::plan_segment_groups(datagrams, groups_);
  constexpr std::size_t kControl = CMSG_SPACE(sizeof(std::uint16_t));
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, net::kMaxSegments * kBatch> iov{};
  std::array<sockaddr_in, kBatch> to{};
  std::array<std::array<std::uint8_t, kControl>, kBatch> control{};
  std::size_t next = 0;  // first group not sent yet
  while (next < groups_.size()) {
    const std::size_t count = std::min(kBatch, groups_.size() - next);
    std::size_t used_iov = 0;
    for (std::size_t m = 0; m < count; ++m) {
      const net::SegmentGroup& g = groups_[next + m];
      to[m] = to_sockaddr(datagrams[g.first].to);
      for (std::size_t k = 0; k < g.count; ++k) {
        const UdpDatagram& d = datagrams[g.first + k];
        iov[used_iov + k].iov_base = const_cast<std::uint8_t*>(d.bytes.data());
        iov[used_iov + k].iov_len = d.bytes.size();
      }
      msgs[m] = mmsghdr{};
      msgs[m].msg_hdr.msg_iov = &iov[used_iov];
      msgs[m].msg_hdr.msg_iovlen = g.count;
      msgs[m].msg_hdr.msg_name = &to[m];
      msgs[m].msg_hdr.msg_namelen = sizeof to[m];
      used_iov += g.count;
      if (g.segment != 0) {
        msgs[m].msg_hdr.msg_control = control[m].data();
        msgs[m].msg_hdr.msg_controllen = kControl;
        cmsghdr* c = CMSG_FIRSTHDR(&msgs[m].msg_hdr);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
        std::memcpy(CMSG_DATA(c), &g.segment, sizeof g.segment);
      }
    }
    const int n = sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(count), MSG_DONTWAIT);
    if (n > 0) {
      for (std::size_t m = 0; m < static_cast<std::size_t>(n); ++m) {
        result.sent += groups_[next + m].count;
      }
      next += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const net::SegmentGroup& failed = groups_[next];
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      for (std::size_t g = next; g < groups_.size(); ++g) result.dropped += groups_[g].count;
      break;
    }
    if (failed.segment != 0) {
      // The kernel refused the segmented message: unsupported (no UDP GSO, no checksum
      // offload on the route's device) switches segmentation off for good; a segment larger
      // than the route's MTU allows (EINVAL) only sends this group the plain way.
      if (errno == EIO || errno == EOPNOTSUPP || errno == ENOPROTOOPT) segmentation_ = false;
      send_plain(datagrams.subspan(failed.first, failed.count), result);
      ++next;
      continue;
    }
    // This destination was refused (unreachable, not permitted, ...): skip it, go on.
    ++result.failed;
    ++next;
  }
  return result;
}

void UdpSocket::send_plain(std::span<const UdpDatagram> datagrams, UdpSendResult& result) {
  std::array<mmsghdr, kBatch> msgs{};
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_in, kBatch> to{};
  std::size_t done = 0;
  while (done < datagrams.size()) {
    const std::size_t count = std::min(kBatch, datagrams.size() - done);
    for (std::size_t i = 0; i < count; ++i) {
      const UdpDatagram& d = datagrams[done + i];
      to[i] = to_sockaddr(d.to);
      iov[i].iov_base = const_cast<std::uint8_t*>(d.bytes.data());
      iov[i].iov_len = d.bytes.size();
      msgs[i] = mmsghdr{};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &to[i];
      msgs[i].msg_hdr.msg_namelen = sizeof to[i];
    }
    const int n = sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(count), MSG_DONTWAIT);
    if (n > 0) {
      result.sent += static_cast<std::size_t>(n);
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      result.dropped += datagrams.size() - done;
      break;
    }
    // This destination was refused (unreachable, not permitted, ...): skip it, go on.
    ++result.failed;
    ++done;
  }
}

bool UdpSocket::send_one(const wire::Sock& to, ByteView bytes) {
  const sockaddr_in sa = to_sockaddr(to);
  const ssize_t n = sendto(fd_.get(), bytes.data(), bytes.size(), MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  return n == static_cast<ssize_t>(bytes.size());
}

bool UdpSocket::send_one_with_ttl(const wire::Sock& to, ByteView bytes, int ttl) {
  int previous = 0;
  socklen_t len = sizeof previous;
  if (getsockopt(fd_.get(), IPPROTO_IP, IP_TTL, &previous, &len) != 0 ||
      setsockopt(fd_.get(), IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0) {
    return false;
  }
  const bool sent = send_one(to, bytes);
  setsockopt(fd_.get(), IPPROTO_IP, IP_TTL, &previous, sizeof previous);
  return sent;
}

namespace {

// The MTU of the route towards `to`, from a throw-away connected socket (IP_MTU needs one).
std::size_t route_mtu(const wire::Sock& to) {
  UniqueFd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return 0;
  const sockaddr_in sa = to_sockaddr(to);
  if (connect(probe.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) return 0;
  int mtu = 0;
  socklen_t len = sizeof mtu;
  if (getsockopt(probe.get(), IPPROTO_IP, IP_MTU, &mtu, &len) != 0 || mtu <= 0) return 0;
  return static_cast<std::size_t>(mtu);
}

}  // namespace

UdpSocket::ProbeOutcome UdpSocket::send_probe(const wire::Sock& to, ByteView bytes) {
  ProbeOutcome out;
  int previous = IP_PMTUDISC_WANT;
  socklen_t len = sizeof previous;
  const bool known = getsockopt(fd_.get(), IPPROTO_IP, IP_MTU_DISCOVER, &previous, &len) == 0;
  const int probe = IP_PMTUDISC_PROBE;
  setsockopt(fd_.get(), IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe);
  const sockaddr_in sa = to_sockaddr(to);
  const ssize_t n = sendto(fd_.get(), bytes.data(), bytes.size(), MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
  const int error = errno;
  if (known) setsockopt(fd_.get(), IPPROTO_IP, IP_MTU_DISCOVER, &previous, sizeof previous);
  out.sent = n == static_cast<ssize_t>(bytes.size());
  if (!out.sent && error == EMSGSIZE) {
    out.too_big = true;
    out.local_mtu = route_mtu(to);
  }
  return out;
}

}  // namespace n2nkit::net
