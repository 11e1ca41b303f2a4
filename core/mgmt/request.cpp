#include "core/mgmt/request.hpp"

#include <cstdlib>
#include <optional>

#include "core/wire/pearson.hpp"

namespace n2nkit::mgmt {
namespace {

// strtok(3) without the mutation: runs of delimiters are skipped, so empty fields vanish;
// a token ends at the next delimiter, which is consumed.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  std::optional<std::string_view> next(std::string_view delimiters) {
    const std::size_t start = text_.find_first_not_of(delimiters, pos_);
    if (start == std::string_view::npos) {
      pos_ = text_.size();
      return std::nullopt;
    }
    const std::size_t end = text_.find_first_of(delimiters, start);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      return text_.substr(start);
    }
    pos_ = end + 1;
    return text_.substr(start, end - start);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr std::string_view kFieldDelimiters = " \r\n";
constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kNoTag = "-1";
constexpr std::string_view kSupernodeNullTag = "(null)";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.starts_with(prefix);
}

ParsedRequest parse_json(std::string_view line, const ParseConfig& config) {
  Tokenizer fields(line.substr(0, std::min(line.size(), kRequestWindow)));

  const auto type_field = fields.next(kFieldDelimiters);
  if (!type_field) return RequestError{std::string(kNoTag), ErrorCode::notype};
  JsonRequest req;
  // Only the first letter counts: the reference looks at *typechar.
  switch (type_field->front()) {
    case 'r':
      req.type = RequestType::read;
      break;
    case 'w':
      req.type = RequestType::write;
      break;
    case 's':
      req.type = RequestType::subscribe;
      break;
    default:
      return RequestError{std::string(kNoTag), ErrorCode::badtype};
  }

  const auto options = fields.next(kFieldDelimiters);
  if (!options) return RequestError{std::string(kNoTag), ErrorCode::nooptions};
  const auto method = fields.next(kFieldDelimiters);
  if (!method) return RequestError{std::string(kNoTag), ErrorCode::nocmd};
  req.method = std::string(*method);
  if (const auto args = fields.next(kLineEnd)) req.args = std::string(*args);

  Tokenizer option_fields(*options);
  // An options field made only of ':' has no tag. The supernode prints the NULL pointer, which
  // glibc renders "(null)"; the edge copies from NULL and crashes, so it gets an empty tag.
  const auto tag = option_fields.next(":");
  if (config.daemon == Daemon::supernode) {
    req.tag = tag ? std::string(*tag) : std::string(kSupernodeNullTag);
  } else if (tag) {
    req.tag = std::string(tag->substr(0, kEdgeTagLimit));
  }
  unsigned long flags = 0;
  if (const auto flag_field = option_fields.next(":")) flags = c_strtoul(*flag_field, 16);
  std::optional<std::string_view> password;
  if ((flags & kFlagPassword) != 0) password = option_fields.next(":");
  req.packed_rows = (flags & kFlagPackedRows) != 0;

  if (password) {
    req.password_given = true;
    if (password_hash(*password) != config.password_hash) {
      return RequestError{req.tag, ErrorCode::badauth};
    }
  } else if (req.type != RequestType::read) {
    return RequestError{req.tag, ErrorCode::badauth};
  }

  if (req.type == RequestType::subscribe) {
    req.topic = find_topic(req.method);
    if (req.topic == nullptr) return RequestError{req.tag, ErrorCode::unknowntopic};
    return req;
  }
  req.method_info = find_method(config.daemon, req.method);
  if (req.method_info == nullptr) return RequestError{req.tag, ErrorCode::unknowncmd};
  if (req.type == RequestType::write && req.method_info->access == Access::read_only) {
    return RequestError{req.tag, ErrorCode::readonly};
  }
  return req;
}

}  // namespace

std::uint64_t password_hash(std::string_view password) {
  return wire::pearson64(as_bytes(password));
}

unsigned long c_strtoul(std::string_view text, int base) {
  const std::string copy(text);  // strtoul needs a terminator
  return std::strtoul(copy.c_str(), nullptr, base);
}

ParsedRequest parse_request(ByteView datagram, const ParseConfig& config) {
  // The reference terminates the datagram and then treats it as a C string: anything after an
  // embedded NUL is invisible to it.
  std::string_view text(reinterpret_cast<const char*>(datagram.data()), datagram.size());
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    text = text.substr(0, nul);
  }

  if (starts_with(text, "help") || starts_with(text, "?")) {
    return LegacyRequest{LegacyCommand::help};
  }
  if (config.daemon == Daemon::edge) {
    if (starts_with(text, "stop")) return LegacyRequest{LegacyCommand::stop};
    if (starts_with(text, "+verb")) return LegacyRequest{LegacyCommand::verbosity_up};
    if (starts_with(text, "-verb")) return LegacyRequest{LegacyCommand::verbosity_down};
    if (text.size() >= 2 && text[0] >= 'a' && text[0] <= 'z' && text[1] == ' ') {
      return parse_json(text, config);
    }
  } else {
    if (starts_with(text, "reload_communities")) {
      return LegacyRequest{LegacyCommand::reload_communities};
    }
    if (text.size() >= 2 && (text[0] == 'r' || text[0] == 'w') && text[1] == ' ') {
      return parse_json(text, config);
    }
  }
  return LegacyRequest{LegacyCommand::status};
}

}  // namespace n2nkit::mgmt
