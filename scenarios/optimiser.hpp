#pragma once
// The optimal control plan (最优管控方案): which production lines to stop or limit and which
// sector measures to apply so that every station's daily AQI stays at or below a target, the
// level's per-pollutant floors are met (DOMAIN.md §4), exemptions and line constraints hold,
// at the least cost (issue 6). A mixed-integer linear programme solved with GLPK (glp_intopt,
// presolve on), after its LP relaxation (glp_simplex) for the duals.
//
//   minimise    Σ_a cost_a x_a,                           x_a ∈ {0, 1}
//   subject to  Σ_a effect_a[s][d] x_a >= baseline[s][d] − L     every station-day with a baseline
//               Σ_a removed_a[p] x_a  >= floor[p] · W[p]          every pollutant with floor > 0
//               Σ_{a ∈ g} x_a <= 1                                every exclusive group g
//               x_a = 1 (forced), x_a = 0 (excluded: exemptions 豁免)
// where L = pm25_limit_for_aqi(target_aqi) (AQI 200 -> 150 µg/m³, from the foundation's HJ 633
// IAQI) and effect_a[s][d] is the linear reduction of station s's daily-mean PM2.5 on day d by
// action a (from superposition: the action's tags' contributions times its cut, averaged over
// the day). A "day" is whatever 24-h blocks the caller averaged over (local calendar days, or
// blocks from the issue time). Linearity: effects add; the effects of exclusive alternatives
// (stop a line OR limit it) are separate actions of one group.
//
// Infeasibility is reported, not thrown: the station-days that cannot meet the target even with
// every allowed action applied (the largest reduction each could get, the exclusive groups
// respected), floors that cannot be met, conflicting forced actions; or, when each constraint is
// reachable alone but not all together, GLPK's verdict.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scenarios/metrics.hpp"

