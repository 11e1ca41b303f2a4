#pragma once
// The steps of the supernode test over real UDP (letters as in the driver script): each step
// sets up what it needs (registrations are idempotent: same MAC, token and socket), runs its
// exchanges and reports every check on its own line.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/netns/report.hpp"
#include "tests/netns/wire_edge.hpp"

namespace n2nkit::netnstest {

struct Options {
  wire::Sock supernode{};
  std::string ns_a, ns_b, ns_sn;  // the edge hosts and the supernode host; empty = here
  std::uint16_t mgmt_port = 5645;
  std::optional<wire::Mac> supernode_mac;  // the supernode's -m, when the driver set one
  std::string community = "n2nkit-open";   // open supernode: created on the fly
  // Locked supernode (f, g): its community.list lists he_community, fixed_community and a
  // regular expression that regex_match matches and regex_misses do not.
  std::string he_community = "n2nkit-he";
  std::string fixed_community = "n2nkit-fixed";
  std::string regex_match = "n2nkit-team42";
  std::vector<std::string> regex_misses{"n2nkit-teamx1", "n2nkit-team4", "n2nkit-team123"};
  std::string unlisted = "n2nkit-other";
  // The supernode is the reference 3.1.1: skip (and say why) the checks of its known defects,
  // and do not send it the datagrams that crash it (j).
  bool reference = false;
  bool hostile_to_reference = false;  // development only: send the reference hostile lengths
  std::uint16_t base_port = 41000;
  std::chrono::milliseconds answer_wait{2000};
  std::chrono::milliseconds silence_wait{800};
};

class Suite {
 public:
  Suite(Options options, Report& report) : opt_(std::move(options)), report_(report) {}
  // Opens every role's socket in its namespace.
  bool setup(std::string& error);
  // Runs one step by its letter; false for an unknown letter.
  bool run(char step);

 private:
  void registration();       // a
  void spoofing();           // b
  void ping();               // c
  void query_peer();         // d
  void relay();              // e
  void header_encryption();  // f
  void locked();             // g
  void management();         // h
  void unregistration();     // i
  void garbage();            // j

  // Helpers (suite.cpp).
  WireEdge& edge(const std::string& role) { return *edges_.at(role); }
  std::uint32_t cookie() const;
  void drain_all() const;
  // Sends `datagram` from `e` and waits for an ACK with the cookie; NAKs and others go to seen.
  std::optional<std::pair<Incoming, wire::RegisterSuperAck>> ack_for(const WireEdge& e,
                                                                     ByteView datagram,
                                                                     std::uint32_t cookie,
                                                                     std::string& seen) const;
  // Bootstrap (null MAC, 0/0) when the role has no address yet, then a full registration.
  bool ensure_registered(const std::string& role, const char* step);
  // Nothing arrives at `e` within the silence wait; what did arrive goes to seen.
  bool silent(const WireEdge& e, std::string& seen) const;
  bool supernode_mac_ok(const wire::Mac& mac) const;
  ByteVector frame_payload(const wire::Mac& dst, const wire::Mac& src, std::size_t size) const;
  // Checks a PACKET relayed by the supernode to `to` (sent by `from`, payload `payload`).
  void check_relayed(const char* step, const WireEdge& from, const WireEdge& to,
                     const wire::Mac& dst, ByteView payload, const std::string& what);

  Options opt_;
  Report& report_;
  std::map<std::string, std::unique_ptr<WireEdge>> edges_;
  std::map<std::string, wire::IpSubnet> addr_;  // addresses the roles registered with
};

std::string subnet_text(const wire::IpSubnet& s);
std::string mac_upper(const wire::Mac& mac);

}  // namespace n2nkit::netnstest
