#include "forecast/plan_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "emissions/inventory_csv.hpp"

namespace lantian {

namespace {

using emissions::EmittedPollutant;
using emissions::Rates;

/// The inventory pollutant of each floor (SO2, NOx, PM, VOCs): PM counts as PM2.5, as in
/// run_forecast's metrics.
constexpr std::array<EmittedPollutant, kFloorPollutantCount> kFloorSource{EmittedPollutant::so2, EmittedPollutant::nox,
                                                                         EmittedPollutant::pm25, EmittedPollutant::vocs};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Effects (µg/m³) and removed masses (t) below these are set to 0: immaterial next to the
/// optimiser's tolerance (1e-6), and coefficients spanning 20+ orders of magnitude (1e-24 from a
/// line with a negligible share of a tag) lead GLPK's branch-and-cut to a wrong "optimal" plan.
constexpr double kEffectFloor = 1e-6;
constexpr double kRemovedFloor = 1e-9;

Rates ones() {
  Rates r;
  r.fill(1.0);
  return r;
}

std::string percent(double fraction) {
  std::ostringstream s;
  s << std::round(100.0 * fraction) << "%";
  return s.str();
}

/// Whether a sector measure row matches any area, road or gridded source of the case.
bool row_matches(const SectorMeasure& row, const CaseInputs& in) {
  auto matches = [&](emissions::Sector sector, std::string_view category) {
    return (!row.sector || *row.sector == sector) && (row.category.empty() || row.category == category);
  };
  for (const auto& a : in.inventory.areas)
    if (matches(a.sector, a.category)) return true;
  for (const auto& r : in.inventory.roads)
    if (matches(r.sector, r.category)) return true;
  for (const auto& g : in.gridded)
    if (matches(g.sector, emissions::default_category(g.sector))) return true;
  return false;
}

}  // namespace

void PlanBuildOptions::validate() const {
  LANTIAN_CHECK(level != ResponseLevel::none, (ErrorContext{"", 0, "plan.level"}),
                "expected yellow, orange or red, found none");
  LANTIAN_CHECK(target_aqi >= 0 && target_aqi < 500, (ErrorContext{"", 0, "plan.target_aqi"}),
                "expected 0..499, found " + std::to_string(target_aqi));
}

std::string_view candidate_kind_name(PlanCandidate::Kind kind) noexcept {
  switch (kind) {
    case PlanCandidate::Kind::line_stop: return "line-stop";
    case PlanCandidate::Kind::line_limit: return "line-limit";
    case PlanCandidate::Kind::sector: return "sector";
  }
  return "unknown";
}

PlanProblem PlanModel::reference_problem() const {
  PlanProblem p = problem;
  p.actions.assign(1, reference);
  p.actions[0].group = -1;
  p.actions[0].status = PlanAction::Status::Free;
  return p;
}

// ---------------------------------------------------------------------------------------------
// PlanEffects

PlanEffects::PlanEffects(const CaseInputs& inputs, const ForecastResult& forecast, const PlumeScreening& screening,
                         std::vector<ResponseWindow> windows)
    : in_(inputs),
      fc_(forecast),
      scr_(screening),
      windows_(std::move(windows)),
      measure_inputs_(forecast.scenarios.inputs(inputs.inventory)) {
  const EulerianRun& run = fc_.baseline;
  LANTIAN_CHECK(!run.tag_series.empty(), in_.config.source.context("model.tags"),
                "the plan needs source tags in the baseline (e.g. tags = \"sector\")");
  contributions_ = pollutant_contributions(run);
  stations_ = run.station_ids.size();
  hours_ = run.times.size();
  LANTIAN_CHECK(fc_.baseline_pm25.size() == stations_ * hours_, (ErrorContext{"", 0, "plan.baseline"}),
                "baseline series of the wrong size");
  LANTIAN_CHECK(scr_.times.size() == hours_ && scr_.n_stations == stations_, (ErrorContext{"", 0, "plan.screening"}),
                "the screening must cover the forecast's hours and stations (" + std::to_string(hours_) + " hours, " +
                    std::to_string(stations_) + " stations; found " + std::to_string(scr_.times.size()) + " and " +
                    std::to_string(scr_.n_stations) + ")");

  // Local days of the baseline, per station.
  for (std::size_t s = 0; s < stations_; ++s) {
    const std::span<const double> series(fc_.baseline_pm25.data() + s * hours_, hours_);
    const SeriesMetrics m = series_metrics(series, fc_.metrics_options);
    if (s == 0) {
      for (const LocalDay& d : m.days) {
        day_first_.push_back(d.first);
        day_hours_.push_back(d.hours);
      }
      baseline_.assign(stations_ * day_first_.size(), kNaN);
    }
    LANTIAN_CHECK(m.days.size() == day_first_.size(), (ErrorContext{"", 0, "plan.days"}), "stations differ in days");
    for (std::size_t d = 0; d < m.days.size(); ++d) baseline_[s * day_first_.size() + d] = m.days[d].mean;
  }

  // Gaussian primary PM2.5 of the lines and of each enterprise's unassigned share.
  const auto& inv = in_.inventory;
  const std::size_t nl = inv.lines.size(), ne = inv.enterprises.size();
  line_c_ = scr_.line_contributions(inv, EmittedPollutant::pm25, stations_);
  rest_c_ = scr_.enterprise_contributions(inv, EmittedPollutant::pm25, stations_);
  for (std::size_t h = 0; h < hours_; ++h)
    for (std::size_t s = 0; s < stations_; ++s) {
      const double* lc = line_c_.data() + (h * stations_ + s) * nl;
      double* rc = rest_c_.data() + (h * stations_ + s) * ne;
      for (std::size_t l = 0; l < nl; ++l) rc[inv.lines[l].enterprise] -= lc[l];
    }
  enterprise_source_.resize(run.sources.size());
  for (std::size_t i = 0; i < run.sources.size(); ++i)
    enterprise_source_[i] =
        run.sources[i].kind == emissions::SourceKind::stack || run.sources[i].kind == emissions::SourceKind::ground_release;
}

std::vector<double> PlanEffects::hourly_effect(const Scenario& scenario) const {
  const EulerianRun& run = fc_.baseline;
  std::vector<double> effect(stations_ * hours_, 0.0);

  // Eulerian: every part of the non-enterprise sources, the secondary parts of all sources.
  const ScenarioFactors all = eulerian_factors(scenario, measure_inputs_, run.sources, in_.period, windows_);
  std::vector<ScenarioFactors::Segment> segs = all.segments();
  for (auto& seg : segs)
    for (std::size_t i = 0; i < seg.factors.size() && i < enterprise_source_.size(); ++i)
      if (enterprise_source_[i]) seg.factors[i] = ones();
  const ScenarioFactors non_enterprise(std::move(segs), all.n_sources());
  const std::vector<double> w_all = superposition_weights(run, run.annual_rates, all);
  const std::vector<double> w_ne = superposition_weights(run, run.annual_rates, non_enterprise);
  std::size_t part = 0;
  for (std::size_t k = 0; k < run.tag_series.size(); ++k) {
    if (static_cast<int>(k) == run.tags.boundary_tag) {
      ++part;
      continue;
    }
    for (std::size_t q = 0; q < 4; ++q, ++part) {
      const std::vector<double>& w = q == 0 ? w_ne : w_all;  // part 0: primary PM2.5
      for (std::size_t h = 0; h < hours_; ++h) {
        const double cut = 1.0 - w[part * hours_ + h];
        if (cut == 0.0) continue;
        for (std::size_t s = 0; s < stations_; ++s) effect[s * hours_ + h] += cut * contributions_(part, s, h);
      }
    }
  }

  // Gaussian: primary PM2.5 of the enterprises.
  const auto& inv = in_.inventory;
  const std::size_t nl = inv.lines.size(), ne = inv.enterprises.size(), pm = emissions::index(EmittedPollutant::pm25);
  for (const ScheduleSegment& seg : schedule(scenario, in_.period, windows_, measure_inputs_.settings)) {
    if (!seg.active()) continue;
    const MeasureState st = resolve(scenario, measure_inputs_, seg);
    std::vector<std::pair<std::size_t, double>> lines, rests;
    for (std::size_t l = 0; l < nl; ++l)
      if (st.line[l][pm] < 1.0) lines.emplace_back(l, 1.0 - st.line[l][pm]);
    for (std::size_t e = 0; e < ne; ++e)
      if (st.rest[e][pm] < 1.0) rests.emplace_back(e, 1.0 - st.rest[e][pm]);
    if (lines.empty() && rests.empty()) continue;
    for (std::int64_t hh = seg.begin; hh < seg.end; ++hh) {
      const auto h = static_cast<std::size_t>(hh);
      for (std::size_t s = 0; s < stations_; ++s) {
        double v = 0.0;
        for (const auto& [l, cut] : lines) v += cut * line_c_[(h * stations_ + s) * nl + l];
        for (const auto& [e, cut] : rests) v += cut * rest_c_[(h * stations_ + s) * ne + e];
        effect[s * hours_ + h] += v;
      }
    }
  }
  return effect;
}

ScenarioAccount PlanEffects::account_of(const Scenario& scenario) const {
  AccountOptions ao;
  ao.gridded = in_.gridded;
  return account(scenario, measure_inputs_, in_.period, windows_, ao);
}

PlanAction PlanEffects::action(const Scenario& scenario, const std::string& name) const {
  PlanAction a;
  a.name = name;
  const std::vector<double> hourly = hourly_effect(scenario);
  const std::size_t nd = days();
  a.effect.assign(stations_ * nd, 0.0);
  for (std::size_t s = 0; s < stations_; ++s)
    for (std::size_t d = 0; d < nd; ++d) {
      double sum = 0.0;
      for (std::size_t k = 0; k < day_hours_[d]; ++k)
        sum += hourly[s * hours_ + static_cast<std::size_t>(day_first_[d]) + k];
      const double mean = day_hours_[d] > 0 ? sum / static_cast<double>(day_hours_[d]) : 0.0;
      a.effect[s * nd + d] = std::abs(mean) < kEffectFloor ? 0.0 : mean;
    }
  const ScenarioAccount acc = account_of(scenario);
  for (std::size_t k = 0; k < kFloorSource.size(); ++k) {
    const double t = acc.removed[emissions::index(kFloorSource[k])];
    a.removed_t[k] = std::abs(t) < kRemovedFloor ? 0.0 : t;
  }
  a.cost_yuan = acc.cost;
  return a;
}

// ---------------------------------------------------------------------------------------------
// The model

PlanModel build_plan_model(const CaseInputs& in, const ForecastResult& fc, const PlumeScreening& scr,
                           const PlanBuildOptions& options) {
  options.validate();
  std::vector<ResponseWindow> windows = fc.windows;
  if (options.whole_period) windows = {ResponseWindow{in.period.start(), in.period.end(), options.level}};
  const PlanEffects effects(in, fc, scr, windows);
  const auto& inv = in.inventory;
  PlanModel m;
  m.level = options.level;
  m.windows = windows;
  m.whole_period = options.whole_period;
  m.lead_hours = fc.scenarios.settings.lead_hours;
  m.day_first = effects.day_first();
  m.day_hours = effects.day_hours();
  for (const std::int64_t first : m.day_first) m.day_labels.push_back(format_local(in.period[first], in.period.zone()).substr(0, 10));

  PlanProblem& p = m.problem;
  p.stations = effects.stations();
  p.days = effects.days();
  p.baseline = effects.baseline();
  p.target_aqi = options.target_aqi;
  p.station_names = fc.baseline.station_ids;

  auto base_scenario = [&](std::string name) {
    Scenario sc;
    sc.name = std::move(name);
    sc.level = options.level;
    return sc;
  };
  // Production lines of non-exempt enterprises.
  int group = 0;
  for (std::size_t l = 0; l < inv.lines.size(); ++l) {
    const auto& line = inv.lines[l];
    const auto& ent = inv.enterprises[line.enterprise];
    if (ent.exempt) {
      ++m.exempt_lines;
      continue;
    }
    if (std::all_of(line.share.begin(), line.share.end(), [](double v) { return v <= 0.0; })) continue;
    const double stop_load = line.can_stop ? 0.0 : line.min_load;
    const bool has_limit = line.can_stop && line.min_load > 0.0;
    for (int variant = 0; variant < (has_limit ? 2 : 1); ++variant) {
      PlanCandidate c;
      c.kind = variant == 0 ? PlanCandidate::Kind::line_stop : PlanCandidate::Kind::line_limit;
      c.line = l;
      c.load = variant == 0 ? stop_load : line.min_load;
      c.enterprise_id = ent.id;
      c.enterprise_name = ent.name;
      c.line_id = line.id;
      c.line_name = line.name;
      c.description = variant == 0 ? (line.can_stop ? std::string("stop")
                                                    : "stop (cannot stop: min load " + percent(line.min_load) + ")")
                                   : "limit to " + percent(line.min_load) + " (min load)";
      CustomMeasure cm;
      cm.name = line.id + " " + (variant == 0 ? "stop" : "limit");
      cm.target = Target{TargetKind::line, {line.id}};
      cm.action = variant == 0 ? Action{ActionKind::stop, 0.0} : Action{ActionKind::limit, line.min_load};
      c.scenario = base_scenario(cm.name);
      c.scenario.measures.push_back(cm);
      PlanAction a = effects.action(c.scenario, ent.id + "/" + line.id + ": " + c.description);
      a.group = group;
      p.actions.push_back(std::move(a));
      m.candidates.push_back(std::move(c));
    }
    ++group;
  }
  // Built-in sector measures of the level.
  std::size_t sector_rows_unmatched = 0;
  for (const SectorMeasure& row : builtin_sector_measures()) {
    const double f = row.cut[index(options.level)];
    if (f <= 0.0) continue;
    if (!row_matches(row, in)) {
      ++sector_rows_unmatched;
      continue;
    }
    PlanCandidate c;
    c.kind = PlanCandidate::Kind::sector;
    c.measure_id = std::string(row.id);
    c.description = std::string(row.measure) + " (cut " + percent(f) + ")";
    CustomMeasure cm;
    cm.name = std::string(row.id);
    cm.target = row.sector ? Target{TargetKind::sector, {std::string(emissions::sector_name(*row.sector))}}
                           : Target{TargetKind::category, {std::string(row.category)}};
    cm.action = Action{ActionKind::cut, f};
    cm.pollutants = row.pollutants;
    c.scenario = base_scenario(cm.name);
    c.scenario.measures.push_back(cm);
    PlanAction a = effects.action(c.scenario, "sector: " + std::string(row.id));
    p.actions.push_back(std::move(a));
    m.candidates.push_back(std::move(c));
  }

  // The reference: the standard plans-<level> scenario.
  m.reference_name = "plans-" + std::string(response_level_name(options.level));
  Scenario ref;
  for (const Scenario& sc : standard_scenarios())
    if (sc.name == m.reference_name) ref = sc;
  m.reference = effects.action(ref, "standard " + m.reference_name);
  const ScenarioAccount ref_acc = effects.account_of(ref);
  m.active_hours = ref_acc.active_hours;
  for (std::size_t k = 0; k < kFloorSource.size(); ++k) {
    p.whole_society_t[k] = ref_acc.society[emissions::index(kFloorSource[k])];
    p.floor[k] = options.floors ? fc.scenarios.settings.floors[index(options.level)][emissions::index(kFloorSource[k])] : 0.0;
  }

  m.notes = {
      "effects add linearly (overlapping cuts would in truth multiply); the exclusive group of a line keeps stop and limit apart",
      "primary PM2.5 of enterprises from the Gaussian screening at the stations; other primary PM2.5 and all secondary "
      "PM (sulfate, nitrate, SOA) from the baseline's Eulerian tags scaled by each tag's emission-weighted factor",
      "weights act at the concentration's hour (no transport lag); secondary PM linear in its precursor; "
      "effects below 1e-6 ug/m3 and removed masses below 1e-9 t are taken as 0",
      "sector measures have no documented cost rate: the optimiser takes them at 0 and the outputs say "
      "'not estimated' (the plan's cost is then of its lines only); exempt enterprises are not candidates",
      std::string(m.whole_period ? "actions act over the whole period (--whole-period)" : "actions act over the baseline's response windows") +
          " from start + " + std::to_string(m.lead_hours) +
          " h to the lift; station-days with fewer valid hours than a daily mean needs are unconstrained",
  };
  if (m.windows.empty())
    m.notes.push_back("the baseline has no response window: no action has any effect (see --whole-period)");
  if (sector_rows_unmatched > 0)
    m.notes.push_back(std::to_string(sector_rows_unmatched) + " sector measure(s) of the level match no source of the case");
  p.validate();
  return m;
}

// ---------------------------------------------------------------------------------------------
// Outputs

namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json evaluation_json(const PlanModel& m, const PlanEvaluation& e) {
  nlohmann::json j;
  j["feasible"] = e.feasible;
  j["cost_yuan"] = e.cost_yuan;
  nlohmann::json floors = nlohmann::json::array();
  for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
    floors.push_back({{"pollutant", kFloorPollutantNames[k]},
                      {"removed_t", e.removed_t[k]},
                      {"required_t", e.required_t[k]},
                      {"met", e.floor_met[k]}});
  j["floors"] = floors;
  nlohmann::json over = nlohmann::json::array();
  for (const auto& x : e.over_target)
    over.push_back({{"station", m.problem.station_names.at(x.station)},
                    {"day", m.day_labels.at(x.day)},
                    {"achieved_ug_m3", x.achieved},
                    {"limit_ug_m3", x.limit}});
  j["over_target"] = over;
  return j;
}

}  // namespace

