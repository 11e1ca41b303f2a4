// Parsing of management datagrams, checked against the reference's behaviour as captured in
// vectors/management-examples.md (requests copied here as literals) plus the edge cases of its
// strtok-based splitter.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "core/mgmt/request.hpp"

using namespace n2nkit;
using namespace n2nkit::mgmt;

namespace {

ParseConfig edge_config(std::string_view password = kDefaultPassword) {
  return ParseConfig{Daemon::edge, password_hash(password)};
}
ParseConfig supernode_config(std::string_view password = kDefaultPassword) {
  return ParseConfig{Daemon::supernode, password_hash(password)};
}

ParsedRequest parse(std::string_view text, const ParseConfig& config) {
  return parse_request(as_bytes(text), config);
}

LegacyCommand legacy(std::string_view text, const ParseConfig& config) {
  const ParsedRequest r = parse(text, config);
  REQUIRE(std::holds_alternative<LegacyRequest>(r));
  return std::get<LegacyRequest>(r).command;
}

RequestError failure(std::string_view text, const ParseConfig& config) {
  const ParsedRequest r = parse(text, config);
  REQUIRE(std::holds_alternative<RequestError>(r));
  return std::get<RequestError>(r);
}

JsonRequest json(std::string_view text, const ParseConfig& config) {
  const ParsedRequest r = parse(text, config);
  REQUIRE(std::holds_alternative<JsonRequest>(r));
  return std::get<JsonRequest>(r);
}

void check_read(std::string_view text, const ParseConfig& config, std::string_view tag,
                MethodId id) {
  CAPTURE(text);
  const JsonRequest r = json(text, config);
  CHECK(r.type == RequestType::read);
  CHECK(r.tag == tag);
  REQUIRE(r.method_info != nullptr);
  CHECK(r.method_info->id == id);
  CHECK(r.args.empty());
}

void check_error(std::string_view text, const ParseConfig& config, std::string_view tag,
                 ErrorCode code) {
  CAPTURE(text);
  const RequestError e = failure(text, config);
  CHECK(e.tag == tag);
  CHECK(error_code_name(e.code) == error_code_name(code));
}

}  // namespace

TEST_CASE("mgmt request: edge A examples") {
  const ParseConfig c = edge_config();
  check_read("r 1 edges", c, "1", MethodId::edges);
  check_read("r 2 supernodes", c, "2", MethodId::supernodes);
  check_read("r 3 communities", c, "3", MethodId::communities);
  check_read("r 4 timestamps", c, "4", MethodId::timestamps);
  check_read("r 5 verbose", c, "5", MethodId::verbose);
  check_read("r 6 help", c, "6", MethodId::help);
  check_read("r 7 packetstats", c, "7", MethodId::packetstats);
  check_read("r 8 help.events", c, "8", MethodId::help_events);
  check_error("w 9 verbose 2", c, "9", ErrorCode::badauth);

  const JsonRequest w = json("w 10:1:n2n verbose 2", c);
  CHECK(w.type == RequestType::write);
  CHECK(w.tag == "10");
  CHECK(w.method == "verbose");
  CHECK(w.args == "2");
  CHECK(w.password_given);

  check_error("r 11 nosuchcmd", c, "11", ErrorCode::unknowncmd);
  check_error("x 12 edges", c, "-1", ErrorCode::badtype);
  CHECK(legacy("r", c) == LegacyCommand::status);
  check_error("r 13", c, "-1", ErrorCode::nocmd);
  check_error("w 14:1:wrongpw verbose", c, "14", ErrorCode::badauth);

  const JsonRequest s = json("s 15:1:n2n peer", c);
  CHECK(s.type == RequestType::subscribe);
  CHECK(s.tag == "15");
  REQUIRE(s.topic != nullptr);
  CHECK(s.topic->id == Topic::peer);
  CHECK(s.method_info == nullptr);

  const JsonRequest r16 = json("r 16:1:n2n edges", c);
  CHECK(r16.tag == "16");
  CHECK(r16.password_given);
  CHECK(r16.method_info->id == MethodId::edges);

  CHECK(legacy("help", c) == LegacyCommand::help);
  CHECK(legacy("+verb", c) == LegacyCommand::verbosity_up);
  CHECK(legacy("-verb", c) == LegacyCommand::verbosity_down);
  CHECK(legacy("\n", c) == LegacyCommand::status);
}

