// End-to-end tests of `lantian run` (the Eulerian forecast of a case): exit status, outputs in
// place, and errors naming the [model] key with nothing written (the summary's figures are
// tested on the library call, tests/forecast/test_run_job.cpp).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>

#include "apps/cli_support.hpp"
#include "core/demo_case.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

/// The demo case shortened to `hours`, `model_keys` added to its [model] table and `extra` TOML
/// appended (e.g. a [model.inflow] table).
std::string demo_case(int hours, const std::string& model_keys = "", const std::string& extra = "") {
  DemoCaseOptions o = demo_hours(hours);
  o.model_keys = model_keys;
  return demo_case_text(o) + "\n" + extra;
}

}  // namespace

TEST_CASE("lantian run writes fields.nc, stations.csv and a closing budget", "[cli][run]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(6, "output_tags = true\n"));
  const RunResult r = run_lantian("run " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  // The figures are the library's summary (tests/forecast/test_run_job.cpp); here what the
  // command adds: the exit status, the summary printed, the files in place.
  CHECK_THAT(r.out, Contains("6 hours") && Contains("10 tags") && Contains("mass budget"));
  const auto series = read_csv(d / "out/stations.csv");
  CHECK(series.size() == 1u + 8u * 6u);
  const auto budget = read_csv(d / "out/budget.csv");
  CHECK(budget.size() == 1u + 9u * 6u);
  CHECK(std::filesystem::file_size(d / "out/fields.nc") > 1000u);
}

TEST_CASE("lantian run names a bad [model] key and writes nothing", "[cli][run]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(2, "dt = 700\n"));
  RunResult r = run_lantian("run " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("case.toml") && Contains("model.dt") && Contains("divides 3600"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  write_text(d / "case.toml", demo_case(2, "processes = [\"advection\", \"chemistri\"]\n"));
  r = run_lantian("run " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("model.processes") && Contains("chemistry"));
  write_text(d / "case.toml", demo_case(2, "", "[model.inflow]\nSO3 = 1.0\n"));
  r = run_lantian("run " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("model.inflow.SO3") && Contains("SO4"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}
