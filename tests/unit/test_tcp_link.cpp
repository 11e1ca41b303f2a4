// The n2n TCP framing (spec §11.11) and the edge's non-blocking connection, over loopback:
// frames split at every byte, several in one read, the length limit, the bounded queue.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "core/net/sockaddr.hpp"
#include "core/net/tcp_frames.hpp"
#include "core/net/tcp_link.hpp"
#include "core/net/udp_socket.hpp"

using namespace n2nkit;
using net::FrameScan;
using net::TcpLink;

TEST_SUITE_BEGIN("net");

TEST_CASE("tcp frames: header, incomplete, whole, too long") {
  std::vector<std::uint8_t> buf(2 + 3);
  net::write_frame(buf.data(), ByteVector{1, 2, 3});
  CHECK(buf == std::vector<std::uint8_t>{0, 3, 1, 2, 3});
  for (std::size_t n = 0; n < buf.size(); ++n) {
    CHECK(net::scan_frame(ByteView{buf.data(), n}).kind == FrameScan::Kind::incomplete);
  }
  const auto whole = net::scan_frame(buf);
  CHECK(whole.kind == FrameScan::Kind::frame);
  CHECK(whole.length == 3);
  const std::uint8_t at_limit[2] = {0x08, 0x00};  // 2048: the largest datagram
  CHECK(net::scan_frame(at_limit).kind == FrameScan::Kind::incomplete);
  const std::uint8_t over[2] = {0x08, 0x01};
  CHECK(net::scan_frame(over).kind == FrameScan::Kind::too_long);
  const std::uint8_t empty[2] = {0, 0};
  CHECK(net::scan_frame(empty).kind == FrameScan::Kind::frame);
}

namespace {

struct Loopback {
  net::UniqueFd listener;
  net::UniqueFd accepted;
  wire::Sock where{};

  Loopback() {
    std::string error;
    listener = net::bind_ipv4(SOCK_STREAM, INADDR_LOOPBACK, 0, error);
    REQUIRE(listener.valid());
    REQUIRE(::listen(listener.get(), 4) == 0);
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    REQUIRE(getsockname(listener.get(), reinterpret_cast<sockaddr*>(&sa), &len) == 0);
    where = net::to_sock(sa);
  }
  // Connects the link and accepts its connection.
  void connect(TcpLink& link) {
    std::string error;
    REQUIRE(link.connect(where, 0, error));
    pollfd p{link.fd(), POLLOUT, 0};
    REQUIRE(::poll(&p, 1, 2000) == 1);
    std::string why;
    REQUIRE(link.on_writable(why) == TcpLink::Progress::established);
    CHECK(link.state() == TcpLink::State::connected);
    accepted.reset(::accept(listener.get(), nullptr, nullptr));
    REQUIRE(accepted.valid());
  }
  void write(ByteView bytes) const {
    REQUIRE(::send(accepted.get(), bytes.data(), bytes.size(), 0) ==
            static_cast<ssize_t>(bytes.size()));
  }
};

// Reads from the link until `count` messages came or nothing more arrives within wait_ms.
std::vector<ByteVector> receive(TcpLink& link, std::size_t count, TcpLink::Progress& last,
                                int wait_ms = 200) {
  std::vector<ByteVector> got;
  std::string why;
  last = TcpLink::Progress::ok;
  while (got.size() < count) {
    pollfd p{link.fd(), POLLIN, 0};
    if (::poll(&p, 1, wait_ms) != 1) break;
    last = link.on_readable([&](ByteView m) { got.emplace_back(m.begin(), m.end()); }, why);
    if (last == TcpLink::Progress::ended) break;
  }
  return got;
}

}  // namespace