TEST_CASE("mgmt request: edge B examples with a custom password") {
  const ParseConfig c = edge_config("s3cret");
  check_error("w 1 verbose", c, "1", ErrorCode::badauth);
  check_error("w 2:1:n2n verbose", c, "2", ErrorCode::badauth);
  const JsonRequest w = json("w 3:1:s3cret verbose", c);
  CHECK(w.type == RequestType::write);
  CHECK(w.tag == "3");
  CHECK(w.args.empty());
  check_read("r 4 edges", c, "4", MethodId::edges);
}

TEST_CASE("mgmt request: supernode examples") {
  const ParseConfig c = supernode_config();
  check_read("r 1 edges", c, "1", MethodId::edges);
  check_read("r 2 supernodes", c, "2", MethodId::supernodes);
  check_read("r 3 communities", c, "3", MethodId::communities);
  check_read("r 4 timestamps", c, "4", MethodId::timestamps);
  check_read("r 5 verbose", c, "5", MethodId::verbose);
  check_read("r 6 help", c, "6", MethodId::help);
  check_read("r 7 packetstats", c, "7", MethodId::packetstats);
  check_error("w 8 reload_communities", c, "8", ErrorCode::badauth);
  const JsonRequest reload = json("w 9:1:n2n reload_communities", c);
  CHECK(reload.type == RequestType::write);
  CHECK(reload.method_info->id == MethodId::reload_communities);
  const JsonRequest verbose = json("w 10:1:n2n verbose 1", c);
  CHECK(verbose.args == "1");
  check_error("r 11 nosuchcmd", c, "11", ErrorCode::unknowncmd);
  CHECK(legacy("help", c) == LegacyCommand::help);
  CHECK(legacy("+verb", c) == LegacyCommand::status);
  CHECK(legacy("-verb", c) == LegacyCommand::status);
  CHECK(legacy("\n", c) == LegacyCommand::status);
}

TEST_CASE("mgmt request: edge with header encryption examples") {
  const ParseConfig c = edge_config();
  check_read("r 1 communities", c, "1", MethodId::communities);
  check_read("r 2 supernodes", c, "2", MethodId::supernodes);
  const JsonRequest stop = json("w 3:1:n2n stop", c);
  CHECK(stop.type == RequestType::write);
  CHECK(stop.method_info->id == MethodId::stop);
}

TEST_CASE("mgmt request: dispatch order of the edge text console") {
  const ParseConfig c = edge_config();
  CHECK(legacy("?", c) == LegacyCommand::help);
  CHECK(legacy("helpme", c) == LegacyCommand::help);
  CHECK(legacy("stop", c) == LegacyCommand::stop);
  CHECK(legacy("stop\n", c) == LegacyCommand::stop);
  CHECK(legacy("+verbose", c) == LegacyCommand::verbosity_up);
  CHECK(legacy("", c) == LegacyCommand::status);
  CHECK(legacy("hel", c) == LegacyCommand::status);
  CHECK(legacy("R 1 edges", c) == LegacyCommand::status);
  CHECK(legacy(" r 1 edges", c) == LegacyCommand::status);
  CHECK(legacy("r\t1 edges", c) == LegacyCommand::status);
  CHECK(legacy("reload_communities", c) == LegacyCommand::status);
  // Any lower-case letter followed by a space is a JSON request on the edge.
  check_error("q 1 edges", c, "-1", ErrorCode::badtype);
}

TEST_CASE("mgmt request: dispatch order of the supernode text console") {
  const ParseConfig c = supernode_config();
  CHECK(legacy("?", c) == LegacyCommand::help);
  CHECK(legacy("reload_communities", c) == LegacyCommand::reload_communities);
  CHECK(legacy("reload_communities\n", c) == LegacyCommand::reload_communities);
  CHECK(legacy("stop", c) == LegacyCommand::status);
  // Only r and w lead to JSON: no subscriptions, and no badtype is reachable.
  CHECK(legacy("s 1:1:n2n peer", c) == LegacyCommand::status);
  CHECK(legacy("x 12 edges", c) == LegacyCommand::status);
  CHECK(legacy("r", c) == LegacyCommand::status);
}

