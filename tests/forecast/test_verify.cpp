// `lantian verify` (forecast/verify_job.hpp): the time convention, persistence, the Kalman
// correction from earlier runs only, the scores and the warning contingency, against values
// worked by hand on series written by the test; no look-ahead; the files and the errors.
//
// Issue times: run 1 at 2015-12-07T16:00 local (08:00 UTC), run 2 24 h later, 48 hours each.
// h = hours since run 1's issue. stations.csv labels each model hour by its START (T = h), as
// the observations do (docs/time-labels.md; until issue 12 it labelled the end, T = h + 1, and
// verify shifted it back: an older run folder is still recognised, see the legacy test).
// Station A observed: 100 + h µg/m³ for h = -48 .. 71 (hour-beginning labels); modelled: the
//   observation of the same hour + 10 in both runs.
//   lantian: MB = RMSE = 10 exactly (one hour off would give 9 or 11: the ramp's slope is 1).
//   persistence: run 1 = mean(100 + h, h = -24..-1) = 87.5; run 2 = mean(h = 0..23) + 100 = 111.5.
//   lantian-kf: run 1 = lantian (no earlier run); run 2: each hour of the day learnt one error of
//     10 from run 1's first 24 h: bias = 10 β1, β1 = (1 + r)/(2 + r) -> MB = 10 (1 − β1).
//   pooled hourly mean_obs: run 1 h 0..47 -> 123.5, run 2 h 24..71 -> 147.5; n = 96 -> 135.5.
//   daily: each run has one complete local day (16:00 + 8 h, then 24 h, then 16 h): 2 days.
// Station B (warnings): observed 300 µg/m³ throughout (daily AQI 350 > 200 for the 48 h of a
//   run -> orange; red needs 72 h); modelled 310 in run 1 (orange: a hit), 30 in run 2 (none: a
//   miss). Persistence is 300 -> orange twice (two hits).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/temp_dir.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/verify_job.hpp"

using namespace lantian;

namespace {

const TimeZone kTz("Asia/Shanghai");
const UtcHour kT0 = parse_time("2015-12-07T16:00", kTz);

double obs_a(long h) { return 100.0 + static_cast<double>(h); }

std::string observations_csv(double b_after_offset = 0.0, long perturb_from = 1000) {
  std::string o = "station,time,PM2.5\n";
  for (long h = -48; h < 72; ++h) {
    const double add = h >= perturb_from ? b_after_offset : 0.0;
    o += "A," + format_local(kT0 + h, kTz) + "," + std::to_string(obs_a(h) + add) + "\n";
    o += "B," + format_local(kT0 + h, kTz) + "," + std::to_string(300.0 + add) + "\n";
  }
  return o;
}

/// A run folder with stations.csv for the run issued at kT0 + offset: rows labelled by the start
/// of each model hour, as `lantian run` writes them (until issue 12: by the end, `label_shift`
/// 1, the labels of an older run folder), and, with `budget`, a budget.csv whose first row is
/// the first model hour (its start, in both conventions).
std::string write_run(const test::TempDir& dir, const std::string& name, long offset, double b_value,
                      long label_shift = 0, bool budget = false) {
  const std::filesystem::path run = dir.path() / name;
  std::filesystem::create_directories(run);
  std::string o = "time,station,pm25\n";
  for (long h = offset; h < offset + 48; ++h) {
    o += format_local(kT0 + h + label_shift, kTz) + ",A," + std::to_string(obs_a(h) + 10.0) + "\n";
    o += format_local(kT0 + h + label_shift, kTz) + ",B," + std::to_string(b_value) + "\n";
  }
  std::ofstream(run / "stations.csv") << o;
  if (budget) std::ofstream(run / "budget.csv") << "time,species,mass_before\n" << format_local(kT0 + offset, kTz) << ",SO2,1\n";
  return run.string();
}

const VerifyScore& score(const VerifyResult& r, const std::string& forecast, const std::string& station,
                         const std::string& averaging) {
  for (const VerifyScore& s : r.scores)
    if (s.forecast == forecast && s.station == station && s.averaging == averaging) return s;
  FAIL("no score " << forecast << " " << station << " " << averaging);
  return r.scores.front();
}

std::vector<RunSeries> two_runs(const test::TempDir& dir) {
  // Given in reverse order: verify sorts by issue time.
  return {read_run_series(write_run(dir, "run2", 24, 30.0)), read_run_series(write_run(dir, "run1", 0, 310.0))};
}

}  // namespace

