// n2n-style configuration files (spec §14.1), both flavours.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "core/conf/option_file.hpp"

using namespace n2nkit;
using namespace n2nkit::conf;

TEST_SUITE_BEGIN("conf");

namespace {

using Tokens = std::vector<std::string>;

struct Expanded {
  Tokens tokens;
  std::vector<Diagnostic> warnings;
};

Expanded expand(std::string_view text, Flavour flavour) {
  Expanded out;
  std::string error;
  auto tokens = expand_config_file(text, "test.conf", flavour, optional_args_of(flavour),
                                   out.warnings, error);
  INFO(error);
  REQUIRE(tokens);
  CHECK(error.empty());
  out.tokens = std::move(*tokens);
  return out;
}

Tokens edge(std::string_view text) {
  return expand(text, Flavour::edge).tokens;
}
Tokens supernode(std::string_view text) {
  return expand(text, Flavour::supernode).tokens;
}

std::string expand_error(std::string_view text, Flavour flavour) {
  std::vector<Diagnostic> warnings;
  std::string error;
  const auto tokens =
      expand_config_file(text, "bad.conf", flavour, optional_args_of(flavour), warnings, error);
  CHECK_FALSE(tokens);
  CHECK(error.find('\n') == std::string::npos);
  return error;
}

}  // namespace

TEST_CASE("spec examples, both flavours") {
  for (const Flavour f : {Flavour::edge, Flavour::supernode}) {
    CAPTURE(static_cast<int>(f));
    const auto run = [f](std::string_view text) { return expand(text, f).tokens; };
    CHECK(run("-p=7777") == Tokens{"-p", "7777"});
    CHECK(run("-d=n2n0") == Tokens{"-d", "n2n0"});
    CHECK(run("-c=mynetwork") == Tokens{"-c", "mynetwork"});
    CHECK(run("-k=mypassword") == Tokens{"-k", "mypassword"});
    CHECK(run("-a=1.2.3.4") == Tokens{"-a", "1.2.3.4"});
    CHECK(run("-l=7.8.9.0:7777") == Tokens{"-l", "7.8.9.0:7777"});
    CHECK(run("-c mynet") == Tokens{"-c", "mynet"});
    CHECK(run("-c\tmynet") == Tokens{"-c", "mynet"});
    CHECK(run("--community=mynet") == Tokens{"--community", "mynet"});
    CHECK(run("--community mynet") == Tokens{"--community", "mynet"});
    CHECK(run("-cmynet") == Tokens{"-cmynet"});
    CHECK(run("-M") == Tokens{"-M"});
    CHECK(run("-f") == Tokens{"-f"});
  }
  // Only the edge strips what follows the delimiter.
  CHECK(edge("--community    mynetwork") == Tokens{"--community", "mynetwork"});
  const auto sn = expand("--community    mynetwork", Flavour::supernode);
  CHECK(sn.tokens == Tokens{"--community"});
  REQUIRE(sn.warnings.size() == 2);
  CHECK(sn.warnings[0].to_string().find("'mynetwork' ignored") != std::string::npos);
  CHECK(sn.warnings[1].message.find("empty value") != std::string::npos);
}

TEST_CASE("-c = mynet: '= mynet' for the edge, '=' for the supernode") {
  CHECK(edge("-c = mynet") == Tokens{"-c", "= mynet"});
  const auto sn = expand("-c = mynet", Flavour::supernode);
  CHECK(sn.tokens == Tokens{"-c", "="});
  REQUIRE(sn.warnings.size() == 1);
  CHECK(sn.warnings[0].to_string() ==
        "test.conf:1: -c: the supernode takes the value only up to the next space or tab; "
        "'mynet' ignored");
}

TEST_CASE("quotes and spaces") {
  // The line loses its outer quotes; the edge strips the value again, the supernode does not.
  CHECK(edge("\"-c=mynet\"") == Tokens{"-c", "mynet"});
  CHECK(edge("'-c=mynet'") == Tokens{"-c", "mynet"});
  CHECK(edge("-c=\"my net\"") == Tokens{"-c", "my net"});
  CHECK(edge("-c='my net'") == Tokens{"-c", "my net"});
  CHECK(edge("-k=\"  secret with  spaces \"  ") == Tokens{"-k", "secret with  spaces"});
  CHECK(edge("-I = \"laptop\"") == Tokens{"-I", "= \"laptop"});
  CHECK(supernode("-c=\"community.list\"") == Tokens{"-c", "\"community.list"});
  CHECK(supernode("-c=\"my list\"") == Tokens{"-c", "\"my"});
  CHECK(edge("   -d=n2n0   ") == Tokens{"-d", "n2n0"});
  CHECK(edge("\t-d\tn2n0\t") == Tokens{"-d", "n2n0"});
  // A value that becomes empty is dropped, with a warning.
  const auto empty = expand("-c=\"\"", Flavour::edge);
  CHECK(empty.tokens == Tokens{"-c"});
  REQUIRE(empty.warnings.size() == 1);
  CHECK(empty.warnings[0].message == "-c: empty value ignored");
}

