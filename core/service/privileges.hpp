#pragma once
// Leaving root after the ports are bound (-u/-g), and detaching from the terminal (no -f).
#include <optional>
#include <string>

namespace n2nkit::service {

// -u/-g as given (names or numbers). Without them a daemon started as root switches to the
// user "n2n", or else "nobody", as the reference does; -u root (or 0) keeps root. setgid
// before setuid; supplementary groups are dropped. On failure returns false and one line in
// error (not root, unknown user, ...).
// keep_net_admin: a root daemon that must still change routes and links later (the edge's -n
// routes, -M auto) keeps CAP_NET_ADMIN, and no other capability, across the switch of user.
bool drop_privileges(const std::optional<std::string>& user,
                     const std::optional<std::string>& group, std::string& error,
                     bool keep_net_admin = false);

// Forks into the background (parent exits 0), starts a new session, changes to / and points
// stdin/stdout/stderr to /dev/null. Returns false with one line in error if it fails.
bool daemonize(std::string& error);

}  // namespace n2nkit::service
