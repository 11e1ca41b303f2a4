#pragma once
// Parsing one management datagram the way the reference daemons do (spec §13.1, §13.2).
// I/O-free: the daemon feeds the received bytes and acts on the returned variant.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/common/bytes.hpp"
#include "core/mgmt/methods.hpp"

namespace n2nkit::mgmt {

inline constexpr std::string_view kDefaultPassword = "n2n";
// The reference copies the request into an 80-byte buffer before splitting it.
inline constexpr std::size_t kRequestWindow = 79;
// The edge's tag buffer holds 9 characters plus the terminator; the supernode keeps a pointer.
inline constexpr std::size_t kEdgeTagLimit = 9;

// Bits of the options field's hexadecimal flags ("TAG:FLAGS:PASSWORD"). The reference looks at
// bit 0 only and ignores the others, so an n2nkit client may set kFlagPackedRows towards any
// daemon: ours then pack several rows into one datagram (row_packing.hpp), the reference's go
// on sending one row per datagram.
inline constexpr unsigned long kFlagPassword = 0x1;
inline constexpr unsigned long kFlagPackedRows = 0x100;

// What the reference compares: pearson64 of the given password against that of the configured.
std::uint64_t password_hash(std::string_view password);

struct ParseConfig {
  Daemon daemon = Daemon::edge;
  // password_hash() of --management-password (the reference default is kDefaultPassword).
  std::uint64_t password_hash = 0;
};

enum class LegacyCommand {
  help,                // "help" / "?" — text help
  stop,                // edge "stop" — exit, no reply
  verbosity_up,        // edge "+verb"
  verbosity_down,      // edge "-verb"
  reload_communities,  // supernode "reload_communities"
  status,              // anything else: the text status table
};

struct LegacyRequest {
  LegacyCommand command;
};

enum class RequestType { read, write, subscribe };

// A JSON request that passed every check the reference makes before it sends `begin`
// (or, for a subscription, before it registers the subscriber).
struct JsonRequest {
  RequestType type = RequestType::read;
  std::string tag;
  std::string method;  // the command or, for a subscription, the topic name
  std::string args;    // rest of the line up to CR/LF, unparsed; empty = none given
  bool password_given = false;
  bool packed_rows = false;             // kFlagPackedRows: the client reads multi-row datagrams
  const Method* method_info = nullptr;  // set for read/write
  const TopicInfo* topic = nullptr;     // set for subscribe
};

// A request answered with a single `error` datagram and nothing else.
struct RequestError {
  std::string tag;
  ErrorCode code;
};

using ParsedRequest = std::variant<LegacyRequest, JsonRequest, RequestError>;

ParsedRequest parse_request(ByteView datagram, const ParseConfig& config);

// C strtoul over a view (the reference parses flags with base 16 and the `verbose` argument
// with base 0); leading blanks, sign and overflow behave as in C.
unsigned long c_strtoul(std::string_view text, int base);

}  // namespace n2nkit::mgmt
