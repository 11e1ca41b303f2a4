#include "core/mgmt/reply.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace n2nkit::mgmt {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

template <typename Integer>
void append_integer(std::string& out, Integer v) {
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  out.append(digits.data(), end);
}

// Printable ASCII other than '"' and '\\' goes out as it is.
bool plain(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // Runs of plain bytes in one append: a listing of 10,000 edges is 2 MB of them.
    std::size_t run = i;
    while (run < text.size() && plain(static_cast<unsigned char>(text[run]))) ++run;
    if (run > i) {
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else if (const std::size_t len = utf8_sequence_length(text, i); len != 0) {
      out.append(text.substr(i, len));
      i += len;
      continue;
    } else {
      out += "\\ufffd";
    }
    ++i;
  }
}

void append_value(std::string& out, const Field& f) {
  if (const auto* s = std::get_if<std::string>(&f.value)) {
    out += '"';
    append_escaped(out, *s);
    out += '"';
  } else if (const auto* i = std::get_if<std::int64_t>(&f.value)) {
    append_integer(out, *i);
  } else {
    append_integer(out, std::get<std::uint64_t>(f.value));
  }
}

// line_breaks: the raw newlines of Field::line_break_before (one-row datagrams only).
std::string serialise(std::string_view tag, std::string_view type, const Fields& fields,
                      bool line_breaks = true) {
  std::string out;
  out.reserve(64 + 32 * fields.size());
  out += "{\"_tag\":\"";
  append_escaped(out, tag);
  out += "\",\"_type\":\"";
  out += type;
  out += '"';
  for (const Field& f : fields) {
    out += ',';
    if (f.line_break_before && line_breaks) out += '\n';
    out += '"';
    append_escaped(out, f.key);
    out += "\":";
    append_value(out, f);
  }
  out += "}\n";
  return out;
}

// Cuts `s` to at most `keep` bytes without splitting a UTF-8 sequence.
std::string cut_at_boundary(const std::string& s, std::size_t keep) {
  std::size_t end = std::min(keep, s.size());
  while (end > 0 && end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return s.substr(0, end);
}

std::string serialise_bounded(std::string_view tag, std::string_view type, const Fields& given,
                              bool line_breaks = true) {
  std::string out = serialise(tag, type, given, line_breaks);
  if (out.size() <= kMaxDatagram) return out;
  Fields fields = given;
  while (out.size() > kMaxDatagram) {
    std::string* longest = nullptr;
    for (Field& f : fields) {
      auto* s = std::get_if<std::string>(&f.value);
      if (s != nullptr && (longest == nullptr || s->size() > longest->size())) longest = s;
    }
    // Nothing left to shorten (only possible with absurd field lists): send as is rather than
    // lose fields; no table of ours comes near this.
    if (longest == nullptr || longest->size() <= kTruncationMarker.size()) break;
    const std::size_t excess = out.size() - kMaxDatagram + kTruncationMarker.size();
    const std::size_t keep = longest->size() > excess ? longest->size() - excess : 0;
    *longest = cut_at_boundary(*longest, keep) + std::string(kTruncationMarker);
    out = serialise(tag, type, fields, line_breaks);
  }
  return out;
}

std::string one_string(std::string_view tag, std::string_view type, std::string_view key,
                       std::string_view value) {
  return serialise_bounded(tag, type, Fields{Field(std::string(key), value)});
}

}  // namespace

std::string management_mac(const wire::Mac& mac) {
  if (mac == wire::kNullMac) return {};
  return fmt::format(FMT_COMPILE("{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}"), mac[0], mac[1],
                     mac[2], mac[3], mac[4], mac[5]);
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

Fields edge_peer_fields(std::string_view mode, std::string_view ip4addr, bool purgeable, bool local,
                        std::string_view macaddr, std::string_view sockaddr, std::string_view desc,
                        std::int64_t last_p2p, std::int64_t last_sent_query,
                        std::int64_t last_seen) {
  return Fields{
      Field("mode", mode),
      Field("ip4addr", ip4addr),
      Field("purgeable", purgeable ? 1 : 0),
      Field("local", local ? 1 : 0),
      Field("macaddr", macaddr),
      Field("sockaddr", sockaddr),
      Field("desc", desc),
      Field("last_p2p", last_p2p),
      Field("last_sent_query", last_sent_query, true),
      Field("last_seen", last_seen, true),
  };
}

std::string begin_reply(std::string_view tag, std::string_view cmd) {
  return one_string(tag, "begin", "cmd", cmd);
}

std::string end_reply(Daemon daemon, std::string_view tag, std::string_view cmd) {
  if (daemon == Daemon::edge) return one_string(tag, "end", "cmd", cmd);
  return serialise_bounded(tag, "end", Fields{});
}

std::string error_reply(std::string_view tag, ErrorCode code) {
  return one_string(tag, "error", "error", error_code_name(code));
}

std::string row_reply(std::string_view tag, const Fields& fields) {
  return serialise_bounded(tag, "row", fields);
}

std::string packed_row_reply(std::string_view tag, const Fields& fields) {
  return serialise_bounded(tag, "row", fields, false);
}

std::string subscribe_reply(std::string_view tag, std::string_view topic) {
  return one_string(tag, "subscribe", "topic", topic);
}

std::string replacing_reply(std::string_view tag, std::string_view topic) {
  return one_string(tag, "replacing", "topic", topic);
}

std::string unsubscribed_reply(std::string_view tag, std::string_view topic) {
  return one_string(tag, "unsubscribed", "topic", topic);
}

std::string event_reply(std::string_view tag, const Fields& fields) {
  return serialise_bounded(tag, "event", fields);
}

}  // namespace n2nkit::mgmt
