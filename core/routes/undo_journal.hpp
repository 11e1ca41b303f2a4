#pragma once
// What n2n-route changed, so that `n2n-route undo` can take back exactly that: each change is
// recorded (and saved) BEFORE it is made, with what was there before it (a replaced route, the
// old value of a sysctl), so that a crash half-way still leaves a journal that undoes
// everything. Every undo step is harmless when its change never happened (deleting a route
// that is not there, writing back a value that is still there), which is what makes recording
// first safe. Pure values and their JSON form; the file under /run is undo_journal_file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/routes/ipv4_route.hpp"

namespace n2nkit::routes {

enum class ChangeKind {
  route_added,       // undo: delete `route`
  route_replaced,    // undo: put `before` back in its place
  route_deleted,     // undo: add `route` back
  sysctl_set,        // undo: write `before_value` to `key`
  firewall_applied,  // undo: core/firewall removes what `firewall` describes
};

struct Change {
  std::uint64_t id = 0;
  ChangeKind kind = ChangeKind::route_added;
  std::string by;  // the command that made it: add, del, supernode-route, gateway, follow
  KernelRoute route;
  std::string dev;  // by name too: an edge's restart gives its TAP a new index
  std::optional<KernelRoute> before;
  std::string before_dev;
  std::string key;
  std::string before_value;
  std::string after_value;
  nlohmann::json firewall;  // opaque here: what core/firewall needs to find its rules again
};

class UndoJournal {
 public:
  // Appends and returns the change's id.
  std::uint64_t record(Change change);
  // The change is undone (or was never made): drop it. False when there is no such id.
  bool forget(std::uint64_t id);
  const std::vector<Change>& changes() const { return changes_; }
  bool empty() const { return changes_.empty(); }
  // The change that put this route there (added or replaced; same destination, gateway and
  // device), or null.
  const Change* route_change(const Ipv4Route& r) const;
  const Change* sysctl_change(std::string_view key) const;
  const Change* firewall_change(std::string_view by) const;
  // Undo runs newest first.
  std::vector<Change> undo_order() const;

  std::string to_text() const;
  // On error (not JSON, a field of the wrong type, an unknown kind): nullopt and one line.
  static std::optional<UndoJournal> from_text(std::string_view text, std::string& error);

 private:
  std::vector<Change> changes_;
  std::uint64_t next_id_ = 1;
};

std::string_view kind_name(ChangeKind kind);
// One line for humans: "added 10.10.10.0/24 via 10.20.30.254 dev n2n0 (n2n-route add)".
std::string change_text(const Change& c);
std::string kernel_route_text(const KernelRoute& r, std::string_view dev);

}  // namespace n2nkit::routes
