// Packed rows (kFlagPackedRows): the flag in requests, the daemons packing rows into larger
// datagrams, the client reading one-row and multi-row datagrams alike, the fast flat-object
// parse, and a paced listing of 10,000 rows over a real loopback management socket to a slow
// reader with a default and with a tiny receive buffer.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/mgmt/client.hpp"
#include "core/mgmt/dispatcher.hpp"
#include "core/mgmt/flat_json.hpp"
#include "core/mgmt/reply_pacer.hpp"
#include "core/mgmt/request.hpp"
#include "core/mgmt/row_packing.hpp"
#include "core/net/management_socket.hpp"
#include "core/net/udp_socket.hpp"

using namespace n2nkit;
using namespace n2nkit::mgmt;
using State = ReplyCollector::State;

namespace {

class ManyRows : public MethodHandler {
 public:
  explicit ManyRows(int count) : count_(count) {}
  MethodReply call(MethodId, const JsonRequest&) override {
    MethodReply r;
    for (int i = 0; i < count_; ++i) {
      r.rows.push_back(edge_peer_fields("pSp", "10.0.0." + std::to_string(i % 250) + "/24", true,
                                        false, "02:00:00:00:00:01", "192.0.2.1:7654",
                                        "edge-" + std::to_string(i), 0, 1, 2));
    }
    return r;
  }

 private:
  int count_;
};

std::vector<std::string> answer_to(Daemon daemon, std::string_view request, int rows) {
  ManyRows handler(rows);
  const ParseConfig config{daemon, password_hash(kDefaultPassword)};
  return answer(daemon, parse_request(as_bytes(request), config), handler);
}

JsonRequest parsed(Daemon daemon, std::string_view request) {
  const auto r = parse_request(as_bytes(request), ParseConfig{daemon, password_hash("n2n")});
  REQUIRE(std::holds_alternative<JsonRequest>(r));
  return std::get<JsonRequest>(r);
}

std::string row(const std::string& tag, int n) {
  return R"({"_tag":")" + tag + R"(","_type":"row","n":)" + std::to_string(n) + "}\n";
}

}  // namespace

TEST_CASE("packed rows: the flag in request lines, with and without a password") {
  CHECK(format_request(RequestType::read, "12", std::nullopt, "edges", true) == "r 12:100 edges");
  CHECK(format_request(RequestType::read, "12", std::string("pw"), "edges", true) ==
        "r 12:101:pw edges");
  CHECK(format_request(RequestType::read, "12", std::string("pw"), "edges") == "r 12:1:pw edges");
  CHECK(format_request(RequestType::read, "12", std::nullopt, "edges") == "r 12 edges");
}

TEST_CASE("packed rows: the daemons' parser sees the flag and still the password bit") {
  for (const Daemon d : {Daemon::edge, Daemon::supernode}) {
    CAPTURE(static_cast<int>(d));
    CHECK(parsed(d, "r 1:100 edges").packed_rows);
    CHECK_FALSE(parsed(d, "r 1:100 edges").password_given);
    CHECK_FALSE(parsed(d, "r 1:1:n2n edges").packed_rows);
    CHECK_FALSE(parsed(d, "r 1 edges").packed_rows);
    const JsonRequest both = parsed(d, "w 1:101:n2n verbose");
    CHECK(both.packed_rows);
    CHECK(both.password_given);
    CHECK(both.tag == "1");
    // Bit 0 clear: what follows is not a password, and a write without one is refused.
    const auto no_password = parse_request(as_bytes(std::string_view("w 1:100:n2n verbose")),
                                           ParseConfig{d, password_hash("n2n")});
    REQUIRE(std::holds_alternative<RequestError>(no_password));
    CHECK(std::get<RequestError>(no_password).code == ErrorCode::badauth);
    const auto wrong = parse_request(as_bytes(std::string_view("r 1:101:nope edges")),
                                     ParseConfig{d, password_hash("n2n")});
    REQUIRE(std::holds_alternative<RequestError>(wrong));
    CHECK(std::get<RequestError>(wrong).code == ErrorCode::badauth);
  }
}

TEST_CASE("packed rows: pack_rows keeps order, stays within the limit, never splits a row") {
  CHECK(pack_rows({}, 100).empty());
  const std::vector<std::string> rows{"aaaa\n", "bbbb\n", "cccc\n", std::string(29, 'd') + "\n",
                                      "eeee\n"};
  const auto packed = pack_rows(rows, 12);
  // 10 bytes fit, a third row would not; the 30-byte row goes alone.
  CHECK(packed ==
        std::vector<std::string>{"aaaa\nbbbb\n", "cccc\n", std::string(29, 'd') + "\n", "eeee\n"});
  const auto one_each = pack_rows(rows, 1);
  CHECK(one_each == rows);
  CHECK(pack_rows(rows, 1000) ==
        std::vector<std::string>{"aaaa\nbbbb\ncccc\n" + std::string(29, 'd') + "\neeee\n"});
}

