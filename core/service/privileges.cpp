#include "core/service/privileges.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/service/log.hpp"

namespace n2nkit::service {
namespace {

std::optional<unsigned long> number(const std::string& text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  unsigned long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  return value;
}

struct Account {
  uid_t uid;
  std::optional<gid_t> primary_group;
  std::string name;
};

std::optional<Account> find_user(const std::string& text) {
  if (const auto n = number(text)) {
    const passwd* pw = getpwuid(static_cast<uid_t>(*n));
    if (pw == nullptr) return Account{static_cast<uid_t>(*n), std::nullopt, text};
    return Account{pw->pw_uid, pw->pw_gid, pw->pw_name};
  }
  const passwd* pw = getpwnam(text.c_str());
  if (pw == nullptr) return std::nullopt;
  return Account{pw->pw_uid, pw->pw_gid, pw->pw_name};
}

std::optional<gid_t> find_group(const std::string& text) {
  if (const auto n = number(text)) return static_cast<gid_t>(*n);
  const group* gr = getgrnam(text.c_str());
  if (gr == nullptr) return std::nullopt;
  return gr->gr_gid;
}

}  // namespace

namespace {

// After setuid with PR_SET_KEEPCAPS the permitted set survives and the effective one is empty:
// keep CAP_NET_ADMIN alone, effective. Raw capset: no libcap for one call.
bool keep_only_net_admin(std::string& error) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  data[0].permitted = data[0].effective = 1U << CAP_NET_ADMIN;
  if (syscall(SYS_capset, &header, data) != 0) {
    error = fmt::format("cannot keep CAP_NET_ADMIN: {}", std::strerror(errno));
    return false;
  }
  prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
  return true;
}

}  // namespace

bool drop_privileges(const std::optional<std::string>& user,
                     const std::optional<std::string>& group, std::string& error,
                     bool keep_net_admin) {
  const bool root = geteuid() == 0;
  std::optional<Account> account;
  if (user) {
    account = find_user(*user);
    if (!account) {
      error = fmt::format("-u {}: no such user", *user);
      return false;
    }
  } else if (root && !group) {
    account = find_user("n2n");
    if (!account) account = find_user("nobody");
    if (!account) {
      log(Level::warning, "running as root: neither user n2n nor nobody exists (use -u/-g)");
      return true;
    }
  }

  std::optional<gid_t> gid;
  if (group) {
    gid = find_group(*group);
    if (!gid) {
      error = fmt::format("-g {}: no such group", *group);
      return false;
    }
  } else if (account) {
    gid = account->primary_group;
    if (!gid) {
      error = fmt::format("-u {}: user has no entry in the user database; give its group with -g",
                          *user);
      return false;
    }
  }

  if (gid) {
    if (root && setgroups(1, &*gid) != 0) {
      error = fmt::format("cannot drop supplementary groups: {}", std::strerror(errno));
      return false;
    }
    if (setgid(*gid) != 0) {
      error = errno == EPERM
                  ? fmt::format("cannot switch to group {}: not running as root", *gid)
                  : fmt::format("cannot switch to group {}: {}", *gid, std::strerror(errno));
      return false;
    }
  }
  const bool keep = keep_net_admin && root && account && account->uid != 0;
  if (keep) prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
  if (account) {
    if (setuid(account->uid) != 0) {
      error =
          errno == EPERM
              ? fmt::format("cannot switch to user {}: not running as root", account->name)
              : fmt::format("cannot switch to user {}: {}", account->name, std::strerror(errno));
      return false;
    }
  }
  if (keep && !keep_only_net_admin(error)) return false;
  if (account || gid) {
    log(Level::normal, "running as uid {}, gid {}{}", getuid(), getgid(),
        keep ? " with CAP_NET_ADMIN" : "");
  }
  if (getuid() == 0 || getgid() == 0) {
    log(Level::warning, "running as root is discouraged (see -u and -g)");
  }
  return true;
}

bool daemonize(std::string& error) {
  const pid_t pid = fork();
  if (pid < 0) {
    error = fmt::format("cannot fork into the background: {}", std::strerror(errno));
    return false;
  }
  if (pid > 0) _exit(0);
  if (setsid() < 0) {
    error = fmt::format("cannot start a new session: {}", std::strerror(errno));
    return false;
  }
  if (chdir("/") != 0) {
    error = fmt::format("cannot change to /: {}", std::strerror(errno));
    return false;
  }
  const int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) close(null);
  }
  return true;
}

}  // namespace n2nkit::service
