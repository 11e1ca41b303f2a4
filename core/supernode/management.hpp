#pragma once
// The supernode's management API (spec §13): what the daemon answers on its management port,
// computed from the engine's state without touching a socket. The daemon hands in each request
// datagram and sends the returned datagrams back (paced, see core/mgmt/reply_pacer.hpp); actions
// that reach beyond the engine (stop, log level, re-reading community.list) go through hooks.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/mgmt/dispatcher.hpp"
#include "core/mgmt/request.hpp"
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

// The JSON `reload_communities` row carries these numbers (`{"ok":R}`, spec §13.4).
enum class ReloadStatus : int {
  ok = 0,
  file_missing = -1,      // community.list cannot be read
  no_valid_entries = -2,  // it does not parse, or lists no community and no regex
};

struct ManagementHooks {
  // `w … stop`: the daemon leaves its loop once the reply is sent.
  std::function<void()> stop;
  // The log level as the reference numbers it (0 error … 4 debug; default 2, -v adds one).
  std::function<unsigned()> verbosity;
  std::function<void(unsigned)> set_verbosity;
  // Re-reads community.list and, on success, reloads the engine. Empty: no `-c` was given.
  std::function<ReloadStatus()> reload;
};

class Management : public mgmt::MethodHandler {
 public:
  // password: `--management-password` (the reference's default is "n2n").
  Management(const Engine& engine, ManagementHooks hooks,
             std::string_view password = mgmt::kDefaultPassword);

  // Every datagram to send back for one request datagram, in order (possibly none). now: the
  // wall clock's seconds, for the text status report.
  std::vector<std::string> handle(ByteView request, std::uint64_t now);

  mgmt::MethodReply call(mgmt::MethodId method, const mgmt::JsonRequest& request) override;

  bool keep_running() const { return keep_running_; }

 private:
  mgmt::MethodReply stop(const mgmt::JsonRequest& request);
  mgmt::MethodReply verbose(const mgmt::JsonRequest& request);
  mgmt::MethodReply reload_communities();
  mgmt::MethodReply communities() const;
  mgmt::MethodReply edges() const;
  mgmt::MethodReply timestamps() const;
  mgmt::MethodReply packetstats() const;
  mgmt::MethodReply drops() const;
  std::vector<std::string> legacy_reload();

  const Engine& engine_;
  ManagementHooks hooks_;
  mgmt::ParseConfig parse_config_;
  bool keep_running_ = true;
};

// The text console's status report (spec §13.1 "anything else"): one datagram per line, for
// humans (`echo | nc -u 127.0.0.1 5645`); no tool parses it. Besides the reference's tables
// and counters it lists the engine's nonzero drop counters by reason.
std::vector<std::string> status_report(const Engine& engine, std::uint64_t now);

// MACs as the management API writes them (one function for both daemons).
using mgmt::management_mac;

}  // namespace n2nkit::supernode
