// The management client: request lines, the reading of reply datagrams, and whole exchanges
// with a fake management port on the loopback (a thread answering one request with a script
// of datagrams): 10,000 rows, a listing that stops, garbage, errors, a dead port, events.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/mgmt/client.hpp"

using namespace n2nkit::mgmt;
using State = ReplyCollector::State;

namespace {

// One request on a loopback port, answered by script(tag) with a pause after every
// `burst` datagrams, as our daemons pace long replies.
class FakeServer {
 public:
  using Script = std::function<std::vector<std::string>(const std::string& tag)>;
  explicit FakeServer(Script script, std::size_t burst = 100,
                      std::chrono::milliseconds pause = std::chrono::milliseconds(1)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, script = std::move(script), burst, pause] {
      char buf[2048];
      sockaddr_in peer{};
      socklen_t plen = sizeof peer;
      const ssize_t n =
          ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &plen);
      if (n <= 0) return;
      request_.assign(buf, static_cast<std::size_t>(n));
      const auto space = request_.find(' ');
      const auto tag =
          request_.substr(space + 1, request_.find_first_of(": ", space + 1) - space - 1);
      std::size_t sent = 0;
      for (const auto& d : script(tag)) {
        ::sendto(fd_, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&peer), plen);
        if (++sent % burst == 0) std::this_thread::sleep_for(pause);
      }
    });
  }
  ~FakeServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  const std::string& request() const { return request_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::string request_;
};

std::string row(const std::string& tag, int n) {
  return R"({"_tag":")" + tag + R"(","_type":"row","macaddr":"02:00:00:00:)" + std::to_string(n) +
         R"(","desc":"edge)" + std::to_string(n) + "\"}\n";
}
std::string typed(const std::string& tag, const std::string& type, const std::string& rest = "") {
  return R"({"_tag":")" + tag + R"(","_type":")" + type + "\"" + rest + "}\n";
}

Outcome run(FakeServer& server, RequestType type = RequestType::read,
            const std::string& line = "edges",
            std::chrono::milliseconds idle = std::chrono::milliseconds(200),
            const EventSink& sink = nullptr) {
  ExchangeOptions o;
  o.port = server.port();
  o.type = type;
  o.command_line = line;
  o.idle_timeout = idle;
  return query(o, sink);
}

}  // namespace

TEST_CASE("mgmt client: request lines: type, tag, the password flag, the command line") {
  CHECK(format_request(RequestType::read, "12", std::nullopt, "edges") == "r 12 edges");
  CHECK(format_request(RequestType::write, "7", std::string("pw"), "verbose 3") ==
        "w 7:1:pw verbose 3");
  CHECK(format_request(RequestType::subscribe, "99999999", std::string("n2n"), "peer") ==
        "s 99999999:1:n2n peer");
}

TEST_CASE("mgmt client: collector: begin, rows (without _tag/_type), end; other tags ignored") {
  ReplyCollector c("5");
  CHECK(c.feed(typed("5", "begin", R"(,"cmd":"edges")")) == State::collecting);
  CHECK(c.feed(row("4", 1)) == State::collecting);
  // The reference edge puts raw newlines inside its edges objects.
  CHECK(c.feed("{\"_tag\":\"5\",\"_type\":\"row\",\"a\":1,\n\"b\":2}\n") == State::collecting);
  CHECK(c.feed(typed("4", "end")) == State::collecting);
  CHECK(c.feed(typed("5", "end")) == State::done);
  REQUIRE(c.rows().size() == 1);
  CHECK(c.rows()[0] == nlohmann::json{{"a", 1}, {"b", 2}});
  CHECK(c.feed(typed("5", "row")) == State::done);  // nothing after the end counts
  CHECK(c.rows().size() == 1);
}

