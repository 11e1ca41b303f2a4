#include "core/mgmt/client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <random>

#include "core/mgmt/flat_json.hpp"
#include "core/net/unique_fd.hpp"

namespace n2nkit::mgmt {
namespace {

std::string random_tag() {
  // The reference's edge keeps 9 characters of a tag.
  return std::to_string(std::random_device{}() % 100000000U);
}

std::string seconds_text(std::chrono::milliseconds t) {
  if (t.count() % 1000 == 0) return fmt::format("{} s", t.count() / 1000);
  return fmt::format("{} ms", t.count());
}

// A receive buffer for a long listing's bursts: as large as the kernel lets us have it
// (SO_RCVBUFFORCE works with CAP_NET_ADMIN, SO_RCVBUF is capped at net.core.rmem_max). And
// the kernel's count of datagrams it dropped for want of room (SO_RXQ_OVFL), so that rows
// lost on the way in are reported rather than silently missing from a listing.
void prepare_receive_buffer(int fd, int bytes) {
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
}

// The datagrams queued on a socket, up to kBatch per recvmmsg call instead of a poll and a
// recv each (a reference daemon answers 10,000 edges in 10,000 datagrams), with the kernel's
// SO_RXQ_OVFL count of those it dropped.
class BatchReceiver {
 public:
  // 16: a batch's slots are resident once datagrams land in them (16 packed datagrams are
  // 256 KB; 64 cost n2n-tui --json 3 MB of peak RSS, for no measurable gain).
  static constexpr unsigned kBatch = 16;
  static constexpr std::size_t kSlot = 65536;  // the largest UDP payload fits

  // Slots left uninitialised: only the pages datagrams land in become resident.
  explicit BatchReceiver(int fd) : fd_(fd), buffers_(new char[kBatch * kSlot]) {}

  // Waits up to timeout_ms (negative: forever) for the socket, then takes what is queued.
  // Returns the datagrams received, 0 on silence, -1 on an error (errno).
  int receive(int timeout_ms) {
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, timeout_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return ready;
      for (unsigned i = 0; i < kBatch; ++i) {
        iov_[i] = iovec{buffers_.get() + i * kSlot, kSlot};
        msgs_[i] = mmsghdr{};
        msgs_[i].msg_hdr.msg_iov = &iov_[i];
        msgs_[i].msg_hdr.msg_iovlen = 1;
        msgs_[i].msg_hdr.msg_control = control_[i].bytes;
        msgs_[i].msg_hdr.msg_controllen = sizeof control_[i].bytes;
      }
      const int n = ::recvmmsg(fd_, msgs_.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      if (n < 0) return -1;
      for (int i = 0; i < n; ++i) {
        msghdr& m = msgs_[static_cast<unsigned>(i)].msg_hdr;
        for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            std::uint32_t count = 0;
            std::memcpy(&count, CMSG_DATA(c), sizeof count);
            dropped_ = std::max(dropped_, count);
          }
        }
      }
      return n;
    }
  }

  std::string_view datagram(int i) const {
    const auto k = static_cast<unsigned>(i);
    return {buffers_.get() + k * kSlot, msgs_[k].msg_len};
  }
  std::uint32_t dropped() const { return dropped_; }

 private:
  union Control {
    cmsghdr align;
    char bytes[CMSG_SPACE(sizeof(std::uint32_t))];
  };
  int fd_;
  std::unique_ptr<char[]> buffers_;
  std::array<iovec, kBatch> iov_{};
  std::array<mmsghdr, kBatch> msgs_{};
  std::array<Control, kBatch> control_{};
  std::uint32_t dropped_ = 0;
};

// The reference daemons copy an edge's description (16 raw bytes from its REGISTER_SUPER) into
// their JSON unchecked: one edge with a description that is not UTF-8 must not make a whole
// listing unreadable. Invalid sequences become U+FFFD, as a lenient decoder would show them.
std::string repair_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(in[i + k]); };
    const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
      return i + k < in.size() && b(k) >= lo && b(k) <= hi;
    };
    const unsigned c = b(0);
    std::size_t len = 0;
    if (c < 0x80) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF && cont(1)) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF &&
               cont(1, c == 0xE0 ? 0xA0U : 0x80U, c == 0xED ? 0x9FU : 0xBFU) && cont(2)) {
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4 &&
               cont(1, c == 0xF0 ? 0x90U : 0x80U, c == 0xF4 ? 0x8FU : 0xBFU) && cont(2) &&
               cont(3)) {
      len = 4;
    }
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(in.substr(i, len));
      i += len;
    }
  }
  return out;
}

