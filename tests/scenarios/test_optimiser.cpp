// The optimal control plan (scenarios/optimiser.hpp) against a brute-force enumeration of every
// combination of 8 actions (256), written here independently of evaluate_plan.
//
// The problem: 2 stations × 2 days, target AQI 200 -> daily-mean PM2.5 <= 150 µg/m³.
// Baseline [s0d0, s0d1, s1d0, s1d1] = 170, 160, 158, 175: reductions needed 20, 10, 8, 25.
//   action               effect (µg/m³)      cost (万元)  removed SO2, NOx, PM, VOCs (t)  group
//   0 stop line A1       8, 4, 3, 10           120        5, 8, 2, 0                      0
//   1 limit line A1      4, 2, 1.5, 5           50        2.5, 4, 1, 0                    0
//   2 stop line B1       6, 6, 2, 4             90        3, 6, 1.5, 1                    1
//   3 limit line B1      3, 3, 1, 2             40        1.5, 3, 0.75, 0.5               1
//   4 construction stop  5, 2, 4, 6             60        0, 0, 6, 0
//   5 diesel truck ban   3, 1, 2, 5             30        0, 7, 1, 0
//   6 VOC works stop     2, 1, 1, 3             25        0, 0, 0, 9
//   7 machinery 50%      2, 2, 2, 2             20        0.5, 3, 1, 0
// Whole society 50, 100, 40, 60 t.
// Enumerated by hand (and by the brute force below):
//   no floors: {0, 4, 5, 6, 7} at 255 万元; s0d0 = 170-8-5-3-2-2 = 150 and s0d1 = 160-4-2-1-1-2 = 150
//     bind; NOx removed 18 t.
//   NOx floor 20% (20 t): {1, 2, 4, 5, 6, 7} at 275 万元, NOx removed exactly 20 t (binds).
//     Without the exclusive groups the optimum would be {0, 1, 3, 5, 6} at 265 万元 (stop AND
//     limit line A1): exclusivity costs 10 万元.
//   construction stop exempted: s1d1 can reach at most 10 + 4 + 5 + 3 + 2 = 24 < 25 -> infeasible.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "core/error.hpp"
#include "scenarios/optimiser.hpp"

using namespace lantian;

namespace {

constexpr double kWan = 1e4;  // 万元

PlanProblem demo_problem() {
  PlanProblem p;
  p.stations = 2;
  p.days = 2;
  p.baseline = {170, 160, 158, 175};
  p.target_aqi = 200;
  p.whole_society_t = {50, 100, 40, 60};
  p.station_names = {"A", "B"};
  struct Row {
    const char* name;
    std::vector<double> effect;
    double cost;
    std::array<double, 4> removed;
    int group;
  };
  const std::vector<Row> rows{
      {"stop line A1", {8, 4, 3, 10}, 120, {5, 8, 2, 0}, 0},
      {"limit line A1", {4, 2, 1.5, 5}, 50, {2.5, 4, 1, 0}, 0},
      {"stop line B1", {6, 6, 2, 4}, 90, {3, 6, 1.5, 1}, 1},
      {"limit line B1", {3, 3, 1, 2}, 40, {1.5, 3, 0.75, 0.5}, 1},
      {"construction stop", {5, 2, 4, 6}, 60, {0, 0, 6, 0}, -1},
      {"diesel truck ban", {3, 1, 2, 5}, 30, {0, 7, 1, 0}, -1},
      {"VOC works stop", {2, 1, 1, 3}, 25, {0, 0, 0, 9}, -1},
      {"non-road machinery 50%", {2, 2, 2, 2}, 20, {0.5, 3, 1, 0}, -1},
  };
  for (const Row& r : rows) {
    PlanAction a;
    a.name = r.name;
    a.effect = r.effect;
    a.cost_yuan = r.cost * kWan;
    a.removed_t = r.removed;
    a.group = r.group;
    p.actions.push_back(a);
  }
  return p;
}

struct Brute {
  bool feasible = false;
  double cost = 0.0;
  std::vector<std::size_t> chosen;
};

/// Every subset of the actions, checked directly against the problem's definition.
Brute brute_force(const PlanProblem& p, double limit) {
  Brute best;
  const std::size_t n = p.actions.size();
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::vector<std::size_t> chosen;
    for (std::size_t a = 0; a < n; ++a)
      if (mask & (1u << a)) chosen.push_back(a);
    bool ok = true;
    for (std::size_t a = 0; a < n && ok; ++a) {
      const bool on = (mask & (1u << a)) != 0;
      if (p.actions[a].status == PlanAction::Status::Forced && !on) ok = false;
      if (p.actions[a].status == PlanAction::Status::Excluded && on) ok = false;
      for (std::size_t b = a + 1; b < n && ok; ++b)
        if (on && (mask & (1u << b)) && p.actions[a].group >= 0 && p.actions[a].group == p.actions[b].group) ok = false;
    }
    for (std::size_t i = 0; i < p.baseline.size() && ok; ++i) {
      if (std::isnan(p.baseline[i])) continue;
      double v = p.baseline[i];
      for (std::size_t a : chosen) v -= p.actions[a].effect[i];
      if (v > limit + 1e-9) ok = false;
    }
    for (std::size_t k = 0; k < 4 && ok; ++k) {
      double removed = 0.0;
      for (std::size_t a : chosen) removed += p.actions[a].removed_t[k];
      if (removed < p.floor[k] * p.whole_society_t[k] - 1e-9) ok = false;
    }
    if (!ok) continue;
    double cost = 0.0;
    for (std::size_t a : chosen) cost += p.actions[a].cost_yuan;
    if (!best.feasible || cost < best.cost) best = {true, cost, chosen};
  }
  return best;
}