std::string plan_json(const PlanModel& m, const PlanResult& r, const PlanEvaluation& reference, const TimeZone& tz) {
  const PlanProblem& p = m.problem;
  nlohmann::json j;
  j["status"] = std::string(plan_status_name(r.status));
  j["message"] = r.message;
  j["target_aqi"] = p.target_aqi;
  j["limit_pm25_ug_m3"] = r.limit_pm25;
  j["level"] = std::string(response_level_name(m.level));
  j["lead_hours"] = m.lead_hours;
  j["whole_period"] = m.whole_period;
  j["active_hours"] = m.active_hours;
  nlohmann::json windows = nlohmann::json::array();
  for (const auto& w : m.windows)
    windows.push_back({{"level", std::string(response_level_name(w.level))},
                       {"start", format_local(w.start, tz)},
                       {"end", format_local(w.end, tz)}});
  j["windows"] = windows;
  j["candidates"] = p.actions.size();
  j["exempt_lines_excluded"] = m.exempt_lines;
  std::size_t unpriced = 0;
  for (const std::size_t a : r.plan.chosen) unpriced += m.candidates.at(a).kind == PlanCandidate::Kind::sector;
  j["cost_yuan"] = r.plan.cost_yuan;
  j["cost_estimate"] = unpriced == 0 ? "estimated"
                                     : (unpriced == r.plan.chosen.size() ? "not estimated" : "partial (lines only)");
  j["lp_cost_yuan"] = number_or_null(r.lp_solved ? r.lp_cost_yuan : kNaN);

  nlohmann::json chosen = nlohmann::json::array();
  for (const std::size_t a : r.plan.chosen) {
    const PlanCandidate& c = m.candidates.at(a);
    const PlanAction& act = p.actions.at(a);
    nlohmann::json x;
    x["action"] = act.name;
    x["kind"] = std::string(candidate_kind_name(c.kind));
    if (c.kind == PlanCandidate::Kind::sector) {
      x["measure"] = c.measure_id;
    } else {
      x["enterprise"] = c.enterprise_id;
      x["enterprise_name"] = c.enterprise_name;
      x["line"] = c.line_id;
      x["line_name"] = c.line_name;
      x["load"] = c.load;
    }
    x["description"] = c.description;
    // A sector measure's lost output is unknown: null ("not estimated"), never 0.
    x["cost_yuan"] = c.kind == PlanCandidate::Kind::sector ? nlohmann::json(nullptr) : nlohmann::json(act.cost_yuan);
    nlohmann::json removed;
    for (std::size_t k = 0; k < kFloorPollutantCount; ++k) removed[std::string(kFloorPollutantNames[k])] = act.removed_t[k];
    x["removed_t"] = removed;
    chosen.push_back(x);
  }
  j["chosen"] = chosen;

  nlohmann::json days = nlohmann::json::array();
  for (std::size_t s = 0; s < p.stations; ++s)
    for (std::size_t d = 0; d < p.days; ++d) {
      const double base = p.baseline[s * p.days + d];
      const double achieved = r.plan.achieved.empty() ? kNaN : r.plan.achieved[s * p.days + d];
      days.push_back({{"station", p.station_names[s]},
                      {"day", m.day_labels[d]},
                      {"baseline_ug_m3", number_or_null(base)},
                      {"achieved_ug_m3", number_or_null(achieved)},
                      {"limit_ug_m3", r.limit_pm25},
                      {"constrained", std::isfinite(base)}});
    }
  j["station_days"] = days;

  nlohmann::json binding = nlohmann::json::array();
  for (const ConstraintReport& c : r.binding()) {
    nlohmann::json x{{"constraint", c.describe(p)}, {"value", c.value}, {"bound", c.bound}, {"slack", c.slack},
                     {"lp_dual", number_or_null(c.lp_dual)}};
    if (c.kind == ConstraintKind::StationDay) {
      x["kind"] = "station-day";
      x["station"] = p.station_names.at(c.station);
      x["day"] = m.day_labels.at(c.day);
    } else if (c.kind == ConstraintKind::Floor) {
      x["kind"] = "floor";
      x["pollutant"] = kFloorPollutantNames.at(static_cast<std::size_t>(c.pollutant));
    } else {
      x["kind"] = "exclusive";
      x["group"] = c.group;
    }
    binding.push_back(x);
  }
  j["binding"] = binding;

  nlohmann::json floors = nlohmann::json::array();
  for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
    floors.push_back({{"pollutant", kFloorPollutantNames[k]},
                      {"floor", p.floor[k]},
                      {"whole_society_t", p.whole_society_t[k]},
                      {"required_t", p.floor[k] * p.whole_society_t[k]},
                      {"removed_t", r.plan.removed_t[k]},
                      {"met", r.plan.floor_met[k]},
                      {"unreachable", r.floors_unreachable[k]}});
  j["floors"] = floors;

  nlohmann::json unreachable = nlohmann::json::array();
  for (const auto& u : r.unreachable)
    unreachable.push_back({{"station", p.station_names.at(u.station)},
                           {"day", m.day_labels.at(u.day)},
                           {"baseline_ug_m3", u.baseline},
                           {"best_ug_m3", u.best},
                           {"limit_ug_m3", u.limit}});
  j["unreachable"] = unreachable;

  nlohmann::json ref = evaluation_json(m, reference);
  ref["name"] = m.reference_name;
  const bool have_plan = r.status == PlanStatus::Optimal || r.status == PlanStatus::Feasible;
  ref["saving_yuan"] = number_or_null(have_plan ? reference.cost_yuan - r.plan.cost_yuan : kNaN);
  j["reference"] = ref;
  j["notes"] = m.notes;
  return j.dump(2) + "\n";
}