namespace lantian {

/// A candidate action (措施), e.g. "stop line 2 of enterprise E" or "construction stop".
struct PlanAction {
  enum class Status : std::uint8_t { Free, Forced, Excluded };
  std::string name;
  double cost_yuan = 0.0;                                   ///< lost output over the episode, 元
  std::array<double, kFloorPollutantCount> removed_t{};     ///< SO2, NOx, PM, VOCs removed, t
  std::vector<double> effect;  ///< [station][day] reduction of daily-mean PM2.5, µg/m³
  int group = -1;              ///< mutually exclusive group (-1: none), e.g. one per line
  Status status = Status::Free;  ///< Forced: must be applied; Excluded: may not (exempt)
};

struct PlanProblem {
  std::size_t stations = 0, days = 0;
  /// [station][day] daily-mean PM2.5 of the baseline, µg/m³; NaN: unconstrained station-day.
  std::vector<double> baseline;
  int target_aqi = 200;  ///< every station-day's daily AQI <= target (e.g. 200: below heavy)
  std::array<double, kFloorPollutantCount> floor{};            ///< share of W to remove (0.2); 0 = none
  std::array<double, kFloorPollutantCount> whole_society_t{};  ///< W: 全社会排放量 over the episode, t
  std::vector<PlanAction> actions;
  std::vector<std::string> station_names;  ///< optional, one per station (reports)
  /// Throws lantian::Error naming the field ("plan.actions[3].effect[5]", ...).
  void validate() const;
};

struct PlanOptions {
  double time_limit_s = 60.0;  ///< GLPK branch-and-cut limit
  double mip_gap = 0.0;        ///< relative gap at which GLPK may stop (0: proven optimum)
  /// A constraint binds when its slack is at most this (µg/m³ for station-days; times
  /// max(1, required) t for floors).
  double binding_tolerance = 1e-6;
  /// A reference plan (e.g. the standard level plan: action indices) to compare with.
  std::optional<std::vector<std::size_t>> reference;
};

/// Any set of actions checked against the problem (the optimum, a reference, a brute force).
struct PlanEvaluation {
  std::vector<std::size_t> chosen;  ///< action indices, ascending
  double cost_yuan = 0.0;
  std::vector<double> achieved;     ///< [station][day] daily-mean PM2.5 under the plan (NaN: unconstrained)
  std::array<double, kFloorPollutantCount> removed_t{}, required_t{};
  std::array<bool, kFloorPollutantCount> floor_met{};
  struct Exceedance {
    std::size_t station = 0, day = 0;
    double achieved = 0.0, limit = 0.0;
  };
  std::vector<Exceedance> over_target;  ///< station-days above the limit
  std::vector<int> groups_violated;     ///< groups with more than one chosen action
  std::vector<std::size_t> forced_missing, excluded_chosen;
  bool feasible = false;
};

enum class ConstraintKind : std::uint8_t { StationDay, Floor, Exclusive };

/// One constraint of the programme under the chosen plan and under the LP relaxation.
struct ConstraintReport {
  ConstraintKind kind = ConstraintKind::StationDay;
  std::size_t station = 0, day = 0;  ///< StationDay
  int pollutant = -1;                ///< Floor: index into kFloorPollutantNames
  int group = -1;                    ///< Exclusive
  /// StationDay: achieved daily mean and the limit L (µg/m³), slack = L − achieved.
  /// Floor: removed and required t, slack = removed − required. Exclusive: chosen count and 1.
  double value = 0.0, bound = 0.0, slack = 0.0;
  bool binding = false;
  /// The LP relaxation (x in [0, 1]): the same slack, and the dual = d(cost)/d(tightening):
  /// yuan per µg/m³ of a lower limit (StationDay), yuan per t more to remove (Floor), yuan per
  /// unit of the group's right-hand side (Exclusive, <= 0). NaN when the LP was not solved.
  double lp_slack = 0.0, lp_dual = 0.0;
  std::string describe(const PlanProblem& problem) const;
};

enum class PlanStatus : std::uint8_t {
  Optimal,     ///< proven optimum (within mip_gap)
  Feasible,    ///< time limit: the best plan found, not proven optimal
  Infeasible,  ///< no plan meets every constraint (see unreachable, floors_unreachable, message)
  NoSolution,  ///< time limit before any feasible plan was found
};
std::string_view plan_status_name(PlanStatus s) noexcept;

/// A station-day that cannot meet the target with every allowed action applied.
struct UnreachableStationDay {
  std::size_t station = 0, day = 0;
  double baseline = 0.0, best = 0.0, limit = 0.0;  ///< µg/m³; best = baseline − largest reduction
};

struct PlanResult {
  PlanStatus status = PlanStatus::Infeasible;
  std::string message;
  double limit_pm25 = 0.0;           ///< L, µg/m³
  PlanEvaluation plan;               ///< the chosen actions (empty unless Optimal/Feasible)
  bool lp_solved = false;            ///< the LP relaxation reached an optimum
  double lp_cost_yuan = 0.0;         ///< its cost: a lower bound on any plan's
  std::vector<ConstraintReport> constraints;  ///< every row: station-days, floors, groups
  std::vector<UnreachableStationDay> unreachable;
  std::array<bool, kFloorPollutantCount> floors_unreachable{};
  std::optional<PlanEvaluation> reference;  ///< the reference plan, evaluated
  double saving_vs_reference_yuan = 0.0;    ///< reference cost − plan cost (when both exist)
  /// The binding constraints (binding == true), in row order.
  std::vector<ConstraintReport> binding() const;
};

/// Checks a set of actions against the problem (limits, floors, groups, forced/excluded).
/// Throws lantian::Error on an invalid problem or an action index out of range.
PlanEvaluation evaluate_plan(const PlanProblem& problem, std::span<const std::size_t> chosen,
                             double tolerance = 1e-6);

/// Solves the programme. Throws lantian::Error on an invalid problem or options; infeasibility
/// and time limits are reported in the result.
PlanResult optimise_plan(const PlanProblem& problem, const PlanOptions& options = {});

/// A human report: status, cost, chosen actions, binding constraints with LP duals,
/// unreachable station-days, the comparison with the reference.
std::string format_plan_report(const PlanProblem& problem, const PlanResult& result);

}  // namespace lantian
