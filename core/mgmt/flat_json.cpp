#include "core/mgmt/flat_json.hpp"

#include <charconv>
#include <cstdint>
#include <string>

namespace n2nkit::mgmt {
namespace {

class FlatReader {
 public:
  explicit FlatReader(std::string_view text) : s_(text) {}

  std::optional<nlohmann::json> object() {
    nlohmann::json out = nlohmann::json::object();
    auto& members = out.get_ref<nlohmann::json::object_t&>();
    skip_blanks();
    if (!take('{')) return std::nullopt;
    skip_blanks();
    if (!take('}')) {
      for (;;) {
        skip_blanks();
        std::string key;
        if (!string(key)) return std::nullopt;
        skip_blanks();
        if (!take(':')) return std::nullopt;
        skip_blanks();
        auto value = scalar();
        if (!value) return std::nullopt;
        // A repeated key: the last one wins, as with nlohmann.
        members.insert_or_assign(std::move(key), std::move(*value));
        skip_blanks();
        if (take(',')) continue;
        if (take('}')) break;
        return std::nullopt;
      }
    }
    skip_blanks();
    if (i_ != s_.size()) return std::nullopt;
    return out;
  }

 private:
  bool take(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  void skip_blanks() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) {
      ++i_;
    }
  }

  static bool plain(char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // \uXXXX outside the surrogates, as UTF-8.
  bool unicode_escape(std::string& out) {
    if (i_ + 4 > s_.size()) return false;
    unsigned code = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int d = hex_digit(s_[i_ + k]);
      if (d < 0) return false;
      code = code * 16 + static_cast<unsigned>(d);
    }
    if (code >= 0xD800 && code <= 0xDFFF) return false;
    i_ += 4;
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
    return true;
  }

  bool string(std::string& out) {
    if (!take('"')) return false;
    for (;;) {
      const std::size_t start = i_;
      while (i_ < s_.size() && plain(s_[i_])) ++i_;
      out.append(s_.substr(start, i_ - start));
      if (i_ >= s_.size()) return false;
      if (take('"')) return true;
      if (!take('\\') || i_ >= s_.size()) return false;  // a control or non-ASCII byte
      const char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!unicode_escape(out)) return false;
          break;
        default:
          return false;
      }
    }
  }

  std::optional<nlohmann::json> scalar() {
    if (i_ >= s_.size()) return std::nullopt;
    if (s_[i_] == '"') {
      std::string value;
      if (!string(value)) return std::nullopt;
      return nlohmann::json(std::move(value));
    }
    const std::size_t start = i_;
    const bool negative = take('-');
    const std::size_t digits = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    if (i_ == digits) return std::nullopt;
    if (s_[digits] == '0' && i_ - digits > 1) return std::nullopt;  // JSON has no leading zeros
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) return std::nullopt;
    const char* first = s_.data() + start;
    const char* last = s_.data() + i_;
    if (negative) {
      std::int64_t v = 0;
      const auto r = std::from_chars(first, last, v);
      if (r.ec != std::errc() || r.ptr != last) return std::nullopt;
      return nlohmann::json(v);
    }
    std::uint64_t v = 0;
    const auto r = std::from_chars(first, last, v);
    if (r.ec != std::errc() || r.ptr != last) return std::nullopt;
    return nlohmann::json(v);
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<nlohmann::json> parse_flat_object(std::string_view text) {
  return FlatReader(text).object();
}

}  // namespace n2nkit::mgmt
