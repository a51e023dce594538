// End-to-end tests of `lantian evaluate` (post-episode evaluation of the measures carried out).
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <string>

#include "apps/cli_support.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

/// The demo case shortened to `hours`, its relative paths made absolute.
std::string short_demo(int hours) {
  const std::string dir = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/";
  std::string text = read_text(dir + "case.toml");
  text = std::regex_replace(text, std::regex("hours = 72"), "hours = " + std::to_string(hours));
  for (const std::string name : {"inventory", "../rules/national.toml", "observations.csv", "boundary.csv"}) {
    // Quoted, with the dots escaped for the regex; built piecewise (GCC 12 -Wrestrict false alarm).
    std::string pattern(1, '"');
    pattern += std::regex_replace(name, std::regex("\\."), "\\.");
    pattern += '"';
    std::string replacement(1, '"');
    replacement += dir;
    replacement += name;
    replacement += '"';
    text = std::regex_replace(text, std::regex(pattern), replacement);
  }
  return text;
}

}  // namespace

TEST_CASE("lantian evaluate re-runs the measures carried out and reports the cuts", "[cli][evaluate]") {
  TempDir d;
  write_text(d / "case.toml", short_demo(4));
  // The steel works E009 stopped from the second hour (17:00 local) to the end.
  write_text(d / "done.csv", "enterprise,line,start,end,load\nE009,,2024-12-12T17:00,2024-12-12T20:00,0\n");
  const RunResult r = run_lantian("evaluate " + shell_quote(d / "case.toml") + " --measures " + shell_quote(d / "done.csv") +
                                      " --out " + shell_quote(d / "out") + " -q",
                                  d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("1 measures carried out, 3 active hours"));
  CHECK_THAT(r.out, Contains("SO2") && Contains("lost output"));
  const auto rows = read_csv(d / "out/evaluation.csv");
  CHECK(rows.size() == 1u + 9u);  // 8 stations and the city
  CHECK(std::filesystem::exists(d / "out/evaluation.json"));
  CHECK(std::filesystem::exists(d / "out/series.csv"));
}

TEST_CASE("lantian evaluate names a bad measures file and writes nothing", "[cli][evaluate]") {
  TempDir d;
  write_text(d / "case.toml", short_demo(2));
  write_text(d / "done.csv", "enterprise,line,start,end,load\nE999,,2024-12-12T17:00,2024-12-12T18:00,0\n");
  const RunResult r = run_lantian("evaluate " + shell_quote(d / "case.toml") + " --measures " + shell_quote(d / "done.csv") +
                                      " --out " + shell_quote(d / "out") + " -q",
                                  d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("done.csv:2") && Contains("E999"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}
