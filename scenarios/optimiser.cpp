#include "scenarios/optimiser.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>

#include "core/error.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string station_name(const PlanProblem& p, std::size_t s) {
  return s < p.station_names.size() ? p.station_names[s] : "station " + std::to_string(s);
}

struct ProbDeleter {
  void operator()(glp_prob* p) const noexcept { glp_delete_prob(p); }
};
using Prob = std::unique_ptr<glp_prob, ProbDeleter>;

/// Silences GLPK's terminal output (glp_scale_prob and the solvers print otherwise) for the
/// guard's lifetime, restoring the caller's setting after.
class QuietGlpk {
 public:
  QuietGlpk() : previous_(glp_term_out(GLP_OFF)) {}
  ~QuietGlpk() { glp_term_out(previous_); }
  QuietGlpk(const QuietGlpk&) = delete;
  QuietGlpk& operator=(const QuietGlpk&) = delete;

 private:
  int previous_;
};

/// Rows of the programme, in order: station-days with a baseline, floors > 0, groups.
struct Row {
  ConstraintKind kind;
  std::size_t station = 0, day = 0;
  int pollutant = -1, group = -1;
};

std::vector<int> group_ids(const PlanProblem& p) {
  std::vector<int> g;
  for (const auto& a : p.actions)
    if (a.group >= 0) g.push_back(a.group);
  std::sort(g.begin(), g.end());
  g.erase(std::unique(g.begin(), g.end()), g.end());
  return g;
}

std::vector<Row> rows_of(const PlanProblem& p) {
  std::vector<Row> rows;
  for (std::size_t s = 0; s < p.stations; ++s)
    for (std::size_t d = 0; d < p.days; ++d)
      if (std::isfinite(p.baseline[s * p.days + d])) rows.push_back({ConstraintKind::StationDay, s, d, -1, -1});
  for (int k = 0; k < kFloorPollutantCount; ++k)
    if (p.floor[static_cast<std::size_t>(k)] > 0.0) rows.push_back({ConstraintKind::Floor, 0, 0, k, -1});
  for (const int g : group_ids(p)) rows.push_back({ConstraintKind::Exclusive, 0, 0, -1, g});
  return rows;
}

}  // namespace

std::string_view plan_status_name(PlanStatus s) noexcept {
  switch (s) {
    case PlanStatus::Optimal: return "optimal";
    case PlanStatus::Feasible: return "feasible (time limit)";
    case PlanStatus::Infeasible: return "infeasible";
    case PlanStatus::NoSolution: return "no solution (time limit)";
  }
  return "unknown";
}

