#include "core/mgmt/client.hpp"

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

namespace n2nkit::mgmt {

ReadAnswer read_method(std::uint16_t port, const std::string& password, const std::string& method,
                       std::chrono::milliseconds timeout) {
  ReadAnswer answer;
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
  // A random tag, so that late replies to an earlier request are not taken for ours; the
  // reference's tag buffer holds 9 characters.
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
      if (errno == EINTR) continue;
      // ECONNREFUSED: nothing listens there.
      answer.error =
          fmt::format("management port {} does not answer ({})", port, std::strerror(errno));
      return answer;
    }
    const auto reply = nlohmann::json::parse(buffer.data(), buffer.data() + n, nullptr, false);
    if (!reply.is_object() || reply.value("_tag", std::string()) != tag) continue;
    const auto type = reply.value("_type", std::string());
    if (type == "row") answer.rows.push_back(reply);
    if (type == "error") {
      answer.refused = true;
      answer.error = fmt::format("management port {} refused '{}': {}", port, method,
                                 reply.value("error", std::string("error")));
      return answer;
    }
    if (type == "end") {
      answer.ok = true;
      return answer;
    }
  }
  answer.error = fmt::format("management port {} does not answer (no reply to '{}' in {} ms)", port,
                             method, timeout.count());
  return answer;
}

}  // namespace n2nkit::mgmt