TEST_CASE("mgmt client: collector: errors before begin, with tag -1, and between begin and end") {
  ReplyCollector a("5");
  CHECK(a.feed(typed("5", "error", R"(,"error":"badauth")")) == State::refused);
  CHECK(a.error_code() == "badauth");
  ReplyCollector b("5");
  CHECK(b.feed(typed("-1", "error", R"(,"error":"nocmd")")) == State::refused);
  CHECK(b.error_code() == "nocmd");
  ReplyCollector c("5");
  c.feed(typed("5", "begin"));
  CHECK(c.feed(typed("-1", "error", R"(,"error":"x")")) == State::collecting);  // not ours
  CHECK(c.feed(typed("5", "error", R"(,"error":"noaccess")")) == State::collecting);
  CHECK(c.feed(typed("5", "end")) == State::refused);
  CHECK(c.error_code() == "noaccess");
  CHECK(c.errored_inside());
}

TEST_CASE("mgmt client: collector: garbage, subscriptions, a lost begin") {
  ReplyCollector a("5");
  CHECK(a.feed("Welcome\n\x01") == State::garbage);
  CHECK(a.garbage() == "Welcome\\x0a\\x01");
  CHECK(ReplyCollector("5").feed("[1,2]") == State::garbage);
  CHECK(ReplyCollector("5").feed(R"({"_tag":"5"})") == State::garbage);
  CHECK(ReplyCollector("5").feed(typed("5", "wat")) == State::garbage);
  ReplyCollector s("5");
  CHECK(s.feed(typed("5", "replacing", R"(,"topic":"peer")")) == State::waiting);
  CHECK(s.feed(typed("5", "subscribe", R"(,"topic":"peer")")) == State::subscribed);
  ReplyCollector r("5");
  CHECK(r.feed(row("5", 1)) == State::collecting);
  CHECK(r.feed(typed("5", "end")) == State::done);
}