void PlanProblem::validate() const {
  const std::size_t n = stations * days;
  if (baseline.size() != n)
    throw Error({"", 0, "plan.baseline"}, "expected stations x days = " + std::to_string(n) + " values, found " +
                                              std::to_string(baseline.size()));
  for (std::size_t i = 0; i < n; ++i)
    if (std::isinf(baseline[i]) || baseline[i] < 0.0)
      throw Error({"", 0, "plan.baseline[" + std::to_string(i) + "]"},
                  "expected a concentration >= 0 or NaN, found " + num(baseline[i]));
  if (target_aqi < 0 || target_aqi >= 500)
    throw Error({"", 0, "plan.target_aqi"}, "expected 0 <= AQI < 500, found " + std::to_string(target_aqi));
  for (int k = 0; k < kFloorPollutantCount; ++k) {
    const auto i = static_cast<std::size_t>(k);
    const std::string name(kFloorPollutantNames[i]);
    if (!std::isfinite(floor[i]) || floor[i] < 0.0 || floor[i] > 1.0)
      throw Error({"", 0, "plan.floor[" + name + "]"}, "expected a share in [0, 1], found " + num(floor[i]));
    if (!std::isfinite(whole_society_t[i]) || whole_society_t[i] < 0.0)
      throw Error({"", 0, "plan.whole_society_t[" + name + "]"},
                  "expected a finite mass >= 0 t, found " + num(whole_society_t[i]));
  }
  if (!station_names.empty() && station_names.size() != stations)
    throw Error({"", 0, "plan.station_names"}, "expected one name per station (" + std::to_string(stations) +
                                                   "), found " + std::to_string(station_names.size()));
  for (std::size_t a = 0; a < actions.size(); ++a) {
    const PlanAction& act = actions[a];
    const std::string where = "plan.actions[" + std::to_string(a) + "]";
    if (!std::isfinite(act.cost_yuan) || act.cost_yuan < 0.0)
      throw Error({"", 0, where + ".cost_yuan"}, "expected a finite cost >= 0, found " + num(act.cost_yuan));
    for (std::size_t k = 0; k < act.removed_t.size(); ++k)
      if (!std::isfinite(act.removed_t[k]) || act.removed_t[k] < 0.0)
        throw Error({"", 0, where + ".removed_t[" + std::string(kFloorPollutantNames[k]) + "]"},
                    "expected a finite mass >= 0 t, found " + num(act.removed_t[k]));
    if (act.effect.size() != n)
      throw Error({"", 0, where + ".effect"}, "expected stations x days = " + std::to_string(n) + " values, found " +
                                                 std::to_string(act.effect.size()));
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(act.effect[i]))
        throw Error({"", 0, where + ".effect[" + std::to_string(i) + "]"}, "expected a finite reduction");
    if (act.group < -1) throw Error({"", 0, where + ".group"}, "expected -1 or a group id >= 0");
  }
}

std::vector<ConstraintReport> PlanResult::binding() const {
  std::vector<ConstraintReport> out;
  for (const auto& c : constraints)
    if (c.binding) out.push_back(c);
  return out;
}

std::string ConstraintReport::describe(const PlanProblem& problem) const {
  switch (kind) {
    case ConstraintKind::StationDay:
      return station_name(problem, station) + " day " + std::to_string(day) + ": daily mean " + num(value) +
             " <= " + num(bound) + " ug/m3";
    case ConstraintKind::Floor:
      return std::string(kFloorPollutantNames[static_cast<std::size_t>(pollutant)]) + " floor: removed " +
             num(value) + " >= " + num(bound) + " t";
    case ConstraintKind::Exclusive:
      return "exclusive group " + std::to_string(group) + ": " + num(value) + " chosen <= 1";
  }
  return {};
}

PlanEvaluation evaluate_plan(const PlanProblem& problem, std::span<const std::size_t> chosen, double tolerance) {
  problem.validate();
  PlanEvaluation e;
  e.chosen.assign(chosen.begin(), chosen.end());
  std::sort(e.chosen.begin(), e.chosen.end());
  e.chosen.erase(std::unique(e.chosen.begin(), e.chosen.end()), e.chosen.end());
  for (const std::size_t a : e.chosen)
    if (a >= problem.actions.size())
      throw Error({"", 0, "plan"}, "action index " + std::to_string(a) + " out of range (" +
                                       std::to_string(problem.actions.size()) + " actions)");
  const double limit = pm25_limit_for_aqi(problem.target_aqi);
  e.achieved = problem.baseline;
  std::map<int, int> per_group;
  std::vector<bool> on(problem.actions.size(), false);
  for (const std::size_t a : e.chosen) {
    const PlanAction& act = problem.actions[a];
    on[a] = true;
    e.cost_yuan += act.cost_yuan;
    for (std::size_t i = 0; i < e.achieved.size(); ++i) e.achieved[i] -= act.effect[i];
    for (std::size_t k = 0; k < e.removed_t.size(); ++k) e.removed_t[k] += act.removed_t[k];
    if (act.group >= 0) ++per_group[act.group];
    if (act.status == PlanAction::Status::Excluded) e.excluded_chosen.push_back(a);
  }
  for (std::size_t a = 0; a < problem.actions.size(); ++a)
    if (problem.actions[a].status == PlanAction::Status::Forced && !on[a]) e.forced_missing.push_back(a);
  for (const auto& [g, count] : per_group)
    if (count > 1) e.groups_violated.push_back(g);
  for (std::size_t s = 0; s < problem.stations; ++s)
    for (std::size_t d = 0; d < problem.days; ++d) {
      const double v = e.achieved[s * problem.days + d];
      if (std::isfinite(v) && v > limit + tolerance) e.over_target.push_back({s, d, v, limit});
    }
  bool floors = true;
  for (std::size_t k = 0; k < e.removed_t.size(); ++k) {
    e.required_t[k] = problem.floor[k] * problem.whole_society_t[k];
    e.floor_met[k] = e.removed_t[k] >= e.required_t[k] - tolerance * std::max(1.0, e.required_t[k]);
    floors = floors && e.floor_met[k];
  }
  e.feasible = floors && e.over_target.empty() && e.groups_violated.empty() && e.forced_missing.empty() &&
               e.excluded_chosen.empty();
  return e;
}

