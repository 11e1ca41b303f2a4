// g: a locked supernode (community.list with fixed names and a regular expression) serves
// listed names and regex matches and ignores everything else silently (spec §11.3 step 2).
#include <fmt/format.h>

#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

void Suite::locked() {
  const char* step = "g";
  std::string seen;

  WireEdge& unlisted = edge("L-unlisted");
  auto k = cookie();
  if (!unlisted.send(unlisted.register_super(k, {}))) return;
  report_.check(silent(unlisted, seen), step,
                fmt::format("REGISTER_SUPER in unlisted \"{}\": no answer", opt_.unlisted), seen);
  seen.clear();
  if (!unlisted.send(unlisted.query_peer(wire::kNullMac))) return;
  report_.check(silent(unlisted, seen), step,
                fmt::format("PING in unlisted \"{}\": no answer", opt_.unlisted), seen);

  for (std::size_t i = 0; i < opt_.regex_misses.size() && i < 3; ++i) {
    WireEdge& miss = edge(fmt::format("L-miss{}", i));
    seen.clear();
    k = cookie();
    if (!miss.send(miss.register_super(k, {}))) return;
    report_.check(silent(miss, seen), step,
                  fmt::format("REGISTER_SUPER in \"{}\" (no full regex match): no answer",
                              opt_.regex_misses[i]),
                  seen);
  }

  for (const char* role : {"L-regex", "L-fixed"}) {
    WireEdge& e = edge(role);
    seen.clear();
    k = cookie();
    const auto ack = ack_for(e, e.register_super(k, {}), k, seen);
    report_.check(ack && ack->second.sock == e.public_sock(), step,
                  fmt::format("REGISTER_SUPER in \"{}\" ({}): ACK{}", e.id().community,
                              std::string(role) == "L-regex" ? "regex match" : "listed name",
                              ack ? ", address " + subnet_text(ack->second.dev_addr) : ""),
                  seen);
    seen.clear();
    if (!e.send(e.query_peer(wire::kNullMac))) return;
    const auto pong = e.expect<wire::PeerInfo>(opt_.answer_wait, seen);
    report_.check(pong && pong->second.is_pong(), step,
                  fmt::format("PING in \"{}\": PONG", e.id().community),
                  seen.empty() ? "no answer" : seen);
  }
}

}  // namespace n2nkit::netnstest