TEST_CASE("verify: the hour convention, persistence and the Kalman correction by hand", "[verify]") {
  test::TempDir dir;
  const auto runs = two_runs(dir);
  CHECK(runs[1].start == kT0);  // the first row, labelled 16:00, is the hour from 16:00 (until issue 12: 17:00)
  CHECK_FALSE(runs[1].legacy_labels);
  const auto obs = parse_observations_csv(observations_csv(), "obs.csv", kTz);
  VerifyOptions opt;
  opt.tz = kTz;
  const VerifyResult r = verify_runs(runs, obs, opt);
  REQUIRE(r.issues.size() == 2);
  CHECK(r.issues[0].issue == kT0);
  CHECK(r.pairs.size() == 2 * 2 * 48);

  // Station A, per run.
  const double beta1 = (1.0 + opt.kf_ratio) / (2.0 + opt.kf_ratio);
  for (const VerifyPair& p : r.pairs) {
    if (r.stations[p.station] != "A") continue;
    const long h = static_cast<long>(p.time - kT0);
    CHECK(p.obs == Approx(obs_a(h)).epsilon(1e-12));
    CHECK(p.mod[0] - p.obs == Approx(10.0).epsilon(1e-9));
    CHECK(p.mod[1] == Approx(p.run == 0 ? 87.5 : 111.5).epsilon(1e-12));
    CHECK(p.mod[2] == Approx(p.run == 0 ? p.mod[0] : p.mod[0] - 10.0 * beta1).epsilon(1e-9));
  }
  const SkillScores& la = score(r, "lantian", "A", "hourly").scores;
  CHECK(la.n == 96);
  CHECK(la.mb == Approx(10.0).epsilon(1e-9));
  CHECK(la.rmse == Approx(10.0).epsilon(1e-9));
  CHECK(la.mean_obs == Approx(135.5).epsilon(1e-12));
  CHECK(la.nmb == Approx(10.0 / 135.5).epsilon(1e-9));
  CHECK(la.r == Approx(1.0).epsilon(1e-12));
  // Persistence of run 1 against h = 0..47: error 87.5 − 100 − h; run 2 against h = 24..71:
  // 111.5 − 100 − h. Pooled MB = (−12.5 − 23.5 + 11.5 − 47.5)/2 = −36.
  CHECK(score(r, "persistence", "A", "hourly").scores.mb == Approx(-36.0).epsilon(1e-12));
  // Kalman: run 1 errors 10, run 2 errors 10 (1 − β1): MB the mean.
  CHECK(score(r, "lantian-kf", "A", "hourly").scores.mb == Approx(0.5 * (10.0 + 10.0 * (1.0 - beta1))).epsilon(1e-9));
  const SkillScores& daily = score(r, "lantian", "A", "daily").scores;
  CHECK(daily.n == 2);
  CHECK(daily.mb == Approx(10.0).epsilon(1e-9));
}

TEST_CASE("verify: the warning contingency over issue days", "[verify]") {
  test::TempDir dir;
  const auto obs = parse_observations_csv(observations_csv(), "obs.csv", kTz);
  VerifyOptions opt;
  opt.tz = kTz;
  // Station B alone: the city series is B's.
  std::vector<RunSeries> runs = two_runs(dir);
  for (RunSeries& run : runs) {
    run.stations = {"B"};
    run.pm25 = {run.pm25[1]};
  }
  const VerifyResult r = verify_runs(runs, obs, opt);
  REQUIRE(r.issues.size() == 2);
  CHECK(r.issues[0].observed_level == 2);  // orange
  CHECK(r.issues[1].observed_level == 2);
  CHECK(r.issues[0].level[0] == 2);
  CHECK(r.issues[1].level[0] == 0);
  CHECK(r.warning[0].hits == 1);
  CHECK(r.warning[0].misses == 1);
  CHECK(r.warning[0].pod() == Approx(0.5));
  CHECK(r.warning[1].hits == 2);  // persistence
  CHECK(r.warning[1].far() == 0.0);
  // Levels: lantian orange (= observed) at the first issue, none (< orange) at the second.
  CHECK(r.levels[0].exact == 1);
  CHECK(r.levels[0].lower == 1);
  CHECK(r.levels[0].higher == 0);
}

