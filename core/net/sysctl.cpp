#include "core/net/sysctl.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace n2nkit::net {

std::string sysctl_path(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos ||
      name.find("..") != std::string_view::npos) {
    return {};
  }
  std::string path = "/proc/sys/";
  for (const char c : name) path += c == '.' ? '/' : c;
  return path;
}

bool read_sysctl(std::string_view name, std::string& value, std::string& error) {
  const std::string path = sysctl_path(name);
  std::ifstream in(path);
  if (path.empty() || !in) {
    error = fmt::format("cannot read {}: {}", name, std::strerror(errno));
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return true;
}

bool write_sysctl(std::string_view name, std::string_view value, std::string& error) {
  const std::string path = sysctl_path(name);
  std::ofstream out(path);
  if (path.empty() || !out) {
    const int e = errno;
    error = fmt::format("cannot set {}: {}{}", name, std::strerror(e),
                        e == EACCES || e == EPERM ? " (needs root)" : "");
    return false;
  }
  out << value << '\n';
  out.flush();
  if (!out) {
    error = fmt::format("cannot set {} to {}: {}", name, value, std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace n2nkit::net