const ConstraintReport* find_row(const PlanResult& r, ConstraintKind kind, std::size_t station, std::size_t day,
                                 int pollutant = -1) {
  for (const auto& c : r.constraints)
    if (c.kind == kind && (kind != ConstraintKind::StationDay || (c.station == station && c.day == day)) &&
        (kind != ConstraintKind::Floor || c.pollutant == pollutant))
      return &c;
  return nullptr;
}

/// LP relaxation sanity: a lower bound; duals of >= rows non-negative, complementary slackness.
void check_lp(const PlanResult& r) {
  REQUIRE(r.lp_solved);
  CHECK(r.lp_cost_yuan <= r.plan.cost_yuan + 1e-6);
  for (const auto& c : r.constraints) {
    if (c.kind == ConstraintKind::Exclusive) {
      CHECK(c.lp_dual <= 1e-9);
      continue;
    }
    CHECK(c.lp_dual >= -1e-6);
    if (c.lp_dual > 1e-6) CHECK(std::abs(c.lp_slack) < 1e-6);
  }
}

}  // namespace

TEST_CASE("optimal plan equals the brute-force optimum", "[optimiser]") {
  PlanProblem p = demo_problem();
  const double limit = pm25_limit_for_aqi(p.target_aqi);
  REQUIRE(limit == 150.0);
  const PlanResult r = optimise_plan(p);
  REQUIRE(r.status == PlanStatus::Optimal);
  CHECK(r.limit_pm25 == 150.0);
  CHECK(r.plan.chosen == std::vector<std::size_t>{0, 4, 5, 6, 7});
  CHECK(r.plan.cost_yuan == Approx(255 * kWan));
  const Brute b = brute_force(p, limit);
  REQUIRE(b.feasible);
  CHECK(r.plan.cost_yuan == Approx(b.cost));
  CHECK(r.plan.feasible);
  CHECK(r.plan.achieved == std::vector<double>{150, 150, 146, 149});
  // s0d0 and s0d1 bind at 150; s1d1 has 1 µg/m³ of slack.
  CHECK(find_row(r, ConstraintKind::StationDay, 0, 0)->binding);
  CHECK(find_row(r, ConstraintKind::StationDay, 0, 1)->binding);
  CHECK(!find_row(r, ConstraintKind::StationDay, 1, 1)->binding);
  CHECK(find_row(r, ConstraintKind::StationDay, 1, 1)->slack == Approx(1.0));
  CHECK(r.unreachable.empty());
  check_lp(r);
  CHECK_THAT(format_plan_report(p, r), Catch::Matchers::Contains("construction stop"));
}

