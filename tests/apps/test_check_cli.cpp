// End-to-end tests of `lantian check`: the built executable on the demo case and broken copies.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "cli_support.hpp"

using namespace lantian::test;

namespace {

const std::string kDemoDir = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city";

/// The demo case with its relative paths made absolute, `from` replaced by `to`, written to dir.
std::string broken_demo(const TempDir& dir, const std::string& from, const std::string& to) {
  std::string s = read_text(kDemoDir + "/case.toml");
  for (const std::string key : {"rules_file = \"", "observations = \"", "folder = \""}) {
    const auto pos = s.find(key);
    REQUIRE(pos != std::string::npos);
    s.insert(pos + key.size(), kDemoDir + "/");
  }
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  const std::string path = dir / "case.toml";
  write_text(path, s);
  return path;
}

long line_of(const std::string& path, const std::string& needle) {
  const std::string s = read_text(path);
  const auto pos = s.find(needle);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<long>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

}  // namespace

TEST_CASE("lantian check passes on the demo case and prints the totals", "[cli][check]") {
  const TempDir scratch;
  const RunResult r = run_lantian("check " + shell_quote(kDemoDir + "/case.toml"), scratch);
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("80 x 80 cells of 1000 x 1000 m, 20 levels"));
  CHECK_THAT(r.out, Catch::Contains("2024-12-12T16:00:00+08:00 .. 2024-12-15T16:00:00+08:00"));
  CHECK_THAT(r.out, Catch::Contains("2024-12-12T08:00:00Z .. 2024-12-15T08:00:00Z"));
  CHECK_THAT(r.out, Catch::Contains("period covered"));
  // The generator's round city totals (inventory/totals.csv), t/yr.
  CHECK_THAT(r.out, Catch::Contains("SO2         10000.0 t/yr"));
  CHECK_THAT(r.out, Catch::Contains("NOx         40000.0 t/yr"));
  CHECK_THAT(r.out, Catch::Contains("VOCs        50000.0 t/yr"));
  CHECK_THAT(r.out, Catch::Contains("by district"));
  CHECK_THAT(r.out, Catch::Contains("exempt (豁免)"));
  CHECK_THAT(r.out, Catch::EndsWith("case OK\n"));
}

TEST_CASE("lantian check exits 1 naming file and line on a broken case", "[cli][check]") {
  const TempDir scratch;
  SECTION("unknown key") {
    const std::string path = broken_demo(scratch, "kz_min = 0.1", "kz_mim = 0.1");
    const RunResult r = run_lantian("check " + shell_quote(path), scratch);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::StartsWith("lantian: error: " + path + ":" + std::to_string(line_of(path, "kz_mim"))));
    CHECK_THAT(r.err, Catch::Contains("did you mean 'kz_min'"));
  }
  SECTION("meteorology too short") {
    const std::string path = broken_demo(scratch, "pblh_night = 120.0", "hours = 24\npblh_night = 120.0");
    const RunResult r = run_lantian("check " + shell_quote(path), scratch);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::StartsWith("lantian: error: " + path + ":" +
                                        std::to_string(line_of(path, "source = \"synthetic\""))));
    CHECK_THAT(r.err, Catch::Contains("does not cover 2024-12-13T16:00:00+08:00"));
    CHECK_THAT(r.out, Catch::Contains("case has 1 error(s)"));
    CHECK_THAT(r.out, Catch::Contains("10000.0 t/yr"));  // the rest is still checked and printed
  }
  SECTION("no such case file") {
    const RunResult r = run_lantian("check " + shell_quote(scratch / "none.toml"), scratch);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("none.toml"));
  }
}