PlanResult optimise_plan(const PlanProblem& problem, const PlanOptions& options) {
  problem.validate();
  if (!(options.time_limit_s > 0.0) || !(options.mip_gap >= 0.0) || !(options.binding_tolerance >= 0.0))
    throw Error({"", 0, "plan options"}, "expected time_limit_s > 0, mip_gap >= 0 and binding_tolerance >= 0");
  PlanResult r;
  r.limit_pm25 = pm25_limit_for_aqi(problem.target_aqi);
  const double limit = r.limit_pm25;
  const std::size_t na = problem.actions.size();
  using Status = PlanAction::Status;

  if (options.reference) r.reference = evaluate_plan(problem, *options.reference, options.binding_tolerance);

  // Reachability with everything allowed applied, the exclusive groups respected: per group the
  // forced member(s) or else the best single allowed member; ungrouped: every allowed action
  // that helps (and every forced one).
  std::map<int, std::vector<std::size_t>> groups;
  std::vector<std::size_t> ungrouped;
  for (std::size_t a = 0; a < na; ++a) {
    if (problem.actions[a].status == Status::Excluded) continue;
    if (problem.actions[a].group >= 0)
      groups[problem.actions[a].group].push_back(a);
    else
      ungrouped.push_back(a);
  }
  std::vector<std::string> problems;
  for (const auto& [g, members] : groups) {
    const auto forced = std::count_if(members.begin(), members.end(),
                                      [&](std::size_t a) { return problem.actions[a].status == Status::Forced; });
    if (forced > 1) problems.push_back("exclusive group " + std::to_string(g) + " has " + std::to_string(forced) + " forced actions");
  }
  auto best_gain = [&](auto&& value_of) {
    double total = 0.0;
    for (const std::size_t a : ungrouped) {
      const double v = value_of(a);
      total += problem.actions[a].status == Status::Forced ? v : std::max(v, 0.0);
    }
    for (const auto& [g, members] : groups) {
      double best = 0.0, forced = 0.0;
      bool has_forced = false;
      for (const std::size_t a : members) {
        const double v = value_of(a);
        best = std::max(best, v);
        if (problem.actions[a].status == Status::Forced) {
          forced += v;
          has_forced = true;
        }
      }
      total += has_forced ? forced : best;
    }
    return total;
  };
  for (std::size_t s = 0; s < problem.stations; ++s)
    for (std::size_t d = 0; d < problem.days; ++d) {
      const std::size_t i = s * problem.days + d;
      const double base = problem.baseline[i];
      if (!std::isfinite(base)) continue;
      const double best = base - best_gain([&](std::size_t a) { return problem.actions[a].effect[i]; });
      if (best > limit + options.binding_tolerance) r.unreachable.push_back({s, d, base, best, limit});
    }
  for (std::size_t k = 0; k < r.floors_unreachable.size(); ++k) {
    const double required = problem.floor[k] * problem.whole_society_t[k];
    if (required <= 0.0) continue;
    const double most = best_gain([&](std::size_t a) { return problem.actions[a].removed_t[k]; });
    r.floors_unreachable[k] = most < required - options.binding_tolerance * std::max(1.0, required);
    if (r.floors_unreachable[k])
      problems.push_back(std::string(kFloorPollutantNames[k]) + " floor needs " + num(required) +
                         " t removed, at most " + num(most) + " t is possible");
  }
  if (!r.unreachable.empty())
    problems.insert(problems.begin(), std::to_string(r.unreachable.size()) +
                                          " station-day(s) stay above " + num(limit) +
                                          " ug/m3 even with every allowed action applied");

  // The programme (GLPK indices are 1-based).
  const std::vector<Row> rows = rows_of(problem);
  const QuietGlpk quiet;
  Prob lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MIN);
  double cost_scale = 0.0;
  for (const auto& a : problem.actions) cost_scale = std::max(cost_scale, a.cost_yuan);
  if (!(cost_scale > 0.0)) cost_scale = 1.0;
  if (na > 0) glp_add_cols(lp.get(), static_cast<int>(na));
  for (std::size_t a = 0; a < na; ++a) {
    const int j = static_cast<int>(a) + 1;
    const PlanAction& act = problem.actions[a];
    glp_set_col_name(lp.get(), j, ("a" + std::to_string(a)).c_str());
    if (act.status == Status::Forced)
      glp_set_col_bnds(lp.get(), j, GLP_FX, 1.0, 1.0);
    else if (act.status == Status::Excluded)
      glp_set_col_bnds(lp.get(), j, GLP_FX, 0.0, 0.0);
    else
      glp_set_col_bnds(lp.get(), j, GLP_DB, 0.0, 1.0);
    glp_set_obj_coef(lp.get(), j, act.cost_yuan / cost_scale);
  }
  if (!rows.empty()) glp_add_rows(lp.get(), static_cast<int>(rows.size()));
  std::vector<int> ind(na + 1);
  std::vector<double> val(na + 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Row& row = rows[k];
    const int i = static_cast<int>(k) + 1;
    int len = 0;
    for (std::size_t a = 0; a < na; ++a) {
      const PlanAction& act = problem.actions[a];
      double v = 0.0;
      switch (row.kind) {
        case ConstraintKind::StationDay: v = act.effect[row.station * problem.days + row.day]; break;
        case ConstraintKind::Floor: v = act.removed_t[static_cast<std::size_t>(row.pollutant)]; break;
        case ConstraintKind::Exclusive: v = act.group == row.group ? 1.0 : 0.0; break;
      }
      if (v == 0.0) continue;
      ++len;
      ind[static_cast<std::size_t>(len)] = static_cast<int>(a) + 1;
      val[static_cast<std::size_t>(len)] = v;
    }
    if (len > 0) glp_set_mat_row(lp.get(), i, len, ind.data(), val.data());
    switch (row.kind) {
      case ConstraintKind::StationDay:
        glp_set_row_bnds(lp.get(), i, GLP_LO, problem.baseline[row.station * problem.days + row.day] - limit, 0.0);
        break;
      case ConstraintKind::Floor: {
        const auto p = static_cast<std::size_t>(row.pollutant);
        glp_set_row_bnds(lp.get(), i, GLP_LO, problem.floor[p] * problem.whole_society_t[p], 0.0);
        break;
      }
      case ConstraintKind::Exclusive: glp_set_row_bnds(lp.get(), i, GLP_UP, 0.0, 1.0); break;
    }
  }

  // Reports of every row (filled from the LP relaxation and the chosen plan below).
  r.constraints.resize(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    ConstraintReport& c = r.constraints[k];
    c.kind = rows[k].kind;
    c.station = rows[k].station;
    c.day = rows[k].day;
    c.pollutant = rows[k].pollutant;
    c.group = rows[k].group;
    c.lp_slack = kNaN;
    c.lp_dual = kNaN;
    c.value = kNaN;
    c.slack = kNaN;
    switch (c.kind) {
      case ConstraintKind::StationDay: c.bound = limit; break;
      case ConstraintKind::Floor: {
        const auto p = static_cast<std::size_t>(c.pollutant);
        c.bound = problem.floor[p] * problem.whole_society_t[p];
        break;
      }
      case ConstraintKind::Exclusive: c.bound = 1.0; break;
    }
  }

  // LP relaxation (x in [0, 1]) for the bound and the duals; no presolve so that the basis and
  // the duals of every row are kept.
  if (na > 0 && !rows.empty()) {
    glp_scale_prob(lp.get(), GLP_SF_AUTO);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = GLP_OFF;
    const int ret = glp_simplex(lp.get(), &smcp);
    if (ret == 0 && glp_get_status(lp.get()) == GLP_OPT) {
      r.lp_solved = true;
      r.lp_cost_yuan = glp_get_obj_val(lp.get()) * cost_scale;
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const int i = static_cast<int>(k) + 1;
        const double activity = glp_get_row_prim(lp.get(), i);
        ConstraintReport& c = r.constraints[k];
        // Row activity: Σ effect x (StationDay), Σ removed x (Floor), Σ x (Exclusive).
        switch (c.kind) {
          case ConstraintKind::StationDay:
            c.lp_slack = limit - (problem.baseline[c.station * problem.days + c.day] - activity);
            break;
          case ConstraintKind::Floor: c.lp_slack = activity - c.bound; break;
          case ConstraintKind::Exclusive: c.lp_slack = 1.0 - activity; break;
        }
        c.lp_dual = glp_get_row_dual(lp.get(), i) * cost_scale;
      }
    }
  }

  if (!problems.empty()) {
    r.status = PlanStatus::Infeasible;
    for (const auto& p : problems) r.message += (r.message.empty() ? "" : "; ") + p;
  } else {
    for (std::size_t a = 0; a < na; ++a) glp_set_col_kind(lp.get(), static_cast<int>(a) + 1, GLP_IV);
    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_ON;
    iocp.mip_gap = options.mip_gap;
    iocp.tm_lim = static_cast<int>(std::min(options.time_limit_s * 1000.0, 2.0e9));
    // Without rows (nothing to meet) the optimum is the forced actions alone (costs are >= 0).
    const bool trivial = na == 0 || rows.empty();
    const int ret = trivial ? 0 : glp_intopt(lp.get(), &iocp);
    const int mip = trivial ? GLP_OPT : glp_mip_status(lp.get());
    std::vector<std::size_t> chosen;
    const bool have = (ret == 0 || ret == GLP_ETMLIM || ret == GLP_EMIPGAP) && (mip == GLP_OPT || mip == GLP_FEAS);
    if (have) {
      for (std::size_t a = 0; a < na; ++a) {
        const bool on = trivial ? problem.actions[a].status == Status::Forced
                                : glp_mip_col_val(lp.get(), static_cast<int>(a) + 1) > 0.5;
        if (on) chosen.push_back(a);
      }
      r.status = (ret == 0 && mip == GLP_OPT) || ret == GLP_EMIPGAP ? PlanStatus::Optimal : PlanStatus::Feasible;
      r.message = ret == GLP_ETMLIM ? "time limit reached; best plan found, not proven optimal" : "optimal";
    } else if (ret == GLP_ENOPFS || mip == GLP_NOFEAS || (ret == 0 && mip != GLP_OPT)) {
      r.status = PlanStatus::Infeasible;
      r.message = "every station-day and floor is reachable alone, but no plan meets them all together "
                  "(the exclusive groups and forced/excluded actions conflict)";
    } else if (ret == GLP_ETMLIM) {
      r.status = PlanStatus::NoSolution;
      r.message = "time limit reached before a feasible plan was found";
    } else {
      r.status = PlanStatus::NoSolution;
      r.message = "GLPK glp_intopt failed (code " + std::to_string(ret) + ")";
    }
    if (have) {
      r.plan = evaluate_plan(problem, chosen, options.binding_tolerance);
      for (ConstraintReport& c : r.constraints) {
        switch (c.kind) {
          case ConstraintKind::StationDay:
            c.value = r.plan.achieved[c.station * problem.days + c.day];
            c.slack = c.bound - c.value;
            c.binding = c.slack <= options.binding_tolerance;
            break;
          case ConstraintKind::Floor:
            c.value = r.plan.removed_t[static_cast<std::size_t>(c.pollutant)];
            c.slack = c.value - c.bound;
            c.binding = c.slack <= options.binding_tolerance * std::max(1.0, c.bound);
            break;
          case ConstraintKind::Exclusive: {
            c.value = static_cast<double>(std::count_if(chosen.begin(), chosen.end(), [&](std::size_t a) {
              return problem.actions[a].group == c.group;
            }));
            c.slack = 1.0 - c.value;
            c.binding = c.slack <= 0.0;
            break;
          }
        }
      }
      if (r.reference) r.saving_vs_reference_yuan = r.reference->cost_yuan - r.plan.cost_yuan;
    }
  }
  return r;
}

