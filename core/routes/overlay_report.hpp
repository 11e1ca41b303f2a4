#pragma once
// `n2n-route list`: what goes through the overlay and why. Every route on the overlay device
// with where it came from (n2n-route's journal, an edge's -n, the kernel for the TAP's own
// subnet, by hand), the host routes that keep the supernodes and peers off the overlay, and the
// problems with a command that fixes each: above all the field report's failure, a default
// route through the overlay while the supernode is reached through it too.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/routes/ipv4_route.hpp"
#include "core/routes/undo_journal.hpp"

namespace n2nkit::routes {

struct Endpoint {
  std::uint32_t address = 0;
  std::string role;  // "supernode" or "peer"
  std::string text;  // as the edge reports it ("203.0.113.5:7777")
};

struct ReportRow {
  KernelRoute route;
  bool through_overlay = false;
  std::string origin;  // "n2n-route add", "edge -n (proto static)", "kernel", ...
  std::string why;     // one sentence
};

struct ReportProblem {
  std::string problem;
  std::string fix;  // a command line
};

struct OverlayReport {
  std::vector<ReportRow> rows;
  std::vector<ReportProblem> problems;
  std::vector<std::string> notes;
};

struct ReportInput {
  std::span<const KernelRoute> table;
  int overlay_ifindex = 0;
  std::string dev;
  const UndoJournal* journal = nullptr;
  std::span<const Endpoint> endpoints;
  bool endpoints_known = false;         // the edge answered, or --supernode was given
  std::string supernode_route_command;  // the fix for a captured supernode
};

OverlayReport explain_overlay(const ReportInput& in);

// RTPROT_* as `ip route` names them.
std::string protocol_name(std::uint8_t protocol);

}  // namespace n2nkit::routes
