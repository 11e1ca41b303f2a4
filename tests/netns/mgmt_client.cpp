#include "tests/netns/mgmt_client.hpp"

#include <sstream>

#include "tests/netns/netns_udp.hpp"

namespace n2nkit::netnstest {

namespace {

wire::Sock loopback(std::uint16_t port) {
  return wire::Sock::ipv4(0x7f000001, port);
}

}  // namespace

MgmtReply mgmt_query(const std::string& netns, std::uint16_t port, const std::string& request,
                     std::chrono::milliseconds timeout) {
  MgmtReply reply;
  std::string error;
  auto sock = UdpSocket::open(netns, 0, loopback(port), error);
  if (!sock) {
    reply.error = error;
    return reply;
  }
  std::istringstream words(request);
  std::string type, tag;
  words >> type >> tag;
  if (!sock->send(as_bytes(request + "\n"), loopback(port))) {
    reply.error = "send failed";
    return reply;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const auto d = sock->receive(left);
    if (!d) break;
    const std::string text(d->bytes.begin(), d->bytes.end());
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      reply.error = "reply is not a JSON object: " + text.substr(0, 80);
      return reply;
    }
    if (json.value("_tag", "") != tag) continue;
    const std::string kind = json.value("_type", "");
    if (kind == "row") {
      reply.rows.push_back(json);
    } else if (kind == "error") {
      reply.error = json.value("error", "error");
      // Command-level errors come between begin and end; request-level ones stand alone.
    } else if (kind == "end") {
      reply.complete = true;
      return reply;
    }
  }
  if (reply.error.empty()) reply.error = "no complete reply within the timeout";
  return reply;
}

bool mgmt_send_raw(const std::string& netns, std::uint16_t port, const std::string& bytes) {
  std::string error;
  auto sock = UdpSocket::open(netns, 0, loopback(port), error);
  return sock && sock->send(as_bytes(bytes), loopback(port));
}

}  // namespace n2nkit::netnstest