std::string format_plan_report(const PlanProblem& problem, const PlanResult& r) {
  std::string out = "optimal plan: " + std::string(plan_status_name(r.status)) + " (" + r.message + ")\n";
  out += "target: daily AQI <= " + std::to_string(problem.target_aqi) + ", i.e. daily-mean PM2.5 <= " +
         num(r.limit_pm25) + " ug/m3\n";
  if (r.status == PlanStatus::Optimal || r.status == PlanStatus::Feasible) {
    out += "cost: " + num(r.plan.cost_yuan) + " yuan";
    if (r.lp_solved) out += " (LP relaxation bound " + num(r.lp_cost_yuan) + " yuan)";
    out += "\nactions (" + std::to_string(r.plan.chosen.size()) + "):\n";
    for (const std::size_t a : r.plan.chosen)
      out += "  " + problem.actions[a].name + ": " + num(problem.actions[a].cost_yuan) + " yuan\n";
    out += "removed vs floors:";
    for (std::size_t k = 0; k < r.plan.removed_t.size(); ++k)
      out += " " + std::string(kFloorPollutantNames[k]) + " " + num(r.plan.removed_t[k]) + "/" +
             num(r.plan.required_t[k]) + " t";
    out += "\nbinding constraints:\n";
    for (const auto& c : r.binding()) {
      out += "  " + c.describe(problem);
      if (std::isfinite(c.lp_dual)) out += " (LP dual " + num(c.lp_dual) + ")";
      out += "\n";
    }
  }
  if (!r.unreachable.empty()) {
    out += "station-days that cannot meet the target with every allowed action:\n";
    for (const auto& u : r.unreachable)
      out += "  " + station_name(problem, u.station) + " day " + std::to_string(u.day) + ": baseline " +
             num(u.baseline) + ", best " + num(u.best) + " > " + num(u.limit) + " ug/m3\n";
  }
  if (r.reference) {
    out += "reference plan: cost " + num(r.reference->cost_yuan) + " yuan, " +
           (r.reference->feasible ? "feasible" : "infeasible");
    if (!r.reference->over_target.empty())
      out += " (" + std::to_string(r.reference->over_target.size()) + " station-day(s) above the target)";
    if (r.status == PlanStatus::Optimal || r.status == PlanStatus::Feasible)
      out += "; the optimal plan saves " + num(r.saving_vs_reference_yuan) + " yuan";
    out += "\n";
  }
  return out;
}

}  // namespace lantian
