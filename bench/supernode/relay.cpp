// bench-supernode-relay: PACKET relay rate of a running supernode over loopback, and the
// baseline it is measured against.
//
//   bench-supernode-relay --target 127.0.0.1:PORT [--seconds S] [--payload N] [--pairs P]
//   bench-supernode-relay --forwarder PORT      (the baseline: a bare recvmmsg/sendmmsg relay)
//
// Client: P pairs of edges (A_i, B_i), each a UDP socket on 127.0.0.1. With a supernode as the
// target, every edge registers (REGISTER_SUPER, plaintext, community "bench", simple-id token)
// and waits for its ACK; A_i then sends PACKETs of N payload bytes addressed to B_i's MAC, and
// B_i counts what arrives. A window of datagrams in flight per pair keeps the relay busy
// without flooding its socket buffer (a window that sees no progress for 20 ms is counted as
// lost and re-opened). With --raw the target is the forwarder: no registration, each A_i
// announces itself, then B_i, and the forwarder relays between them.
//
// Forwarder: the least any relay must do per datagram (receive it in a batch, look up where it
// goes, send it in a batch), as the denominator of the supernode's figure. It learns pairs from
// the announcements: the first source of a pair's "A" hello goes to the source of its "B".
//
// Prints one line: target, datagrams relayed per second, Mbit/s of UDP payload, lost.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/wire/messages.hpp"

using namespace n2nkit;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBatch = 64;
constexpr std::size_t kMaxDatagram = 2048;

int open_udp(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int size = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::optional<sockaddr_in> parse_target(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  if (inet_pton(AF_INET, text.substr(0, colon).c_str(), &sa.sin_addr) != 1) return std::nullopt;
  const auto port = std::stoul(text.substr(colon + 1));
  if (port == 0 || port > 65535) return std::nullopt;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  return sa;
}

bool same(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
}

// Receives up to kBatch datagrams without blocking; returns how many.
struct Batch {
  std::array<std::array<std::uint8_t, kMaxDatagram>, kBatch> buffers{};
  std::array<iovec, kBatch> iov{};
  std::array<sockaddr_in, kBatch> from{};
  std::array<mmsghdr, kBatch> msgs{};

  std::size_t receive(int fd) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      iov[i] = {buffers[i].data(), buffers[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    const int n = recvmmsg(fd, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }
};

// ---- the baseline forwarder ----------------------------------------------------------------

int run_forwarder(std::uint16_t port) {
  const int fd = open_udp(port);
  if (fd < 0) {
    std::fprintf(stderr, "bench-supernode-relay: cannot bind 127.0.0.1:%u: %s\n", port,
                 std::strerror(errno));
    return 1;
  }
  // Hello datagrams: "A<n>" or "B<n>"; the rest is relayed by source.
  std::map<std::string, sockaddr_in> hellos;
  std::vector<std::pair<sockaddr_in, sockaddr_in>> routes;  // from -> to
  Batch in;
  std::array<mmsghdr, kBatch> out{};
  std::array<iovec, kBatch> out_iov{};
  std::array<sockaddr_in, kBatch> out_to{};
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, -1) < 0 && errno != EINTR) return 1;
    const std::size_t n = in.receive(fd);
    std::size_t queued = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto size = in.msgs[i].msg_len;
      const auto& src = in.from[i];
      if (size >= 2 && size < 8 && (in.buffers[i][0] == 'A' || in.buffers[i][0] == 'B')) {
        const std::string name(reinterpret_cast<const char*>(in.buffers[i].data()), size);
        hellos[name] = src;
        if (name[0] == 'B') {
          const auto a = hellos.find("A" + name.substr(1));
          if (a != hellos.end()) routes.emplace_back(a->second, src);
        }
        continue;
      }
      const sockaddr_in* to = nullptr;
      for (const auto& [from, dst] : routes) {
        if (same(from, src)) {
          to = &dst;
          break;
        }
      }
      if (to == nullptr) continue;
      out_to[queued] = *to;
      out_iov[queued] = {in.buffers[i].data(), size};
      out[queued] = {};
      out[queued].msg_hdr.msg_iov = &out_iov[queued];
      out[queued].msg_hdr.msg_iovlen = 1;
      out[queued].msg_hdr.msg_name = &out_to[queued];
      out[queued].msg_hdr.msg_namelen = sizeof out_to[queued];
      ++queued;
    }
    for (std::size_t sent = 0; sent < queued;) {
      const int r = sendmmsg(fd, out.data() + sent, static_cast<unsigned>(queued - sent), 0);
      if (r <= 0) break;
      sent += static_cast<std::size_t>(r);
    }
  }
}