TEST_CASE("packed rows: the daemons' reply: begin and end alone, rows packed, one per line") {
  for (const Daemon d : {Daemon::edge, Daemon::supernode}) {
    const auto plain = answer_to(d, "r 7 edges", 500);
    const auto packed = answer_to(d, "r 7:100 edges", 500);
    REQUIRE(plain.size() == 502);
    REQUIRE(packed.size() > 3);
    CHECK(packed.size() < 10);
    CHECK(packed.front() == plain.front());
    CHECK(packed.back() == plain.back());
    // The same rows, without the edge's raw newlines inside them.
    std::string joined;
    for (std::size_t i = 1; i + 1 < packed.size(); ++i) {
      CHECK(packed[i].size() <= kMaxPackedDatagram);
      CHECK(packed[i].back() == '\n');
      joined += packed[i];
    }
    std::string expected;
    for (std::size_t i = 1; i + 1 < plain.size(); ++i) {
      expected += nlohmann::json::parse(plain[i]).dump() + "\n";
    }
    std::string reparsed;
    std::size_t lines = 0;
    for (std::size_t pos = 0; pos < joined.size();) {
      const std::size_t end = joined.find('\n', pos);
      reparsed += nlohmann::json::parse(joined.substr(pos, end - pos)).dump() + "\n";
      pos = end + 1;
      ++lines;
    }
    CHECK(lines == 500);
    CHECK(reparsed == expected);
    // The client reads both into the same rows.
    ReplyCollector a("7");
    ReplyCollector b("7");
    for (const auto& g : plain) a.feed(g);
    for (const auto& g : packed) b.feed(g);
    CHECK(a.state() == State::done);
    CHECK(b.state() == State::done);
    CHECK(a.rows() == b.rows());
  }
  // Without the flag nothing changes (the reference's n2n-ctl reads 1,024 bytes a datagram).
  for (const auto& d : answer_to(Daemon::supernode, "r 7:1:n2n edges", 100)) {
    CHECK(d.size() <= kMaxDatagram);
  }
}

TEST_CASE("packed rows: the collector reads one-row and multi-row datagrams, garbage lines") {
  {
    ReplyCollector c("5");
    c.feed(R"({"_tag":"5","_type":"begin","cmd":"edges"})");
    CHECK(c.feed(row("5", 1)) == State::collecting);
    CHECK(c.feed(row("5", 2) + row("4", 99) + "\n" + row("5", 3)) == State::collecting);
    CHECK(c.feed(R"({"_tag":"5","_type":"end"})") == State::done);
    REQUIRE(c.rows().size() == 3);
    CHECK(c.rows()[2]["n"] == 3);
    CHECK_FALSE(c.rows()[0].contains("_tag"));
  }
  {
    // A row is never joined across datagrams: half a row at the end of one is garbage.
    ReplyCollector c("5");
    const std::string r = row("5", 2);
    CHECK(c.feed(row("5", 1) + r.substr(0, 10)) == State::garbage);
    CHECK(c.rows().size() == 1);
  }
  {
    ReplyCollector c("5");
    CHECK(c.feed(row("5", 1) + "OK.\n" + row("5", 2)) == State::garbage);
    CHECK(c.garbage().starts_with("OK.\\x0a{\"_tag\":\"5\""));
    CHECK(c.rows().size() == 1);
  }
  {
    ReplyCollector c("5");
    CHECK(c.feed("\n\n") == State::garbage);
  }
  {
    // An error line inside a packed datagram, then end: refused, as with one-row datagrams.
    ReplyCollector c("5");
    c.feed(R"({"_tag":"5","_type":"begin"})");
    c.feed(row("5", 1) + R"({"_tag":"5","_type":"error","error":"noaccess"})" + "\n");
    CHECK(c.feed(R"({"_tag":"5","_type":"end"})") == State::refused);
    CHECK(c.error_code() == "noaccess");
  }
}

TEST_CASE("packed rows: the flat-object parse gives what nlohmann gives, or leaves it to it") {
  const std::vector<std::string> same{
      R"({"_tag":"1","_type":"row","a":1,"b":-2,"c":"x y","d":""})",
      "{\"_tag\":\"5\",\"_type\":\"row\",\"a\":1,\n\"b\":2}\n",
      R"( { } )",
      R"({"e":"q\"uo\\te\/ \n\r\t\b\f","u":"\u00e9\u0041\ufffd"})",
      R"({"big":18446744073709551615,"neg":-9223372036854775808,"zero":0,"mz":-0})",
      R"({"k":1,"k":2})",
  };
  for (const auto& text : same) {
    CAPTURE(text);
    const auto flat = parse_flat_object(text);
    REQUIRE(flat.has_value());
    CHECK(*flat == nlohmann::json::parse(text));
    CHECK(flat->dump() == nlohmann::json::parse(text).dump());
  }
  const std::vector<std::string> left{
      R"({"a":{"b":1}})",
      R"({"a":[1]})",
      R"({"a":true})",
      R"({"a":null})",
      R"({"a":1.5})",
      R"({"a":1e3})",
      R"({"a":01})",
      R"({"a":"é"})",
      R"({"a":18446744073709551616})",
      R"({"a":"\ud83d\ude00"})",
      R"({"a":1} {"b":2})",
      R"({"a":1,})",
      R"({"a" 1})",
      R"([1])",
      R"("x")",
      "{\"a\":\"tab\there\"}",
      R"({"a":"\x"})",
      R"({"a":-})",
      "",
      "{",
      R"({"a":"open)",
  };
  for (const auto& text : left) {
    CAPTURE(text);
    CHECK_FALSE(parse_flat_object(text).has_value());
  }
}