TEST_CASE("verify: no look-ahead: observations after an issue time do not change its forecasts", "[verify]") {
  test::TempDir dir;
  VerifyOptions opt;
  opt.tz = kTz;
  const auto base = verify_runs(two_runs(dir), parse_observations_csv(observations_csv(), "obs.csv", kTz), opt);
  for (long from : {0L, 24L}) {  // perturb everything from run 1's, then from run 2's issue time on
    const auto later = verify_runs(two_runs(dir), parse_observations_csv(observations_csv(37.0, from), "obs.csv", kTz), opt);
    REQUIRE(later.pairs.size() == base.pairs.size());
    std::size_t compared = 0;
    for (std::size_t i = 0; i < base.pairs.size(); ++i) {
      const UtcHour issue = base.pairs[i].time - base.pairs[i].lead;
      if (issue > kT0 + from) continue;  // a later issue has seen the changed hours, rightly
      for (std::size_t f = 0; f < base.forecasts.size(); ++f) CHECK(later.pairs[i].mod[f] == base.pairs[i].mod[f]);
      ++compared;
    }
    CHECK(compared > 0);
  }
}

TEST_CASE("verify: the job writes its four files and refuses bad input by name", "[verify]") {
  test::TempDir dir;
  write_run(dir, "run1", 0, 310.0);
  VerifyRequest req;
  req.runs = {(dir.path() / "run1").string()};
  req.observations = dir.write("obs.csv", observations_csv());
  req.out = (dir.path() / "verify").string();
  const VerifySummary s = run_verify_job(req);
  for (const std::string& f : s.files) CHECK(std::filesystem::is_regular_file(dir.path() / "verify" / f));
  std::ifstream skill(dir.path() / "verify" / "skill.csv");
  std::string header;
  std::getline(skill, header);
  CHECK(header == "forecast,station,averaging,n,mean_obs,mean_mod,mb,nmb,nme,rmse,r,ioa,fac2");
  CHECK(format_verify_summary(req, s).find("POD") != std::string::npos);

  // A run folder without stations.csv; a row out of order; the output over the observations.
  VerifyRequest bad = req;
  bad.out = (dir.path() / "verify2").string();
  bad.runs = {dir.path().string()};
  CHECK_THROWS_WITH(run_verify_job(bad), Catch::Contains("no stations.csv"));
  const std::filesystem::path broken = dir.path() / "broken";
  std::filesystem::create_directories(broken);
  std::ofstream(broken / "stations.csv") << "time,station,pm25\n2015-12-07T16:00:00+08:00,A,1\n2015-12-07T18:00:00+08:00,A,1\n";
  bad.runs = {broken.string()};
  CHECK_THROWS_WITH(run_verify_job(bad), Catch::Contains("stations.csv:3") && Catch::Contains("consecutive"));
  CHECK_FALSE(std::filesystem::exists(bad.out));
  bad.runs = req.runs;
  bad.kf_ratio = -1.0;
  CHECK_THROWS_WITH(run_verify_job(bad), Catch::Contains("kf_ratio"));
}

// A run folder written before the one time convention: stations.csv labelled by the end of each
// hour (the first row 17:00), budget.csv by the start (16:00). It is read as today's (the same
// pairs and scores as the new folder, MB exactly 10: one hour off would give 9 or 11) and named
// in the warnings; the same stations.csv without budget.csv cannot be told apart and is read as
// hour-beginning (its issue time is then 17:00).
TEST_CASE("verify: a run folder with the labels of before issue 12 is recognised by its budget.csv", "[verify]") {
  test::TempDir dir;
  const auto obs = parse_observations_csv(observations_csv(), "obs.csv", kTz);
  VerifyOptions opt;
  opt.tz = kTz;
  const RunSeries now = read_run_series(write_run(dir, "now", 0, 310.0, 0, true));
  const RunSeries old = read_run_series(write_run(dir, "old", 0, 310.0, 1, true));
  CHECK_FALSE(now.legacy_labels);
  CHECK(old.legacy_labels);
  CHECK(old.start == kT0);
  CHECK(old.pm25 == now.pm25);
  const VerifyResult a = verify_runs({now}, obs, opt), b = verify_runs({old}, obs, opt);
  CHECK(score(b, "lantian", "A", "hourly").scores.mb == Approx(10.0).epsilon(1e-9));
  CHECK(score(b, "lantian", "A", "hourly").scores.rmse == score(a, "lantian", "A", "hourly").scores.rmse);
  CHECK(a.warnings.size() + 1 == b.warnings.size());
  CHECK_THAT(b.warnings.front(), Catch::Contains("run " + old.source) && Catch::Contains("end of each hour"));
  const RunSeries bare = read_run_series(write_run(dir, "bare", 0, 310.0, 1, false));
  CHECK_FALSE(bare.legacy_labels);
  CHECK(bare.start == kT0 + 1);
}