TEST_CASE("mgmt request: early errors carry tag -1") {
  const ParseConfig c = edge_config();
  check_error("r ", c, "-1", ErrorCode::nooptions);
  check_error("r \r\n", c, "-1", ErrorCode::nooptions);
  check_error("r 13\n", c, "-1", ErrorCode::nocmd);
  check_error("r 13:1:n2n", c, "-1", ErrorCode::nocmd);
  CHECK(legacy("x", c) == LegacyCommand::status);
  check_error("z 5:1:n2n edges", c, "-1", ErrorCode::badtype);
  check_error("r 7", supernode_config(), "-1", ErrorCode::nocmd);
  check_error("w  ", supernode_config(), "-1", ErrorCode::nooptions);
}

TEST_CASE("mgmt request: authorisation") {
  const ParseConfig c = edge_config();
  // Without a password only reads pass.
  check_error("s 1 peer", c, "1", ErrorCode::badauth);
  check_error("w 1 stop", c, "1", ErrorCode::badauth);
  // A wrong password fails even for a read.
  check_error("r 2:1:nope edges", c, "2", ErrorCode::badauth);
  // Authorisation comes before the method lookup.
  check_error("r 3:1:nope nosuchcmd", c, "3", ErrorCode::badauth);
  check_error("s 3:1:nope nosuchtopic", c, "3", ErrorCode::badauth);
  // Flags are hexadecimal; only bit 0 announces a password.
  CHECK(json("w 4:3:n2n verbose", c).password_given);
  CHECK(json("w 4:0x1:n2n verbose", c).password_given);
  CHECK(json("w 4:f:n2n verbose", c).password_given);
  check_error("w 4:2:n2n verbose", c, "4", ErrorCode::badauth);
  check_error("w 4:10:n2n verbose", c, "4", ErrorCode::badauth);
  CHECK_FALSE(json("r 4:2:wrong edges", c).password_given);
  // Bit 0 set but no password field: treated as no password.
  CHECK_FALSE(json("r 5:1 edges", c).password_given);
  check_error("w 5:1 verbose", c, "5", ErrorCode::badauth);
  // strtok skips empty fields and the password ends at the next ':'.
  CHECK(json("w 6:1::n2n verbose", c).password_given);
  CHECK(json("w 6:1:n2n:extra verbose", c).password_given);
  // A leading ':' is skipped too, so "1" becomes the tag and "n2n" (no hex) the flags.
  const JsonRequest odd = json("r :1:n2n edges", c);
  CHECK(odd.tag == "1");
  CHECK_FALSE(odd.password_given);
  // Nothing but colons: no tag at all.
  CHECK(json("r ::: edges", c).tag.empty());
  CHECK(json("r ::: edges", supernode_config()).tag == "(null)");
  check_error("w ::: edges", supernode_config(), "(null)", ErrorCode::badauth);
  // The check is pearson64(given) == pearson64(configured).
  const ParseConfig custom{Daemon::supernode, password_hash("s3cret")};
  CHECK(json("w 7:1:s3cret reload_communities", custom).password_given);
  check_error("w 7:1:n2n reload_communities", custom, "7", ErrorCode::badauth);
}

TEST_CASE("mgmt request: method checks") {
  const ParseConfig e = edge_config();
  check_error("w 1:1:n2n edges", e, "1", ErrorCode::readonly);
  check_error("w 1:1:n2n help.events", e, "1", ErrorCode::readonly);
  CHECK(json("w 1:1:n2n help", e).method_info->id == MethodId::help);
  CHECK(json("w 1:1:n2n reload_communities", e).method_info->reserved);
  check_error("s 2:1:n2n edges", e, "2", ErrorCode::unknowntopic);
  check_error("r 2 peer", e, "2", ErrorCode::unknowncmd);
  CHECK(json("s 3:1:n2n debug", e).topic->id == Topic::debug);
  CHECK(json("s 3:1:n2n test", e).topic->id == Topic::test);
  // Method names are exact.
  check_error("r 4 Edges", e, "4", ErrorCode::unknowncmd);
  check_error("r 4 edge", e, "4", ErrorCode::unknowncmd);

  const ParseConfig s = supernode_config();
  check_error("r 1 post.test", s, "1", ErrorCode::unknowncmd);
  check_error("r 1 help.events", s, "1", ErrorCode::unknowncmd);
  check_error("w 1:1:n2n supernodes", s, "1", ErrorCode::readonly);
  check_error("w 1:1:n2n communities", s, "1", ErrorCode::readonly);
  // Read of a write-only method passes the parser: the reply carries `writeonly`.
  CHECK(json("r 2 reload_communities", s).method_info->access == Access::write_only);
}