TEST_CASE("a binding floor and exclusivity change the plan", "[optimiser]") {
  PlanProblem p = demo_problem();
  p.floor = {0.1, 0.2, 0.1, 0.1};  // NOx: 20 t
  const double limit = pm25_limit_for_aqi(p.target_aqi);
  const PlanResult r = optimise_plan(p);
  REQUIRE(r.status == PlanStatus::Optimal);
  CHECK(r.plan.chosen == std::vector<std::size_t>{1, 2, 4, 5, 6, 7});
  CHECK(r.plan.cost_yuan == Approx(275 * kWan));
  CHECK(r.plan.cost_yuan == Approx(brute_force(p, limit).cost));
  const ConstraintReport* nox = find_row(r, ConstraintKind::Floor, 0, 0, 1);
  REQUIRE(nox != nullptr);
  CHECK(nox->value == Approx(20.0));
  CHECK(nox->bound == Approx(20.0));
  CHECK(nox->binding);
  check_lp(r);
  // Never both alternatives of a line.
  for (const auto& c : r.constraints)
    if (c.kind == ConstraintKind::Exclusive) CHECK(c.value <= 1.0);

  // Without the groups, stop and limit of line A1 together are cheaper (265 万元).
  PlanProblem free = p;
  for (auto& a : free.actions) a.group = -1;
  const PlanResult f = optimise_plan(free);
  REQUIRE(f.status == PlanStatus::Optimal);
  CHECK(f.plan.chosen == std::vector<std::size_t>{0, 1, 3, 5, 6});
  CHECK(f.plan.cost_yuan == Approx(265 * kWan));
  CHECK(f.plan.cost_yuan == Approx(brute_force(free, limit).cost));
}

TEST_CASE("forced and excluded actions, infeasibility is reported", "[optimiser]") {
  PlanProblem p = demo_problem();
  const double limit = pm25_limit_for_aqi(p.target_aqi);
  p.actions[1].status = PlanAction::Status::Forced;  // limit line A1 is in the enterprise's plan
  PlanResult r = optimise_plan(p);
  REQUIRE(r.status == PlanStatus::Optimal);
  CHECK(r.plan.chosen == std::vector<std::size_t>{1, 2, 4, 5, 6, 7});
  CHECK(r.plan.cost_yuan == Approx(brute_force(p, limit).cost));

  p = demo_problem();
  p.actions[4].status = PlanAction::Status::Excluded;  // construction exempted
  r = optimise_plan(p);
  CHECK(!brute_force(p, limit).feasible);
  CHECK(r.status == PlanStatus::Infeasible);
  REQUIRE(r.unreachable.size() == 1);
  CHECK(r.unreachable[0].station == 1);
  CHECK(r.unreachable[0].day == 1);
  CHECK(r.unreachable[0].best == Approx(151.0));  // 175 − (10 + 4 + 5 + 3 + 2)
  CHECK_THAT(r.message, Catch::Matchers::Contains("every allowed action"));
  CHECK_THAT(format_plan_report(p, r), Catch::Matchers::Contains("B day 1"));

  // A floor beyond reach: VOCs at most 9 + 1 = 10 t < 20% of 60 t.
  p = demo_problem();
  p.floor = {0, 0, 0, 0.2};
  r = optimise_plan(p);
  CHECK(r.status == PlanStatus::Infeasible);
  CHECK(r.floors_unreachable == std::array<bool, 4>{false, false, false, true});
  CHECK(r.unreachable.empty());
}

TEST_CASE("each station-day reachable alone but not together", "[optimiser]") {
  // One line: stop it (helps day 0) OR limit it (helps day 1); both days need 5 µg/m³.
  PlanProblem p;
  p.stations = 1;
  p.days = 2;
  p.baseline = {155, 155};
  p.actions.push_back({"stop", 100, {}, {10, 0}, 0, PlanAction::Status::Free});
  p.actions.push_back({"limit", 50, {}, {0, 10}, 0, PlanAction::Status::Free});
  const PlanResult r = optimise_plan(p);
  CHECK(r.status == PlanStatus::Infeasible);
  CHECK(r.unreachable.empty());
  CHECK_THAT(r.message, Catch::Matchers::Contains("together"));
}

