#include "core/decode/text_line.hpp"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "core/packet/frame_summary.hpp"

namespace n2nkit::decode {
namespace {

using json = nlohmann::ordered_json;

std::string s(const json& j, const char* key) {
  if (!j.contains(key)) return {};
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string clock_time(double t) {
  const auto sec = static_cast<std::time_t>(std::floor(t));
  std::tm tm{};
  gmtime_r(&sec, &tm);
  const auto usec = static_cast<int>((t - std::floor(t)) * 1e6);
  return fmt::format("{:02}:{:02}:{:02}.{:06}", tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}

std::string flag_names(const json& j) {
  const auto flags = std::stoul(s(j, "flags"), nullptr, 16);
  std::string out;
  if (flags & 0x20) out += "FROM_SUPERNODE";
  if (flags & 0x40) out += out.empty() ? "SOCKET" : "|SOCKET";
  return out.empty() ? out : " [" + out + "]";
}

std::string details(const json& j) {
  const std::string msg = s(j, "msg");
  if (msg == "REGISTER") {
    return fmt::format("{} > {} {} \"{}\" cookie {}{}", s(j, "src_mac"), s(j, "dst_mac"),
                       s(j, "dev_addr"), s(j, "desc"), s(j, "cookie"),
                       j.contains("sock") ? " sock " + s(j, "sock") : "");
  }
  if (msg == "REGISTER_ACK") {
    return fmt::format("{} > {} cookie {}", s(j, "src_mac"), s(j, "dst_mac"), s(j, "cookie"));
  }
  if (msg == "PACKET") {
    std::string line =
        fmt::format("{} > {}{} transform {} compression {} payload {}", s(j, "src_mac"),
                    s(j, "dst_mac"), j.contains("sock") ? " sock " + s(j, "sock") : "",
                    s(j, "transform"), s(j, "compression"), s(j, "payload_len"));
    if (j.contains("inner")) line += ": " + packet::describe_ethernet_frame(j["inner"]);
    return line;
  }
  if (msg == "REGISTER_SUPER") {
    return fmt::format("edge {} \"{}\" {} auth {} cookie {}{}", s(j, "edge_mac"), s(j, "desc"),
                       s(j, "dev_addr"), s(j, "auth_scheme"), s(j, "cookie"),
                       j.contains("sock") ? " sock " + s(j, "sock") : "");
  }
  if (msg == "REGISTER_SUPER_ACK") {
    std::string line =
        fmt::format("sn {} assigns {} your sock {} cookie {} supernodes {}", s(j, "src_mac"),
                    s(j, "dev_addr"), s(j, "sock"), s(j, "cookie"), s(j, "num_sn"));
    for (const auto& e : j["sn_entries"]) line += " " + e["sock"].get<std::string>();
    if (j.contains("dynamic_key")) line += " dynamic key " + s(j, "dynamic_key");
    return line;
  }
  if (msg == "REGISTER_SUPER_NAK")
    return fmt::format("for {} cookie {}", s(j, "src_mac"), s(j, "cookie"));
  if (msg == "UNREGISTER_SUPER")
    return fmt::format("{} auth {}", s(j, "src_mac"), s(j, "auth_scheme"));
  if (msg == "QUERY_PEER") {
    if (j.value("ping", false)) return fmt::format("{} ping", s(j, "src_mac"));
    return fmt::format("{} asks for {}", s(j, "src_mac"), s(j, "target_mac"));
  }
  if (msg == "PEER_INFO") {
    if (j.value("pong", false)) {
      return fmt::format("pong from {} version \"{}\" uptime {} your sock {}", s(j, "src_mac"),
                         s(j, "sn_version"), s(j, "uptime"), s(j, "sock"));
    }
    return fmt::format("{} is at {}{} (for {})", s(j, "mac"), s(j, "sock"),
                       j.contains("preferred_sock") ? " local " + s(j, "preferred_sock") : "",
                       s(j, "src_mac"));
  }
  return {};
}

}  // namespace

std::string text_line(const json& j) {
  std::string line =
      fmt::format("{} {} > {} ", clock_time(j.value("time", 0.0)), s(j, "src"), s(j, "dst"));
  if (j["msg"].is_null()) {
    return line + fmt::format("undecodable ({} bytes): {}", s(j, "len"), s(j, "error_text"));
  }
  line += s(j, "msg");
  if (!j.contains("community")) return line;
  line += fmt::format(" \"{}\"", s(j, "community"));
  if (const auto d = details(j); !d.empty()) line += " " + d;
  line += flag_names(j);
  const std::string he = s(j, "header_encryption");
  if (!he.empty() && he != "none") line += " {HE " + he + "}";
  if (j.contains("stamp_check") && s(j, "stamp_check") != "ok")
    line += " stamp " + s(j, "stamp_check");
  if (j.contains("trailer") && s(j, "trailer") == "mismatch") line += " TRAILER MISMATCH";
  if (j.contains("error")) line += " ERROR: " + s(j, "error_text");
  return line;
}

json json_summary(const DissectorStats& st) {
  json j;
  j["summary"] = true;
  j["datagrams"] = st.datagrams;
  j["messages"] = st.messages;
  j["failures"] = st.failures;
  j["not_n2n"] = st.not_n2n;
  j["stamp_problems"] = st.stamp_problems;
  j["gso_trains"] = st.trains;
  json types = json::object();
  for (const auto& [k, v] : st.by_type) types[k] = v;
  j["by_type"] = std::move(types);
  json reasons = json::object();
  for (const auto& [k, v] : st.by_reason) reasons[std::string(reason_name(k))] = v;
  j["failures_by_reason"] = std::move(reasons);
  return j;
}

std::string text_summary(const DissectorStats& st) {
  std::string out = fmt::format(
      "{} n2n messages decoded, {} not decodable, {} UDP datagrams not n2n; {} time stamp "
      "problems\n",
      st.messages, st.failures, st.not_n2n, st.stamp_problems);
  if (st.trains != 0) {
    out += fmt::format("  {} UDP payloads held several datagrams sent at once (UDP GSO), cut\n",
                       st.trains);
  }
  for (const auto& [k, v] : st.by_type) out += fmt::format("  {:<20} {}\n", k, v);
  for (const auto& [k, v] : st.by_reason) {
    out += fmt::format("  not decodable: {} ({}): {}\n", reason_name(k), reason_text(k), v);
  }
  return out;
}

}  // namespace n2nkit::decode
