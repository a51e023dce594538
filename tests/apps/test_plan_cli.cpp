// End-to-end tests of `lantian plan` (the cheapest control plan): on the demo case shortened to
// one local day (2024-12-13, 24 hours) and coarsened to 4 km (to keep the run short), the
// regional background keeps every station above AQI 200 whatever the city does: the plan is
// infeasible, the station-days are listed, the report and plan.json are still written (exit 0).
// Bad input exits 1 with nothing written.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/cli_support.hpp"
#include "core/demo_case.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

/// The demo case from local midnight of 13 December for `hours` hours on a 20 x 20 grid of 4 km
/// (the same 80 km square), with its relative paths made absolute.
std::string demo_case(int hours) {
  // Untagged: this test checks that plan adds the sector tags itself.
  DemoCaseOptions o = DemoCaseOptions::coarse_day(hours);
  o.untagged = true;
  return demo_case_text(o);
}

}  // namespace

TEST_CASE("lantian plan reports an unreachable target with the station-days and still writes the report",
          "[cli][plan][slow]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(24));
  const RunResult r = run_lantian(
      "plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " --whole-period -q", d);
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Contains("tags = \"sector\""));  // the case has no tags: said so
  CHECK_THAT(r.out, Contains("target daily AQI <= 200") && Contains("PM2.5 <= 150.0") && Contains("candidate actions") &&
                        Contains("status: infeasible") && Contains("cannot be met: Chengzhong 2024-12-13") &&
                        Contains("reference plans-orange"));
  const auto report = read_text(d / "out/plan_report.txt");
  CHECK_THAT(report, Contains("infeasible") && Contains("plans-orange"));
  const auto j = nlohmann::json::parse(read_text(d / "out/plan.json"));
  CHECK(j["status"] == "infeasible");
  CHECK(j["target_aqi"] == 200);
  CHECK(j["limit_pm25_ug_m3"].get<double>() == Approx(150.0));
  CHECK(j["level"] == "orange");
  CHECK(j["active_hours"] == 21);  // the whole day less the 3-h lead
  CHECK(j["candidates"].get<int>() > 100);
  CHECK(j["exempt_lines_excluded"].get<int>() > 0);
  REQUIRE(j["unreachable"].size() == 8u);  // every station on the one whole local day
  for (const auto& u : j["unreachable"]) {
    CHECK(u["day"] == "2024-12-13");
    CHECK(u["best_ug_m3"].get<double>() > 150.0);
    CHECK(u["best_ug_m3"].get<double>() < u["baseline_ug_m3"].get<double>());  // the actions help, not enough
  }
  CHECK(j["station_days"].size() == 8u);
  CHECK(j["floors"].size() == 4u);
  CHECK(j["reference"]["name"] == "plans-orange");
  CHECK(j["reference"]["cost_yuan"].get<double>() > 0.0);
  CHECK_FALSE(j["reference"]["feasible"].get<bool>());
  const auto csv = read_csv(d / "out/plan.csv");
  REQUIRE(csv.size() == 1u);  // no plan: the header only
  CHECK(csv[0][0] == "action");
}

TEST_CASE("lantian plan rejects bad input with exit 1 and writes nothing", "[cli][plan]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(2));
  RunResult r = run_lantian("plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " --level purple -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("--level") && Contains("purple"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  r = run_lantian("plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " --level none -q", d);
  CHECK(r.status == 1);
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  write_text(d / "bad.toml", demo_case(2) + "\n[model.inflow]\nSO3 = 1.0\n");
  r = run_lantian("plan " + shell_quote(d / "bad.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("model.inflow.SO3"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}
