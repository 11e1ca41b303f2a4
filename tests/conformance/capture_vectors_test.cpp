// Every frame of every capture in ${N2NKIT_SHARED_DIR}/vectors/pcap, decoded by the dissector
// behind n2n-decode with the keys index.json records, checked against every field index.json
// lists for it (inner frames included). Frames nobody can decrypt must come out as counted
// failures with a reason. The capture's own clock is the receiver's clock for the time-stamp
// checks (the frames were captured in November 2026).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/capture/pcap_source.hpp"
#include "core/decode/dissector.hpp"
#include "tests/support/shared_dir.hpp"

using json = nlohmann::ordered_json;
using namespace n2nkit;

namespace {

std::filesystem::path g_vectors;

json load_index() {
  std::ifstream in(g_vectors / "index.json");
  return json::parse(in);
}

// Fields of index.json that describe the capture set-up, not the message.
const std::set<std::string> kNotChecked = {"frame",          "src_role",
                                           "dst_role",       "summary",
                                           "note",           "load_uptime_version_note",
                                           "auth_note",      "decodable",
                                           "time_offset_s",  "sn_entry_size",
                                           "type",           "udp_payload_len",
                                           "inner",          "inner_frame_hex",
                                           "inner_dst_mac",  "inner_src_mac",
                                           "inner_len",      "inner_ethertype",
                                           "arp_sender_ip",  "arp_target_ip",
                                           "arp_sender_mac", "arp_target_mac",
                                           "inner_ip_src",   "inner_ip_dst",
                                           "icmp_id",        "icmp_seq",
                                           "icmp_data_len"};

// The index's flat inner_* names and where n2n-decode puts them.
const std::vector<std::pair<std::string, json::json_pointer>> kInnerFields = {
    {"inner_frame_hex", json::json_pointer("/inner/hex")},
    {"inner_dst_mac", json::json_pointer("/inner/dst_mac")},
    {"inner_src_mac", json::json_pointer("/inner/src_mac")},
    {"inner_len", json::json_pointer("/inner/len")},
    {"inner_ethertype", json::json_pointer("/inner/ethertype")},
    {"arp_sender_ip", json::json_pointer("/inner/arp/sender_ip")},
    {"arp_target_ip", json::json_pointer("/inner/arp/target_ip")},
    {"arp_sender_mac", json::json_pointer("/inner/arp/sender_mac")},
    {"arp_target_mac", json::json_pointer("/inner/arp/target_mac")},
    {"inner_ip_src", json::json_pointer("/inner/ip_src")},
    {"inner_ip_dst", json::json_pointer("/inner/ip_dst")},
    {"icmp_id", json::json_pointer("/inner/icmp_id")},
    {"icmp_seq", json::json_pointer("/inner/icmp_seq")},
    {"icmp_data_len", json::json_pointer("/inner/icmp_data_len")},
};

std::string inner_label(const json& inner) {
  if (inner.contains("arp")) return "ARP " + inner["arp"]["op"].get<std::string>();
  if (inner.value("proto_name", "") == "ICMP") {
    const int t = inner.value("icmp_type", -1);
    if (t == 8) return "ICMP echo request";
    if (t == 0) return "ICMP echo reply";
  }
  return "?";
}

decode::DecoderConfig config_for(const json& params, bool with_user_password) {
  decode::DecoderConfig c;
  c.communities.push_back(params["community"].get<std::string>());
  if (params["key"].is_string()) c.key = params["key"].get<std::string>();
  c.transform = static_cast<crypto::TransformId>(params["cipher_id"].get<int>());
  c.header_encryption = params["header_encryption"].get<bool>();
  if (params.contains("federation_public_key")) {
    const auto& edge = params["edges"][0];
    if (with_user_password) {
      c.user = edge["user"].get<std::string>();
      c.password = edge["password"].get<std::string>();
      c.federation_public_key = params["federation_public_key"].get<std::string>();
    } else {
      c.federation_name = params["federation_name"].get<std::string>();
    }
  }
  return c;
}

struct CaptureRun {
  std::vector<std::optional<json>> records;  // one per frame
  decode::DissectorStats stats;
};

CaptureRun run_capture(const json& cap, const decode::DecoderConfig& cfg) {
  std::string error;
  auto ring = decode::KeyRing::create(cfg, error);
  REQUIRE_MESSAGE(ring, error);
  decode::Dissector dissector(std::move(*ring), cfg);
  auto src =
      capture::PcapSource::open_file((g_vectors / cap["file"].get<std::string>()).string(), error);
  REQUIRE_MESSAGE(src, error);
  CaptureRun run;
  capture::CapturedFrame f;
  for (;;) {
    const auto st = src->next(f);
    if (st == capture::NextStatus::end) break;
    REQUIRE_MESSAGE(st == capture::NextStatus::frame, src->error());
    auto udp = packet::find_udp_datagram(f.linktype, f.data);
    REQUIRE(udp);
    run.records.push_back(dissector.dissect(*udp, f.time));
  }
  run.stats = dissector.stats();
  return run;
}

// Every index field of one frame against the dissector's record; returns the fields checked.
int check_frame(const json& expected, const json& got, double t0) {
  int checked = 0;
  const std::string where = fmt::format("frame {}", expected["frame"].get<int>());
  CHECK_MESSAGE(got["src"] == expected["src"], where);
  CHECK_MESSAGE(got["dst"] == expected["dst"], where);
  CHECK_MESSAGE(got["len"] == expected["udp_payload_len"], where);
  CHECK_MESSAGE(
      std::abs(got["time"].get<double>() - t0 - expected["time_offset_s"].get<double>()) < 2e-6,
      where);
  checked += 4;
  if (!expected["decodable"].get<bool>()) {
    CHECK_MESSAGE(got["msg"].is_null(), where);
    CHECK_MESSAGE(got.contains("error"), where);
    return checked + 2;
  }
  CHECK_MESSAGE(!got.contains("error"), where, " error: ", got.value("error_text", ""));
  CHECK_MESSAGE(got["msg"] == expected["type"], where);
  ++checked;
  for (const auto& [key, value] : expected.items()) {
    if (kNotChecked.count(key)) continue;
    ++checked;
    if (!got.contains(key)) {
      FAIL_CHECK(where << ": n2n-decode has no field " << key);
      continue;
    }
    CHECK_MESSAGE(got[key] == value, where, " field ", key, ": expected ", value.dump(), " got ",
                  got[key].dump());
  }
  for (const auto& [key, ptr] : kInnerFields) {
    if (!expected.contains(key)) continue;
    ++checked;
    if (!got.contains(ptr)) {
      FAIL_CHECK(where << ": n2n-decode has no field " << ptr.to_string());
      continue;
    }
    CHECK_MESSAGE(got[ptr] == expected[key], where, " field ", key, ": expected ",
                  expected[key].dump(), " got ", got[ptr].dump());
  }
  if (expected.contains("inner")) {
    ++checked;
    CHECK_MESSAGE(inner_label(got["inner"]) == expected["inner"], where);
  }
  if (expected.contains("sn_entry_size")) CHECK(expected["sn_entry_size"] == 26);
  if (got.contains("stamp_check")) {
    ++checked;
    CHECK_MESSAGE(got["stamp_check"] == "ok", where, " stamp check: ", got["stamp_check"].dump());
  }
  return checked;
}

}  // namespace

