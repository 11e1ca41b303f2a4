#include "firewall_undo.hpp"

#include <fmt/format.h>

#include "core/firewall/firewall_backends.hpp"

namespace n2nkit::routetool {

bool undo_firewall(const routes::Change& change, std::string& error) {
  const auto& record = change.firewall;
  if (!record.is_object() || !record.contains("backend") || !record["backend"].is_string() ||
      record.value("owner", std::string()) != "gateway") {
    error = "the journal's firewall record is damaged";
    return false;
  }
  const auto backend = firewall::resolve_backend(record["backend"].get<std::string>(), error);
  if (!backend) return false;
  const auto outcome = firewall::undo(firewall::Owner::gateway, *backend);
  if (!outcome.ok) {
    error = outcome.error;
    return false;
  }
  return true;
}

}  // namespace n2nkit::routetool
