#include "core/service/log.hpp"

#include <syslog.h>

#include <cstdio>
#include <ctime>
#include <string>

namespace n2nkit::service {
namespace {

unsigned g_level = static_cast<unsigned>(Level::normal);
bool g_syslog = false;

std::string_view label(Level level) {
  switch (level) {
    case Level::error:
      return "ERROR: ";
    case Level::warning:
      return "WARNING: ";
    case Level::normal:
    case Level::info:
    case Level::debug:
      break;
  }
  return "";
}

int syslog_priority(Level level) {
  switch (level) {
    case Level::error:
      return LOG_ERR;
    case Level::warning:
      return LOG_WARNING;
    case Level::normal:
      return LOG_NOTICE;
    case Level::info:
      return LOG_INFO;
    case Level::debug:
      return LOG_DEBUG;
  }
  return LOG_INFO;
}

}  // namespace

void set_log_level(unsigned level) {
  g_level = level;
}

unsigned log_level() {
  return g_level;
}

void log_to_syslog(const char* ident) {
  openlog(ident, LOG_PID, LOG_DAEMON);
  g_syslog = true;
}

bool log_enabled(Level level) {
  return static_cast<unsigned>(level) <= g_level;
}

void log_line(Level level, std::string_view message) {
  if (g_syslog) {
    syslog(syslog_priority(level), "%.*s%.*s", static_cast<int>(label(level).size()),
           label(level).data(), static_cast<int>(message.size()), message.data());
    return;
  }
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32] = {};
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
  fmt::print(stderr, "{} {}{}\n", stamp, label(level), message);
  std::fflush(stderr);
}

}  // namespace n2nkit::service
