#include "core/mgmt/table_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace n2nkit::mgmt {
namespace {

bool is_number(const nlohmann::json& v) {
  return v.is_number() || v.is_boolean();
}

// Python's format(value, "<width>"): numbers (bool as int) right-aligned, everything else
// left-aligned; str.format never truncates without a precision.
std::string python_format(const nlohmann::json& value, std::size_t width) {
  std::string text = value.is_boolean() ? (value.get<bool>() ? "1" : "0") : python_str(value);
  const std::size_t n = code_points(text);
  if (n >= width) return text;
  const std::string pad(width - n, ' ');
  return is_number(value) ? pad + text : text + pad;
}

// The first `count` code points of `text`.
std::string first_code_points(const std::string& text, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      if (seen == count) break;
      ++seen;
    }
  }
  return text.substr(0, i);
}

// A total order close to Python's for the values a sort key can take: numbers by value,
// strings by code point (UTF-8 byte order is the same), numbers before strings (Python would
// raise instead of mixing them), anything else last.
bool key_less(const nlohmann::json& a, const nlohmann::json& b) {
  const auto rank = [](const nlohmann::json& v) {
    return is_number(v) ? 0 : v.is_string() ? 1 : 2;
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  if (is_number(a)) {
    const auto num = [](const nlohmann::json& v) {
      return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>();
    };
    if (a.is_number_integer() && b.is_number_integer()) {
      if (a.is_number_unsigned() || b.is_number_unsigned()) {
        if (a.is_number_unsigned() && b.is_number_unsigned())
          return a.get<std::uint64_t>() < b.get<std::uint64_t>();
        return a.is_number_unsigned() ? false : true;  // a negative one is below any unsigned
      }
      return a.get<std::int64_t>() < b.get<std::int64_t>();
    }
    return num(a) < num(b);
  }
  if (a.is_string()) return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  return false;
}

}  // namespace

std::size_t code_points(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string python_str(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "None";
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string format_table(const std::vector<nlohmann::json>& rows,
                         const std::vector<std::string>& columns,
                         const std::optional<std::string>& orderby) {
  std::map<std::string, std::size_t> widths;
  for (const auto& col : columns) widths[col] = rows.empty() ? code_points(col) : 0;
  for (const auto& row : rows) {
    for (const auto& col : columns) {
      const auto it = row.find(col);
      if (it != row.end()) widths[col] = std::max(widths[col], code_points(python_str(*it)));
    }
  }
  std::string out;
  for (const auto& col : columns) {
    auto& w = widths[col];
    if (w == 0) w = 1;
    // "{:w.w}": cut to the width, then padded to it.
    const std::string cut = first_code_points(col, w);
    out += cut + std::string(w - code_points(cut), ' ') + ' ';
  }
  out += '\n';

  std::vector<const nlohmann::json*> order;
  order.reserve(rows.size());
  for (const auto& row : rows) order.push_back(&row);
  if (orderby) {
    const nlohmann::json zero = 0;
    const auto key = [&](const nlohmann::json* row) -> const nlohmann::json& {
      const auto it = row->find(*orderby);
      return it != row->end() ? *it : zero;
    };
    std::stable_sort(
        order.begin(), order.end(),
        [&](const nlohmann::json* a, const nlohmann::json* b) { return key_less(key(a), key(b)); });
  }
  for (const auto* row : order) {
    for (const auto& col : columns) {
      const auto it = row->find(col);
      out += (it != row->end() ? python_format(*it, widths[col]) : std::string(widths[col], ' '));
      out += ' ';
    }
    out += '\n';
  }
  return out;
}

std::string format_json(const nlohmann::json& value) {
  // nlohmann's objects are ordered by key (byte order, i.e. code point order for UTF-8, as
  // Python's sort_keys), its indent and separators are Python's, and ensure_ascii escapes like
  // Python's: \uXXXX in lower case, surrogate pairs above U+FFFF.
  return value.dump(4, ' ', true, nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<std::string>> table_columns(const std::string& method) {
  if (method == "supernodes")
    return std::vector<std::string>{"version", "current", "macaddr", "sockaddr", "uptime"};
  if (method == "edges")
    return std::vector<std::string>{"mode", "ip4addr", "macaddr", "sockaddr", "desc"};
  return std::nullopt;
}

std::string format_help(const std::vector<nlohmann::json>& rows) {
  // Kept as the reference prints it, its spelling included, so that the outputs compare equal.
  std::string out = "Commands with pretty-printed output:\n\n";
  out += fmt::format("{:12} {}\n", "help", "Show available commands");
  out += fmt::format("{:12} {}\n", "supernodes", "Show the list of supernodes");
  out += fmt::format("{:12} {}\n", "edges", "Show the list of edges/peers");
  out += "\nPossble remote commands:\n(those without a pretty-printer will pass-through)\n\n";
  for (const auto& row : rows) {
    const auto cmd = row.find("cmd");
    const auto help = row.find("help");
    out += python_format(cmd != row.end() ? *cmd : nlohmann::json(""), 12) + ' ' +
           (help != row.end() ? python_str(*help) : std::string()) + '\n';
  }
  return out;
}

}  // namespace n2nkit::mgmt
