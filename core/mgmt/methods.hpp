#pragma once
// The management API's vocabulary as data (spec §13.4): which methods each daemon answers, in the
// order its `help` lists them, with the reference's help strings and write permissions.
#include <span>
#include <string_view>

namespace n2nkit::mgmt {

enum class Daemon { edge, supernode };

// read_write: a `w` request is accepted (with the password). write_only: a `r` request is
// answered with begin, error `writeonly`, end — the reference checks this inside the method.
enum class Access { read_only, read_write, write_only };

enum class MethodId {
  help,
  help_events,
  stop,
  verbose,
  communities,
  edges,
  supernodes,
  timestamps,
  packetstats,
  post_test,
  reload_communities,
  // n2nkit's additions (not in the reference; listed after its methods in `help`).
  drops,
  mss,
  paths,
};

struct Method {
  MethodId id;
  std::string_view name;
  std::string_view help;
  Access access;
  // Present only as a placeholder for the other daemon: answered with error `unimplemented`.
  bool reserved;
};

std::span<const Method> methods(Daemon daemon);
const Method* find_method(Daemon daemon, std::string_view name);

// Subscription topics (edge only, §13.5), in `help.events` order.
enum class Topic { debug, test, peer };

struct TopicInfo {
  Topic id;
  std::string_view name;
  std::string_view help;
};

std::span<const TopicInfo> edge_topics();
const TopicInfo* find_topic(std::string_view name);

enum class ErrorCode {
  notype,
  badtype,
  nooptions,
  nocmd,
  badauth,
  unknowncmd,
  readonly,
  unknowntopic,
  noaccess,
  unimplemented,
  writeonly,
  nofile,
};

std::string_view error_code_name(ErrorCode code);

}  // namespace n2nkit::mgmt
