#include "core/routes/undo_journal_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace n2nkit::routes {
namespace {

std::string errno_text(int e) {
  std::string text = std::strerror(e);
  if (e == EACCES || e == EPERM) text += " (needs root)";
  return text;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<JournalFile> JournalFile::open(const std::string& dir, bool create,
                                             std::string& error) {
  JournalFile f;
  f.dir_ = dir;
  f.path_ = dir + "/n2n-route.json";
  f.writable_ = create;
  if (!create) return f;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    error = fmt::format("cannot create the state directory {}: {}", dir, errno_text(errno));
    return std::nullopt;
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = fmt::format("the state directory {} is not a directory", dir);
    return std::nullopt;
  }
  // The journal tells a root process what to delete: nobody else may write there.
  if ((st.st_mode & 022) != 0 || st.st_uid != ::geteuid()) {
    error = fmt::format(
        "the state directory {} must be owned by this user and not writable by "
        "others (mode 0700)",
        dir);
    return std::nullopt;
  }
  const std::string lock_path = dir + "/n2n-route.lock";
  f.lock_.reset(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!f.lock_.valid()) {
    error = fmt::format("cannot open {}: {}", lock_path, errno_text(errno));
    return std::nullopt;
  }
  while (::flock(f.lock_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) {
      error = fmt::format("cannot lock {}: {}", lock_path, errno_text(errno));
      return std::nullopt;
    }
  }
  return f;
}

bool JournalFile::load(UndoJournal& journal, std::string& error) const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0 && errno == ENOENT) {
    journal = UndoJournal{};
    return true;
  }
  std::ifstream in(path_);
  if (!in) {
    error = fmt::format("cannot read {}: {}", path_, errno_text(errno));
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = UndoJournal::from_text(text.str(), error);
  if (!parsed) {
    error = fmt::format("{}: {}", path_, error);
    return false;
  }
  journal = std::move(*parsed);
  return true;
}

bool JournalFile::save(const UndoJournal& journal, std::string& error) const {
  if (!writable_) {
    error = "internal: the journal was opened read-only";
    return false;
  }
  if (journal.empty()) {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
      error = fmt::format("cannot remove {}: {}", path_, errno_text(errno));
      return false;
    }
    return true;
  }
  const std::string tmp = path_ + ".new";
  net::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    error = fmt::format("cannot write {}: {}", tmp, errno_text(errno));
    return false;
  }
  if (!write_all(fd.get(), journal.to_text()) || ::fsync(fd.get()) != 0) {
    error = fmt::format("cannot write {}: {}", tmp, errno_text(errno));
    return false;
  }
  fd.reset();
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    error = fmt::format("cannot replace {}: {}", path_, errno_text(errno));
    return false;
  }
  // The rename itself must survive a crash too.
  net::UniqueFd d(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.valid()) ::fsync(d.get());
  return true;
}

}  // namespace n2nkit::routes