TEST_CASE("the LP relaxation's dual is the marginal cost of the limit", "[optimiser]") {
  // One station-day 160 -> 150 needs 10 µg/m³; one action removes 20 for 100 yuan.
  // LP: x = 0.5, cost 50, dual 100 / 20 = 5 yuan per µg/m³. MILP: x = 1, 10 µg/m³ slack.
  PlanProblem p;
  p.stations = 1;
  p.days = 1;
  p.baseline = {160};
  p.actions.push_back({"a", 100, {}, {20}, -1, PlanAction::Status::Free});
  const PlanResult r = optimise_plan(p);
  REQUIRE(r.status == PlanStatus::Optimal);
  REQUIRE(r.lp_solved);
  CHECK(r.lp_cost_yuan == Approx(50.0));
  REQUIRE(r.constraints.size() == 1);
  CHECK(r.constraints[0].lp_dual == Approx(5.0));
  CHECK(r.constraints[0].lp_slack == Approx(0.0).margin(1e-9));
  CHECK(r.constraints[0].slack == Approx(10.0));
  CHECK(!r.constraints[0].binding);
  CHECK(r.binding().empty());
}

TEST_CASE("comparison with a reference plan", "[optimiser]") {
  PlanProblem p = demo_problem();
  PlanOptions o;
  o.reference = std::vector<std::size_t>{0, 2, 4, 5, 6, 7};  // "stop everything" standard plan
  PlanResult r = optimise_plan(p, o);
  REQUIRE(r.status == PlanStatus::Optimal);
  REQUIRE(r.reference.has_value());
  CHECK(r.reference->feasible);
  CHECK(r.reference->cost_yuan == Approx(345 * kWan));
  CHECK(r.saving_vs_reference_yuan == Approx(90 * kWan));
  // A reference with both exclusive alternatives of line A1 (stop AND limit) is infeasible.
  o.reference = std::vector<std::size_t>{0, 1, 4, 5, 7};
  r = optimise_plan(p, o);
  REQUIRE(r.reference.has_value());
  CHECK(!r.reference->feasible);
  CHECK(r.reference->groups_violated == std::vector<int>{0});
  CHECK_THAT(format_plan_report(p, r), Catch::Matchers::Contains("infeasible"));
}

TEST_CASE("random problems match the brute force", "[optimiser]") {
  std::uint64_t x = 42;
  auto rnd = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  int feasible = 0;
  for (int trial = 0; trial < 30; ++trial) {
    PlanProblem p;
    p.stations = 3;
    p.days = 3;
    p.target_aqi = 150;  // 115 µg/m³
    for (int i = 0; i < 9; ++i) p.baseline.push_back(100.0 + 40.0 * rnd());
    p.whole_society_t = {10, 10, 10, 10};
    p.floor = {0.1 * rnd(), 0.1 * rnd(), 0.0, 0.0};
    for (int a = 0; a < 8; ++a) {
      PlanAction act;
      act.name = std::to_string(a);
      act.cost_yuan = std::round(1000.0 * rnd()) + 1.0;
      for (int i = 0; i < 9; ++i) act.effect.push_back(8.0 * rnd());
      act.removed_t = {2.0 * rnd(), 2.0 * rnd(), 0.0, 0.0};
      act.group = a < 4 ? a / 2 : -1;  // two groups of two
      p.actions.push_back(act);
    }
    const Brute b = brute_force(p, pm25_limit_for_aqi(p.target_aqi));
    const PlanResult r = optimise_plan(p);
    INFO("trial " << trial);
    if (b.feasible) {
      ++feasible;
      REQUIRE(r.status == PlanStatus::Optimal);
      CHECK(r.plan.cost_yuan == Approx(b.cost));
      CHECK(r.plan.feasible);
    } else {
      CHECK(r.status == PlanStatus::Infeasible);
    }
  }
  CHECK(feasible >= 5);  // the draw exercises both outcomes
  CHECK(feasible <= 25);
}

TEST_CASE("invalid problems throw", "[optimiser]") {
  PlanProblem p = demo_problem();
  p.actions[3].effect.pop_back();
  CHECK_THROWS_WITH(optimise_plan(p), Catch::Matchers::Contains("plan.actions[3].effect"));
  p = demo_problem();
  p.actions[2].cost_yuan = -1;
  CHECK_THROWS_AS(optimise_plan(p), Error);
  p = demo_problem();
  p.floor[0] = 1.5;
  CHECK_THROWS_AS(optimise_plan(p), Error);
  p = demo_problem();
  CHECK_THROWS_AS(evaluate_plan(p, std::vector<std::size_t>{8}), Error);
}
