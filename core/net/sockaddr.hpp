#pragma once
// Between the kernel's IPv4 socket addresses and the wire's Sock (spec §2.4). The supernode
// opens AF_INET sockets only (spec §1).
#include <netinet/in.h>

#include <cstring>

#include "core/wire/types.hpp"

namespace n2nkit::net {

inline wire::Sock to_sock(const sockaddr_in& sa) {
  return wire::Sock::ipv4(ntohl(sa.sin_addr.s_addr), ntohs(sa.sin_port));
}

inline sockaddr_in to_sockaddr(const wire::Sock& sock) {
  sockaddr_in sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons(sock.port);
  sa.sin_addr.s_addr = htonl(sock.ipv4_host_order());
  return sa;
}

}  // namespace n2nkit::net
