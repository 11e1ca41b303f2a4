#include "probe_socket.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <sys/ioctl.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include <array>

namespace n2nkit::mtutool {
namespace {

constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kUdpHeader = 8;
// linux/icmp.h's ICMP_FILTER (SOL_RAW): a bit per type that the raw socket is not to receive.
// Spelled out because that header clashes with netinet/ip_icmp.h.
constexpr int kIcmpFilter = 1;

// RFC 1071, over the ICMP message (IPv4; the kernel sums ICMPv6 itself).
std::uint16_t internet_checksum(const std::vector<std::uint8_t>& b) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += std::uint32_t{b[i]} << 8 | b[i + 1];
  if (b.size() % 2 != 0) sum += std::uint32_t{b.back()} << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

bool is_icmp(SocketKind k) {
  return k == SocketKind::icmp_echo || k == SocketKind::icmp_raw;
}

std::string address_text(const sockaddr_storage& sa, bool ipv6) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (ipv6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(sa).sin6_addr, buf.data(),
              buf.size());
  } else {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(sa).sin_addr, buf.data(), buf.size());
  }
  return buf.data();
}

// The ICMP verdicts that end a probe run: the destination cannot be reached at all.
std::string unreachable_text(bool ipv6, unsigned type, unsigned code) {
  if (!ipv6 && type == ICMP_DEST_UNREACH) {
    switch (code) {
      case ICMP_NET_UNREACH:
        return "network unreachable";
      case ICMP_HOST_UNREACH:
        return "host unreachable";
      case ICMP_PROT_UNREACH:
        return "protocol unreachable";
      case ICMP_NET_ANO:
      case ICMP_HOST_ANO:
      case ICMP_PKT_FILTERED:
        return "administratively prohibited";
      default:
        return fmt::format("destination unreachable (code {})", code);
    }
  }
  if (ipv6 && type == ICMP6_DST_UNREACH) {
    switch (code) {
      case ICMP6_DST_UNREACH_NOROUTE:
        return "no route to host";
      case ICMP6_DST_UNREACH_ADMIN:
        return "administratively prohibited";
      case ICMP6_DST_UNREACH_ADDR:
        return "address unreachable";
      default:
        return fmt::format("destination unreachable (code {})", code);
    }
  }
  return {};
}

}  // namespace

std::optional<Destination> resolve(const std::string& host, std::uint16_t port,
                                   std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  // What looks like an address literal is parsed as one: a typo gives a clear line, not a
  // name lookup.
  const bool literal = host.find(':') != std::string::npos ||
                       host.find_first_not_of("0123456789.") == std::string::npos;
  if (literal) hints.ai_flags = AI_NUMERICHOST;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0 || list == nullptr) {
    error = literal ? fmt::format("'{}' is not a valid IPv4 or IPv6 address", host)
                    : fmt::format("cannot resolve '{}': {}", host, gai_strerror(rc));
    return std::nullopt;
  }
  // IPv4 first: n2n supernodes and most paths people ask about are IPv4.
  const addrinfo* pick = nullptr;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      pick = a;
      break;
    }
    if (a->ai_family == AF_INET6 && pick == nullptr) pick = a;
  }
  if (pick == nullptr) {
    freeaddrinfo(list);
    error = fmt::format("'{}' has no IPv4 or IPv6 address", host);
    return std::nullopt;
  }
  Destination d;
  std::memcpy(&d.addr, pick->ai_addr, pick->ai_addrlen);
  d.len = pick->ai_addrlen;
  d.ipv6 = pick->ai_family == AF_INET6;
  freeaddrinfo(list);
  if (d.ipv6) {
    reinterpret_cast<sockaddr_in6&>(d.addr).sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in&>(d.addr).sin_port = htons(port);
  }
  const std::string a = address_text(d.addr, d.ipv6);
  if (port == 0) {
    d.text = a;
  } else {
    d.text = d.ipv6 ? fmt::format("[{}]:{}", a, port) : fmt::format("{}:{}", a, port);
  }
  return d;
}