std::string plan_csv(const PlanModel& m, const PlanResult& r) {
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::string(buf);
  };
  std::ostringstream out;
  out << "action,kind,enterprise,enterprise_name,line,line_name,load,cost_yuan,so2_t,nox_t,pm_t,vocs_t,max_effect_ug_m3\n";
  for (const std::size_t a : r.plan.chosen) {
    const PlanCandidate& c = m.candidates.at(a);
    const PlanAction& act = m.problem.actions.at(a);
    const bool line = c.kind != PlanCandidate::Kind::sector;
    double peak = 0.0;
    for (const double v : act.effect) peak = std::max(peak, v);
    out << csv_text(act.name) << ',' << candidate_kind_name(c.kind) << ',' << csv_text(c.enterprise_id) << ','
        << csv_text(c.enterprise_name) << ',' << csv_text(c.line_id) << ',' << csv_text(c.line_name) << ','
        << (line ? num(c.load) : std::string()) << ',' << (line ? num(act.cost_yuan) : std::string("not estimated"));
    for (const double t : act.removed_t) out << ',' << num(t);
    out << ',' << num(peak) << '\n';
  }
  return out.str();
}

namespace {

std::string fmt(double v, const char* f) {
  char buf[48];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string wan(double yuan) { return fmt(yuan / 1e4, "%.1f") + " x10^4 yuan"; }

}  // namespace

std::string plan_report(const PlanModel& model, const PlanResult& result, const PlanEvaluation& reference) {
  std::string report = format_plan_report(model.problem, result);
  report += "\nreference: standard " + model.reference_name + " scenario (一厂一策 plans, grade defaults, sector measures) "
            "through the same linear model: cost " + wan(reference.cost_yuan) + ", " +
            (reference.feasible ? "meets" : "does not meet") + " the target and floors\n";
  for (const auto& x : reference.over_target)
    report += "  over the limit: " + model.problem.station_names[x.station] + " " + model.day_labels[x.day] + " " +
              fmt(x.achieved, "%.1f") + " > " + fmt(x.limit, "%.1f") + " ug/m3\n";
  for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
    if (!reference.floor_met[k])
      report += "  floor not met: " + std::string(kFloorPollutantNames[k]) + " " + fmt(reference.removed_t[k], "%.2f") +
                " < " + fmt(reference.required_t[k], "%.2f") + " t\n";
  report += "\ndays:";
  for (std::size_t d = 0; d < model.day_labels.size(); ++d) report += " day " + std::to_string(d) + " = " + model.day_labels[d];
  report += "\nnotes (approximations of the linear model):\n";
  for (const auto& n : model.notes) report += "  - " + n + "\n";
  return report;
}

std::vector<std::string> write_plan_folder(const OutputRequest& out, const PlanModel& model, const PlanResult& result,
                                           const PlanEvaluation& reference, const TimeZone& tz) {
  const std::string json = plan_json(model, result, reference, tz), csv = plan_csv(model, result),
                    report = plan_report(model, result, reference);
  write_output_folder(out, [&](const std::filesystem::path& tmp) {
    write_file(tmp / "plan.json", json);
    write_file(tmp / "plan.csv", csv);
    write_file(tmp / "plan_report.txt", report);
  });
  return {"plan.json", "plan.csv", "plan_report.txt"};
}

PlanSummary run_plan_job(const PlanRequest& a) {
  PlanBuildOptions bo;
  const auto level = parse_response_level(a.level);
  LANTIAN_CHECK(level.has_value() && *level != ResponseLevel::none, (ErrorContext{"", 0, "--level"}),
                "expected yellow, orange or red, found '" + a.level + "'");
  bo.level = *level;
  bo.target_aqi = a.target_aqi;
  bo.floors = a.floors;
  bo.whole_period = a.whole_period;
  bo.validate();
  PlanOptions po;
  po.time_limit_s = a.time_limit_s;
  const CaseConfig config = load_case(a.case_file);
  const OutputRequest out{a.out, a.force, case_input_paths(config), "plan"};
  check_output_dir(out);
  const CaseInputs in = assemble_case(config);
  const TimeZone& tz = in.period.zone();
  PlanSummary s;

  ForecastOptions fo;
  fo.reruns = false;  // the plan needs the baseline and its tags only
  if (config.model.tags == TagKind::none) {
    s.warnings.emplace_back("the case has no source tags; running the baseline with tags = \"sector\"");
    if (a.warning) a.warning(s.warnings.back());
    fo.tags = TagKind::sector;
  }
  if (a.progress)
    fo.progress = [&a](const std::string& stage, const RunProgress& p) {
      if (stage == "baseline") a.progress(stage, p);
    };
  const ForecastResult forecast = run_forecast(in, fo);
  PlumeScreeningOptions so;
  if (in.config.meteo.z0) so.z0 = *in.config.meteo.z0;
  if (a.status) a.status("Gaussian screening of " + std::to_string(in.inventory.stacks.size()) + " stacks...");
  const PlumeScreening screening = run_plume_screening(in, so);
  const PlanModel model = build_plan_model(in, forecast, screening, bo);
  const PlanResult result = optimise_plan(model.problem, po);
  const PlanEvaluation reference = evaluate_plan(model.reference_problem(), std::vector<std::size_t>{0});
  s.files = write_plan_folder(out, model, result, reference, tz);

  const PlanProblem& p = model.problem;
  s.case_name = in.config.name;
  s.out = a.out;
  s.target_aqi = bo.target_aqi;
  s.limit_pm25 = result.limit_pm25;
  s.level = std::string(response_level_name(bo.level));
  s.candidates = p.actions.size();
  s.exempt_lines = model.exempt_lines;
  s.active_hours = model.active_hours;
  s.lead_hours = model.lead_hours;
  s.whole_period = model.whole_period;
  for (const auto& w : model.windows)
    s.windows.push_back(WindowLine{std::string(response_level_name(w.level)), format_local(w.start, tz), format_local(w.end, tz)});
  s.status = std::string(plan_status_name(result.status));
  s.have_plan = result.status == PlanStatus::Optimal || result.status == PlanStatus::Feasible;
  s.message = result.message;
  if (s.have_plan) s.cost_yuan = result.plan.cost_yuan;
  for (const std::size_t i : result.plan.chosen) {
    const PlanCandidate& c = model.candidates.at(i);
    s.unpriced_chosen += c.kind == PlanCandidate::Kind::sector;
    const PlanAction& act = p.actions.at(i);
    s.chosen.push_back(PlanChosenAction{act.name, std::string(candidate_kind_name(c.kind)), c.enterprise_id, c.line_id,
                                        c.measure_id, c.description, c.load, act.cost_yuan, act.removed_t});
  }
  for (const auto& u : result.unreachable)
    s.unreachable.push_back(PlanUnreachableDay{p.station_names[u.station], model.day_labels[u.day], u.baseline, u.best, u.limit});
  for (std::size_t k = 0; k < kFloorPollutantCount; ++k)
    if (result.floors_unreachable[k]) s.floors_unreachable.emplace_back(kFloorPollutantNames[k]);
  for (const auto& c : result.binding()) {
    if (c.kind == ConstraintKind::StationDay) ++s.binding_station_days;
    if (c.kind == ConstraintKind::Floor) ++s.binding_floors;
  }
  s.reference_name = model.reference_name;
  s.reference_cost_yuan = reference.cost_yuan;
  s.reference_feasible = reference.feasible;
  s.reference_over = reference.over_target.size();
  return s;
}

std::string format_plan_summary(const PlanSummary& s) {
  std::ostringstream out;
  out << "lantian plan: " << s.case_name << ", target daily AQI <= " << s.target_aqi << " (PM2.5 <= "
      << fmt(s.limit_pm25, "%.1f") << " ug/m3), level " << s.level << ", " << s.candidates << " candidate actions ("
      << s.exempt_lines << " lines of exempt enterprises excluded), " << s.active_hours << " active hours -> " << s.out
      << "\n";
  out << "measures act in";
  for (const auto& w : s.windows) out << " " << w.level << " " << w.start << " .. " << w.end;
  if (s.windows.empty()) out << " no response window (no action has any effect; see --whole-period)";
  out << " (+" << s.lead_hours << " h lead)" << (s.whole_period ? " [--whole-period]" : "") << "\n";
  out << "status: " << s.status;
  if (s.have_plan) {
    out << ", " << s.chosen.size() << " actions chosen, cost ";
    if (s.unpriced_chosen > 0 && s.unpriced_chosen == s.chosen.size())
      out << "not estimated (sector measures only)";
    else
      out << wan(s.cost_yuan)
          << (s.unpriced_chosen > 0 ? " (lines only; " + std::to_string(s.unpriced_chosen) + " sector measure(s) not estimated)" : "");
  }
  out << "\n";
  if (!s.have_plan) {
    out << s.message << "\n";
    for (const auto& u : s.unreachable)
      out << "  cannot be met: " << u.station << " " << u.day << ": baseline " << fmt(u.baseline, "%.1f") << ", best "
          << fmt(u.best, "%.1f") << " > " << fmt(u.limit, "%.1f") << " ug/m3\n";
    for (const auto& f : s.floors_unreachable) out << "  floor cannot be met: " << f << "\n";
  }
  if (s.have_plan)
    out << "binding: " << s.binding_station_days << " station-day(s), " << s.binding_floors << " floor(s)\n";
  out << "reference " << s.reference_name << ": cost " << wan(s.reference_cost_yuan) << ", "
      << (s.reference_feasible ? "meets" : "does not meet") << " the target and floors (" << s.reference_over
      << " station-days over the limit)";
  if (s.have_plan) out << "; the plan saves " << wan(s.reference_cost_yuan - s.cost_yuan);
  out << "\n";
  return out.str();
}

}  // namespace lantian
