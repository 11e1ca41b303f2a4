#pragma once
// Firewall rules n2nkit installs, planned without touching the system: an MSS clamp for TCP
// crossing the overlay (n2n-mss clamp) and a gateway between the overlay and a LAN
// (n2n-route gateway). A plan is rendered both as one nftables script and as iptables argument
// lists, so either backend installs the same thing.
//
// Ownership: every rule carries its owner so that undoing one owner never touches another's
// rules or anybody else's. nftables: one table per owner, `inet n2nkit_<owner>`, and undo
// deletes that table. iptables: `-m comment --comment n2nkit:<owner>` on every rule, and undo
// deletes exactly the rules with that comment.
//
// nftables semantics to keep in mind: an accept in our table ends the packet's walk through our
// base chain only; a drop in another table's base chain on the same hook still drops it. The
// gateway's iptables rules are inserted at the top of FORWARD instead, so they win there.
// The gateway's NAT is a nat chain in the inet table, which needs Linux 5.2 or later.
//
// Use: plan_clamp() / plan_gateway() here, then apply() / undo() / read_firewall_state() from
// firewall_backends.hpp; ruleset_model.hpp parses what is installed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace n2nkit::firewall {

enum class Owner : std::uint8_t { mss, gateway };

std::string_view owner_name(Owner o);                               // "mss", "gateway"
std::string owner_nft_table(Owner o);                               // "n2nkit_mss" (family inet)
std::string owner_comment(Owner o);                                 // "n2nkit:mss"
std::optional<Owner> owner_from_comment(std::string_view comment);  // inverse of the above
std::optional<Owner> owner_from_nft_table(std::string_view table);

enum class IpFamily : std::uint8_t { ipv4, ipv6 };

struct ClampRequest {
  std::string overlay_iface;  // e.g. n2n0
  bool ipv4 = true;
  bool ipv6 = true;
  // Towards the overlay: with pmtu, the MSS follows the route MTU (--clamp-mss-to-pmtu /
  // `rt mtu`); that route runs through the overlay, so it is right. Into the LAN from the
  // overlay the route towards the destination is the LAN's (1500); Linux also takes the route
  // back to the source into account (the smaller wins), which helps only while that route runs
  // through the overlay (not with policy routing or asymmetric paths). So that direction always
  // gets a fixed MSS from overlay_mtu, which depends on no route.
  bool pmtu = true;
  // Fixed MSS for IPv4 when !pmtu; IPv6 gets 20 bytes less (same packet size). 0 = from
  // overlay_mtu.
  std::uint16_t fixed_mss = 0;
  std::uint32_t overlay_mtu = 0;  // required: the overlay interface's MTU
  bool local_output = false;      // also clamp SYNs this host sends into the overlay
};

struct GatewayRequest {
  std::string overlay_iface;       // e.g. n2n0
  std::string lan_iface;           // the LAN / uplink interface NAT leaves through
  std::string overlay_subnet;      // IPv4 CIDR, e.g. 10.0.0.0/24 (source of NATed traffic)
  bool masquerade = true;          // else SNAT to snat_address
  std::string snat_address;        // IPv4 address for SNAT
  bool lan_to_overlay_new = true;  // accept new connections LAN -> overlay, not only replies
};

// One iptables rule: `<command> -t <table> -A|-I <chain> <spec...>`; spec ends with the
// owner's comment match and the target.
struct IptablesRule {
  IpFamily family = IpFamily::ipv4;
  std::string table;    // filter, mangle, nat
  std::string chain;    // FORWARD, OUTPUT, POSTROUTING
  bool insert = false;  // -I (before everything else in the chain) instead of -A
  std::vector<std::string> spec;
};

struct RulePlan {
  Owner owner = Owner::mss;
  std::string nft_table;  // inet family
  // Creates or replaces the table atomically; applying it twice leaves the same ruleset.
  std::string nft_apply_script;
  // Deletes the table if it exists, and nothing else; harmless when it does not.
  std::string nft_undo_script;
  // The same as `nft` command lines, for people to run by hand (add table, chains, rules).
  std::vector<std::string> nft_commands;
  std::vector<IptablesRule> iptables;  // in application order
};

// nullopt with one line in error for an invalid request (bad interface name, MTU too small,
// malformed subnet or address).
std::optional<RulePlan> plan_clamp(const ClampRequest& r, std::string& error);
std::optional<RulePlan> plan_gateway(const GatewayRequest& r, std::string& error);
// The undo script for an owner, without a request (undo needs nothing but the owner).
std::string nft_undo_script(Owner o);

// `-t mangle -A FORWARD -o n2n0 ...` for printing and for running (add = -A/-I; check = -C;
// del = -D).
enum class IptablesOp : std::uint8_t { add, check, del };
std::vector<std::string> iptables_argv(const IptablesRule& r, IptablesOp op);
// "iptables -t mangle -A FORWARD ..." / "ip6tables ..." as a shell line (quoted where needed).
std::string iptables_command_line(const IptablesRule& r, IptablesOp op,
                                  std::string_view program_v4 = "iptables");

// Linux interface names: 1..15 bytes, no '/', no whitespace, not "." or "..".
bool valid_iface_name(std::string_view name);

}  // namespace n2nkit::firewall