std::optional<ProbeSocket> ProbeSocket::open(SocketKind kind, const Destination& to,
                                             std::string& error, bool& permission) {
  permission = false;
  const int family = to.ipv6 ? AF_INET6 : AF_INET;
  int proto = 0;
  if (is_icmp(kind)) proto = to.ipv6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP};
  const int type = kind == SocketKind::icmp_raw ? SOCK_RAW : SOCK_DGRAM;
  net::UniqueFd fd(socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto));
  if (!fd.valid()) {
    const int e = errno;
    permission = e == EACCES || e == EPERM;
    if (kind == SocketKind::icmp_echo && permission) {
      error =
          "ICMP echo sockets are not allowed for this group (sysctl net.ipv4.ping_group_range, "
          "which binds root too)";
    } else if (kind == SocketKind::icmp_raw && permission) {
      error = "raw ICMP sockets need CAP_NET_RAW";
    } else {
      error = fmt::format("cannot create a socket: {}", std::strerror(e));
    }
    return std::nullopt;
  }
  const int one = 1;
  if (to.ipv6) {
    const int probe = IPV6_PMTUDISC_PROBE;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe, sizeof probe);
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
  } else {
    const int probe = IP_PMTUDISC_PROBE;
    setsockopt(fd.get(), IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe);
    setsockopt(fd.get(), IPPROTO_IP, IP_RECVERR, &one, sizeof one);
    setsockopt(fd.get(), IPPROTO_IP, IP_RECVFRAGSIZE, &one, sizeof one);
  }
  std::uint16_t echo_id = 0;
  if (kind == SocketKind::icmp_raw) {
    // Only echo replies in the receive queue; the ICMP errors about our requests still come
    // through the error queue (IP_RECVERR), quoted as for the other sockets.
    if (to.ipv6) {
      icmp6_filter filter{};
      ICMP6_FILTER_SETBLOCKALL(&filter);
      ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
      setsockopt(fd.get(), IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
    } else {
      const std::uint32_t blocked = ~(std::uint32_t{1} << ICMP_ECHOREPLY);
      setsockopt(fd.get(), SOL_RAW, kIcmpFilter, &blocked, sizeof blocked);
    }
    std::array<std::uint8_t, 2> r{};
    if (getrandom(r.data(), r.size(), 0) != 2) r = {0x6e, 0x6b};
    echo_id = static_cast<std::uint16_t>((r[0] << 8) | r[1]);
  }
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&to.addr), to.len) != 0) {
    const int e = errno;
    error = fmt::format("cannot reach {}: {}", to.text, std::strerror(e));
    return std::nullopt;
  }
  return ProbeSocket(std::move(fd), kind, to, echo_id);
}

std::size_t ProbeSocket::header_bytes() const {
  const std::size_t ip = to_.ipv6 ? 40 : 20;
  return ip + (is_icmp(kind_) ? kIcmpHeader : kUdpHeader);
}

std::size_t ProbeSocket::route_mtu() const {
  int mtu = 0;
  socklen_t len = sizeof mtu;
  const int level = to_.ipv6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const int name = to_.ipv6 ? IPV6_MTU : IP_MTU;
  if (getsockopt(fd_.get(), level, name, &mtu, &len) != 0 || mtu <= 0) return 0;
  return static_cast<std::size_t>(mtu);
}

std::optional<ProbeSocket::Interface> ProbeSocket::outgoing_interface() const {
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&local), &len) != 0) return std::nullopt;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<Interface> found;
  for (const ifaddrs* i = list; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != local.ss_family) continue;
    bool same = false;
    if (local.ss_family == AF_INET) {
      same = reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr ==
             reinterpret_cast<const sockaddr_in&>(local).sin_addr.s_addr;
    } else {
      same = std::memcmp(&reinterpret_cast<const sockaddr_in6*>(i->ifa_addr)->sin6_addr,
                         &reinterpret_cast<const sockaddr_in6&>(local).sin6_addr,
                         sizeof(in6_addr)) == 0;
    }
    if (!same) continue;
    ifreq req{};
    std::snprintf(req.ifr_name, sizeof req.ifr_name, "%s", i->ifa_name);
    if (ioctl(fd_.get(), SIOCGIFMTU, &req) == 0 && req.ifr_mtu > 0) {
      found = Interface{i->ifa_name, static_cast<std::size_t>(req.ifr_mtu)};
    }
  }
  freeifaddrs(list);
  return found;
}

SendOutcome ProbeSocket::send(ByteView bytes) {
  SendOutcome out;
  std::vector<std::uint8_t> packet;
  ByteView wire_bytes = bytes;
  if (is_icmp(kind_)) {
    // The kernel fills in the identifier and the checksum of an echo socket's requests; a raw
    // socket's are ours, but for the ICMPv6 checksum, which the kernel always computes.
    packet.assign(kIcmpHeader, 0);
    packet[0] = to_.ipv6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
    if (kind_ == SocketKind::icmp_raw) {
      ++echo_seq_;
      packet[4] = static_cast<std::uint8_t>(echo_id_ >> 8);
      packet[5] = static_cast<std::uint8_t>(echo_id_);
      packet[6] = static_cast<std::uint8_t>(echo_seq_ >> 8);
      packet[7] = static_cast<std::uint8_t>(echo_seq_);
    }
    packet.insert(packet.end(), bytes.begin(), bytes.end());
    if (kind_ == SocketKind::icmp_raw && !to_.ipv6) {
      const std::uint16_t sum = internet_checksum(packet);
      packet[2] = static_cast<std::uint8_t>(sum >> 8);
      packet[3] = static_cast<std::uint8_t>(sum);
    }
    wire_bytes = ByteView{packet.data(), packet.size()};
  }
  // An ICMP error that arrived earlier is also reported by the next send (sk_err); the probe
  // itself was not refused, so it goes out again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const ssize_t n = ::send(fd_.get(), wire_bytes.data(), wire_bytes.size(), MSG_DONTWAIT);
    if (n == static_cast<ssize_t>(wire_bytes.size())) {
      out.sent = true;
      return out;
    }
    const int e = errno;
    if (e == EMSGSIZE) {
      out.too_big = true;
      out.local_mtu = route_mtu();
      return out;
    }
    out.error = e;
    if (e != ECONNREFUSED && e != EHOSTUNREACH && e != ENETUNREACH && e != EINTR) return out;
  }
  return out;
}

