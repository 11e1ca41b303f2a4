// n2n-edge: the n2n v3 edge daemon. The protocol lives in the sans-I/O engine (core/edge);
// this program is its shell: options and configuration file, the TAP device and its link
// settings (netlink), the UDP socket, privileges, the event loop, logging.
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/keys/mac_address.hpp"
#include "core/net/link_setup.hpp"
#include "core/net/multicast_socket.hpp"
#include "core/net/signal_events.hpp"
#include "core/net/sockaddr.hpp"
#include "core/net/tap_device.hpp"
#include "core/net/udp_socket.hpp"
#include "core/service/log.hpp"
#include "core/service/privileges.hpp"
#include "event_loop.hpp"
#include "options.hpp"

namespace {

using namespace n2nkit;
using namespace n2nkit::edged;
using service::Level;
using service::log;

int fail(int code, const std::string& message) {
  fmt::print(stderr, "n2n-edge: {}\n", message);
  return code;
}

// HOST:PORT to an IPv4 socket (the reference's edge speaks IPv4 only); one line in error.
std::optional<wire::Sock> resolve(const std::string& text, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    error = fmt::format("-l {}: HOST:PORT expected", text);
    return std::nullopt;
  }
  const std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &result); rc != 0) {
    error = fmt::format("-l {}: cannot resolve {}: {}", text, host, gai_strerror(rc));
    return std::nullopt;
  }
  const auto* sa = reinterpret_cast<const sockaddr_in*>(result->ai_addr);
  const auto sock = wire::Sock::ipv4(ntohl(sa->sin_addr.s_addr), ntohs(sa->sin_port));
  freeaddrinfo(result);
  return sock;
}

