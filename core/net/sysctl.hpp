#pragma once
// Kernel settings under /proc/sys by their sysctl names ("net.ipv4.ip_forward"), read and
// written as text, one line in error on failure (naming the permission that is missing).
#include <string>
#include <string_view>

namespace n2nkit::net {

// "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward"; empty for a name that would leave
// /proc/sys (a '/' or "..").
std::string sysctl_path(std::string_view name);
// The value without its trailing newline.
bool read_sysctl(std::string_view name, std::string& value, std::string& error);
bool write_sysctl(std::string_view name, std::string_view value, std::string& error);

}  // namespace n2nkit::net
