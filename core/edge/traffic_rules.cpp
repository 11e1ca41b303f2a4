#include "core/edge/traffic_rules.hpp"

#include <fmt/format.h>

#include <charconv>

namespace n2nkit::edge {
namespace {

// A cursor over the rule text: each reader consumes what it recognises.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  bool take(char c) {
    if (done() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  std::optional<unsigned long> number(std::size_t max_digits) {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    unsigned long value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || ptr == begin || static_cast<std::size_t>(ptr - begin) > max_digits) {
      return std::nullopt;
    }
    pos_ += static_cast<std::size_t>(ptr - begin);
    return value;
  }
  std::string_view word() {
    const std::size_t start = pos_;
    while (!done() && text_[pos_] >= 'A' && text_[pos_] <= 'Z') ++pos_;
    return text_.substr(start, pos_ - start);
  }
  std::size_t column() const { return pos_ + 1; }
  std::string_view rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::uint32_t> address(Cursor& c) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0 && !c.take('.')) return std::nullopt;
    const auto part = c.number(3);
    if (!part || *part > 255) return std::nullopt;
    value = value << 8 | static_cast<std::uint32_t>(*part);
  }
  return value;
}

bool port(Cursor& c, std::uint16_t& out) {
  const auto p = c.number(5);
  if (!p || *p > 65535) return false;
  out = static_cast<std::uint16_t>(*p);
  return true;
}

// One side: on error a description of what was expected.
std::optional<std::string> side(Cursor& c, TrafficRule::Side& s, std::string_view which) {
  const auto net = address(c);
  if (!net) return fmt::format("{} address expected at column {}", which, c.column());
  s.net = *net;
  if (c.take('/')) {
    const auto len = c.number(2);
    if (!len || *len > 32) return fmt::format("{} prefix length (0-32) expected", which);
    s.prefix = static_cast<std::uint8_t>(*len);
  }
  if (c.take(':')) {
    if (c.take('[')) {
      if (!port(c, s.first_port) || !c.take(',') || !port(c, s.last_port) || !c.take(']')) {
        return fmt::format("{} port range [FIRST,LAST] expected at column {}", which, c.column());
      }
      if (s.first_port > s.last_port) {
        return fmt::format("{} port range [{},{}] is empty", which, s.first_port, s.last_port);
      }
    } else {
      if (!port(c, s.first_port)) {
        return fmt::format("{} port (0-65535) expected at column {}", which, c.column());
      }
      s.last_port = s.first_port;
    }
  }
  return std::nullopt;
}

std::uint32_t mask(std::uint8_t prefix) {
  return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

bool side_matches(const TrafficRule::Side& s, std::uint32_t addr) {
  return (addr & mask(s.prefix)) == s.net;
}

}  // namespace

std::optional<TrafficRule> parse_traffic_rule(std::string_view text, std::string& error,
                                              std::string& warning) {
  TrafficRule rule;
  rule.text = std::string(text);
  Cursor c(text);
  const auto fail = [&](const std::string& why) {
    error = fmt::format("'{}': {}", text, why);
    return std::nullopt;
  };
  if (auto e = side(c, rule.src, "source")) return fail(*e);
  if (!c.take(','))
    return fail(fmt::format("',' and the destination expected at column {}", c.column()));
  if (auto e = side(c, rule.dst, "destination")) return fail(*e);
  while (c.take(',')) {
    const auto name = c.word();
    std::optional<bool>* slot = name == "TCP"    ? &rule.tcp
                                : name == "UDP"  ? &rule.udp
                                : name == "ICMP" ? &rule.icmp
                                                 : nullptr;
    if (slot == nullptr) {
      return fail(
          fmt::format("protocol TCP, UDP or ICMP expected at column {}", c.column() - name.size()));
    }
    if (c.take('+')) {
      *slot = true;
    } else if (c.take('-')) {
      *slot = false;
    } else {
      return fail(fmt::format("'+' or '-' expected after {}", name));
    }
  }
  if (!c.done()) return fail(fmt::format("unexpected '{}' at column {}", c.rest(), c.column()));
  if (!rule.tcp && !rule.udp && !rule.icmp) {
    warning =
        fmt::format("rule '{}' names no protocol (TCP±, UDP±, ICMP±): it matches nothing", text);
  } else if ((rule.src.net & ~mask(rule.src.prefix)) != 0 ||
             (rule.dst.net & ~mask(rule.dst.prefix)) != 0) {
    warning = fmt::format(
        "rule '{}': a network has host bits set for its prefix: it matches nothing, as with the "
        "reference",
        text);
  }
  return rule;
}

bool TrafficFilter::allows(ByteView frame) const {
  if (rules_.empty()) return true;
  // Untagged IPv4 only, as the reference judges frames; everything else passes.
  if (frame.size() < 14 + 20 || frame[12] != 0x08 || frame[13] != 0x00) return true;
  const ByteView ip = frame.subspan(14);
  if ((ip[0] >> 4) != 4) return true;
  const std::uint8_t protocol = ip[9];
  if (protocol != 1 && protocol != 6 && protocol != 17) return true;
  const std::uint32_t src = load_be32(ip.data() + 12);
  const std::uint32_t dst = load_be32(ip.data() + 16);
  std::uint16_t src_port = 0, dst_port = 0;
  const std::size_t header = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
  const bool first_fragment = (load_be16(ip.data() + 6) & 0x1FFF) == 0;
  if (protocol != 1 && first_fragment && ip.size() >= header + 4) {
    src_port = load_be16(ip.data() + header);
    dst_port = load_be16(ip.data() + header + 2);
  }
  const TrafficRule* best = nullptr;
  int best_score = 0;
  for (const TrafficRule& r : rules_) {
    const auto& verdict = protocol == 6 ? r.tcp : protocol == 17 ? r.udp : r.icmp;
    if (!verdict) continue;
    if (protocol != 1 && (src_port < r.src.first_port || src_port > r.src.last_port ||
                          dst_port < r.dst.first_port || dst_port > r.dst.last_port)) {
      continue;
    }
    if (!side_matches(r.src, src) || !side_matches(r.dst, dst)) continue;
    const int score = r.src.prefix + 1 + r.dst.prefix + 1;
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  if (best == nullptr) return true;
  return *(protocol == 6 ? best->tcp : protocol == 17 ? best->udp : best->icmp);
}

}  // namespace n2nkit::edge