nlohmann::json parse_datagram(std::string_view datagram) {
  if (auto flat = parse_flat_object(datagram)) return std::move(*flat);
  auto value = nlohmann::json::parse(datagram.begin(), datagram.end(), nullptr, false);
  if (!value.is_discarded()) return value;
  const std::string repaired = repair_utf8(datagram);
  return nlohmann::json::parse(repaired, nullptr, false);
}

}  // namespace

std::string format_request(RequestType type, const std::string& tag,
                           const std::optional<std::string>& password,
                           const std::string& command_line, bool packed_rows) {
  const unsigned long flags =
      (password ? kFlagPassword : 0UL) | (packed_rows ? kFlagPackedRows : 0UL);
  std::string options = tag;
  if (flags != 0) options += fmt::format(":{:x}", flags);
  if (password) options += ":" + *password;
  const char letter =
      type == RequestType::write ? 'w' : (type == RequestType::subscribe ? 's' : 'r');
  return fmt::format("{} {} {}", letter, options, command_line);
}

namespace {

// Whether a complete reply line ("}\n") is followed by more: a packed datagram. A one-row
// datagram has its "}\n" at the end (the reference's raw newlines inside a row follow commas,
// and JSON strings hold no raw newline), so it is parsed whole, once, and a packed one is not
// first parsed whole in vain (its first row twice, plus a UTF-8 repair copy).
bool holds_several_lines(std::string_view datagram) {
  const std::size_t end = datagram.find("}\n");
  if (end == std::string_view::npos) return false;
  return datagram.find_first_not_of(" \t\r\n", end + 2) != std::string_view::npos;
}

}  // namespace

ReplyCollector::State ReplyCollector::feed(std::string_view datagram) {
  if (finished()) return state_;
  if (!holds_several_lines(datagram)) {
    auto whole = parse_datagram(datagram);
    if (!whole.is_discarded()) return feed_reply(std::move(whole), datagram);
  }
  // Not one JSON value: a packed datagram, one reply per line.
  std::size_t pos = 0;
  bool any = false;
  while (pos < datagram.size() && !finished()) {
    std::size_t end = datagram.find('\n', pos);
    if (end == std::string_view::npos) end = datagram.size();
    const std::string_view line = datagram.substr(pos, end - pos);
    // Garbage is shown from its line to the end of the datagram, as it came.
    const std::string_view rest = datagram.substr(pos);
    pos = end + 1;
    if (line.empty()) continue;
    any = true;
    if (feed_reply(parse_datagram(line), rest) == State::garbage) return state_;
  }
  if (!any) return feed_reply(nlohmann::json(nlohmann::json::value_t::discarded), datagram);
  return state_;
}

ReplyCollector::State ReplyCollector::feed_reply(nlohmann::json reply, std::string_view text) {
  const auto type_it = reply.is_object() ? reply.find("_type") : reply.end();
  if (!reply.is_object() || type_it == reply.end() || !type_it->is_string()) {
    garbage_ = printable(text);
    return state_ = State::garbage;
  }
  const std::string type = *type_it;
  const auto tag_it = reply.find("_tag");
  const std::string tag =
      tag_it != reply.end() && tag_it->is_string() ? tag_it->get<std::string>() : std::string();
  const bool early_error = type == "error" && tag == "-1" && state_ == State::waiting;
  if (tag != tag_ && !early_error) return state_;
  if (type == "error") {
    const auto code = reply.find("error");
    error_ = code != reply.end() && code->is_string() ? code->get<std::string>() : "error";
    // Inside a reply the daemon still sends "end"; the error stands once it is in.
    if (state_ == State::collecting) {
      error_inside_ = true;
      return state_;
    }
    return state_ = State::refused;
  }
  if (type == "begin") return state_ = State::collecting;
  if (type == "row") {
    reply.erase("_tag");
    reply.erase("_type");
    rows_.push_back(std::move(reply));
    if (state_ == State::waiting) state_ = State::collecting;  // the "begin" was lost
    return state_;
  }
  if (type == "end") return state_ = error_inside_ ? State::refused : State::done;
  if (type == "subscribe") return state_ = State::subscribed;
  if (type == "replacing") return state_;  // an earlier subscriber of the topic was evicted
  garbage_ = printable(text);
  return state_ = State::garbage;
}

