#pragma once
// What every command of n2n-route shares: the output (human lines or one JSON object), the
// permission check, the undo journal (locked while the command runs) and carrying out a
// core/routes plan with each change recorded before it is made.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/routes/route_plan.hpp"
#include "core/routes/undo_journal.hpp"
#include "core/routes/undo_journal_file.hpp"
#include "options.hpp"

namespace n2nkit::routetool {

class Session {
 public:
  explicit Session(const Options& options) : options_(options) {}

  // Bad input, a missing permission: one line on stderr, the exit code back.
  int fail(int code, const std::string& message);
  void say(const std::string& line);          // done (or, dry run, would be done)
  void note(const std::string& line);         // nothing to do, and why
  void problem(const std::string& line);      // could not be done
  nlohmann::json& extra() { return extra_; }  // command-specific JSON fields
  // Prints what was collected (human lines already went out as they came); the exit code.
  int finish(int code);

  // For commands that change things: CAP_NET_ADMIN (unless a dry run), then the journal, locked.
  // Returns kExitOk or the exit code of the failure (already reported).
  int open_journal(bool for_change);
  routes::UndoJournal& journal() { return journal_; }
  bool save(std::string& error);

  // Carries out the plan's steps; a failed step is a problem and the rest goes on.
  bool apply(const routes::RoutePlan& plan, const std::string& by);
  std::string describe(const routes::RouteStep& step) const;

  const Options& options() const { return options_; }
  bool dry_run() const { return options_.dry_run; }
  bool problems() const { return !problems_.empty(); }

 private:
  bool record_then(routes::Change change, std::uint64_t& id);

  const Options& options_;
  std::optional<routes::JournalFile> file_;
  routes::UndoJournal journal_;
  std::vector<std::string> done_, notes_, problems_;
  nlohmann::json extra_ = nlohmann::json::object();
};

// CAP_NET_ADMIN in the effective set (root normally has it).
bool has_net_admin();
inline constexpr const char* kNeedsNetAdmin = "adding routes needs root or CAP_NET_ADMIN";

}  // namespace n2nkit::routetool
