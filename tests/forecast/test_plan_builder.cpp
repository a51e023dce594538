// The optimal-plan builder (scenarios/plan_builder): on the demo city coarsened to 4 km and one
// local day (2024-12-13, 24 hours, measures over the whole period at orange from 03:00), the candidate actions, their effects against independent
// references (the superposition of the tags; the screening's line contributions), a loose target
// (nothing to do, cost 0), an unreachable target (every station-day listed) and a reachable one
// for the lines alone (the optimum is minimal: dropping any costly action breaks it).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/case_config.hpp"
#include "core/demo_case.hpp"
#include "core/temp_dir.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/forecast.hpp"
#include "scenarios/metrics.hpp"
#include "scenarios/optimiser.hpp"
#include "forecast/plan_builder.hpp"
#include "forecast/plume_screening.hpp"
#include "scenarios/superposition.hpp"

using namespace lantian;

namespace {

/// The demo case on a 20 x 20 grid of 4 km (the same 80 km square), 24 hours from local midnight
/// of 13 December (one whole local day), tags by sector, paths absolute.
std::string coarse_demo_case() {
  return test::demo_case_text(test::DemoCaseOptions::coarse_day());  // sector tags stay
}

/// One forecast, screening and plan model shared by the tests (built once).
struct Fixture {
  test::TempDir dir;
  CaseInputs in;
  ForecastResult forecast;
  PlumeScreening screening;
  Fixture() : in(assemble_case(load_case(dir.write("case.toml", coarse_demo_case())))) {
    ForecastOptions fo;
    fo.reruns = false;
    forecast = run_forecast(in, fo);
    screening = run_plume_screening(in, PlumeScreeningOptions{});
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

PlanModel model_for(int target_aqi, bool floors) {
  PlanBuildOptions o;
  o.target_aqi = target_aqi;
  o.floors = floors;
  o.whole_period = true;  // the baseline decides its warning at 16:00, too late for one day
  return build_plan_model(fixture().in, fixture().forecast, fixture().screening, o);
}

}  // namespace

TEST_CASE("plan builder: candidates, days and effects against independent references", "[plan][demo][slow]") {
  Fixture& f = fixture();
  const PlanModel m = model_for(200, true);
  REQUIRE(m.windows.size() == 1u);  // the whole period at orange
  CHECK(m.active_hours == 21);      // 24 hours less the 3-h lead
  const auto& inv = f.in.inventory;
  const PlanProblem& p = m.problem;
  REQUIRE(p.actions.size() == m.candidates.size());
  CHECK(p.stations == 8u);
  REQUIRE(p.days == 1u);  // 2024-12-13, 24 local hours
  CHECK(m.day_labels[0] == "2024-12-13");
  CHECK(m.day_hours[0] == 24u);

  // Candidates: every line of a non-exempt enterprise with an emission share, stop (+ limit when
  // it can stop and has a minimum load), one group per line; exempt lines excluded.
  std::size_t expected = 0, exempt = 0;
  for (const auto& line : inv.lines) {
    if (inv.enterprises[line.enterprise].exempt) {
      ++exempt;
      continue;
    }
    bool any = false;
    for (const double s : line.share) any = any || s > 0.0;
    if (any) expected += (line.can_stop && line.min_load > 0.0) ? 2 : 1;
  }
  std::size_t line_actions = 0, sector_actions = 0;
  for (const auto& c : m.candidates) {
    if (c.kind == PlanCandidate::Kind::sector) {
      ++sector_actions;
    } else {
      ++line_actions;
      CHECK_FALSE(inv.enterprises[inv.lines[c.line].enterprise].exempt);
    }
  }
  CHECK(line_actions == expected);
  CHECK(m.exempt_lines == exempt);
  CHECK(exempt > 0u);
  CHECK(sector_actions >= 4u);  // orange: construction, road washing, diesel trucks, non-road, VOC works, barbecue

  // The day's mean of the baseline is the mean of its 24 hours.
  for (std::size_t s = 0; s < p.stations; ++s) {
    double sum = 0.0;
    for (std::size_t h = 0; h < 24; ++h) sum += f.forecast.baseline_pm25[s * 24 + h];
    CHECK(p.baseline[s] == Approx(sum / 24.0).epsilon(1e-12));
  }

  // A sector measure (area/road sources only) is exactly the tags' superposition of its scenario.
  const PlanEffects effects(f.in, f.forecast, f.screening, m.windows);
  for (std::size_t a = 0; a < m.candidates.size(); ++a) {
    const PlanCandidate& c = m.candidates[a];
    if (c.kind != PlanCandidate::Kind::sector) continue;
    const MeasureInputs mi = f.forecast.scenarios.inputs(inv);
    const ScenarioFactors fac = eulerian_factors(c.scenario, mi, f.forecast.baseline.sources, f.in.period, m.windows);
    const std::vector<double> sup = superpose(
        pollutant_contributions(f.forecast.baseline),
        superposition_weights(f.forecast.baseline, f.forecast.baseline.annual_rates, fac));
    const std::vector<double> eff = effects.hourly_effect(c.scenario);
    REQUIRE(eff.size() == sup.size());
    double largest = 0.0;
    for (std::size_t i = 0; i < eff.size(); ++i) {
      CHECK(eff[i] == Approx(f.forecast.baseline_pm25[i] - sup[i]).margin(1e-9));
      largest = std::max(largest, eff[i]);
    }
    CHECK(largest > 0.0);
    CHECK(p.actions[a].cost_yuan == 0.0);
  }

  // A line stop: its primary part is the screening's line contribution over the active hours;
  // the secondary part (tags) adds a non-negative amount. Cost = lost output x hours x (1 - load).
  const auto line_c = f.screening.line_contributions(inv, emissions::EmittedPollutant::pm25, p.stations);
  const auto segments = schedule(m.candidates[0].scenario, f.in.period, m.windows, f.forecast.scenarios.settings);
  std::vector<bool> active(24, false);
  int n_active = 0;
  for (const auto& seg : segments)
    for (std::int64_t h = seg.begin; h < seg.end; ++h)
      if (seg.response) {
        active[static_cast<std::size_t>(h)] = true;
        ++n_active;
      }
  REQUIRE(n_active > 0);
  std::size_t checked = 0;
  for (std::size_t a = 0; a < m.candidates.size() && checked < 5; ++a) {
    const PlanCandidate& c = m.candidates[a];
    if (c.kind != PlanCandidate::Kind::line_stop || !inv.lines[c.line].can_stop) continue;
    ++checked;
    const std::size_t nl = inv.lines.size();
    for (std::size_t s = 0; s < p.stations; ++s) {
      double primary = 0.0;
      for (std::size_t h = 0; h < 24; ++h)
        if (active[h]) primary += line_c[(h * p.stations + s) * nl + c.line] / 24.0;
      CHECK(p.actions[a].effect[s] >= primary - 1e-6);  // effects below 1e-6 are dropped
    }
    CHECK(p.actions[a].cost_yuan == Approx(inv.lines[c.line].lost_output_per_hour * n_active).epsilon(1e-12));
    CHECK(p.actions[a].group >= 0);
  }
  CHECK(checked == 5u);
}

TEST_CASE("plan builder: a target above the baseline needs nothing, an unreachable one lists every station-day",
          "[plan][demo][slow]") {
  const PlanModel loose = model_for(499, false);
  const PlanResult r = optimise_plan(loose.problem);
  REQUIRE(r.status == PlanStatus::Optimal);
  CHECK(r.plan.cost_yuan == 0.0);
  for (const std::size_t a : r.plan.chosen) CHECK(loose.candidates[a].kind == PlanCandidate::Kind::sector);

  const PlanModel strict = model_for(0, false);  // PM2.5 <= 0: impossible (the background stays)
  const PlanResult s = optimise_plan(strict.problem);
  CHECK(s.status == PlanStatus::Infeasible);
  CHECK(s.unreachable.size() == strict.problem.stations * strict.problem.days);
  for (const auto& u : s.unreachable) CHECK(u.best > u.limit);
}

TEST_CASE("plan builder: the optimum of a reachable target is minimal",
          "[plan][demo][slow]") {
  // The lines alone (sector measures excluded) against a limit placed halfway into their reach at
  // the worst station-day: the baselines are shifted so that the worst one needs half of what
  // every line (the best member of each group) can remove there.
  PlanModel m = model_for(200, false);
  PlanProblem& p = m.problem;
  for (std::size_t a = 0; a < p.actions.size(); ++a)
    if (m.candidates[a].kind == PlanCandidate::Kind::sector) p.actions[a].status = PlanAction::Status::Excluded;
  std::size_t worst = 0;
  for (std::size_t i = 0; i < p.baseline.size(); ++i)
    if (std::isfinite(p.baseline[i]) && p.baseline[i] > p.baseline[worst]) worst = i;
  std::map<int, double> group_best;
  for (std::size_t a = 0; a < p.actions.size(); ++a)
    if (p.actions[a].status != PlanAction::Status::Excluded)
      group_best[p.actions[a].group] = std::max(group_best[p.actions[a].group], p.actions[a].effect[worst]);
  double reach = 0.0;
  for (const auto& [g, v] : group_best) reach += v;
  REQUIRE(reach > 0.1);
  const double limit = pm25_limit_for_aqi(p.target_aqi);
  const double shift = p.baseline[worst] - (limit + 0.5 * reach);
  for (double& v : p.baseline) v -= shift;
  INFO("worst station-day " << worst << ", lines' reach there " << reach << " ug/m3");
  const PlanResult r = optimise_plan(m.problem);
  INFO(format_plan_report(m.problem, r));
  REQUIRE(r.status == PlanStatus::Optimal);
  REQUIRE(r.plan.feasible);
  CHECK(r.plan.cost_yuan > 0.0);
  const PlanEvaluation again = evaluate_plan(m.problem, r.plan.chosen);
  CHECK(again.feasible);
  CHECK(again.cost_yuan == Approx(r.plan.cost_yuan));
  // Minimal: without any costly chosen action the plan fails (else a cheaper plan would exist).
  for (const std::size_t a : r.plan.chosen) {
    if (m.problem.actions[a].cost_yuan <= 0.0) continue;
    std::vector<std::size_t> fewer;
    for (const std::size_t b : r.plan.chosen)
      if (b != a) fewer.push_back(b);
    CHECK_FALSE(evaluate_plan(m.problem, fewer).feasible);
  }
  // The reference (plans-orange) goes through the same model: its lines cost lost output.
  const PlanEvaluation ref = evaluate_plan(m.reference_problem(), std::vector<std::size_t>{0});
  CHECK(ref.cost_yuan > 0.0);
  CHECK(ref.feasible == ref.over_target.empty());
  // The outputs name the chosen lines.
  const std::string json = plan_json(m, r, ref, fixture().in.period.zone());
  const std::string csv = plan_csv(m, r);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == static_cast<long>(r.plan.chosen.size() + 1));
  for (const std::size_t a : r.plan.chosen)
    if (m.candidates[a].kind != PlanCandidate::Kind::sector) CHECK(json.find(m.candidates[a].line_id) != std::string::npos);
}