TEST_CASE("tcp link: messages split at any byte and several per read arrive whole") {
  Loopback lo;
  TcpLink link;
  lo.connect(link);
  std::vector<std::uint8_t> stream;
  std::vector<ByteVector> sent;
  for (std::size_t size : {24u, 1u, 2048u, 100u, 0u, 1500u}) {
    ByteVector m(size);
    for (std::size_t i = 0; i < size; ++i) m[i] = static_cast<std::uint8_t>(i * 7 + size);
    const std::size_t at = stream.size();
    stream.resize(at + 2 + size);
    net::write_frame(stream.data() + at, m);
    sent.push_back(std::move(m));
  }
  // Byte by byte for the first two frames, then the rest at once.
  TcpLink::Progress last{};
  std::vector<ByteVector> got;
  for (std::size_t i = 0; i < 2 + 24 + 2 + 1; ++i) {
    lo.write(ByteView{stream.data() + i, 1});
    auto part = receive(link, 1, last, 20);
    for (auto& m : part) got.push_back(std::move(m));
  }
  CHECK(got.size() == 2);
  lo.write(ByteView{stream.data() + 29, stream.size() - 29});
  for (auto& m : receive(link, sent.size() - got.size(), last)) got.push_back(std::move(m));
  CHECK(got == sent);
  CHECK(link.counters().frames_rx == sent.size());
}

TEST_CASE("tcp link: what it sends is framed; a frame too long ends the connection") {
  Loopback lo;
  TcpLink link;
  lo.connect(link);
  CHECK(link.send(ByteVector{9, 8, 7}));
  std::uint8_t buf[16] = {};
  REQUIRE(::recv(lo.accepted.get(), buf, sizeof buf, 0) == 5);
  CHECK(ByteVector(buf, buf + 5) == ByteVector{0, 3, 9, 8, 7});

  const std::uint8_t bad[4] = {0x08, 0x01, 0, 0};
  lo.write(bad);
  TcpLink::Progress last{};
  CHECK(receive(link, 1, last).empty());
  CHECK(last == TcpLink::Progress::ended);
  CHECK(link.state() == TcpLink::State::closed);
  CHECK_FALSE(link.send(ByteVector{1}));
  CHECK(link.counters().unconnected_drops == 1);
}

TEST_CASE("tcp link: a closed peer ends it after the messages before the close") {
  Loopback lo;
  TcpLink link;
  lo.connect(link);
  const std::uint8_t frame[3] = {0, 1, 0x42};
  lo.write(frame);
  lo.accepted.reset();
  TcpLink::Progress last{};
  const auto got = receive(link, 2, last);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == ByteVector{0x42});
  CHECK(last == TcpLink::Progress::ended);
}

TEST_CASE("tcp link: the send queue is bounded; what does not fit is dropped and counted") {
  Loopback lo;
  TcpLink link;
  lo.connect(link);
  // Nobody reads: the kernel's buffers fill, then the queue, then frames are dropped.
  const ByteVector big(2048, 0x55);
  std::size_t accepted = 0;
  for (int i = 0; i < 10000 && link.counters().queue_drops == 0; ++i) {
    if (link.send(big)) ++accepted;
  }
  CHECK(link.counters().queue_drops == 1);
  CHECK(link.queued_bytes() <= TcpLink::kSendQueueBytes);
  CHECK(link.queued_bytes() + 2050 > TcpLink::kSendQueueBytes);
  CHECK(link.wants_write());
  // Draining the far end lets on_writable empty the queue, in order and whole.
  std::size_t total = 0;
  std::vector<std::uint8_t> chunk(65536);
  std::string why;
  for (int round = 0; round < 10000 && total < accepted * 2050; ++round) {
    const auto n = ::recv(lo.accepted.get(), chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (n > 0) total += static_cast<std::size_t>(n);
    REQUIRE(link.on_writable(why) != TcpLink::Progress::ended);
    if (n <= 0) {
      pollfd p{lo.accepted.get(), POLLIN, 0};
      ::poll(&p, 1, 50);
    }
  }
  CHECK(total == accepted * 2050);
  CHECK(link.queued_bytes() == 0);
}

TEST_CASE("tcp link: a refused connection ends on the first writability") {
  Loopback lo;
  const wire::Sock where = lo.where;
  lo.listener.reset();  // nobody listens there any more
  TcpLink link;
  std::string error;
  if (!link.connect(where, 0, error)) {
    CHECK(link.state() == TcpLink::State::closed);
    return;
  }
  pollfd p{link.fd(), POLLOUT, 0};
  REQUIRE(::poll(&p, 1, 2000) == 1);
  std::string why;
  CHECK(link.on_writable(why) == TcpLink::Progress::ended);
  CHECK_FALSE(why.empty());
  CHECK(link.state() == TcpLink::State::closed);
}

TEST_SUITE_END();
