#include "edge_management.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>

#include <fmt/format.h>

#include <array>

#include "core/net/unique_fd.hpp"

namespace n2nkit::mtutool {

std::optional<std::vector<nlohmann::json>> management_rows(std::uint16_t port,
                                                           const std::string& method,
                                                           int timeout_ms) {
  net::UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return std::nullopt;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    return std::nullopt;
  }
  const std::string request = fmt::format("r 71 {}", method);
  if (send(fd.get(), request.data(), request.size(), 0) < 0) return std::nullopt;
  std::vector<nlohmann::json> rows;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds{timeout_ms};
  std::array<char, 65536> buf{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd.get(), POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    const ssize_t n = recv(fd.get(), buf.data(), buf.size(), 0);
    if (n <= 0) return std::nullopt;  // ECONNREFUSED: nothing listens there
    const auto reply = nlohmann::json::parse(buf.data(), buf.data() + n, nullptr, false);
    if (!reply.is_object()) continue;
    const auto type = reply.value("_type", std::string{});
    if (type == "end") return rows;
    if (type == "error") return std::nullopt;
    if (type == "row") rows.push_back(reply);
  }
}

}  // namespace n2nkit::mtutool
