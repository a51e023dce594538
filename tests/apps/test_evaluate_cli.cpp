// End-to-end tests of `lantian evaluate` (post-episode evaluation of the measures carried out).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "apps/cli_support.hpp"
#include "core/demo_case.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;


TEST_CASE("lantian evaluate re-runs the measures carried out and reports the cuts", "[cli][evaluate]") {
  TempDir d;
  write_text(d / "case.toml", demo_case_text(demo_hours(4)));
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
  write_text(d / "case.toml", demo_case_text(demo_hours(2)));
  write_text(d / "done.csv", "enterprise,line,start,end,load\nE999,,2024-12-12T17:00,2024-12-12T18:00,0\n");
  const RunResult r = run_lantian("evaluate " + shell_quote(d / "case.toml") + " --measures " + shell_quote(d / "done.csv") +
                                      " --out " + shell_quote(d / "out") + " -q",
                                  d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("done.csv:2") && Contains("E999"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}
