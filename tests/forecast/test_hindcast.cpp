// `lantian hindcast` (forecast/hindcast_job.hpp) on the coarse demo: one run per daily issue,
// the verification of all of them, and no look-ahead end to end: observations changed from an
// issue time on leave that issue's run and every earlier one bit-identical (the start analysis
// reads the hour before the issue; persistence and the Kalman filter only earlier hours), and
// change the later runs.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "core/demo_case.hpp"
#include "core/error.hpp"
#include "core/temp_dir.hpp"
#include "forecast/hindcast_job.hpp"

using namespace lantian;
using Catch::Matchers::Contains;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The demo's observations with `add` µg/m³ on every PM2.5 value from `from` (local, as the
/// file writes its times) on.
std::string perturbed_observations(const std::string& from, double add) {
  std::istringstream in(slurp(std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/observations.csv"));
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";  // station,time,PM2.5,PM10,SO2,NO2,CO,O3
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
    const std::string time = line.substr(c1 + 1, c2 - c1 - 1), pm = line.substr(c2 + 1, c3 - c2 - 1);
    if (time >= from && !pm.empty() && pm != "NA") line = line.substr(0, c2 + 1) + std::to_string(std::stod(pm) + add) + line.substr(c3);
    out += line + "\n";
  }
  return out;
}

HindcastRequest request(const test::TempDir& d, const std::string& name, const std::string& observations) {
  test::DemoCaseOptions o;
  o.hours = 12;
  o.coarse = true;
  o.untagged = true;
  std::string text = test::demo_case_text(o);
  if (!observations.empty())
    text = std::regex_replace(text, std::regex("observations = \"[^\"]*\""), "observations = \"" + observations + "\"");
  HindcastRequest rq;
  rq.case_file = d.write(name + ".toml", text);
  rq.out = (d.path() / name).string();
  rq.from = "2024-12-11";
  rq.to = "2024-12-13";
  return rq;
}

}  // namespace

TEST_CASE("hindcast: one run per issue, scored, nothing after an issue changes its forecast", "[hindcast]") {
  const test::TempDir d;
  HindcastRequest rq = request(d, "base", "");
  std::size_t progress_calls = 0;
  rq.progress = [&](const HindcastProgress& p) {
    ++progress_calls;
    CHECK(p.issues == 3);
    CHECK(p.done == progress_calls);
    CHECK(p.remaining_s >= 0.0);
  };
  const HindcastSummary s = run_hindcast_job(rq);
  CHECK(progress_calls == 3);
  REQUIRE(s.issue_times.size() == 3);
  CHECK(s.issue_times[0] == "2024-12-11T16:00:00+08:00");
  CHECK(s.verify.issues.size() == 3);
  CHECK(s.verify.pairs.size() == 3 * 12 * s.verify.stations.size());
  for (const char* date : {"2024-12-11", "2024-12-12", "2024-12-13"})
    CHECK(std::filesystem::is_regular_file(d.path() / "base" / "runs" / date / "stations.csv"));
  for (const char* f : {"skill.csv", "categories.csv", "warnings.csv", "pairs.csv"})
    CHECK(std::filesystem::is_regular_file(d.path() / "base" / f));

  // Observations from the second issue (2024-12-12 16:00) on raised by 50 µg/m³.
  const std::string obs = d.write("obs.csv", perturbed_observations("2024-12-12T16:00", 50.0));
  const HindcastSummary p = run_hindcast_job(request(d, "later", obs));
  auto run_file = [&](const char* name, const char* date) { return slurp(d.path() / name / "runs" / date / "stations.csv"); };
  CHECK(run_file("base", "2024-12-11") == run_file("later", "2024-12-11"));
  CHECK(run_file("base", "2024-12-12") == run_file("later", "2024-12-12"));
  CHECK(run_file("base", "2024-12-13") != run_file("later", "2024-12-13"));  // it starts from 12-13 15:00
  REQUIRE(p.verify.pairs.size() == s.verify.pairs.size());
  std::size_t same = 0;
  for (std::size_t i = 0; i < s.verify.pairs.size(); ++i) {
    if (s.verify.pairs[i].run > 1) continue;  // the first two issues
    for (std::size_t f = 0; f < s.verify.forecasts.size(); ++f) {
      const double a = p.verify.pairs[i].mod[f], b = s.verify.pairs[i].mod[f];
      CHECK(((std::isnan(a) && std::isnan(b)) || a == b));  // a persistence without 20 valid hours is NaN in both
    }
    ++same;
  }
  CHECK(same == 2 * 12 * s.verify.stations.size());
}

TEST_CASE("hindcast: bad dates, a case without observations and uncovered periods are refused before any run",
          "[hindcast]") {
  const test::TempDir d;
  HindcastRequest rq = request(d, "x", "");
  rq.to = "2024-12-10";
  CHECK_THROWS_WITH(run_hindcast_job(rq), Contains("--to") && Contains("on or after"));
  rq.to = "2024-13-01";
  CHECK_THROWS_WITH(run_hindcast_job(rq), Contains("--to") && Contains("YYYY-MM-DD"));
  rq.to = "12/13/2024";
  CHECK_THROWS_WITH(run_hindcast_job(rq), Contains("YYYY-MM-DD"));
  // The demo's boundary file ends 2024-12-15T15:00Z: an issue on 12-20 is not covered.
  rq.to = "2024-12-20";
  CHECK_THROWS_WITH(run_hindcast_job(rq), Contains("issue 2024-12-20T16:00:00+08:00") && Contains("boundary.csv"));
  CHECK_FALSE(std::filesystem::exists(rq.out));
  test::DemoCaseOptions o = test::DemoCaseOptions::coarse_day(6);
  std::string text = std::regex_replace(test::demo_case_text(o), std::regex("observations = \"[^\"]*\"\n"), "");
  text = std::regex_replace(text, std::regex("initial = \"observations\""), "initial = \"background\"");
  rq.case_file = d.write("noobs.toml", text);
  rq.to = "2024-12-12";
  CHECK_THROWS_WITH(run_hindcast_job(rq), Contains("paths.observations"));
}
