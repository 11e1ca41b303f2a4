#include "core/net/management_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/net/udp_socket.hpp"
#include "core/service/log.hpp"

namespace n2nkit::net {
namespace {

// Requests served per readiness event; the rest waits for the next loop turn.
constexpr int kRequestBatches = 4;

}  // namespace

void ManagementSocket::on_readable(const Answerer& answer) {
  for (int batch = 0; batch < kRequestBatches; ++batch) {
    const std::size_t n = socket_.receive_batch([&](ByteView request, const wire::Sock& from,
                                                    bool /*truncated*/) {
      std::vector<std::string> reply = answer(request, from);
      if (!pacer_.push(from, std::move(reply))) {
        service::log(service::Level::warning,
                     "management: too many reply datagrams queued; request from {} not answered",
                     wire::sock_to_string(from));
      }
    });
    if (n < UdpSocket::kBatch) break;
  }
}

std::map<std::uint16_t, std::size_t> ManagementSocket::local_receive_queues() {
  // Lines: "sl local_address rem_address st tx_queue:rx_queue ...", addresses as
  // XXXXXXXX:PPPP in hex (the address in the kernel's byte order).
  std::map<std::uint16_t, std::size_t> queues;
  std::ifstream in("/proc/net/udp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queue;
    if (!(fields >> slot >> local >> remote >> state >> queue)) continue;
    const auto colon = local.find(':');
    const auto queue_colon = queue.find(':');
    if (colon == std::string::npos || queue_colon == std::string::npos) continue;
    const std::string address = local.substr(0, colon);
    // Clients on loopback are bound to 127.0.0.1 or to any address.
    if (address != "0100007F" && address != "00000000") continue;
    const auto port =
        static_cast<std::uint16_t>(std::strtoul(local.c_str() + colon + 1, nullptr, 16));
    const auto bytes =
        static_cast<std::size_t>(std::strtoul(queue.c_str() + queue_colon + 1, nullptr, 16));
    queues[port] = std::max(queues[port], bytes);
  }
  return queues;
}

std::size_t ManagementSocket::send_burst(std::uint64_t now_ms) {
  using Status = mgmt::ReplyPacer::SendStatus;
  const auto queues = local_receive_queues();
  struct Client {
    bool busy = false;
    std::size_t room = 0;  // receive buffer left for this burst
  };
  std::map<ClientKey, Client> checked;  // per burst
  std::vector<wire::Sock> stalled;
  std::size_t failed = 0;
  pacer_.send_burst(kBurst, [&](const wire::Sock& to, const std::string& datagram) {
    const ClientKey key = key_of(to);
    auto [it, first] = checked.try_emplace(key);
    Client& client = it->second;
    if (first) {
      const auto q = queues.find(to.port);
      const std::size_t queued = q != queues.end() ? q->second : 0;
      client.busy = queued > kClientQueueLimit;
      client.room = kAssumedReceiveBuffer - kRoomMargin - std::min(queued, kClientQueueLimit);
      if (!client.busy) {
        busy_since_.erase(key);
      } else if (const auto [since, added] = busy_since_.try_emplace(key, now_ms);
                 !added && now_ms - since->second > kStalledClientMs) {
        stalled.push_back(to);
        busy_since_.erase(since);
      }
    }
    if (client.busy) return Status::client_busy;
    const std::size_t charge = mgmt::receive_buffer_charge(datagram.size());
    if (charge > client.room) return Status::client_busy;  // its buffer is full for now
    if (socket_.send_one(to, as_bytes(datagram))) {
      client.room -= charge;
      return Status::sent;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return Status::socket_full;
    ++failed;  // this client is gone: its datagram is skipped
    return Status::sent;
  });
  for (const wire::Sock& to : stalled) {
    service::log(service::Level::info,
                 "management: client {} stopped reading; {} reply datagrams dropped",
                 wire::sock_to_string(to), pacer_.drop(to));
  }
  return failed;
}

void ManagementSocket::flush() {
  using Status = mgmt::ReplyPacer::SendStatus;
  pacer_.flush([&](const wire::Sock& to, const std::string& datagram) {
    return socket_.send_one(to, as_bytes(datagram)) ? Status::sent : Status::socket_full;
  });
}

}  // namespace n2nkit::net
