#include <string>

#include "core/firewall/rule_plan.hpp"

namespace n2nkit::firewall {

std::string_view owner_name(Owner o) {
  return o == Owner::mss ? "mss" : "gateway";
}

std::string owner_nft_table(Owner o) {
  return "n2nkit_" + std::string(owner_name(o));
}

std::string owner_comment(Owner o) {
  return "n2nkit:" + std::string(owner_name(o));
}

std::optional<Owner> owner_from_comment(std::string_view comment) {
  for (const Owner o : {Owner::mss, Owner::gateway})
    if (comment == owner_comment(o)) return o;
  return std::nullopt;
}

std::optional<Owner> owner_from_nft_table(std::string_view table) {
  for (const Owner o : {Owner::mss, Owner::gateway})
    if (table == owner_nft_table(o)) return o;
  return std::nullopt;
}

bool valid_iface_name(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  for (const char c : name)
    if (c == '/' || c == '"' || c == '\'' || c == '\\' || static_cast<unsigned char>(c) <= ' ' ||
        static_cast<unsigned char>(c) >= 0x7f)
      return false;
  return true;
}

}  // namespace n2nkit::firewall