std::optional<Arrival> ProbeSocket::read_error() {
  std::array<std::uint8_t, 2048> data{};
  std::array<std::uint8_t, 512> control{};
  sockaddr_storage from{};
  iovec iov{data.data(), data.size()};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  const ssize_t n = recvmsg(fd_.get(), &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
  if (n < 0) return std::nullopt;
  Arrival a;
  a.kind = Arrival::Kind::datagram;  // replaced below; an error without a verdict is skipped
  bool known = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
    const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    sock_extended_err ee{};
    std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
    if (ee.ee_origin == SO_EE_ORIGIN_LOCAL && ee.ee_errno == EMSGSIZE) {
      a.kind = Arrival::Kind::too_big;
      a.mtu = ee.ee_info;
      known = true;
    } else if (ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
      const bool six = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
      if ((!six && ee.ee_type == ICMP_DEST_UNREACH && ee.ee_code == ICMP_FRAG_NEEDED) ||
          (six && ee.ee_type == ICMP6_PACKET_TOO_BIG)) {
        a.kind = Arrival::Kind::too_big;
        a.mtu = ee.ee_info;
        known = true;
      } else if ((!six && ee.ee_type == ICMP_DEST_UNREACH && ee.ee_code == ICMP_PORT_UNREACH) ||
                 (six && ee.ee_type == ICMP6_DST_UNREACH &&
                  ee.ee_code == ICMP6_DST_UNREACH_NOPORT)) {
        a.kind = Arrival::Kind::port_unreachable;
        known = true;
      } else if (auto what = unreachable_text(six, ee.ee_type, ee.ee_code); !what.empty()) {
        a.kind = Arrival::Kind::unreachable;
        a.what = std::move(what);
        known = true;
      }
    }
  }
  if (!known) return Arrival{Arrival::Kind::datagram, {}, 0, {}};
  // The error queue returns the offending datagram's payload (for ICMP sockets with its
  // 8-byte ICMP header), as far as the ICMP message quoted it.
  std::size_t skip = is_icmp(kind_) ? kIcmpHeader : 0;
  const auto len = static_cast<std::size_t>(n);
  if (len > skip)
    a.data.assign(data.begin() + static_cast<std::ptrdiff_t>(skip),
                  data.begin() + static_cast<std::ptrdiff_t>(len));
  return a;
}

std::vector<Arrival> ProbeSocket::receive() {
  std::vector<Arrival> out;
  while (auto e = read_error()) {
    if (e->kind != Arrival::Kind::datagram) out.push_back(std::move(*e));
  }
  std::array<std::uint8_t, 65536> buf{};
  for (int turns = 0; turns < 256; ++turns) {
    std::array<std::uint8_t, 256> control{};
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    const ssize_t n = recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      // A pending ICMP error surfaces here as ECONNREFUSED & co: drain the queue again.
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        while (auto e = read_error()) {
          if (e->kind != Arrival::Kind::datagram) out.push_back(std::move(*e));
        }
        continue;
      }
      break;
    }
    Arrival a;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVFRAGSIZE) {
        int size = 0;
        std::memcpy(&size, CMSG_DATA(c), sizeof size);
        if (size > 0) a.fragment_size = static_cast<std::size_t>(size);
      }
    }
    const auto len = static_cast<std::size_t>(n);
    std::size_t skip = 0;
    if (kind_ == SocketKind::icmp_raw && !to_.ipv6) {
      // IPv4 raw sockets read the IP header too.
      if (len < 20) continue;
      skip = static_cast<std::size_t>(buf[0] & 0x0f) * 4;
    }
    if (is_icmp(kind_)) {
      const std::uint8_t reply = to_.ipv6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;
      if (len < skip + kIcmpHeader || buf[skip] != reply) continue;
      if (kind_ == SocketKind::icmp_raw &&
          ((buf[skip + 4] << 8) | buf[skip + 5]) != static_cast<int>(echo_id_)) {
        continue;  // another program's ping
      }
      skip += kIcmpHeader;
    }
    a.data.assign(buf.begin() + static_cast<std::ptrdiff_t>(skip),
                  buf.begin() + static_cast<std::ptrdiff_t>(len));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace n2nkit::mtutool