TEST_CASE("packed rows: the receive buffer charge is never below what Linux 6.1 charged") {
  // Measured: payload bytes -> bytes charged to the receiving socket (loopback).
  const std::vector<std::pair<std::size_t, std::size_t>> measured{
      {300, 1280},    {1024, 2304},   {8000, 16640},  {15000, 16640},
      {16000, 16640}, {16384, 17216}, {32000, 32832}, {65000, 65832}};
  for (const auto& [bytes, charged] : measured) {
    CAPTURE(bytes);
    CHECK(receive_buffer_charge(bytes) >= charged);
    CHECK(receive_buffer_charge(bytes) <= charged + 1024);
  }
  // A packed datagram costs about its size; a burst to a client that read everything stays
  // within a default receive buffer.
  const std::size_t room =
      net::ManagementSocket::kAssumedReceiveBuffer - net::ManagementSocket::kRoomMargin;
  CHECK(room / receive_buffer_charge(kMaxPackedDatagram) >= 12);
}

namespace {

// A management port answering every request with a packed or one-row listing of `rows`,
// paced by the daemon's ManagementSocket on a loop shaped like the daemon's.
class PacedPort {
 public:
  explicit PacedPort(int rows) {
    std::string error;
    net::UniqueFd fd = net::bind_ipv4(SOCK_DGRAM, 0x7f000001, 0, error);
    REQUIRE(fd.valid());
    sockaddr_in bound{};
    socklen_t len = sizeof bound;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len);
    port_ = ntohs(bound.sin_port);
    socket_ = std::make_unique<net::ManagementSocket>(net::UdpSocket(std::move(fd)));
    thread_ = std::thread([this, rows] {
      ManyRows handler(rows);
      const ParseConfig config{Daemon::supernode, password_hash(kDefaultPassword)};
      std::uint64_t next_burst = 0;
      while (!stop_) {
        const std::uint64_t now = now_ms();
        int wait = 20;
        if (!socket_->idle()) wait = next_burst > now ? static_cast<int>(next_burst - now) : 0;
        pollfd p{socket_->fd(), POLLIN, 0};
        if (::poll(&p, 1, wait) > 0) {
          socket_->on_readable([&](ByteView request, const wire::Sock&) {
            return answer(Daemon::supernode, parse_request(request, config), handler);
          });
        }
        const std::uint64_t t = now_ms();
        if (!socket_->idle() && t >= next_burst) {
          socket_->send_burst(t);
          next_burst = t + net::ManagementSocket::kBurstIntervalMs;
        }
      }
    });
  }
  ~PacedPort() {
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  static std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
  }
  std::uint16_t port_ = 0;
  std::unique_ptr<net::ManagementSocket> socket_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

Outcome slow_read(std::uint16_t port, int receive_buffer, bool packed) {
  ExchangeOptions o;
  o.port = port;
  o.command_line = "edges";
  o.packed_rows = packed;
  o.receive_buffer = receive_buffer;
  o.idle_timeout = std::chrono::milliseconds(2000);
  int seen = 0;
  // A reader that falls behind the daemon: 2 ms every 4 packed datagrams (about 64 KB) or
  // every 200 one-row ones.
  const int every = packed ? 4 : 200;
  o.on_datagram = [&](std::string_view) {
    if (++seen % every == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  return query(o);
}

}  // namespace

TEST_CASE("packed rows: 10,000 rows paced to a slow reader arrive whole") {
  PacedPort port(10'000);
  // SO_RCVBUF as a client that leaves it alone has it (the kernel doubles the value given):
  // the daemon's pacing keeps within it, every row arrives.
  const Outcome packed = slow_read(port.port(), 212'992 / 2, true);
  CHECK(packed.status == Outcome::Status::ok);
  CHECK(packed.rows.size() == 10'000);
  const Outcome one_row = slow_read(port.port(), 212'992 / 2, false);
  CHECK(one_row.status == Outcome::Status::ok);
  CHECK(one_row.rows.size() == 10'000);
}

// Named so that scripts/cross.sh's qemu exclusion (no SO_RXQ_OVFL there) finds it.
TEST_CASE(
    "packed rows: a slow reader with an 8 KB buffer: rows dropped by a full receive buffer are "
    "reported") {
  PacedPort port(10'000);
  // A buffer of 8 KB holds no more than one packed datagram: rows are lost, and said to be.
  const Outcome tiny = slow_read(port.port(), 4096, true);
  CHECK(tiny.status == Outcome::Status::incomplete);
  CHECK(tiny.rows.size() < 10'000);
  CHECK(tiny.message.find("datagrams lost (the receive buffer overflowed)") != std::string::npos);
  MESSAGE(tiny.message);
}
