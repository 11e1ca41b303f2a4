#include "edge_query.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>

#include "core/net/unique_fd.hpp"
#include "core/routes/route_plan.hpp"

namespace n2nkit::routetool {

EdgeAnswer query_edge(std::uint16_t port, const std::string& password, const std::string& method,
                      std::chrono::milliseconds timeout) {
  EdgeAnswer answer;
  net::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    answer.error =
        fmt::format("cannot open a socket to 127.0.0.1:{}: {}", port, std::strerror(errno));
    return answer;
  }
  // The edge's tag buffer holds 9 characters.
  const std::string tag = std::to_string(std::random_device{}() % 100000000U);
  const std::string request = password.empty()
                                  ? fmt::format("r {} {}\n", tag, method)
                                  : fmt::format("r {}:1:{} {}\n", tag, password, method);
  if (::send(fd.get(), request.data(), request.size(), 0) < 0) {
    answer.error = fmt::format("cannot send to 127.0.0.1:{}: {}", port, std::strerror(errno));
    return answer;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<char, 65536> buffer{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::recv(fd.get(), buffer.data(), buffer.size(), 0);
    if (n < 0) {
      // ECONNREFUSED: nothing listens there.
      if (errno == EINTR) continue;
      answer.error =
          fmt::format("edge management port {} does not answer ({})", port, std::strerror(errno));
      return answer;
    }
    const auto reply = nlohmann::json::parse(buffer.data(), buffer.data() + n, nullptr, false);
    if (!reply.is_object() || reply.value("_tag", std::string()) != tag) continue;
    const auto type = reply.value("_type", std::string());
    if (type == "row") answer.rows.push_back(reply);
    if (type == "error") {
      answer.error = fmt::format("edge management port {} refused '{}': {}", port, method,
                                 reply.value("error", std::string("error")));
      return answer;
    }
    if (type == "end") {
      answer.ok = true;
      return answer;
    }
  }
  answer.error = fmt::format("edge management port {} does not answer (no reply to '{}' in {} ms)",
                             port, method, timeout.count());
  return answer;
}

bool edge_endpoints(std::uint16_t port, const std::string& password, bool with_peers,
                    std::vector<routes::Endpoint>& out, std::string& error) {
  out.clear();
  constexpr std::chrono::milliseconds kTimeout{1500};
  const auto sns = query_edge(port, password, "supernodes", kTimeout);
  if (!sns.ok) {
    error = sns.error;
    return false;
  }
  const auto take = [&](const EdgeAnswer& a, const char* role) {
    for (const auto& row : a.rows) {
      const auto sock = row.value("sockaddr", std::string());
      if (const auto ip = routes::sockaddr_ipv4(sock)) out.push_back({*ip, role, sock});
    }
  };
  take(sns, "supernode");
  if (with_peers) {
    const auto peers = query_edge(port, password, "edges", kTimeout);
    if (!peers.ok) {
      error = peers.error;
      return false;
    }
    take(peers, "peer");
  }
  return true;
}

}  // namespace n2nkit::routetool
