#pragma once
// The fields of a decoded n2n message as JSON, named as in the shared captures' index.json
// (cookie as 8 hex digits, MACs lower case, socks "a.b.c.d:port", tokens as hex).
#include <nlohmann/json.hpp>

#include "core/wire/messages.hpp"

namespace n2nkit::decode {

// version, ttl, flags ("0x0060"), type_code, community.
void add_header_fields(nlohmann::ordered_json& j, const wire::CommonHeader& h);
// Every field of the message (PACKET: not the payload, only its length).
void add_message_fields(nlohmann::ordered_json& j, const wire::Message& m);

// Bytes as text that is always valid UTF-8 (each byte one Latin-1 character), so that
// garbage in descriptions or version strings can never break the JSON output.
std::string latin1_to_utf8(ByteView bytes);
// Up to the first NUL.
std::string c_string_field(ByteView bytes);

}  // namespace n2nkit::decode