// ---- the client -------------------------------------------------------------------------

struct Pair {
  int a = -1;
  int b = -1;
  wire::Mac mac_a{};
  wire::Mac mac_b{};
  ByteVector packet;
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t window_base = 0;  // received + lost when the window was last re-opened
  Clock::time_point last_progress{};
};

wire::Mac pair_mac(std::size_t pair, bool b) {
  return {0x02,
          0xbe,
          0x4c,
          static_cast<std::uint8_t>(pair >> 8),
          static_cast<std::uint8_t>(pair & 0xff),
          static_cast<std::uint8_t>(b ? 2 : 1)};
}

wire::CommonHeader edge_header() {
  wire::CommonHeader h;
  h.ttl = 2;
  h.community = wire::make_community("bench");
  return h;
}

bool register_edge(int fd, const sockaddr_in& target, const wire::Mac& mac, std::mt19937& rng) {
  wire::RegisterSuper m;
  m.cookie = static_cast<std::uint32_t>(rng());
  m.edge_mac = mac;
  m.dev_addr = {0x0a636300u | ((mac[4] * 2u + mac[5]) % 250u + 1u), 24};
  m.desc = wire::make_description("bench");
  m.auth.scheme = 1;
  m.auth.size = 16;
  for (std::size_t i = 0; i < 16; ++i) m.auth.token[i] = static_cast<std::uint8_t>(rng());
  const auto bytes = wire::encode_to_vector(edge_header(), m);
  std::array<std::uint8_t, kMaxDatagram> buffer{};
  for (int attempt = 0; attempt < 10; ++attempt) {
    sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&target),
           sizeof target);
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 300) <= 0) continue;
    const auto n = recv(fd, buffer.data(), buffer.size(), 0);
    if (n <= 0) continue;
    const auto decoded = wire::decode(ByteView{buffer.data(), static_cast<std::size_t>(n)});
    if (decoded && std::holds_alternative<wire::RegisterSuperAck>(decoded->message)) return true;
  }
  return false;
}