TEST_CASE("mgmt client: collector: descriptions that are not UTF-8 are repaired, not garbage") {
  // The reference copies 16 raw bytes of an edge's description: cut inside a character, or
  // not text at all.
  ReplyCollector c("5");
  c.feed(typed("5", "begin"));
  c.feed("{\"_tag\":\"5\",\"_type\":\"row\",\"desc\":\"caf\xc3\"}");
  c.feed("{\"_tag\":\"5\",\"_type\":\"row\",\"desc\":\"\xff\xe9t\xc3\xa9\xed\xa0\x80\"}");
  c.feed("{\"_tag\":\"5\",\"_type\":\"row\",\"desc\":\"\xf0\x9f\x98\x80\"}");
  CHECK(c.feed(typed("5", "end")) == State::done);
  REQUIRE(c.rows().size() == 3);
  CHECK(c.rows()[0]["desc"] == "caf\xef\xbf\xbd");
  CHECK(c.rows()[1]["desc"] ==
        "\xef\xbf\xbd\xef\xbf\xbdt\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(c.rows()[2]["desc"] == "\xf0\x9f\x98\x80");
}

TEST_CASE("mgmt client: printing helpers") {
  CHECK(thousands(0) == "0");
  CHECK(thousands(999) == "999");
  CHECK(thousands(1000) == "1,000");
  CHECK(thousands(9873) == "9,873");
  CHECK(thousands(1234567) == "1,234,567");
  CHECK(printable(std::string(100, 'a'), 10) == "aaaaaaaaaa...");
  CHECK(explain_error("badauth").find("-k") != std::string::npos);
  CHECK(explain_error("other") == "other");
}

TEST_CASE("mgmt client: exchange: 10,000 rows arrive whole") {
  FakeServer server([](const std::string& tag) {
    std::vector<std::string> d{typed(tag, "begin", R"(,"cmd":"edges")")};
    for (int i = 0; i < 10000; ++i) d.push_back(row(tag, i));
    d.push_back(typed(tag, "end"));
    return d;
  });
  const auto out = run(server);
  CHECK(out.status == Outcome::Status::ok);
  REQUIRE(out.rows.size() == 10000);
  CHECK(out.rows[9999]["desc"] == "edge9999");
  CHECK(server.request().substr(0, 2) == "r ");
  CHECK(server.request().substr(server.request().size() - 6) == " edges");
}

TEST_CASE("mgmt client: exchange: a listing that stops is incomplete, with its row count") {
  FakeServer server([](const std::string& tag) {
    std::vector<std::string> d{typed(tag, "begin")};
    for (int i = 0; i < 9873; ++i) d.push_back(row(tag, i));
    return d;
  });
  const auto out = run(server);
  CHECK(out.status == Outcome::Status::incomplete);
  CHECK(out.message == "reply incomplete: 9,873 rows, then nothing for 200 ms");
}

TEST_CASE("mgmt client: exchange: rows dropped by a full receive buffer are reported") {
  // 3,000 rows at once into a receive buffer of a few datagrams while the client is busy with
  // the first one; the "end" comes later and carries the kernel's drop count.
  FakeServer server(
      [](const std::string& tag) {
        std::vector<std::string> d{typed(tag, "begin")};
        for (int i = 0; i < 2999; ++i) d.push_back(row(tag, i));
        d.push_back(typed(tag, "end"));
        return d;
      },
      3000, std::chrono::milliseconds(300));
  ExchangeOptions o;
  o.port = server.port();
  o.command_line = "edges";
  o.receive_buffer = 2048;
  bool first = true;
  o.on_datagram = [&](std::string_view) {
    if (std::exchange(first, false)) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  };
  const auto out = query(o);
  CHECK(out.status == Outcome::Status::incomplete);
  CHECK(out.rows.size() < 2999);
  CHECK(out.message.find("datagrams lost (the receive buffer overflowed)") != std::string::npos);
  MESSAGE(out.message);
}

TEST_CASE(
    "mgmt client: exchange: garbage, an error, late replies of another tag, silence, a dead port") {
  {
    FakeServer server([](const std::string&) { return std::vector<std::string>{"OK.\n"}; });
    const auto out = run(server);
    CHECK(out.status == Outcome::Status::garbage);
    CHECK(out.message.find("not a management reply from 127.0.0.1:") == 0);
    CHECK(out.message.find("'OK.\\x0a'") != std::string::npos);
  }
  {
    FakeServer server([](const std::string& tag) {
      return std::vector<std::string>{typed("0", "row"),
                                      typed(tag, "error", R"(,"error":"unknowncmd")")};
    });
    const auto out = run(server, RequestType::write, "nosuch 1");
    CHECK(out.status == Outcome::Status::refused);
    CHECK(out.error_code == "unknowncmd");
    CHECK(out.message.find("refused 'nosuch 1': unknowncmd") != std::string::npos);
    CHECK(server.request().substr(0, 2) == "w ");
  }
  {
    FakeServer server(
        [](const std::string&) { return std::vector<std::string>{typed("x", "end")}; });
    const auto out = run(server, RequestType::read, "edges", std::chrono::milliseconds(100));
    CHECK(out.status == Outcome::Status::no_answer);
    CHECK(out.message.find("no answer from 127.0.0.1:") == 0);
    CHECK(out.message.find("within 100 ms") != std::string::npos);
  }
  std::uint16_t dead = 0;
  {
    FakeServer server([](const std::string&) { return std::vector<std::string>{}; });
    dead = server.port();
    // A request lets the server's thread end; then its socket closes and the port is dead.
    run(server, RequestType::read, "edges", std::chrono::milliseconds(10));
  }
  ExchangeOptions o;
  o.port = dead;
  o.command_line = "edges";
  const auto out = query(o);
  CHECK(out.status == Outcome::Status::no_answer);
  CHECK(out.message.find("connection refused") != std::string::npos);
}

TEST_CASE("mgmt client: exchange: a subscription's events until the topic is taken over") {
  FakeServer server([](const std::string& tag) {
    return std::vector<std::string>{
        typed(tag, "subscribe", R"(,"topic":"test")"), typed(tag, "event", R"(,"test":"one")"),
        typed("other", "event", R"(,"test":"not ours")"), typed(tag, "event", R"(,"test":"two")"),
        typed(tag, "unsubscribed", R"(,"topic":"test")")};
  });
  std::vector<nlohmann::json> events;
  const auto out = run(server, RequestType::subscribe, "test", std::chrono::milliseconds(500),
                       [&](const nlohmann::json& e) {
                         events.push_back(e);
                         return true;
                       });
  CHECK(out.status == Outcome::Status::refused);
  CHECK(out.message.find("taken over") != std::string::npos);
  REQUIRE(events.size() == 2);
  CHECK(events[1] == nlohmann::json{{"test", "two"}});
}