// -e (spec §11.1 step 2): the advertised socket is the given address, or for -e auto the
// local address the kernel picks towards the supernode, with the main socket's port.
std::optional<wire::Sock> preferred_socket(const Options& options, int udp_fd,
                                           const wire::Sock& supernode, std::string& error) {
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (getsockname(udp_fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    error = fmt::format("-e: cannot read the local port: {}", std::strerror(errno));
    return std::nullopt;
  }
  const std::uint16_t port = ntohs(local.sin_port);
  if (options.preferred_address) return wire::Sock::ipv4(*options.preferred_address, port);
  // A connected UDP socket is the kernel's route lookup; nothing is sent.
  const net::UniqueFd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  const sockaddr_in to = net::to_sockaddr(supernode);
  sockaddr_in used{};
  len = sizeof used;
  if (!probe.valid() ||
      connect(probe.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 ||
      getsockname(probe.get(), reinterpret_cast<sockaddr*>(&used), &len) != 0) {
    error = fmt::format("-e auto: no local address towards the supernode {}: {}",
                        wire::sock_to_string(supernode), std::strerror(errno));
    return std::nullopt;
  }
  return wire::Sock::ipv4(ntohl(used.sin_addr.s_addr), port);
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const Options& options = *parsed.options;
  service::set_log_level(options.verbosity);
  for (const auto& w : options.warnings) log(Level::warning, "{}", w);

  edge::EdgeConfig config;
  config.community = options.community;
  for (const auto& text : options.supernodes) {
    std::string error;
    const auto sock = resolve(text, error);
    if (!sock) {
      // The reference keeps unresolvable supernodes and retries; without any there is nothing
      // to register with.
      log(Level::warning, "{}", error);
      continue;
    }
    config.supernodes.push_back(*sock);
  }
  if (config.supernodes.empty()) {
    return fail(kExitFailure, "no supernode could be resolved (-l)");
  }
  config.mac = options.mac ? *options.mac : keys::random_local_mac();
  config.address = options.address;
  config.desc = options.description;
  config.transform = options.transform;
  config.key = options.key;
  config.compression = options.compression;
  config.header_encryption = options.header_encryption;
  config.routing = options.routing;
  config.accept_multicast = options.accept_multicast;
  config.rules = options.rules;
  config.p2p = options.p2p;
  config.tcp = options.tcp;
  config.register_ttl = options.register_ttl;
  config.interval = options.interval;
  config.mss_clamp = options.mss_clamp;
  config.selection = options.selection;
  config.tap_mtu = options.mtu;
  config.password = options.password;
  config.federation_public_key = options.federation_public_key;
  config.tap_mtu_auto = options.mtu_auto;

  // Before any thread exists, so that every thread blocks them.
  net::SignalEvents signals;
  if (!signals.valid()) {
    return fail(kExitFailure, fmt::format("signalfd: {}", std::strerror(errno)));
  }
  std::string error;
  // -S2 speaks to the supernode over TCP only (P2P is off): no UDP port, as the reference.
  net::UniqueFd udp_fd;
  if (!options.tcp) {
    udp_fd = net::bind_ipv4(SOCK_DGRAM, options.bind_address, options.bind_port, error);
    if (!udp_fd.valid()) return fail(kExitFailure, error);
    if (options.preferred_address || options.preferred_auto) {
      config.preferred_sock = preferred_socket(options, udp_fd.get(), config.supernodes[0], error);
      if (!config.preferred_sock) return fail(kExitFailure, error);
    }
    // As the reference: no DF unless -D, so that routers fragment what a path cannot carry
    // (with DF and ICMP filtered such datagrams would vanish); the path-MTU probes set DF on
    // themselves alone.
    const int pmtud = options.dont_fragment ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
    if (setsockopt(udp_fd.get(), IPPROTO_IP, IP_MTU_DISCOVER, &pmtud, sizeof pmtud) != 0) {
      return fail(kExitFailure,
                  fmt::format("cannot set IP_MTU_DISCOVER: {}", std::strerror(errno)));
    }
    if (options.tos != 0) {
      const int tos = options.tos;
      if (setsockopt(udp_fd.get(), IPPROTO_IP, IP_TOS, &tos, sizeof tos) != 0) {
        return fail(kExitFailure, fmt::format("-T {}: cannot set the IP type of service: {}",
                                              options.tos, std::strerror(errno)));
      }
    }
  }
  auto management_fd = net::bind_ipv4(SOCK_DGRAM, INADDR_LOOPBACK, options.management_port, error);
  if (!management_fd.valid()) return fail(kExitFailure, error);
  // Local peer discovery (spec §11.5) with P2P and without -e: the edge still works without it
  // (another program may hold the port without sharing it), so a failure is only a warning.
  net::UniqueFd discovery;
  if (options.p2p && !config.preferred_sock) {
    discovery = net::join_ipv4_group(edge::kDiscoveryGroup, error);
    if (discovery.valid()) {
      config.multicast_discovery = true;
    } else {
      log(Level::warning, "no local peer discovery: {}", error);
    }
  }
  bool permission = false;
  auto tap = net::TapDevice::open(options.device, error, permission);
  if (!tap.valid()) return fail(permission ? kExitPermission : kExitFailure, error);
  if (!net::configure_link(tap.ifindex(), config.mac, options.mtu, error)) {
    return fail(error.find("CAP_NET_ADMIN") != std::string::npos ? kExitPermission : kExitFailure,
                error);
  }
  if (!options.foreground) {
    if (!service::daemonize(error)) return fail(kExitFailure, error);
    service::log_to_syslog("n2n-edge");
  }
  log(Level::normal, "edge started: community {}, TAP {} MAC {} MTU {}, {} supernode(s){}, {}",
      options.community, tap.name(), wire::mac_to_string(config.mac), options.mtu,
      config.supernodes.size(), options.tcp ? " over TCP" : "",
      options.address ? "address " + wire::subnet_to_string(*options.address)
                      : std::string("address from the supernode"));
  if (options.password) {
    log(Level::normal, "user/password authentication as user '{}'",
        std::string_view(options.description).substr(0, keys::kMaxUserNameBytes));
  }

  if (config.preferred_sock) {
    log(Level::normal, "advertising {} as the preferred local socket (-e)",
        wire::sock_to_string(*config.preferred_sock));
  }
  const auto user = options.user;
  const auto group = options.group;
  // Routes are kept up while running, and -M auto sets the TAP's MTU again whenever the path
  // changes: both need CAP_NET_ADMIN after the switch of user.
  const bool keep_net_admin = !options.routes.empty() || options.mtu_auto;
  EventLoop loop(options, std::move(config), net::UdpSocket(std::move(udp_fd)), std::move(tap),
                 net::UdpSocket(std::move(management_fd)), signals,
                 [user, group, keep_net_admin](std::string& e) {
                   return service::drop_privileges(user, group, e, keep_net_admin);
                 });
  if (!loop.valid()) return fail(kExitFailure, fmt::format("epoll: {}", std::strerror(errno)));
  if (discovery.valid()) loop.add_discovery_socket(net::UdpSocket(std::move(discovery)));
  return loop.run();
}
