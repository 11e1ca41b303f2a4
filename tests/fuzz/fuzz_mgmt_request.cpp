// Management datagrams of any content through both daemons' parsers and the reply builders.
// Whatever comes in, every datagram we would send back is valid JSON of at most 1024 bytes,
// begins with the echoed tag, and the text-console path yields no JSON at all.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/mgmt/dispatcher.hpp"
#include "core/mgmt/reply.hpp"
#include "core/mgmt/request.hpp"

using namespace n2nkit;
using namespace n2nkit::mgmt;

namespace {

// Echoes request text into rows, so hostile tags, arguments and free text all get serialised.
class EchoHandler : public MethodHandler {
 public:
  explicit EchoHandler(std::string_view raw) : raw_(raw) {}
  MethodReply call(MethodId method, const JsonRequest& request) override {
    MethodReply reply;
    reply.rows.push_back(edge_peer_fields("p2p", request.args, true, false, request.tag,
                                          request.method, raw_, -1, 0, INT64_MAX));
    reply.rows.push_back(Fields{{"desc", raw_}, {"help", raw_}, {"n", UINT64_MAX}});
    if (method == MethodId::communities) reply.error = ErrorCode::noaccess;
    return reply;
  }

 private:
  std::string_view raw_;
};

void check_datagram(const std::string& d, const std::string& tag) {
  if (d.size() > kMaxDatagram || d.empty() || d.back() != '\n') __builtin_trap();
  if (!nlohmann::json::accept(d)) __builtin_trap();
  const auto j = nlohmann::json::parse(d);
  if (!j.is_object() || !j.contains("_tag") || !j.contains("_type")) __builtin_trap();
  if (tag.empty() && j["_tag"] != "") __builtin_trap();
}

void run(Daemon daemon, ByteView data, std::string_view raw) {
  const ParseConfig config{daemon, password_hash(kDefaultPassword)};
  const ParsedRequest parsed = parse_request(data, config);
  EchoHandler handler(raw);
  const auto replies = answer(daemon, parsed, handler);
  std::string tag = "?";
  if (const auto* j = std::get_if<JsonRequest>(&parsed)) {
    tag = j->tag;
    if (daemon == Daemon::supernode && j->type == RequestType::subscribe) __builtin_trap();
    if (daemon == Daemon::edge && tag.size() > kEdgeTagLimit) __builtin_trap();
    if (j->type == RequestType::subscribe) {
      if (j->topic == nullptr || !replies.empty()) __builtin_trap();
      check_datagram(subscribe_reply(j->tag, j->topic->name), tag);
      check_datagram(replacing_reply(j->tag, j->topic->name), tag);
      check_datagram(unsubscribed_reply(j->tag, j->topic->name), tag);
      check_datagram(event_reply(j->tag, Fields{{"test", j->args}}), tag);
    } else if (replies.size() < 2) {
      __builtin_trap();
    }
  } else if (const auto* e = std::get_if<RequestError>(&parsed)) {
    tag = e->tag;
    if (replies.size() != 1) __builtin_trap();
  } else if (!replies.empty()) {
    __builtin_trap();
  }
  for (const auto& d : replies) check_datagram(d, tag);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView bytes(data, size);
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  run(Daemon::edge, bytes, raw);
  run(Daemon::supernode, bytes, raw);
  // Arbitrary text as a tag and as free text of an event.
  check_datagram(event_reply(raw.substr(0, 79), Fields{{"test", raw}, {"x", 1}}), "?");
  return 0;
}
