#pragma once
// The daemon's log: one line per event, to stderr in the foreground and to syslog once
// detached. Levels are the reference's trace levels, which the management API's `verbose`
// reads and sets: 0 error, 1 warning, 2 normal (default), 3 info, 4 debug.
#include <fmt/format.h>

#include <string_view>

namespace n2nkit::service {

enum class Level : unsigned { error = 0, warning = 1, normal = 2, info = 3, debug = 4 };

void set_log_level(unsigned level);
unsigned log_level();
// From now on, lines go to syslog (daemon facility) instead of stderr.
void log_to_syslog(const char* ident);  // ident: the program name, kept for the process life

bool log_enabled(Level level);
void log_line(Level level, std::string_view message);

template <typename... Args>
void log(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (!log_enabled(level)) return;
  log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace n2nkit::service
