#pragma once
// Reply datagrams of the management API (spec §13.3), byte for byte as the reference writes
// them: compact JSON, "_tag" and "_type" first, fields in the given order, a trailing "\n".
//
// Strings are JSON-escaped (the reference does not escape, so a tag with a quote would break
// its output); plain ASCII therefore comes out identical. Bytes that are not valid UTF-8 become
// \ufffd so that every datagram stays valid JSON.
//
// Every datagram is at most kMaxDatagram bytes, because scripts/n2n-ctl reads with a 1024-byte
// buffer (only clients that ask for packed rows get larger ones, row_packing.hpp). A row never
// gets split: if one would be longer, its longest string values (free text such as desc — all
// bounded in practice) are shortened, at a UTF-8 boundary, and end in kTruncationMarker.
// Numbers and keys are never altered.
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/mgmt/methods.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::mgmt {

inline constexpr std::size_t kMaxDatagram = 1024;

// "02:53:4E:00:00:01": the management API writes MACs in upper case; "" for the null MAC.
std::string management_mac(const wire::Mac& mac);
inline constexpr std::string_view kTruncationMarker = "...";

struct Field {
  Field(std::string k, std::string_view s, bool break_before = false)
      : key(std::move(k)), value(std::string(s)), line_break_before(break_before) {}
  template <std::integral T>
  Field(std::string k, T v, bool break_before = false)
      : key(std::move(k)), line_break_before(break_before) {
    if constexpr (std::is_signed_v<T>) {
      value = static_cast<std::int64_t>(v);
    } else {
      value = static_cast<std::uint64_t>(v);
    }
  }

  std::string key;
  std::variant<std::string, std::int64_t, std::uint64_t> value;
  // The reference's edge `edges` row has a raw "\n" before "last_sent_query" and "last_seen".
  // JSON whitespace, so n2n-ctl does not care; we reproduce it for byte-exact replies.
  bool line_break_before = false;
};

using Fields = std::vector<Field>;

// The edge's `edges` row field order (spec §13.4), with the reference's two raw newlines.
Fields edge_peer_fields(std::string_view mode, std::string_view ip4addr, bool purgeable, bool local,
                        std::string_view macaddr, std::string_view sockaddr, std::string_view desc,
                        std::int64_t last_p2p, std::int64_t last_sent_query,
                        std::int64_t last_seen);

std::string begin_reply(std::string_view tag, std::string_view cmd);
// The edge's `end` names the method; the supernode's does not.
std::string end_reply(Daemon daemon, std::string_view tag, std::string_view cmd);
std::string error_reply(std::string_view tag, ErrorCode code);
std::string row_reply(std::string_view tag, const Fields& fields);
// A row for a packed datagram (row_packing.hpp): one line, so without the raw newlines the
// reference puts inside the edge's `edges` row.
std::string packed_row_reply(std::string_view tag, const Fields& fields);
std::string subscribe_reply(std::string_view tag, std::string_view topic);
std::string replacing_reply(std::string_view tag, std::string_view topic);
std::string unsubscribed_reply(std::string_view tag, std::string_view topic);
std::string event_reply(std::string_view tag, const Fields& fields);

// JSON string body (without quotes) as described above.
std::string json_escape(std::string_view text);

}  // namespace n2nkit::mgmt