int run_client(const sockaddr_in& target, const std::string& label, double seconds,
               std::size_t payload, std::size_t pairs, std::size_t window, bool raw) {
  std::mt19937 rng(std::random_device{}());
  std::vector<Pair> all(pairs);
  const ByteVector body(payload, 0x5a);
  for (std::size_t i = 0; i < pairs; ++i) {
    auto& p = all[i];
    p.a = open_udp(0);
    p.b = open_udp(0);
    if (p.a < 0 || p.b < 0) {
      std::fprintf(stderr, "bench-supernode-relay: cannot open sockets: %s\n",
                   std::strerror(errno));
      return 1;
    }
    p.mac_a = pair_mac(i, false);
    p.mac_b = pair_mac(i, true);
    if (raw) {
      const auto ha = "A" + std::to_string(i);
      const auto hb = "B" + std::to_string(i);
      sendto(p.a, ha.data(), ha.size(), 0, reinterpret_cast<const sockaddr*>(&target),
             sizeof target);
      usleep(2000);
      sendto(p.b, hb.data(), hb.size(), 0, reinterpret_cast<const sockaddr*>(&target),
             sizeof target);
    } else if (!register_edge(p.a, target, p.mac_a, rng) ||
               !register_edge(p.b, target, p.mac_b, rng)) {
      std::fprintf(stderr, "bench-supernode-relay: %s at %s did not acknowledge registration\n",
                   label.c_str(), inet_ntoa(target.sin_addr));
      return 1;
    }
    wire::Packet m;
    m.src_mac = p.mac_a;
    m.dst_mac = p.mac_b;
    m.payload = body;
    p.packet = wire::encode_to_vector(edge_header(), m);
  }
  usleep(20000);

  std::array<mmsghdr, kBatch> out{};
  std::array<iovec, kBatch> out_iov{};
  Batch in;
  std::uint64_t bytes_in = 0;
  const auto start = Clock::now();
  const auto stop = start + std::chrono::duration<double>(seconds);
  for (auto& p : all) p.last_progress = start;
  std::size_t datagram_size = all.empty() ? 0 : all[0].packet.size();
  while (Clock::now() < stop) {
    const auto now = Clock::now();
    for (auto& p : all) {
      // Nothing back for 20 ms: what is in flight is lost.
      const auto settled = p.received + p.lost;
      if (p.sent > settled && now - p.last_progress > std::chrono::milliseconds(20)) {
        p.lost += p.sent - settled;
        p.last_progress = now;
      }
      const auto in_flight = p.sent - (p.received + p.lost);
      if (in_flight < window) {
        const auto n = std::min<std::size_t>(kBatch, window - in_flight);
        for (std::size_t i = 0; i < n; ++i) {
          out_iov[i] = {p.packet.data(), p.packet.size()};
          out[i] = {};
          out[i].msg_hdr.msg_iov = &out_iov[i];
          out[i].msg_hdr.msg_iovlen = 1;
          out[i].msg_hdr.msg_name = const_cast<sockaddr_in*>(&target);
          out[i].msg_hdr.msg_namelen = sizeof target;
        }
        const int r = sendmmsg(p.a, out.data(), static_cast<unsigned>(n), MSG_DONTWAIT);
        if (r > 0) p.sent += static_cast<std::uint64_t>(r);
      }
      for (std::size_t got = in.receive(p.b); got > 0; got = in.receive(p.b)) {
        p.received += got;
        for (std::size_t i = 0; i < got; ++i) bytes_in += in.msgs[i].msg_len;
        p.last_progress = Clock::now();
        // Late arrivals of a window counted as lost are not counted twice.
        if (p.received + p.lost > p.sent) p.lost = p.sent - p.received;
      }
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::uint64_t sent = 0, received = 0, lost = 0;
  for (const auto& p : all) {
    sent += p.sent;
    received += p.received;
    lost += p.lost;
  }
  std::printf(
      "%-34s %12.0f datagrams/s %9.1f Mbit/s  (%zu-byte datagrams in, %llu sent, %llu relayed, "
      "%.2f %% lost, %.1f s)\n",
      label.c_str(), static_cast<double>(received) / elapsed,
      static_cast<double>(bytes_in) * 8 / elapsed / 1e6, datagram_size,
      static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received),
      sent == 0 ? 0.0 : 100.0 * static_cast<double>(lost) / static_cast<double>(sent), elapsed);
  for (auto& p : all) {
    close(p.a);
    close(p.b);
  }
  return received == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Relay rate of a supernode over loopback, or the baseline forwarder"};
  std::string target_text;
  std::string label;
  std::uint16_t forwarder_port = 0;
  double seconds = 3;
  std::size_t payload = 1400;
  std::size_t pairs = 2;
  std::size_t window = 256;
  bool raw = false;
  app.add_option("--target", target_text, "Supernode (or forwarder) at 127.0.0.1:PORT");
  app.add_option("--label", label, "Name printed with the result");
  app.add_option("--forwarder", forwarder_port, "Run the baseline forwarder on this port");
  app.add_option("--seconds", seconds, "Duration of the measurement")->check(CLI::PositiveNumber);
  app.add_option("--payload", payload, "PACKET payload bytes")->check(CLI::Range(1, 1900));
  app.add_option("--pairs", pairs, "Sender/receiver edge pairs")->check(CLI::Range(1, 256));
  app.add_option("--window", window, "Datagrams in flight per pair")->check(CLI::Range(1, 4096));
  app.add_flag("--raw", raw, "The target is the baseline forwarder (no registration)");
  CLI11_PARSE(app, argc, argv);
  if (forwarder_port != 0) return run_forwarder(forwarder_port);
  const auto target = parse_target(target_text);
  if (!target) {
    std::fprintf(stderr, "bench-supernode-relay: --target must be IPv4:PORT, got '%s'\n",
                 target_text.c_str());
    return 64;
  }
  return run_client(*target, label.empty() ? target_text : label, seconds, payload, pairs, window,
                    raw);
}
