#pragma once
// The client side of the management API (spec §13): requests to a daemon's management port
// on the loopback ("r|w|s TAG[:FLAGS[:PASSWORD]] METHOD [ARGS]"), their rows collected until
// "end". read_method is the short form the tools that ask a local edge or supernode share
// (n2n-route, n2n-mtu, n2n-mss, n2n-tui); query is n2n-ctl's, built for listings of any length.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/mgmt/request.hpp"  // RequestType, shared with the daemons' side

namespace n2nkit::mgmt {

struct ReadAnswer {
  std::vector<nlohmann::json> rows;
  std::string error;     // why there is no answer: nothing listens, a timeout, an error reply
  bool refused = false;  // the daemon answered with an error (e.g. an unknown method)
  bool ok = false;
};

// Asks with kFlagPackedRows (request.hpp): n2nkit daemons answer a long listing in a few
// hundred datagrams, the reference's in one per row; both are read alike.
// (packed_rows false: one row per datagram from every daemon, for comparison in bench/tui.)
ReadAnswer read_method(std::uint16_t port, const std::string& password, const std::string& method,
                       std::chrono::milliseconds timeout, bool packed_rows = true);
// Several methods at once, a socket each, all within one `timeout`: the short answers arrive
// while a long listing is still being paced out. Answers in the order of `methods`.
std::vector<ReadAnswer> read_methods(std::uint16_t port, const std::string& password,
                                     const std::vector<std::string>& methods,
                                     std::chrono::milliseconds timeout, bool packed_rows = true);

// "TYPE TAG[:FLAGS[:PASSWORD]] COMMAND_LINE" (no newline: the daemons end the line at the
// datagram). FLAGS in hex: 1 with a password, 100 for packed rows, 101 for both.
std::string format_request(RequestType type, const std::string& tag,
                           const std::optional<std::string>& password,
                           const std::string& command_line, bool packed_rows = false);

// What the reply datagrams of one request amount to, fed one by one. Datagrams with another
// tag are ignored (late replies to someone else), except the errors the daemons raise before
// they know the tag, which carry "-1".
class ReplyCollector {
 public:
  enum class State {
    waiting,     // nothing of ours yet
    collecting,  // "begin" seen, rows coming
    done,        // "end" after the rows
    subscribed,  // "subscribe": events follow
    refused,     // an "error" (before "begin", or between it and "end" once "end" is in)
    garbage,     // a datagram that is not a management reply
  };

  explicit ReplyCollector(std::string tag) : tag_(std::move(tag)) {}

  // One datagram: a single reply object (as the reference sends them, raw newlines inside
  // allowed) or, from a daemon asked for packed rows, several, one per line. A line that is
  // not a reply makes the datagram garbage; lines are never joined across datagrams.
  State feed(std::string_view datagram);

  State state() const { return state_; }
  bool finished() const { return state_ != State::waiting && state_ != State::collecting; }
  // The rows without their "_tag"/"_type".
  const std::vector<nlohmann::json>& rows() const { return rows_; }
  std::vector<nlohmann::json>& rows() { return rows_; }
  const std::string& error_code() const { return error_; }  // refused: the daemon's code
  const std::string& garbage() const { return garbage_; }   // garbage: what came, printable
  bool errored_inside() const { return error_inside_; }     // an error seen between begin/end

 private:
  State feed_reply(nlohmann::json reply, std::string_view text);

  std::string tag_;
  State state_ = State::waiting;
  std::vector<nlohmann::json> rows_;
  std::string error_;
  std::string garbage_;
  bool error_inside_ = false;
};

// A datagram as one printable line: control and non-ASCII bytes as \xNN, cut at `limit`.
std::string printable(std::string_view datagram, std::size_t limit = 60);

// Why the daemon said no, in words, for its error codes (spec §13.3).
std::string explain_error(const std::string& code);

// "9,873"
std::string thousands(std::size_t n);

struct ExchangeOptions {
  std::uint16_t port = 5644;
  RequestType type = RequestType::read;
  std::optional<std::string> password;
  std::string command_line;
  // The wait for the next datagram; restarts with every datagram, so a long listing paced
  // by the daemon has all the time it needs.
  std::chrono::milliseconds idle_timeout{1000};
  std::function<void(std::string_view)> on_datagram;  // every datagram received (debugging)
  int receive_buffer = 8 << 20;                       // bytes asked for; the kernel may give less
  // kFlagPackedRows for reads and writes (not subscriptions: events come one per datagram).
  bool packed_rows = false;
};

struct Outcome {
  enum class Status {
    ok,
    subscribed,
    refused,     // the daemon answered with an error
    no_answer,   // nothing (or nothing of ours) came, or nothing listens
    incomplete,  // rows came, then nothing before the end; or datagrams were dropped
    garbage,     // something that is not a management reply came
  };
  Status status = Status::no_answer;
  std::vector<nlohmann::json> rows;
  std::string error_code;  // refused
  std::string message;     // everything but ok/subscribed: one line for the user
};

// Sends one request and collects its reply. For a subscription that succeeded, `events` (if
// given) gets every event until the callback returns false (status subscribed), the daemon
// hands the topic to another subscriber (refused) or the socket fails (no_answer).
using EventSink = std::function<bool(const nlohmann::json& event)>;
Outcome query(const ExchangeOptions& options, const EventSink& events = nullptr);

}  // namespace n2nkit::mgmt
