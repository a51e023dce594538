// The jobs of `lantian run` and `lantian evaluate` (forecast/run_job.hpp): their summaries against
// the files they wrote (the station peak is the largest value of stations.csv; the budget
// residual is tiny against the mass), the printed text built from the summary, and errors that
// leave nothing behind.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/csv_file.hpp"
#include "core/demo_case.hpp"
#include "core/temp_dir.hpp"
#include "forecast/run_job.hpp"

using namespace lantian;
using Catch::Matchers::Contains;

namespace {

struct Peak {
  double value = -1.0;
  std::string station, time;
  std::size_t rows = 0;
};

Peak stations_peak(const std::filesystem::path& file) {
  CsvFile f(file.string());
  const int cs = f.column("station"), cv = f.column("pm25"), ct = f.column("time");
  Peak p;
  while (f.next()) {
    ++p.rows;
    const double v = std::strtod(std::string(f.field(cv)).c_str(), nullptr);
    if (v > p.value) p.value = v, p.station = std::string(f.field(cs)), p.time = std::string(f.field(ct));
  }
  return p;
}

}  // namespace

TEST_CASE("run job: the summary is the run's files, the budget closes, 10 sector tags", "[run-job]") {
  const test::TempDir d;
  test::DemoCaseOptions o = test::demo_hours(6);
  o.model_keys = "output_tags = true\n";
  RunRequest rq;
  rq.case_file = d.write("case.toml", test::demo_case_text(o));
  rq.out = (d.path() / "out").string();
  rq.scenarios = false;
  std::size_t hours_seen = 0;
  rq.progress = [&](const std::string& stage, const RunProgress& p) {
    CHECK(stage == "baseline");
    hours_seen = p.hours_done;
  };
  std::string needs;
  rq.info = [&](const std::string& m) { needs = m; };
  const RunSummary s = run_case_job(rq);
  // The estimate said before the run (check_run_resources), the same text in the summary.
  CHECK_THAT(needs, Contains("needs ~") && Contains("of memory") && Contains("of disk"));
  CHECK(s.needs == needs);
  CHECK(hours_seen == 6);
  CHECK(s.hours == 6);
  CHECK(s.tags == 10u);  // 9 sectors + background (initial state, inflow)
  CHECK((s.nx == 80 && s.ny == 80));
  CHECK(s.residual_share < 1e-12);  // the budget closes to round-off
  CHECK_FALSE(s.scenarios);
  CHECK_FALSE(s.report);
  const Peak p = stations_peak(d.path() / "out/stations.csv");
  CHECK(p.rows == 8u * 6u);
  CHECK(s.has_peak);
  CHECK(s.peak_pm25 == p.value);  // the same double, written at full precision
  CHECK(s.peak_station == p.station);
  // The peak's time is its row's label (hour-beginning; until issue 12 the summary printed the
  // end of the hour, as stations.csv then labelled it).
  CHECK(s.peak_time == p.time);
  CHECK(std::filesystem::file_size(d.path() / "out/fields.nc") > 1000u);
  const std::string text = format_run_summary(s);
  CHECK_THAT(text, Contains("6 hours, 80x80x") && Contains("10 tags") && Contains("at " + p.station));
}

TEST_CASE("run job: a bad setting throws naming the key and writes nothing", "[run-job]") {
  const test::TempDir d;
  test::DemoCaseOptions o = test::demo_hours(2);
  o.model_keys = "dt = 700\n";
  RunRequest rq;
  rq.case_file = d.write("case.toml", test::demo_case_text(o));
  rq.out = (d.path() / "out").string();
  CHECK_THROWS_WITH(run_case_job(rq), Contains("case.toml") && Contains("model.dt") && Contains("divides 3600"));
  CHECK_FALSE(std::filesystem::exists(d.path() / "out"));
}

TEST_CASE("evaluate job: the achieved cut is removed / society, nothing written on a bad file", "[run-job]") {
  const test::TempDir d;
  EvaluateRequest rq;
  rq.case_file = d.write("case.toml", test::demo_case_text(test::demo_hours(4)));
  // The steel works E009 stopped from the second hour (17:00 local) to the end.
  rq.measures = d.write("done.csv", "enterprise,line,start,end,load\nE009,,2024-12-12T17:00,2024-12-12T20:00,0\n");
  rq.out = (d.path() / "eval").string();
  const EvaluateSummary s = evaluate_case_job(rq);
  CHECK(s.measures == 1u);
  CHECK(s.active_hours == 3u);
  for (std::size_t k = 0; k < s.achieved.size(); ++k)
    if (s.society_t[k] > 0.0) CHECK(s.achieved[k] == Approx(s.removed_t[k] / s.society_t[k]).epsilon(1e-12));
  CHECK(s.removed_t[0] > 0.0);  // E009 emits SO2
  CHECK(std::filesystem::exists(d.path() / "eval/evaluation.json"));
  CHECK_THAT(format_evaluate_summary(s), Contains("1 measures carried out, 3 active hours"));

  rq.measures = d.write("bad.csv", "enterprise,line,start,end,load\nE999,,2024-12-12T17:00,2024-12-12T18:00,0\n");
  rq.out = (d.path() / "eval2").string();
  CHECK_THROWS_WITH(evaluate_case_job(rq), Contains("bad.csv:2") && Contains("E999"));
  CHECK_FALSE(std::filesystem::exists(d.path() / "eval2"));
}