std::string printable(std::string_view datagram, std::size_t limit) {
  std::string out;
  for (const char ch : datagram) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += ch;
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string explain_error(const std::string& code) {
  if (code == "badauth")
    return "badauth (wrong password, or none given: writes and subscriptions need -k)";
  if (code == "unknowncmd") return "unknowncmd (no such command; try 'help')";
  if (code == "readonly") return "readonly (this command cannot be written: drop --write)";
  if (code == "writeonly") return "writeonly (this command must be written: --write)";
  if (code == "unknowntopic") return "unknowntopic (no such topic; try 'help.events')";
  if (code == "noaccess") return "noaccess (not shown while header encryption is on)";
  if (code == "unimplemented") return "unimplemented (not available on this daemon)";
  if (code == "nofile") return "nofile (the supernode was started without -c)";
  if (code == "badtype" || code == "nooptions" || code == "nocmd")
    return code + " (the daemon could not parse the request)";
  return code;
}

std::string thousands(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

Outcome query(const ExchangeOptions& o, const EventSink& events) {
  Outcome out;
  const std::string where = fmt::format("127.0.0.1:{}", o.port);
  net::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(o.port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!fd.valid() || ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    out.message = fmt::format("cannot open a socket to {}: {}", where, std::strerror(errno));
    return out;
  }
  prepare_receive_buffer(fd.get(), o.receive_buffer);
  const std::string tag = random_tag();
  const std::string request = format_request(o.type, tag, o.password, o.command_line,
                                             o.packed_rows && o.type != RequestType::subscribe);
  if (::send(fd.get(), request.data(), request.size(), 0) < 0) {
    out.message = fmt::format("cannot send to {}: {}", where, std::strerror(errno));
    return out;
  }

  ReplyCollector collector(tag);
  BatchReceiver receiver(fd.get());
  int batch = 0;
  int next = 0;
  // The next datagram, from the batch at hand or within `timeout` (negative: forever); false
  // on silence or error, with out.message set for an error.
  const auto receive = [&](int timeout_ms, std::string_view& datagram) {
    if (next == batch) {
      next = 0;
      batch = receiver.receive(timeout_ms);
      if (batch < 0) {
        out.message = errno == ECONNREFUSED
                          ? fmt::format(
                                "nothing listens on {} (connection refused; is -t the "
                                "daemon's management port?)",
                                where)
                          : fmt::format("cannot receive from {}: {}", where, std::strerror(errno));
      }
      if (batch <= 0) {
        batch = 0;
        return false;
      }
    }
    datagram = receiver.datagram(next++);
    if (o.on_datagram) o.on_datagram(datagram);
    return true;
  };

  std::string_view datagram;
  while (!collector.finished()) {
    if (!receive(static_cast<int>(o.idle_timeout.count()), datagram)) break;
    collector.feed(datagram);
  }
  out.rows = std::move(collector.rows());
  out.error_code = collector.error_code();
  using S = ReplyCollector::State;
  const auto state = collector.state();
  const std::uint32_t dropped = receiver.dropped();
  if (dropped > 0 && (state == S::done || state == S::collecting)) {
    out.status = Outcome::Status::incomplete;
    out.message = fmt::format(
        "reply incomplete: {} rows, {} datagrams lost (the receive buffer "
        "overflowed)",
        thousands(out.rows.size()), thousands(dropped));
    return out;
  }
  switch (state) {
    case S::done:
      out.status = Outcome::Status::ok;
      return out;
    case S::refused:
      out.status = Outcome::Status::refused;
      out.message = fmt::format("the daemon at {} refused '{}': {}", where, o.command_line,
                                explain_error(out.error_code));
      return out;
    case S::garbage:
      if (o.type == RequestType::subscribe && collector.garbage().find('{') == std::string::npos) {
        // A supernode takes "s ..." for a request of its text status table.
        out.status = Outcome::Status::refused;
        out.message = fmt::format(
            "the daemon at {} answered the subscription with text ('{}'): it has no "
            "subscriptions (a supernode?)",
            where, collector.garbage());
        return out;
      }
      out.status = Outcome::Status::garbage;
      out.message = fmt::format("not a management reply from {}: '{}'", where, collector.garbage());
      return out;
    case S::collecting:
      if (out.message.empty()) {
        out.status = Outcome::Status::incomplete;
        out.message = fmt::format("reply incomplete: {} rows, then nothing for {}",
                                  thousands(out.rows.size()), seconds_text(o.idle_timeout));
      }
      return out;
    case S::waiting:
      if (out.message.empty()) {
        out.message = fmt::format(
            "no answer from {} within {} (is the daemon running, is -t its "
            "management port?)",
            where, seconds_text(o.idle_timeout));
      }
      return out;
    case S::subscribed:
      break;
  }

  out.status = Outcome::Status::subscribed;
  if (!events) return out;
  while (receive(-1, datagram)) {
    auto reply = parse_datagram(datagram);
    if (!reply.is_object() || !reply.contains("_type") || !reply["_type"].is_string()) {
      out.status = Outcome::Status::garbage;
      out.message = fmt::format("not a management event from {}: '{}'", where, printable(datagram));
      return out;
    }
    if (reply.value("_tag", std::string()) != tag) continue;
    const std::string type = reply["_type"];
    if (type == "unsubscribed") {
      out.status = Outcome::Status::refused;
      out.message =
          fmt::format("the subscription to '{}' was taken over by another client", o.command_line);
      return out;
    }
    if (type != "event") continue;
    reply.erase("_tag");
    reply.erase("_type");
    if (!events(reply)) return out;
  }
  out.status = Outcome::Status::no_answer;
  if (out.message.empty()) out.message = fmt::format("the subscription to {} ended", where);
  return out;
}

namespace {

// One of read_methods' requests in flight.
struct PendingRead {
  std::string method;
  net::UniqueFd fd;
  std::optional<ReplyCollector> collector;
  std::unique_ptr<BatchReceiver> receiver;
  bool over = false;
};

void conclude(ReadAnswer& answer, PendingRead& p, std::uint16_t port,
              std::chrono::milliseconds timeout) {
  answer.rows = std::move(p.collector->rows());
  using S = ReplyCollector::State;
  switch (p.collector->state()) {
    case S::done:
    case S::subscribed:
      if (p.receiver->dropped() > 0) {
        answer.error = fmt::format(
            "management port {}: '{}' incomplete, {} rows, {} datagrams lost (the receive buffer "
            "overflowed)",
            port, p.method, thousands(answer.rows.size()), thousands(p.receiver->dropped()));
        return;
      }
      answer.ok = true;
      return;
    case S::refused:
      answer.refused = true;
      answer.error = fmt::format("management port {} refused '{}': {}", port, p.method,
                                 p.collector->error_code());
      return;
    case S::garbage:
      answer.error =
          fmt::format("management port {} sent something else than a reply to '{}': '{}'", port,
                      p.method, p.collector->garbage());
      return;
    case S::waiting:
    case S::collecting:
      break;
  }
  answer.error = fmt::format("management port {} does not answer (no reply to '{}' in {} ms)", port,
                             p.method, timeout.count());
}

}  // namespace

std::vector<ReadAnswer> read_methods(std::uint16_t port, const std::string& password,
                                     const std::vector<std::string>& methods,
                                     std::chrono::milliseconds timeout, bool packed_rows) {
  std::vector<ReadAnswer> answers(methods.size());
  std::vector<PendingRead> pending(methods.size());
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto password_option =
      password.empty() ? std::nullopt : std::optional<std::string>(password);
  for (std::size_t i = 0; i < methods.size(); ++i) {
    PendingRead& p = pending[i];
    p.method = methods[i];
    p.fd = net::UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!p.fd.valid() ||
        ::connect(p.fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
      answers[i].error =
          fmt::format("cannot open a socket to 127.0.0.1:{}: {}", port, std::strerror(errno));
      p.over = true;
      continue;
    }
    // The kernel only charges what is queued, so a large buffer costs nothing while we keep
    // up; it is there for a reference daemon's unpaced burst of one datagram per row.
    prepare_receive_buffer(p.fd.get(), ExchangeOptions{}.receive_buffer);
    // A random tag, so that late replies to an earlier request are not taken for ours.
    const std::string tag = random_tag();
    p.collector.emplace(tag);
    p.receiver = std::make_unique<BatchReceiver>(p.fd.get());
    const std::string request =
        format_request(RequestType::read, tag, password_option, p.method, packed_rows);
    if (::send(p.fd.get(), request.data(), request.size(), 0) < 0) {
      answers[i].error = fmt::format("cannot send to 127.0.0.1:{}: {}", port, std::strerror(errno));
      p.over = true;
    }
  }

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<pollfd> fds;
  std::vector<std::size_t> which;
  for (;;) {
    fds.clear();
    which.clear();
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (pending[i].over) continue;
      fds.push_back(pollfd{pending[i].fd.get(), POLLIN, 0});
      which.push_back(i);
    }
    if (fds.empty()) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t k = 0; ready > 0 && k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      const std::size_t i = which[k];
      PendingRead& p = pending[i];
      const int n = p.receiver->receive(0);
      if (n < 0) {
        // ECONNREFUSED: nothing listens there.
        answers[i].error =
            fmt::format("management port {} does not answer ({})", port, std::strerror(errno));
        p.over = true;
        continue;
      }
      for (int d = 0; d < n && !p.collector->finished(); ++d) {
        p.collector->feed(p.receiver->datagram(d));
      }
      if (p.collector->finished()) p.over = true;
    }
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (pending[i].collector && answers[i].error.empty()) {
      conclude(answers[i], pending[i], port, timeout);
    }
  }
  return answers;
}

ReadAnswer read_method(std::uint16_t port, const std::string& password, const std::string& method,
                       std::chrono::milliseconds timeout, bool packed_rows) {
  return std::move(read_methods(port, password, {method}, timeout, packed_rows).front());
}

}  // namespace n2nkit::mgmt
