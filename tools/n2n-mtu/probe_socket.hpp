#pragma once
// The sockets n2n-mtu probes with: UDP (PINGs to a supernode, or datagrams to a closed port),
// an unprivileged ICMP echo ("ping") socket, or a raw ICMP socket (CAP_NET_RAW) where
// net.ipv4.ping_group_range forbids the echo socket, as it does for root by default. Every probe
// goes out with DF and no local fragmentation (IP_PMTUDISC_PROBE); IP_RECVERR brings the ICMP
// errors back through the error queue: "fragmentation needed" with its MTU, "port unreachable"
// (proof that a UDP probe arrived), and "unreachable" verdicts that end the probe.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/net/unique_fd.hpp"

namespace n2nkit::mtutool {

enum class SocketKind : std::uint8_t { udp, icmp_echo, icmp_raw };

struct Destination {
  sockaddr_storage addr{};
  socklen_t len = 0;
  bool ipv6 = false;
  std::string text;  // as printed: "192.0.2.1:7654" / "192.0.2.1"
};

// Resolves `host` (name or literal) for `port` (0 for ICMP). nullopt with `error` set.
std::optional<Destination> resolve(const std::string& host, std::uint16_t port, std::string& error);

struct SendOutcome {
  bool sent = false;
  bool too_big = false;  // the local stack refused: larger than local_mtu
  std::size_t local_mtu = 0;
  int error = 0;  // errno when neither sent nor too big
};

// What came back on the socket.
struct Arrival {
  enum class Kind : std::uint8_t {
    datagram,          // an ordinary reply: `data` (for ICMP echo, the echoed payload)
    too_big,           // ICMP fragmentation needed / packet too big: `mtu`
    port_unreachable,  // ICMP port unreachable: the probe whose payload starts `data` arrived
    unreachable,       // host/net unreachable, administratively prohibited...: `what`
  };
  Kind kind = Kind::datagram;
  std::vector<std::uint8_t> data;
  std::size_t mtu = 0;
  std::string what;
  // datagram: it arrived in fragments, the largest of this many bytes (0: whole). A reply that
  // had to be fragmented on its way back tells the far side's MTU.
  std::size_t fragment_size = 0;
};

class ProbeSocket {
 public:
  // nullopt with `error` set and `permission` true when the kernel refused it for lack of
  // privileges (ICMP echo sockets outside net.ipv4.ping_group_range, raw sockets without
  // CAP_NET_RAW).
  static std::optional<ProbeSocket> open(SocketKind kind, const Destination& to, std::string& error,
                                         bool& permission);

  int fd() const { return fd_.get(); }
  // `bytes` is the UDP payload, or the ICMP echo's data (the 8-byte header is added here).
  SendOutcome send(ByteView bytes);
  // Everything waiting (error queue first), without blocking.
  std::vector<Arrival> receive();
  // The interface the route towards the destination leaves by (found by the socket's local
  // address) and its MTU; nullopt if it cannot be told.
  struct Interface {
    std::string name;
    std::size_t mtu = 0;
  };
  std::optional<Interface> outgoing_interface() const;
  // Bytes below the IP datagram's payload that `send` does not get: IP + UDP / IP + ICMP.
  std::size_t header_bytes() const;

 private:
  ProbeSocket(net::UniqueFd fd, SocketKind kind, const Destination& to, std::uint16_t echo_id)
      : fd_(std::move(fd)), kind_(kind), to_(to), echo_id_(echo_id) {}
  std::optional<Arrival> read_error();
  std::size_t route_mtu() const;

  net::UniqueFd fd_;
  SocketKind kind_;
  Destination to_;
  // Raw sockets: the echo identifier is ours to choose (and to match: the socket sees every
  // echo reply from the destination); the sequence number counts the requests.
  std::uint16_t echo_id_ = 0;
  std::uint16_t echo_seq_ = 0;
};

}  // namespace n2nkit::mtutool
