// `lantian plan` (the cheapest control plan): on the demo case shortened to one local day
// (2024-12-13, 24 hours) and coarsened to 4 km (to keep the run short), the regional background
// keeps every station above AQI 200 whatever the city does: the plan is infeasible, the
// station-days are listed, the report and plan.json are still written. The figures are asserted
// on the library's summary (forecast/plan_builder: run_plan_job) and on the files; the command
// is smoke-tested: exit 0 and its files on a 2-hour case, exit 1 with nothing written on bad input.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/cli_support.hpp"
#include "core/demo_case.hpp"
#include "forecast/plan_builder.hpp"

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

TEST_CASE("plan reports an unreachable target with the station-days and still writes the report",
          "[cli][plan][slow]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(24));
  lantian::PlanRequest q;
  q.case_file = d / "case.toml";
  q.out = d / "out";
  q.whole_period = true;
  std::vector<std::string> warned;
  q.warning = [&](const std::string& w) { warned.push_back(w); };
  const lantian::PlanSummary s = lantian::run_plan_job(q);
  REQUIRE(warned.size() == 1u);
  CHECK_THAT(warned[0], Contains("tags = \"sector\""));  // the case has no tags: said so
  CHECK(s.warnings == warned);
  CHECK(s.target_aqi == 200);
  CHECK(s.limit_pm25 == Approx(150.0));
  CHECK(s.level == "orange");
  CHECK(s.whole_period);
  CHECK(s.status == "infeasible");
  CHECK_FALSE(s.have_plan);
  CHECK(s.chosen.empty());
  CHECK(s.cost_yuan == 0.0);
  CHECK(s.active_hours == 21);  // the whole day less the 3-h lead
  CHECK(s.candidates > 100u);
  CHECK(s.exempt_lines > 0u);
  REQUIRE(s.unreachable.size() == 8u);  // every station on the one whole local day
  bool chengzhong = false;
  for (const auto& u : s.unreachable) {
    CHECK(u.day == "2024-12-13");
    CHECK(u.best > 150.0);
    CHECK(u.best < u.baseline);  // the actions help, not enough
    chengzhong = chengzhong || u.station == "Chengzhong";
  }
  CHECK(chengzhong);
  CHECK(s.reference_name == "plans-orange");
  CHECK(s.reference_cost_yuan > 0.0);
  CHECK_FALSE(s.reference_feasible);
  CHECK(s.files == std::vector<std::string>{"plan.json", "plan.csv", "plan_report.txt"});
  const std::string text = lantian::format_plan_summary(s);
  CHECK_THAT(text, Contains("status: infeasible") && Contains("cannot be met: Chengzhong 2024-12-13") &&
                       Contains("reference plans-orange"));

  // The files say the same.
  const auto report = read_text(d / "out/plan_report.txt");
  CHECK_THAT(report, Contains("infeasible") && Contains("plans-orange"));
  const auto j = nlohmann::json::parse(read_text(d / "out/plan.json"));
  CHECK(j["status"] == s.status);
  CHECK(j["target_aqi"] == 200);
  CHECK(j["limit_pm25_ug_m3"].get<double>() == Approx(150.0));
  CHECK(j["level"] == "orange");
  CHECK(j["active_hours"] == 21);
  CHECK(j["candidates"].get<std::size_t>() == s.candidates);
  CHECK(j["exempt_lines_excluded"].get<std::size_t>() == s.exempt_lines);
  REQUIRE(j["unreachable"].size() == s.unreachable.size());
  for (std::size_t k = 0; k < s.unreachable.size(); ++k) {
    CHECK(j["unreachable"][k]["station"] == s.unreachable[k].station);
    CHECK(j["unreachable"][k]["best_ug_m3"].get<double>() == s.unreachable[k].best);
    CHECK(j["unreachable"][k]["baseline_ug_m3"].get<double>() == s.unreachable[k].baseline);
  }
  CHECK(j["station_days"].size() == 8u);
  CHECK(j["floors"].size() == 4u);
  CHECK(j["reference"]["name"] == "plans-orange");
  CHECK(j["reference"]["cost_yuan"].get<double>() == s.reference_cost_yuan);
  CHECK_FALSE(j["reference"]["feasible"].get<bool>());
  const auto csv = read_csv(d / "out/plan.csv");
  REQUIRE(csv.size() == 1u);  // no plan: the header only
  CHECK(csv[0][0] == "action");
}

TEST_CASE("lantian plan: exit 0 with its files, bad input exits 1 and writes nothing", "[cli][plan]") {
  TempDir d;
  write_text(d / "case.toml", demo_case(2));
  // Two hours: no whole local day, nothing constrained; the plan and its files are written.
  RunResult r = run_lantian("plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "ok") + " --whole-period -q", d);
  INFO(r.out << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Contains("tags = \"sector\""));
  CHECK_THAT(r.out, Contains("lantian plan:") && Contains("target daily AQI <= 200") && Contains("status:"));
  for (const char* f : {"plan.json", "plan.csv", "plan_report.txt"}) CHECK(std::filesystem::exists(d / ("ok/" + std::string(f))));

  r = run_lantian("plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " --level purple -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("lantian: error: --level") && Contains("purple"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  r = run_lantian("plan " + shell_quote(d / "case.toml") + " --out " + shell_quote(d / "out") + " --level none -q", d);
  CHECK(r.status == 1);
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  write_text(d / "bad.toml", demo_case(2) + "\n[model.inflow]\nSO3 = 1.0\n");
  r = run_lantian("plan " + shell_quote(d / "bad.toml") + " --out " + shell_quote(d / "out") + " -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("model.inflow.SO3"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
  // The library throws the same errors.
  lantian::PlanRequest q;
  q.case_file = d / "case.toml";
  q.out = d / "out";
  q.level = "purple";
  CHECK_THROWS_WITH(lantian::run_plan_job(q), Contains("--level") && Contains("purple"));
  q.level = "red";
  q.target_aqi = 500;
  CHECK_THROWS_WITH(lantian::run_plan_job(q), Contains("plan.target_aqi"));
  CHECK_FALSE(std::filesystem::exists(d / "out"));
}
