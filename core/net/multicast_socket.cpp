#include "core/net/multicast_socket.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/net/sockaddr.hpp"

namespace n2nkit::net {

UniqueFd join_ipv4_group(const wire::Sock& group, std::string& error) {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  const auto failed = [&](const char* what) {
    error = std::string(what) + " for " + wire::sock_to_string(group) + ": " + std::strerror(errno);
    return UniqueFd{};
  };
  if (!fd.valid()) return failed("socket");
  const int one = 1;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    return failed("SO_REUSEADDR/SO_REUSEPORT");
  }
  const sockaddr_in any = to_sockaddr(wire::Sock::ipv4(0, group.port));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&any), sizeof any) != 0) {
    return failed("bind");
  }
  ip_mreq membership{};
  membership.imr_multiaddr.s_addr = htonl(group.ipv4_host_order());
  membership.imr_interface.s_addr = htonl(INADDR_ANY);
  if (setsockopt(fd.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &membership, sizeof membership) != 0) {
    return failed("joining the group");
  }
  return fd;
}

}  // namespace n2nkit::net
