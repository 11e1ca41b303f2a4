#include "core/mgmt/row_packing.hpp"

#include <utility>

namespace n2nkit::mgmt {

std::vector<std::string> pack_rows(std::vector<std::string> rows, std::size_t limit) {
  std::vector<std::string> out;
  std::string current;
  for (std::string& row : rows) {
    if (!current.empty() && current.size() + row.size() > limit) {
      out.push_back(std::move(current));
      current.clear();
    }
    if (current.empty()) {
      current = std::move(row);
      if (current.size() < limit) current.reserve(limit);
    } else {
      current += row;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace n2nkit::mgmt
