#pragma once
// The journal's file: <state dir>/n2n-route.json (default /run/n2nkit, a directory of mode
// 0700 because the journal says what to undo as root). Written to a temporary file, synced and
// renamed, so a crash leaves either the old or the new journal, never half of one; removed when
// the journal is empty. An exclusive lock (flock on n2n-route.lock) keeps two n2n-route
// processes from interleaving their changes.
#include <optional>
#include <string>

#include "core/net/unique_fd.hpp"
#include "core/routes/undo_journal.hpp"

namespace n2nkit::routes {

inline constexpr const char* kDefaultStateDir = "/run/n2nkit";

class JournalFile {
 public:
  // create: make the directory (0700) and take the lock, for commands that change things;
  // otherwise (dry runs, list) nothing is created and only an existing journal is read.
  static std::optional<JournalFile> open(const std::string& dir, bool create, std::string& error);

  bool load(UndoJournal& journal, std::string& error) const;
  bool save(const UndoJournal& journal, std::string& error) const;
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
  net::UniqueFd lock_;
  bool writable_ = false;
};

}  // namespace n2nkit::routes
