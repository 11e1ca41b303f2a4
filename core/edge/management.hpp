#pragma once
// The edge's management API (spec §13): what the edge daemon answers on its management port
// (UDP 127.0.0.1, 5644 or -t), computed from the engine's state without touching a socket, so
// that the reference's scripts/n2n-ctl works unchanged. The daemon hands in each request
// datagram with its sender and sends the returned datagrams back to that sender; subscribers'
// events (and the notice to a replaced subscriber) wait in take_events() for the daemon to
// send. Actions beyond the engine (stop, log level) go through hooks.
//
// Where the engine does not know what the reference reports, the reply carries the
// reference's "unknown" value: peer "local" 0 (no multicast discovery yet). A supernode's
// version, uptime and selection come from its PONGs ("", 0, "" before the first); its
// last_seen is the engine's (any datagram from it), where the reference's moves with PONGs
// only.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/edge/engine.hpp"
#include "core/mgmt/dispatcher.hpp"
#include "core/mgmt/request.hpp"

namespace n2nkit::edge {

struct ManagementHooks {
  // `stop` (text) or `w … stop`: the daemon leaves its loop once the reply is sent.
  std::function<void()> stop;
  // The log level as the reference numbers it (0 error … 4 debug; default 2, -v adds one).
  std::function<unsigned()> verbosity;
  std::function<void(unsigned)> set_verbosity;
};

// A datagram for someone other than the requester: an event or an `unsubscribed` notice.
using AddressedDatagram = std::pair<wire::Sock, std::string>;

class Management : public mgmt::MethodHandler {
 public:
  // password: `--management-password` (the reference's default is "n2n").
  Management(const Engine& engine, ManagementHooks hooks,
             std::string_view password = mgmt::kDefaultPassword);

  // Every datagram to send back to `sender` for one request datagram, in order (possibly
  // none: the text `stop`). now: the wall clock's seconds, for the text status report.
  std::vector<std::string> handle(ByteView request, std::uint64_t now, const wire::Sock& sender);

  // A change to the peer lists, for the `peer` (and `debug`) subscribers. The engine does not
  // report these yet; the daemon calls this when it learns of one.
  void peer_event(PeerAction action, const wire::Mac& mac, const wire::Sock& sock);

  // Everything queued for subscribers since the last call, in order.
  std::vector<AddressedDatagram> take_events();

  mgmt::MethodReply call(mgmt::MethodId method, const mgmt::JsonRequest& request) override;

  bool keep_running() const { return keep_running_; }

 private:
  struct Subscriber {
    wire::Sock sock;
    std::string tag;
  };

  std::vector<std::string> legacy(mgmt::LegacyCommand command, std::uint64_t now);
  std::vector<std::string> subscribe(const mgmt::JsonRequest& request, const wire::Sock& sender);
  void post(mgmt::Topic topic, const mgmt::Fields& fields);
  void request_stop();

  mgmt::MethodReply stop(const mgmt::JsonRequest& request);
  mgmt::MethodReply verbose(const mgmt::JsonRequest& request);
  mgmt::MethodReply help_events() const;
  mgmt::MethodReply communities() const;
  mgmt::MethodReply edges() const;
  mgmt::MethodReply supernodes() const;
  mgmt::MethodReply timestamps() const;
  mgmt::MethodReply packetstats() const;
  mgmt::MethodReply post_test(const mgmt::JsonRequest& request);
  mgmt::MethodReply drops() const;
  mgmt::MethodReply mss() const;
  mgmt::MethodReply paths() const;

  const Engine& engine_;
  ManagementHooks hooks_;
  mgmt::ParseConfig parse_config_;
  bool keep_running_ = true;
  // One subscriber per topic (newest wins), indexed by mgmt::Topic.
  std::array<std::optional<Subscriber>, 3> subscribers_;
  std::vector<AddressedDatagram> events_;
};

// The text console's status report (spec §13.1 "anything else"), laid out and split into
// datagrams as the reference does: the tables' headers travel with the first row that follows.
// For humans (`echo | nc -u 127.0.0.1 5644`); no tool parses it.
std::vector<std::string> status_report(const Engine& engine, std::uint64_t now);

// The version string of a supernode's last PONG ("" before one).
std::string supernode_version(const KnownSupernode& sn);

// MACs as the management API writes them (one function for both daemons).
using mgmt::management_mac;

// The reference's packetstats "super" counts every PACKET to / from a supernode, broadcasts
// included; the engine counts unicast and broadcast apart.
std::uint64_t super_tx(const EdgeCounters& counters);
std::uint64_t super_rx(const EdgeCounters& counters);

// The reference's last_super: the last accepted REGISTER_SUPER_ACK or PACKET from a supernode.
std::uint64_t last_super(const Engine& engine);

}  // namespace n2nkit::edge
