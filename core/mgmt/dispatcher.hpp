#pragma once
// Turning a parsed request into reply datagrams (spec §13.3). The daemon supplies only the
// data, through MethodHandler; framing (begin/end), `help`, reserved placeholders and the
// write-only check are handled here so both daemons answer exactly like the reference.
#include <optional>
#include <string>
#include <vector>

#include "core/mgmt/reply.hpp"
#include "core/mgmt/request.hpp"

namespace n2nkit::mgmt {

// What a method produced: its rows, then optionally an error, all sent between begin and end
// (e.g. `noaccess` for the edge's `communities` under header encryption, `nofile`).
struct MethodReply {
  std::vector<Fields> rows;
  std::optional<ErrorCode> error;
};

class MethodHandler {
 public:
  virtual ~MethodHandler() = default;
  // Called for every method of the daemon's table except `help` and the reserved ones.
  // `request.type` tells read from write; write-only methods are only called for writes.
  virtual MethodReply call(MethodId method, const JsonRequest& request) = 0;
};

// The `help` rows of a daemon, in table order.
std::vector<Fields> help_rows(Daemon daemon);

// Every datagram to send back, in order, for an error or a read/write request. Legacy text
// commands and subscriptions need daemon state beyond a method call, so they produce nothing
// here: the daemon answers them (legacy_text.hpp, subscribe_reply & co.).
std::vector<std::string> answer(Daemon daemon, const ParsedRequest& request,
                                MethodHandler& handler);

}  // namespace n2nkit::mgmt