TEST_CASE("mgmt request: tags") {
  const std::string long_tag = "abcdefghijklmnop";
  CHECK(json("r " + long_tag + " edges", edge_config()).tag == "abcdefghi");
  CHECK(json("r " + long_tag + ":1:n2n edges", edge_config()).tag == "abcdefghi");
  check_error("r " + long_tag + ":1:bad edges", edge_config(), "abcdefghi", ErrorCode::badauth);
  CHECK(json("r " + long_tag + " edges", supernode_config()).tag == long_tag);
  CHECK(json("r 123456789 edges", edge_config()).tag == "123456789");
  // Anything but space, CR, LF and ':' belongs to the tag.
  CHECK(json("r a\"b\tc edges", edge_config()).tag == "a\"b\tc");
}

TEST_CASE("mgmt request: separators and line ends") {
  const ParseConfig c = edge_config();
  // Runs of separators collapse.
  const JsonRequest spaced = json("r   5   edges  ", c);
  CHECK(spaced.tag == "5");
  CHECK(spaced.method == "edges");
  // As with strtok, the rest of the line after the method's single separator is the argument,
  // even if it is only blanks.
  CHECK(spaced.args == " ");
  check_read("r 1 edges\n", c, "1", MethodId::edges);
  check_read("r 1 edges\r\n", c, "1", MethodId::edges);
  check_read("r 1\redges", c, "1", MethodId::edges);
  // Arguments: the rest of the line after the method's separator, spaces kept, up to CR/LF.
  CHECK(json("w 1:1:n2n verbose 4\n", c).args == "4");
  CHECK(json("w 1:1:n2n verbose  4 5\r\n", c).args == " 4 5");
  CHECK(json("w 1:1:n2n verbose\n\n4\n", c).args == "4");
  CHECK(json("r 1 post.test hello world", c).args == "hello world");
  CHECK(json("r 1 post.test \n", c).args.empty());
  // An embedded NUL ends the request, as for the reference's C string.
  const std::string with_nul("r 1 edges\0garbage", 17);
  check_read(with_nul, c, "1", MethodId::edges);
  const std::string nul_early("r 1\0 edges", 10);
  check_error(nul_early, c, "-1", ErrorCode::nocmd);
  CHECK(legacy(std::string("\0help", 5), c) == LegacyCommand::status);
}

TEST_CASE("mgmt request: only the first 79 bytes are looked at") {
  const ParseConfig c = supernode_config();
  // 2 + 66 + 1 = 69 bytes before the method; "edges" ends at byte 74.
  const std::string tag(66, 't');
  const std::string base = "r " + tag + " ";
  REQUIRE(base.size() == 69);
  const JsonRequest fits = json(base + "edges" + std::string(20, ' ') + "x", c);
  CHECK(fits.tag == tag);
  CHECK(fits.args == "    ");  // bytes 75..78
  // The method itself is cut at byte 79: "post.test" starting at byte 71 loses its last byte.
  const ParseConfig e = edge_config();
  const std::string cut = "r " + std::string(68, 't') + " post.test";
  REQUIRE(cut.size() == 80);
  check_error(cut, e, "ttttttttt", ErrorCode::unknowncmd);
  const std::string exact = "r " + std::string(67, 't') + " post.test";
  REQUIRE(exact.size() == 79);
  CHECK(json(exact, e).method_info->id == MethodId::post_test);
  const std::string with_args = "r " + std::string(66, 't') + " verbose 12345";
  REQUIRE(with_args.size() == 82);
  const JsonRequest v = json(with_args, c);
  CHECK(v.method == "verbose");
  CHECK(v.args == "12");
  // A method pushed entirely past byte 79 is missing.
  check_error("r " + std::string(80, 't') + " edges", c, "-1", ErrorCode::nocmd);
  // Arguments are cut too.
  const std::string args = "r 1 post.test " + std::string(100, 'a');
  CHECK(json(args, edge_config()).args == std::string(79 - 14, 'a'));
}

TEST_CASE("mgmt request: c_strtoul behaves like C") {
  CHECK(c_strtoul("1", 16) == 1);
  CHECK(c_strtoul("0x1f", 16) == 0x1f);
  CHECK(c_strtoul(" \t7", 16) == 7);
  CHECK(c_strtoul("zz", 16) == 0);
  CHECK(c_strtoul("010", 0) == 8);
  CHECK(c_strtoul("0x10", 0) == 16);
  CHECK(c_strtoul("12abc", 0) == 12);
}