TEST_CASE("every frame of every shared capture matches index.json") {
  const json index = load_index();
  REQUIRE(index["captures"].size() == 19);
  int frames = 0, undecodable = 0, fields = 0;
  for (const auto& cap : index["captures"]) {
    CAPTURE(cap["file"].get<std::string>());
    const auto run = run_capture(cap, config_for(cap["parameters"], false));
    REQUIRE(run.records.size() == cap["frames"].size());
    const double t0 = run.records.front() ? (*run.records.front())["time"].get<double>() : 0.0;
    int expected_failures = 0;
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      const auto& expected = cap["frames"][i];
      REQUIRE_MESSAGE(run.records[i].has_value(), "frame ", i + 1, " not recognised as n2n");
      fields += check_frame(expected, *run.records[i], t0);
      if (!expected["decodable"].get<bool>()) ++expected_failures;
      ++frames;
    }
    // The by-design undecodable frames are counted, with their reason.
    CHECK(run.stats.failures == static_cast<std::uint64_t>(expected_failures));
    if (expected_failures)
      CHECK(run.stats.by_reason.at(Reason::he_no_key) ==
            static_cast<std::uint64_t>(expected_failures));
    CHECK(run.stats.stamp_problems == 0);
    undecodable += expected_failures;
  }
  CHECK(frames == 667);
  CHECK(undecodable == 5);
  std::cout << "capture vectors: " << frames << " frames, " << fields << " fields checked, "
            << undecodable << " undecodable by design (counted)\n";
}

TEST_CASE("user/password capture decodes from the edge's view too (-I/-J/-P)") {
  const json index = load_index();
  for (const auto& cap : index["captures"]) {
    if (cap["file"] != "pcap/auth-userpw.pcap") continue;
    const auto run = run_capture(cap, config_for(cap["parameters"], true));
    std::size_t decoded = 0;
    for (std::size_t i = 0; i < run.records.size(); ++i) {
      const bool decodable = cap["frames"][i]["decodable"].get<bool>();
      REQUIRE(run.records[i].has_value());
      CHECK(run.records[i]->contains("error") == !decodable);
      if (decodable) ++decoded;
    }
    CHECK(decoded == run.records.size() - 2);
    CHECK((*run.records[2])["dynamic_key"] == "3014baa8a93878560fd331d2f1b30be6");
    CHECK((*run.records[0])["trailer"] == "ok");
  }
}

TEST_CASE("wrong keys give counted, reasoned failures, never a crash") {
  const json index = load_index();
  for (const auto& cap : index["captures"]) {
    auto cfg = config_for(cap["parameters"], false);
    cfg.communities = {"not-the-community"};
    cfg.key = std::string("wrong key");
    const auto run = run_capture(cap, cfg);
    const bool he = cap["parameters"]["header_encryption"].get<bool>();
    if (he) {
      // Only the federation's own traffic would still decode; nothing of the community.
      CHECK(run.stats.by_reason.count(Reason::he_no_key) == 1);
    } else {
      CHECK(run.stats.messages + run.stats.failures == run.records.size());
    }
  }
}

int main(int argc, char** argv) {
  const auto shared = testing::shared_dir();
  if (!shared) {
    std::cerr << "SKIPPED: the shared material (spec/, vectors/) was not found; set "
                 "-DN2NKIT_SHARED_DIR=/path/to/shared\n";
    return 77;
  }
  g_vectors = *shared / "vectors";
  doctest::Context ctx(argc, argv);
  return ctx.run();
}