TEST_CASE("optional arguments must be attached") {
  CHECK(edge("-A5") == Tokens{"-A5"});
  CHECK(edge("-z1") == Tokens{"-z1"});
  CHECK(edge("-S2") == Tokens{"-S2"});
  CHECK(edge("-A") == Tokens{"-A"});
  for (const char* text : {"-A=5", "-A 5", "-A\t5"}) {
    CAPTURE(text);
    const auto out = expand(text, Flavour::edge);
    CHECK(out.tokens == Tokens{"-A"});
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].source == "test.conf");
    CHECK(out.warnings[0].line == 1);
    CHECK(out.warnings[0].message.find("read as -A alone") != std::string::npos);
    CHECK(out.warnings[0].message.find("-A5") != std::string::npos);
  }
  const auto z = expand("# compression\n-z = 2\n", Flavour::edge);
  CHECK(z.tokens == Tokens{"-z"});
  REQUIRE(z.warnings.size() == 1);
  CHECK(z.warnings[0].line == 2);
  const auto attached = expand("-A5 x", Flavour::edge);
  CHECK(attached.tokens == Tokens{"-A5"});
  REQUIRE(attached.warnings.size() == 1);
  CHECK(attached.warnings[0].message.find("read as -A5 alone") != std::string::npos);
  // The supernode has no such options.
  CHECK(supernode("-A=5") == Tokens{"-A", "5"});
}

TEST_CASE("comments, short lines, CRLF, line numbers") {
  const std::string text =
      "# edge configuration\r\n"
      "\r\n"
      "-d=n2n0\r\n"
      "  # indented comment\r\n"
      "x\r\n"
      "-\r\n"
      "\"\r\n"
      "-c=mynet # not a comment\r\n"
      "-r";
  CHECK(edge(text) == Tokens{"-d", "n2n0", "-c", "mynet # not a comment", "-r"});
  CHECK(supernode(text) == Tokens{"-d", "n2n0", "-c", "mynet", "-r"});
  CHECK(edge("") == Tokens{});
  CHECK(edge("\n\n\n") == Tokens{});
}

TEST_CASE("lines that are not options are errors naming file and line") {
  CHECK(expand_error("-d=n2n0\nmynetwork\n", Flavour::edge) ==
        "bad.conf:2: not an option (options start with '-'): mynetwork");
  CHECK(expand_error("community = x", Flavour::supernode) ==
        "bad.conf:1: not an option (options start with '-'): community = x");
  CHECK(expand_error("\n\n-- foo", Flavour::edge) == "bad.conf:3: no option name: -- foo");
  CHECK(expand_error("-=5", Flavour::edge) == "bad.conf:1: no option name: -=5");
  CHECK(expand_error("--", Flavour::supernode) == "bad.conf:1: no option name: --");
  CHECK(expand_error("ab\x01\x7f", Flavour::edge).find("ab\\x01\\x7f") != std::string::npos);
}

TEST_CASE("seed configuration of the edge issue, one option per line") {
  const std::string text =
      "-d=n2n0\n"
      "-c=test\n"
      "-k=mysecretkey\n"
      "-m=02:00:00:00:00:01\n"
      "-a=static:10.20.30.1/24\n"
      "-l=host:7777\n"
      "-M=1390\n"
      "-r\n"
      "-n=10.10.10.0/24:10.20.30.254\n";
  const Tokens expected{"-d",
                        "n2n0",
                        "-c",
                        "test",
                        "-k",
                        "mysecretkey",
                        "-m",
                        "02:00:00:00:00:01",
                        "-a",
                        "static:10.20.30.1/24",
                        "-l",
                        "host:7777",
                        "-M",
                        "1390",
                        "-r",
                        "-n",
                        "10.10.10.0/24:10.20.30.254"};
  const auto out = expand(text, Flavour::edge);
  CHECK(out.tokens == expected);
  CHECK(out.warnings.empty());
  CHECK(supernode(text) == expected);
}

TEST_CASE("command line: file first, then the command-line options") {
  const std::map<std::string, std::string> files{{"edge.conf", "-c=office\n-A=3\n-l=sn:7654\n"},
                                                 {"bad.conf", "-c=x\noops\n"}};
  const FileReader reader = [&](const std::string& path) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  std::vector<Diagnostic> warnings;
  std::string error;

  const std::vector<std::string> args{"edge.conf", "-c", "lab", "-f"};
  const auto tokens =
      expand_command_line(args, Flavour::edge, kEdgeOptionalArgs, reader, warnings, error);
  REQUIRE(tokens);
  CHECK(*tokens == Tokens{"-c", "office", "-A", "-l", "sn:7654", "-c", "lab", "-f"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].to_string().rfind("edge.conf:2: ", 0) == 0);

  // Without a file the arguments pass through.
  warnings.clear();
  const std::vector<std::string> plain{"-c", "lab", "-A=5"};
  const auto same =
      expand_command_line(plain, Flavour::edge, kEdgeOptionalArgs, reader, warnings, error);
  REQUIRE(same);
  CHECK(*same == plain);
  CHECK(warnings.empty());
  const auto nothing =
      expand_command_line({}, Flavour::supernode, kSupernodeOptionalArgs, reader, warnings, error);
  REQUIRE(nothing);
  CHECK(nothing->empty());

  const std::vector<std::string> missing{"missing.conf", "-f"};
  CHECK_FALSE(
      expand_command_line(missing, Flavour::edge, kEdgeOptionalArgs, reader, warnings, error));
  CHECK(error == "missing.conf: cannot read the configuration file");

  const std::vector<std::string> bad{"bad.conf"};
  CHECK_FALSE(expand_command_line(bad, Flavour::supernode, kSupernodeOptionalArgs, reader, warnings,
                                  error));
  CHECK(error == "bad.conf:2: not an option (options start with '-'): oops");
}

TEST_SUITE_END();
