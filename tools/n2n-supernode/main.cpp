// n2n-supernode: the n2n v3 supernode daemon. The protocol lives in the sans-I/O engine
// (core/supernode); this program is its shell: options and configuration file, sockets,
// privileges, the event loop, logging.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "anchors.hpp"
#include "core/keys/mac_address.hpp"
#include "core/supernode/auto_ip.hpp"
#include "core/supernode/community_list.hpp"
#include "event_loop.hpp"
#include "options.hpp"
#include "rim.hpp"

namespace {

using namespace n2nkit;
using namespace n2nkit::supernoded;

int fail(int code, const std::string& message) {
  fmt::print(stderr, "n2n-supernode: {}\n", message);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const Options& options = *parsed.options;
  set_log_level(options.verbosity);
  for (const auto& w : options.warnings) log(Level::warning, "{}", w);

  supernode::SupernodeConfig config;
  if (options.community_file) {
    std::vector<std::string> warnings;
    std::string error;
    auto list = supernode::load_community_list(*options.community_file, warnings, error);
    for (const auto& w : warnings) log(Level::warning, "{}", w);
    if (!list) return fail(kExitUsage, error);
    if (list->fixed.empty() && list->regexes.empty()) {
      return fail(kExitUsage, fmt::format("{}: lists no community name and no regular expression",
                                          *options.community_file));
    }
    log(Level::normal, "loaded {}: {} communities, {} regular expressions", *options.community_file,
        list->fixed.size(), list->regexes.size());
    config.communities = std::move(*list);
  }
  config.mac = options.mac ? *options.mac : keys::random_local_mac();
  config.version = options.version;
  config.auto_ip = options.auto_ip;
  config.spoofing_protection = options.spoofing_protection;
  config.federation = options.federation;
  config.anchors = options.anchors;

  // Before any thread exists (the background name lookups), so every thread blocks them.
  SignalEvents signals;
  if (!signals.valid())
    return fail(kExitFailure, fmt::format("signalfd: {}", std::strerror(errno)));

  Sockets sockets;
  std::string error;
  sockets.udp = bind_ipv4(SOCK_DGRAM, INADDR_ANY, options.port, error);
  if (!sockets.udp.valid()) return fail(kExitFailure, error);
  sockets.tcp_listener = bind_ipv4(SOCK_STREAM, INADDR_ANY, options.port, error);
  if (!sockets.tcp_listener.valid()) return fail(kExitFailure, error);
  if (listen(sockets.tcp_listener.get(), TcpServer::kBacklog) != 0) {
    return fail(kExitFailure, fmt::format("cannot listen on TCP port {}: {}", options.port,
                                          std::strerror(errno)));
  }
  sockets.management = bind_ipv4(SOCK_DGRAM, INADDR_LOOPBACK, options.management_port, error);
  if (!sockets.management.valid()) return fail(kExitFailure, error);

  AnchorResolver anchors(options.anchors);
  const auto resolved = anchors.resolve_now(wall_now().sec);

  if (!drop_privileges(options.user, options.group, error)) return fail(kExitFailure, error);
  if (options.default_federation) {
    log(Level::warning, "using the default federation name; set your own with -F");
  }
  if (!options.spoofing_protection) {
    log(Level::warning, "-M: MAC and IP address spoofing protection is off");
  }
  if (!options.foreground) {
    if (!daemonize(error)) return fail(kExitFailure, error);
    log_to_syslog("n2n-supernode");
  }

  EventLoop loop(options, std::move(config), std::move(sockets), signals, anchors);
  if (!loop.valid()) return fail(kExitFailure, fmt::format("epoll: {}", std::strerror(errno)));
  for (const auto& [index, sock] : resolved) loop.engine().set_anchor_address(index, sock);
  log(Level::normal,
      "supernode {} started: UDP and TCP port {}, management 127.0.0.1:{}, MAC {}, federation "
      "{}{}",
      options.version, options.port, options.management_port,
      wire::mac_to_string(loop.engine().config().mac), options.federation,
      options.community_file ? ", communities from " + *options.community_file
                             : std::string(", open to every community"));
  return loop.run();
}