// The start analysis (initial = "observations") uses the hour ENDING at the start: at a 16:00
// issue the hour 15:00-16:00 is the last one observed; the 16:00-17:00 hour is the future.
TEST_CASE("the start analysis takes the last hour before the start, and says which stations lack it", "[verify]") {
  CaseConfig config;
  config.period.start = "2015-12-07T16:00";
  config.model.initial = InitialKind::observations;
  config.stations.push_back({});
  config.stations.back().id = "A";
  config.stations.push_back({});
  config.stations.back().id = "B";
  // A has 15:00 only, B has 16:00 only.
  const auto obs = parse_observations_csv("station,time,PM2.5\nA,2015-12-07T15:00,80\nB,2015-12-07T16:00,90\n", "obs.csv", kTz);
  const auto w = start_analysis_warnings(config, obs);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::Contains("station B") && Catch::Contains("2015-12-07T15:00:00+08:00"));
  config.model.initial = InitialKind::background;
  CHECK(start_analysis_warnings(config, obs).empty());
}

// lantian-fit: two tags at station A, tag0 = 60 + 20 sin(h/5), tag1 = 40 + 15 cos(h/7) (their
// sum is the model), observed = 2 tag0 + 0.5 tag1 at every hour. Run 1 has no earlier day: its
// scalings are 1 (lantian-fit = lantian). Run 2 (24 h later) learns from run 1's first 24 h:
// with a negligible ridge the least squares recover (2, 0.5) and lantian-fit equals the
// observations to 1e-6; the scalings are kept per issue.
TEST_CASE("verify: the tag scalings are fitted to the earlier days only", "[verify][fit]") {
  auto tag0 = [](long h) { return 60.0 + 20.0 * std::sin(static_cast<double>(h) / 5.0); };
  auto tag1 = [](long h) { return 40.0 + 15.0 * std::cos(static_cast<double>(h) / 7.0); };
  std::string obs = "station,time,PM2.5\n";
  for (long h = -48; h < 72; ++h)
    obs += "A," + format_local(kT0 + h, kTz) + "," + std::to_string(2.0 * tag0(h) + 0.5 * tag1(h)) + "\n";
  std::vector<RunSeries> runs(2);
  for (long k = 0; k < 2; ++k) {
    RunSeries& r = runs[static_cast<std::size_t>(k)];
    r.source = "run" + std::to_string(k + 1);
    r.start = kT0 + 24 * k;
    r.hours = 48;
    r.stations = {"A"};
    r.tag_names = {"industry", "background"};
    r.pm25.assign(1, std::vector<double>(48));
    r.tags.assign(2, std::vector<std::vector<double>>(1, std::vector<double>(48)));
    for (long i = 0; i < 48; ++i) {
      const long h = 24 * k + i;
      // (std::to_string writes the observations to 1e-6: the tolerances below allow for it.)
      r.tags[0][0][static_cast<std::size_t>(i)] = tag0(h);
      r.tags[1][0][static_cast<std::size_t>(i)] = tag1(h);
      r.pm25[0][static_cast<std::size_t>(i)] = tag0(h) + tag1(h);
    }
  }
  VerifyOptions opt;
  opt.tz = kTz;
  opt.fit_ridge = 1e-12;
  const VerifyResult r = verify_runs(runs, parse_observations_csv(obs, "obs.csv", kTz), opt);
  REQUIRE(r.forecasts.size() == 4);
  CHECK(r.forecasts[3] == "lantian-fit");
  REQUIRE(r.issues.size() == 2);
  CHECK(r.issues[0].scalings == std::vector<double>{1.0, 1.0});
  CHECK(r.issues[1].scalings[0] == Approx(2.0).epsilon(1e-6));
  CHECK(r.issues[1].scalings[1] == Approx(0.5).epsilon(1e-6));
  for (const VerifyPair& p : r.pairs) {
    if (p.run == 0) CHECK(p.mod[3] == Approx(p.mod[0]).epsilon(1e-12));
    else CHECK(p.mod[3] == Approx(p.obs).epsilon(1e-6));
  }
  // The tags must be the same in every run.
  runs[1].tag_names = {"industry", "traffic"};
  CHECK_THROWS_WITH(verify_runs(runs, parse_observations_csv(obs, "obs.csv", kTz), opt), Catch::Contains("tags differ"));
}
