#pragma once
// One non-blocking TCP connection to a supernode, as an -S2 edge keeps it (spec §11.11):
// framed messages both ways, partial reads and writes carried over in fixed buffers (no
// allocation per message), a bounded send queue whose overflow is counted, never a blocking
// call. Reconnecting and its pacing belong to the owner.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/net/tcp_frames.hpp"
#include "core/net/unique_fd.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

class TcpLink {
 public:
  // Enough for bursts of full-size frames while the kernel's send buffer is full; beyond it a
  // frame is dropped rather than delaying everything behind it (the overlay's own TCP
  // retransmits, as it would over UDP).
  static constexpr std::size_t kSendQueueBytes = 128 * 1024;

  enum class State { closed, connecting, connected };

  struct Counters {
    std::uint64_t connects = 0;           // connection attempts started
    std::uint64_t established = 0;        // of which completed
    std::uint64_t frames_tx = 0;          // queued for sending
    std::uint64_t frames_rx = 0;          // received whole
    std::uint64_t queue_drops = 0;        // dropped: the send queue was full
    std::uint64_t unconnected_drops = 0;  // dropped: not connected (yet)
  };

  TcpLink();
  TcpLink(const TcpLink&) = delete;
  TcpLink& operator=(const TcpLink&) = delete;

  // Starts connecting to `to` from bind_address (host order, 0 = any; port always ephemeral,
  // as the reference's -S2 edge binds). An open connection is closed first. false (and one line
  // in error) when the attempt failed at once.
  bool connect(const wire::Sock& to, std::uint32_t bind_address, std::string& error);
  // Closes, forgetting queued and partly received bytes.
  void close();

  State state() const { return state_; }
  int fd() const { return fd_.get(); }
  const wire::Sock& peer() const { return peer_; }
  // Increases with each connect(): tells frames of one connection from the next one's.
  std::uint32_t generation() const { return generation_; }
  const Counters& counters() const { return counters_; }
  // Whether the poller should watch for writability (connecting, or bytes queued).
  bool wants_write() const;
  std::size_t queued_bytes() const { return out_end_ - out_begin_; }

  // Queues one framed message and writes what the kernel takes. Only while connected: what
  // was meant for a connection that is not up yet is dropped (counted), the owner re-sends its
  // registration once it is. false: dropped.
  bool send(ByteView message);

  enum class Progress { ok, more, established, ended };
  // Writability: completes the connect (established) or writes what is queued. ended: the
  // connection failed (why says how) and is closed.
  Progress on_writable(std::string& why);
  // Readability: one read (up to 64 KiB), every complete message handed to on_message(bytes).
  // more: the read filled the buffer, call again (after draining what the handler queued).
  // ended: closed by the peer, an error, or a frame too long (why says which); messages before
  // it were delivered. Handlers must not call connect() or close().
  template <typename OnMessage>
  Progress on_readable(OnMessage&& on_message, std::string& why);

 private:
  // One recv into the free part of the input buffer: bytes read, 0 for "nothing now", -1 ended.
  long read_some(std::string& why);
  // The writes of on_writable: false when the connection failed.
  bool write_queued(std::string& why);
  void fail(std::string& why, std::string text);

  UniqueFd fd_;
  State state_ = State::closed;
  wire::Sock peer_{};
  std::uint32_t generation_ = 0;
  Counters counters_;
  std::vector<std::uint8_t> out_;
  std::size_t out_begin_ = 0, out_end_ = 0;
  std::vector<std::uint8_t> in_;
  std::size_t in_end_ = 0;
};

template <typename OnMessage>
TcpLink::Progress TcpLink::on_readable(OnMessage&& on_message, std::string& why) {
  if (state_ != State::connected) return Progress::ok;
  const std::size_t room = in_.size() - in_end_;
  const long n = read_some(why);
  if (n < 0) return Progress::ended;
  std::size_t pos = 0;
  for (;;) {
    const auto scan = scan_frame(ByteView{in_.data() + pos, in_end_ - pos});
    if (scan.kind == FrameScan::Kind::too_long) {
      fail(why, "frame of " + std::to_string(scan.length) + " bytes (more than " +
                    std::to_string(wire::kMaxDatagram) + ")");
      return Progress::ended;
    }
    if (scan.kind == FrameScan::Kind::incomplete) break;
    ++counters_.frames_rx;
    on_message(ByteView{in_.data() + pos + kTcpFrameHeader, scan.length});
    pos += kTcpFrameHeader + scan.length;
  }
  if (pos > 0) {
    // What is left is less than one frame.
    std::memmove(in_.data(), in_.data() + pos, in_end_ - pos);
    in_end_ -= pos;
  }
  return static_cast<std::size_t>(n) == room ? Progress::more : Progress::ok;
}

}  // namespace n2nkit::net
