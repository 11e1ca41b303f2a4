// n2n-ctl's output, checked against what the reference's scripts/n2n-ctl prints for the same
// rows (the expected strings were produced by its str_table and json.dumps).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/mgmt/table_format.hpp"

using namespace n2nkit::mgmt;
using nlohmann::json;

namespace {

std::vector<json> sample_rows() {
  return {
      json::parse(R"({"mode":"p2p","ip4addr":"10.0.0.2/24","macaddr":"02:00:00:00:00:02",
                      "sockaddr":"1.2.3.4:5","desc":"b","n":10})"),
      json::parse(R"({"mode":"pSp","ip4addr":"","macaddr":"02:00:00:00:00:01",
                      "sockaddr":"1.2.3.4:6","desc":"\u00fcn\u00ef","n":true})"),
      json::parse(R"({"mode":"p2p","ip4addr":"10.0.0.3/24","macaddr":"",
                      "sockaddr":"1.2.3.4:7","desc":"a","n":-3})"),
  };
}

}  // namespace

TEST_CASE(
    "mgmt table_format: table: widths in code points, headings cut, numbers right, bool as 1, "
    "absent column") {
  CHECK(format_table(sample_rows(),
                     {"mode", "ip4addr", "macaddr", "sockaddr", "desc", "n", "empty"},
                     std::nullopt) ==
        "mod ip4addr     macaddr           sockaddr  des n    e \n"
        "p2p 10.0.0.2/24 02:00:00:00:00:02 1.2.3.4:5 b     10   \n"
        "pSp             02:00:00:00:00:01 1.2.3.4:6 \u00fcn\u00ef    1   \n"
        "p2p 10.0.0.3/24                   1.2.3.4:7 a     -3   \n");
}

TEST_CASE(
    "mgmt table_format: table: --orderby sorts text by code point, numbers by value (true as 1), "
    "stably") {
  CHECK(format_table(sample_rows(), {"desc", "n"}, "desc") ==
        "des n    \na     -3 \nb     10 \n\u00fcn\u00ef    1 \n");
  CHECK(format_table(sample_rows(), {"desc", "n"}, "n") ==
        "des n    \na     -3 \n\u00fcn\u00ef    1 \nb     10 \n");
  CHECK(format_table(sample_rows(), {"desc", "ip4addr"}, "ip4addr") ==
        "des ip4addr     \n\u00fcn\u00ef             \nb   10.0.0.2/24 \na   10.0.0.3/24 \n");
  // A row without the field sorts as 0.
  const std::vector<json> rows{json{{"x", 1}}, json{{"y", "v"}}, json{{"x", -1}}};
  CHECK(format_table(rows, {"x", "y"}, "x") == "x  y \n-1   \n   v \n 1   \n");
}

TEST_CASE(
    "mgmt table_format: table: no rows keep the headings whole; empty values make a column 1 "
    "wide") {
  CHECK(format_table({}, {"version", "current"}, "x") == "version current \n");
  CHECK(format_table({json{{"desc", ""}}}, {"desc", "mode"}, std::nullopt) == "d m \n    \n");
}

TEST_CASE("mgmt table_format: table: 10,000 rows, one line each") {
  std::vector<json> rows;
  for (int i = 0; i < 10000; ++i) rows.push_back(json{{"desc", "e" + std::to_string(i)}});
  const std::string text = format_table(rows, {"desc"}, "desc");
  CHECK(std::count(text.begin(), text.end(), '\n') == 10001);
  CHECK(text.substr(0, 28) == "desc  \ne0    \ne1    \ne10   \n");
}

TEST_CASE("mgmt table_format: json: Python's json.dumps(sort_keys=True, indent=4), ASCII only") {
  const json rows = json::array(
      {json::parse(R"({"b":1,"a":"\u00e9\ud83d\ude00\u007f\"\\\n","c":[],"d":{},"e":null,
                       "f":true,"g":[1,{"z":2}]})")});
  CHECK(format_json(rows) ==
        "[\n    {\n        \"a\": \"\\u00e9\\ud83d\\ude00\\u007f\\\"\\\\\\n\",\n"
        "        \"b\": 1,\n        \"c\": [],\n        \"d\": {},\n        \"e\": null,\n"
        "        \"f\": true,\n        \"g\": [\n            1,\n            {\n"
        "                \"z\": 2\n            }\n        ]\n    }\n]");
  CHECK(format_json(json::array()) == "[]");
  // Invalid UTF-8 from a daemon is replaced, not thrown at.
  CHECK(format_json(json(std::string("a\xff"))) == "\"a\\ufffd\"");
}

TEST_CASE("mgmt table_format: help: the reference's layout, then the daemon's commands") {
  const std::vector<json> rows{json{{"cmd", "edges"}, {"help", "List current edges/peers"}},
                               json{{"cmd", "reload_communities"}, {"help", "Reserved"}}};
  CHECK(format_help(rows) ==
        "Commands with pretty-printed output:\n\n"
        "help         Show available commands\n"
        "supernodes   Show the list of supernodes\n"
        "edges        Show the list of edges/peers\n"
        "\nPossble remote commands:\n(those without a pretty-printer will pass-through)\n\n"
        "edges        List current edges/peers\n"
        "reload_communities Reserved\n");
}

TEST_CASE("mgmt table_format: which methods have a table") {
  CHECK(table_columns("edges")->size() == 5);
  CHECK(table_columns("supernodes")->front() == "version");
  CHECK_FALSE(table_columns("communities"));
  CHECK_FALSE(table_columns("help"));
  CHECK(python_str(json(true)) == "True");
  CHECK(python_str(json(nullptr)) == "None");
  CHECK(code_points("\u00fcn\u00ef") == 3);
}
