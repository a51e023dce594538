// Control measures and scenarios: see measures.hpp. The CSV readers of the measure files (plans.csv,
// implemented measures) are in measures_file.cpp.
#include "scenarios/measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "emissions/gridded_profiles.hpp"
#include "emissions/inventory_csv.hpp"
#include "emissions/totals.hpp"
#include "scenarios/metrics.hpp"

namespace lantian {

namespace {

using emissions::EmittedPollutant;
using emissions::Rates;
using emissions::Sector;
constexpr std::size_t kNp = emissions::kEmittedPollutantCount;
constexpr double kSecondsPerHour = 3600.0;
constexpr double kTonnesPerGram = 1.0e-6;

Rates ones() noexcept {
  Rates r;
  r.fill(1.0);
  return r;
}

PollutantMask mask_of(std::initializer_list<EmittedPollutant> ps) noexcept {
  PollutantMask m{};
  for (EmittedPollutant p : ps) m[emissions::index(p)] = true;
  return m;
}

const PollutantMask kPm = mask_of({EmittedPollutant::pm25, EmittedPollutant::pm10});
const PollutantMask kVocs = mask_of({EmittedPollutant::vocs});
const PollutantMask kNoxPm = mask_of({EmittedPollutant::nox, EmittedPollutant::pm25, EmittedPollutant::pm10});
const PollutantMask kPmVocs = mask_of({EmittedPollutant::pm25, EmittedPollutant::pm10, EmittedPollutant::vocs});
const PollutantMask kAll = mask_of({EmittedPollutant::so2, EmittedPollutant::nox, EmittedPollutant::pm25,
                                    EmittedPollutant::pm10, EmittedPollutant::vocs, EmittedPollutant::nh3});
const PollutantMask kCombustion = mask_of({EmittedPollutant::so2, EmittedPollutant::nox, EmittedPollutant::pm25,
                                           EmittedPollutant::pm10, EmittedPollutant::vocs});

// The sector measures of DOMAIN.md §5, from the Haimen plan (seed 002, 海门区重污染天气应急预案, §4 response
// measures: 一、Ⅲ级 (yellow), 二、Ⅱ级 (orange, "in addition to III"), 三、Ⅰ级 (red, "in addition to II"),
// each "(3) 强制性减排措施"). The plan lists measures, not fractions: every fraction below is an
// ASSUMPTION of this engine (the share of the sector's emission that the measure removes in the
// built-up area where it applies), stated per row so that a local plan can replace it with a
// custom measure. Enterprises are not touched here (their lines are in the 一厂一策 plans).
const std::array<SectorMeasure, 8> kSectorMeasures{{
    // Yellow: stop earthwork, road-surface digging and milling, demolition, open spraying, and
    // water bare ground twice a day (seed 002 III(3)② 扬尘); orange: stop outdoor demolition and
    // most site work (II(3)②); red: all site work stops except continuous concrete pours (I(3)②).
    // Assumed: the dusty phases are 30% of site dust, "most" 70%, all 100%.
    {"construction_stop", Sector::construction_dust, "", kPm, {0.0, 0.3, 0.7, 1.0},
     "stop earthwork/demolition (yellow), most construction (orange), all construction (red)"},
    // More mechanised sweeping and washing of main roads: ≥ 2 sweeps + 2 washes a day (III(3)②),
    // ≥ 3 (II(3)②), more at red. Assumed: resuspended road dust -10% / -20% / -30%.
    {"road_washing", Sector::road_dust, "", kPm, {0.0, 0.1, 0.2, 0.3},
     "more road sweeping and washing"},
    // Diesel trucks of China IV and below banned in the built-up area (III(3)③); heavy-freight
    // enterprises admit only clean/China VI vehicles and bulk-material trucks stop (II(3)③); all
    // diesel trucks banned in the built-up area, through traffic diverted (I(3)③). Assumed: diesel
    // trucks are ~60% of road NOx and ~70% of exhaust PM; the bans reach part of the network:
    // -10% / -20% / -30% of road-traffic NOx and PM.
    {"diesel_truck_ban", Sector::road_traffic, "", kNoxPm, {0.0, 0.1, 0.2, 0.3},
     "diesel-truck bans in the built-up area"},
    // China II-and-below non-road machinery stops on sites and in industrial parks (III(3)④);
    // other fuel machinery, port and farm machinery stop, "50% of non-road machinery" (II(3)); all
    // non-road machinery stops (I(3)). Assumed: China II and below are 20% of the fleet's emission;
    // orange 50% and red 100% as the plan says.
    {"non_road_machinery", Sector::non_road_machinery, "", kAll, {0.0, 0.2, 0.5, 1.0},
     "non-road machinery: China II and below (yellow), 50% (orange), all (red)"},
    // VOC-emitting outdoor works stop (painting, coating, asphalt) (III(3)④); solvent paints and
    // inks stop in car, furniture, printing plants (II(3)①); coatings and inks stop in shipbuilding,
    // furniture, car, printing and car repair (I(3)①). Assumed: -10% / -30% / -50% of solvent use.
    {"voc_works_stop", Sector::solvent_use, "", kVocs, {0.0, 0.1, 0.3, 0.5},
     "VOC outdoor works (yellow), solvent paints and inks (orange), all coatings and inks (red) stop"},
    // Petrol stations in the built-up area stop unloading petrol 8:00-18:00 (III(3)④). Assumed:
    // unloading is ~25% of a station's VOCs and 10 h of 24 are ~40% of it: -10% of VOCs, applied
    // all day (the factors change only at response boundaries). Matches sources whose category is
    // "petrol stations" (none in the demo inventory).
    {"petrol_unloading", std::nullopt, "petrol stations", kVocs, {0.0, 0.1, 0.1, 0.1},
     "petrol stations stop unloading 8:00-18:00"},
    // No open-air barbecue (III(3)④, kept at II and I). Assumed: -5% of catering PM and VOCs.
    // Open burning and fireworks are banned too, but the inventory carries no such sources.
    {"barbecue_ban", Sector::catering, "", kPmVocs, {0.0, 0.05, 0.05, 0.05}, "no open-air barbecue"},
    // 散煤 (loose coal burned in stoves and small boilers, 原煤散烧). The seeds name the measure but
    // give it no fraction and no level: the Nantong annex lists 散煤燃烧 among the 25 problem
    // categories (seed 000, item 22: market supervision and ecology-environment bureaus); the Changji
    // duties (seed 004) give the towns and sub-districts the control of 原煤散烧 during a response, and
    // the city management bureau the ban zone of high-polluting fuels and the loose-coal control in
    // the built-up area (禁燃区高污染燃料及建成区散煤管控); Haimen's plan (seed 002) has no such row.
    // Heating itself continues (the residents' basic needs are protected, seed 002 豁免), so only
    // the loose coal burned against the ban is stopped, enforced harder at higher levels. ASSUMED:
    // -5% / -10% / -15% of the residential sector's SO2, NOx, PM and VOCs (coal combustion; NH3
    // untouched). A local plan with its own figure replaces it by a custom measure on the sector.
    {"residential_coal", Sector::residential_heating, "", kCombustion, {0.0, 0.05, 0.10, 0.15},
     "散煤: loose-coal burning stopped in the ban zone and built-up area (patrols, 原煤散烧管控)"},
}};

/// A line's or an enterprise's part of a source's baseline rate (emissions/inventory.hpp split).
struct Part {
  bool rest = false;       ///< the enterprise's unassigned share (index = enterprise), else a line
  std::size_t index = 0;
  Rates amount{};          ///< annual-mean g/s
};

/// The parts of every stack and of each enterprise's ground-level release, exactly as
/// emissions' split_enterprises computes them.
struct Split {
  std::vector<std::vector<Part>> stack;   ///< per Inventory::stacks
  std::vector<std::vector<Part>> ground;  ///< per Inventory::enterprises
};

Split split_parts(const emissions::Inventory& inv) {
  const std::size_t ne = inv.enterprises.size();
  Split out;
  out.stack.resize(inv.stacks.size());
  out.ground.resize(ne);
  std::vector<std::vector<std::size_t>> stacks_of(ne);
  for (std::size_t s = 0; s < inv.stacks.size(); ++s) stacks_of[inv.stacks[s].enterprise].push_back(s);
  std::vector<Rates> remaining(ne, ones());
  for (std::size_t l = 0; l < inv.lines.size(); ++l) {
    const auto& line = inv.lines[l];
    const Rates& total = inv.enterprises[line.enterprise].rates;
    Rates rate{}, each{};
    for (std::size_t p = 0; p < kNp; ++p) {
      rate[p] = line.share[p] * total[p];
      remaining[line.enterprise][p] -= line.share[p];
      if (!line.stacks.empty()) each[p] = rate[p] / static_cast<double>(line.stacks.size());
    }
    if (line.stacks.empty())
      out.ground[line.enterprise].push_back({false, l, rate});
    else
      for (std::size_t s : line.stacks) out.stack[s].push_back({false, l, each});
  }
  for (std::size_t e = 0; e < ne; ++e) {
    const Rates& total = inv.enterprises[e].rates;
    Rates rest{}, each{};
    for (std::size_t p = 0; p < kNp; ++p) {
      rest[p] = std::max(0.0, remaining[e][p]) * total[p];
      if (!stacks_of[e].empty()) each[p] = rest[p] / static_cast<double>(stacks_of[e].size());
    }
    if (stacks_of[e].empty())
      out.ground[e].push_back({true, e, rest});
    else
      for (std::size_t s : stacks_of[e]) out.stack[s].push_back({true, e, each});
  }
  return out;
}

/// Σ parts × factor / Σ parts, per pollutant (1 where the baseline is 0).
Rates combine(const std::vector<Part>& parts, const MeasureState& st) {
  Rates num{}, den{};
  for (const Part& part : parts) {
    const Rates& f = part.rest ? st.rest[part.index] : st.line[part.index];
    for (std::size_t p = 0; p < kNp; ++p) {
      num[p] += part.amount[p] * f[p];
      den[p] += part.amount[p];
    }
  }
  Rates out = ones();
  for (std::size_t p = 0; p < kNp; ++p)
    if (den[p] > 0.0) out[p] = num[p] / den[p];
  return out;
}

bool contains(const std::vector<std::string>& values, std::string_view v) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& x) { return x == v; });
}
bool contains_nocase(const std::vector<std::string>& values, std::string_view v) {
  return std::any_of(values.begin(), values.end(), [&](const std::string& x) { return iequals(x, v); });
}

/// The working state while measures are applied: load caps (min) and cut products.
struct Work {
  const emissions::Inventory& inv;
  std::vector<std::vector<std::size_t>> lines_of;
  std::vector<double> line_cap, rest_cap, area_cap, road_cap;
  std::vector<Rates> line_cut, ent_cut, area_cut, road_cut;
  std::array<double, emissions::kSectorCount> grid_cap{};
  std::array<Rates, emissions::kSectorCount> grid_cut{};

  explicit Work(const emissions::Inventory& inventory) : inv(inventory) {
    const std::size_t ne = inv.enterprises.size();
    lines_of.resize(ne);
    for (std::size_t l = 0; l < inv.lines.size(); ++l) lines_of[inv.lines[l].enterprise].push_back(l);
    line_cap.assign(inv.lines.size(), 1.0);
    rest_cap.assign(ne, 1.0);
    area_cap.assign(inv.areas.size(), 1.0);
    road_cap.assign(inv.roads.size(), 1.0);
    line_cut.assign(inv.lines.size(), ones());
    ent_cut.assign(ne, ones());
    area_cut.assign(inv.areas.size(), ones());
    road_cut.assign(inv.roads.size(), ones());
    grid_cap.fill(1.0);
    grid_cut.fill(ones());
  }

  static void cut(Rates& r, const Action& a, const PollutantMask& mask) {
    for (std::size_t p = 0; p < kNp; ++p)
      if (mask[p]) r[p] *= 1.0 - a.value;
  }
  static void cut(Rates& r, const Rates& fraction) {
    for (std::size_t p = 0; p < kNp; ++p) r[p] *= 1.0 - fraction[p];
  }
  /// The load a stop/limit/load action leaves to a line.
  double line_cap_of(std::size_t l, const Action& a) const {
    const auto& line = inv.lines[l];
    switch (a.kind) {
      case ActionKind::stop: return line.can_stop ? 0.0 : line.min_load;
      case ActionKind::limit: return std::max(a.value, line.min_load);
      case ActionKind::load: return a.value;
      default: return 1.0;
    }
  }
  /// The cap of a stop/limit/load action on a share without a line (rest, surface sources).
  static double plain_cap(const Action& a) {
    switch (a.kind) {
      case ActionKind::stop: return 0.0;
      case ActionKind::limit:
      case ActionKind::load: return a.value;
      default: return 1.0;
    }
  }
  void on_line(std::size_t l, const Action& a, const PollutantMask& mask) {
    if (a.kind == ActionKind::none) return;
    if (a.kind == ActionKind::cut)
      cut(line_cut[l], a, mask);
    else
      line_cap[l] = std::min(line_cap[l], line_cap_of(l, a));
  }
  void on_enterprise(std::size_t e, const Action& a, const PollutantMask& mask) {
    if (a.kind == ActionKind::none) return;
    if (a.kind == ActionKind::cut) {
      cut(ent_cut[e], a, mask);
      return;
    }
    for (std::size_t l : lines_of[e]) line_cap[l] = std::min(line_cap[l], line_cap_of(l, a));
    rest_cap[e] = std::min(rest_cap[e], plain_cap(a));
  }
  static void on_surface(double& cap, Rates& cuts, const Action& a, const PollutantMask& mask) {
    if (a.kind == ActionKind::none) return;
    if (a.kind == ActionKind::cut)
      cut(cuts, a, mask);
    else
      cap = std::min(cap, plain_cap(a));
  }

  MeasureState finish() const {
    MeasureState st;
    const std::size_t ne = inv.enterprises.size();
    st.line_load = line_cap;
    st.line.resize(inv.lines.size());
    for (std::size_t l = 0; l < inv.lines.size(); ++l)
      for (std::size_t p = 0; p < kNp; ++p)
        st.line[l][p] = line_cap[l] * line_cut[l][p] * ent_cut[inv.lines[l].enterprise][p];
    st.rest.resize(ne);
    for (std::size_t e = 0; e < ne; ++e)
      for (std::size_t p = 0; p < kNp; ++p) st.rest[e][p] = rest_cap[e] * ent_cut[e][p];
    auto scaled = [](double cap, Rates r) {
      for (double& v : r) v *= cap;
      return r;
    };
    for (std::size_t a = 0; a < inv.areas.size(); ++a) st.area.push_back(scaled(area_cap[a], area_cut[a]));
    for (std::size_t r = 0; r < inv.roads.size(); ++r) st.road.push_back(scaled(road_cap[r], road_cut[r]));
    for (std::size_t s = 0; s < emissions::kSectorCount; ++s) st.gridded_by_sector[s] = scaled(grid_cap[s], grid_cut[s]);
    return st;
  }
};

bool enterprise_matches(const emissions::Enterprise& e, const Target& t) {
  switch (t.kind) {
    case TargetKind::enterprise: return contains(t.values, e.id);
    case TargetKind::line: return false;
    case TargetKind::sector:
      return contains_nocase(t.values, emissions::sector_name(Sector::industry)) ||
             (e.industry == "power" && contains_nocase(t.values, emissions::sector_name(Sector::power)));
    case TargetKind::district: return contains(t.values, e.district);
    case TargetKind::category: return contains(t.values, e.category);
    case TargetKind::industry: return contains(t.values, e.industry);
    case TargetKind::grade: return contains_nocase(t.values, emissions::grade_name(e.grade));
  }
  return false;
}

bool surface_matches(Sector sector, std::string_view district, std::string_view category, const Target& t) {
  switch (t.kind) {
    case TargetKind::sector: return contains_nocase(t.values, emissions::sector_name(sector));
    case TargetKind::district: return !district.empty() && contains(t.values, district);
    case TargetKind::category: return contains(t.values, category);
    default: return false;
  }
}

void apply_custom(Work& w, const CustomMeasure& m) {
  const auto& inv = w.inv;
  const Target& t = m.target;
  if (t.kind == TargetKind::line) {
    for (const std::string& id : t.values) {
      bool found = false;
      for (std::size_t l = 0; l < inv.lines.size(); ++l)
        if (inv.lines[l].id == id) {
          w.on_line(l, m.action, m.pollutants);
          found = true;
        }
      LANTIAN_CHECK(found, (ErrorContext{"", 0, "measure " + m.name}), "unknown production line '" + id + "'");
    }
    return;
  }
  if (t.kind == TargetKind::enterprise)
    for (const std::string& id : t.values)
      LANTIAN_CHECK(inv.find_enterprise(id).has_value(), (ErrorContext{"", 0, "measure " + m.name}),
                    "unknown enterprise '" + id + "'");
  const bool explicit_target = t.kind == TargetKind::enterprise;
  for (std::size_t e = 0; e < inv.enterprises.size(); ++e) {
    const auto& en = inv.enterprises[e];
    if (en.exempt && !explicit_target && !m.include_exempt) continue;
    if (enterprise_matches(en, t)) w.on_enterprise(e, m.action, m.pollutants);
  }
  for (std::size_t a = 0; a < inv.areas.size(); ++a) {
    const auto& s = inv.areas[a];
    if (surface_matches(s.sector, s.district, s.category, t)) Work::on_surface(w.area_cap[a], w.area_cut[a], m.action, m.pollutants);
  }
  for (std::size_t r = 0; r < inv.roads.size(); ++r) {
    const auto& s = inv.roads[r];
    if (surface_matches(s.sector, s.district, s.category, t)) Work::on_surface(w.road_cap[r], w.road_cut[r], m.action, m.pollutants);
  }
  for (std::size_t s = 0; s < emissions::kSectorCount; ++s) {
    const auto sector = static_cast<Sector>(s);
    if (surface_matches(sector, "", emissions::default_category(sector), t))
      Work::on_surface(w.grid_cap[s], w.grid_cut[s], m.action, m.pollutants);
  }
}

void apply_sector_row(Work& w, const SectorMeasure& row, ResponseLevel level) {
  const double f = row.cut[index(level)];
  if (f <= 0.0) return;
  const Action a{ActionKind::cut, f};
  auto matches = [&](Sector sector, std::string_view category) {
    return (!row.sector || *row.sector == sector) && (row.category.empty() || row.category == category);
  };
  for (std::size_t i = 0; i < w.inv.areas.size(); ++i)
    if (matches(w.inv.areas[i].sector, w.inv.areas[i].category)) Work::cut(w.area_cut[i], a, row.pollutants);
  for (std::size_t i = 0; i < w.inv.roads.size(); ++i)
    if (matches(w.inv.roads[i].sector, w.inv.roads[i].category)) Work::cut(w.road_cut[i], a, row.pollutants);
  for (std::size_t s = 0; s < emissions::kSectorCount; ++s) {
    const auto sector = static_cast<Sector>(s);
    if (matches(sector, emissions::default_category(sector))) Work::cut(w.grid_cut[s], a, row.pollutants);
  }
}

/// Response runs: contiguous windows merged, sorted.
struct Run {
  UtcHour start = 0, end = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names and parsing

std::string_view response_level_name(ResponseLevel level) noexcept {
  switch (level) {
    case ResponseLevel::none: return "none";
    case ResponseLevel::yellow: return "yellow";
    case ResponseLevel::orange: return "orange";
    case ResponseLevel::red: return "red";
  }
  return "none";
}

std::optional<ResponseLevel> parse_response_level(std::string_view text) noexcept {
  const std::string_view t = trim(text);
  if (iequals(t, "none")) return ResponseLevel::none;
  if (iequals(t, "yellow") || t == "黄色") return ResponseLevel::yellow;
  if (iequals(t, "orange") || t == "橙色") return ResponseLevel::orange;
  if (iequals(t, "red") || t == "红色") return ResponseLevel::red;
  return std::nullopt;
}

std::optional<PollutantMask> parse_pollutant_group(std::string_view name) noexcept {
  const std::string_view n = trim(name);
  if (iequals(n, "pm")) return kPm;
  if (iequals(n, "all")) return kAll;
  for (EmittedPollutant p : emissions::kAllEmittedPollutants)
    if (iequals(n, emissions::pollutant_column(p))) return mask_of({p});
  return std::nullopt;
}

PollutantMask floor_pollutants() noexcept {
  PollutantMask m = kAll;
  m[emissions::index(EmittedPollutant::nh3)] = false;
  return m;
}

Rates fractions(double fraction, const PollutantMask& mask) noexcept {
  Rates r{};
  for (std::size_t p = 0; p < kNp; ++p) r[p] = mask[p] ? fraction : 0.0;
  return r;
}

std::string_view target_kind_name(TargetKind kind) noexcept {
  switch (kind) {
    case TargetKind::enterprise: return "enterprise";
    case TargetKind::line: return "line";
    case TargetKind::sector: return "sector";
    case TargetKind::district: return "district";
    case TargetKind::category: return "category";
    case TargetKind::industry: return "industry";
    case TargetKind::grade: return "grade";
  }
  return "enterprise";
}

// ---------------------------------------------------------------------------------------------
// Plans, defaults, settings, standard scenarios

LinePlans LinePlans::none(const emissions::Inventory& inventory) {
  LinePlans p;
  p.line.resize(inventory.lines.size());
  p.enterprise_has_plan.assign(inventory.enterprises.size(), false);
  return p;
}

GradeDefaults default_grade_defaults() {
  // ASSUMED defaults for enterprises without a 一厂一策 plan, per grade (绩效分级) and level. DOMAIN.md
  // §5: A and leading enterprises are exempt from mandatory cuts; B, C, D take progressively
  // heavier cuts. The national technical guideline (重点行业应急减排措施制定技术指南, 2020) sets
  // per-industry measures rather than load fractions; the loads below are chosen so that a B/C/D
  // mix meets roughly the 10/20/30% floors, and non-graded enterprises (非重点行业) follow the floors
  // themselves. Configurable per grade and level in [response.grade_defaults].
  const Action none{};
  auto limit = [](double load) { return Action{ActionKind::limit, load}; };
  const Action stop{ActionKind::stop, 0.0};
  GradeDefaults g{};
  auto set = [&](emissions::Grade grade, Action y, Action o, Action r) {
    g[static_cast<std::size_t>(grade)] = {none, y, o, r};
  };
  set(emissions::Grade::A, none, none, none);
  set(emissions::Grade::leading, none, none, none);
  set(emissions::Grade::B, none, limit(0.8), limit(0.7));
  set(emissions::Grade::C, limit(0.8), limit(0.7), limit(0.5));
  set(emissions::Grade::D, limit(0.7), limit(0.5), stop);
  set(emissions::Grade::none, limit(0.9), limit(0.8), limit(0.7));
  return g;
}

std::span<const SectorMeasure> builtin_sector_measures() noexcept { return kSectorMeasures; }

ResponseSettings ResponseSettings::defaults() {
  ResponseSettings s;
  const PollutantMask m = floor_pollutants();
  const std::array<double, kResponseLevelCount> f{0.0, 0.1, 0.2, 0.3};  // DOMAIN.md §4
  for (std::size_t k = 0; k < kResponseLevelCount; ++k) {
    s.uniform[k] = fractions(f[k], m);
    s.floors[k] = fractions(f[k], m);
  }
  return s;
}

std::vector<Scenario> standard_scenarios() {
  std::vector<Scenario> out;
  const std::array<ResponseLevel, 3> levels{ResponseLevel::yellow, ResponseLevel::orange, ResponseLevel::red};
  for (ResponseLevel l : levels) {
    Scenario s;
    s.name = "uniform-" + std::string(response_level_name(l));
    s.description = "uniform cuts of the " + std::string(response_level_name(l)) +
                    " level (SO2, NOx, PM, VOCs) from every non-exempt source";
    s.level = l;
    s.uniform = true;
    out.push_back(std::move(s));
  }
  for (ResponseLevel l : levels) {
    Scenario s;
    s.name = "plans-" + std::string(response_level_name(l));
    s.description = "一厂一策 plans of the " + std::string(response_level_name(l)) +
                    " level (grade defaults without a plan) and the sector measures of DOMAIN.md §5";
    s.level = l;
    s.plans = true;
    s.sector_measures = true;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ResponseWindow> response_windows(std::span<const ResponsePeriod> periods, const TimeAxis& series,
                                             const WarningRules& rules) {
  std::vector<ResponseWindow> out;
  for (const ResponsePeriod& p : periods) {
    if (p.level <= 0) continue;
    ResponseWindow w;
    w.start = series[p.began.value_or(p.start)];  // in force before the series: since then
    w.end = p.end < 0 ? series.end() : series[p.end];
    w.level = parse_response_level(rules.level_name(p.level)).value_or(ResponseLevel::none);
    out.push_back(w);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Schedule and state

std::vector<double> inflow_factors(const Scenario& scenario, const TimeAxis& period,
                                   std::span<const ResponseWindow> windows, const ResponseSettings& settings) {
  LANTIAN_CHECK(scenario.regional_cut >= 0.0 && scenario.regional_cut <= 1.0,
                (ErrorContext{"", 0, "scenario " + scenario.name + ".regional_cut"}),
                "expected a fraction 0-1, found " + std::to_string(scenario.regional_cut));
  std::vector<double> f(static_cast<std::size_t>(period.size()), 1.0);
  if (scenario.regional_cut == 0.0) return f;
  for (const ScheduleSegment& seg : schedule(scenario, period, windows, settings))
    if (seg.response)
      for (std::int64_t h = seg.begin; h < seg.end; ++h) f[static_cast<std::size_t>(h)] = 1.0 - scenario.regional_cut;
  return f;
}

bool ScheduleSegment::active() const noexcept {
  return response || std::any_of(custom.begin(), custom.end(), [](bool b) { return b; });
}

std::vector<ScheduleSegment> schedule(const Scenario& scenario, const TimeAxis& period,
                                      std::span<const ResponseWindow> windows, const ResponseSettings& settings) {
  LANTIAN_CHECK(settings.lead_hours >= 0, (ErrorContext{"", 0, "response.lead_hours"}),
                "expected a lead time >= 0 h, found " + std::to_string(settings.lead_hours));
  std::vector<ResponseWindow> w(windows.begin(), windows.end());
  std::sort(w.begin(), w.end(), [](const ResponseWindow& a, const ResponseWindow& b) { return a.start < b.start; });
  std::vector<Run> runs;
  for (std::size_t i = 0; i < w.size(); ++i) {
    LANTIAN_CHECK(w[i].end > w[i].start, (ErrorContext{"", 0, "response window " + std::to_string(i)}),
                  "ends (" + format_utc(w[i].end) + ") before it starts (" + format_utc(w[i].start) + ")");
    if (i > 0)
      LANTIAN_CHECK(w[i].start >= w[i - 1].end, (ErrorContext{"", 0, "response window " + std::to_string(i)}),
                    "overlaps the previous window (starts " + format_utc(w[i].start) + ", previous ends " +
                        format_utc(w[i - 1].end) + ")");
    if (!runs.empty() && runs.back().end == w[i].start)
      runs.back().end = w[i].end;
    else
      runs.push_back({w[i].start, w[i].end});
  }
  const UtcHour lead = settings.lead_hours;
  auto level_of_window_at = [&](UtcHour t) {
    for (const ResponseWindow& x : w)
      if (t >= x.start && t < x.end) return x.level;
    return ResponseLevel::none;
  };

  std::vector<ScheduleSegment> out;
  for (std::int64_t h = 0; h < period.size(); ++h) {
    const UtcHour t = period[h];
    ScheduleSegment s;
    s.begin = h;
    s.end = h + 1;
    for (const Run& r : runs)
      if (t >= r.start + lead && t < r.end) s.response = true;
    if (s.response) s.level = scenario.follow_timeline ? level_of_window_at(t - lead) : scenario.level;
    for (const CustomMeasure& m : scenario.measures) {
      bool on = false;
      if (m.start || m.end)
        on = t >= m.start.value_or(std::numeric_limits<UtcHour>::min()) &&
             t < m.end.value_or(std::numeric_limits<UtcHour>::max());
      else
        on = s.response && index(s.level) >= index(m.from_level);
      s.custom.push_back(on);
    }
    if (!out.empty() && out.back().response == s.response && out.back().level == s.level &&
        out.back().custom == s.custom)
      out.back().end = s.end;
    else
      out.push_back(std::move(s));
  }
  return out;
}

MeasureState resolve(const Scenario& scenario, const MeasureInputs& in, const ScheduleSegment& seg) {
  const auto& inv = in.inventory;
  LANTIAN_CHECK(in.plans.line.size() == inv.lines.size() && in.plans.enterprise_has_plan.size() == inv.enterprises.size(),
                (ErrorContext{in.plans.file, 0, ""}),
                "the plans are not sized for this inventory (" + std::to_string(in.plans.line.size()) + " lines, expected " +
                    std::to_string(inv.lines.size()) + ")");
  Work w(inv);
  const ResponseLevel level = seg.response ? seg.level : ResponseLevel::none;
  if (level != ResponseLevel::none && scenario.plans) {
    const std::size_t k = index(level) - 1;
    for (std::size_t e = 0; e < inv.enterprises.size(); ++e) {
      const auto& en = inv.enterprises[e];
      if (en.exempt) continue;
      if (in.plans.enterprise_has_plan[e]) {
        for (std::size_t l : w.lines_of[e])
          if (in.plans.line[l]) w.on_line(l, (*in.plans.line[l])[k], kAll);
      } else {
        w.on_enterprise(e, in.settings.grade_defaults[static_cast<std::size_t>(en.grade)][index(level)], kAll);
      }
    }
    // A gridded industry inventory is the aggregate of enterprises without a list, hence without
    // a plan or a grade: it takes the default of the not-graded enterprises (Grade::none).
    const Action gridded_industry = in.settings.grade_defaults[static_cast<std::size_t>(emissions::Grade::none)][index(level)];
    const auto ind = static_cast<std::size_t>(Sector::industry);
    Work::on_surface(w.grid_cap[ind], w.grid_cut[ind], gridded_industry, kAll);
  }
  if (level != ResponseLevel::none && scenario.sector_measures)
    for (const SectorMeasure& row : kSectorMeasures) apply_sector_row(w, row, level);
  if (seg.response && scenario.uniform) {
    const Rates f = scenario.uniform_fractions ? *scenario.uniform_fractions : in.settings.uniform[index(level)];
    for (std::size_t e = 0; e < inv.enterprises.size(); ++e)
      if (!inv.enterprises[e].exempt) Work::cut(w.ent_cut[e], f);
    for (auto& c : w.area_cut) Work::cut(c, f);
    for (auto& c : w.road_cut) Work::cut(c, f);
    for (auto& c : w.grid_cut) Work::cut(c, f);
  }
  for (std::size_t i = 0; i < scenario.measures.size() && i < seg.custom.size(); ++i)
    if (seg.custom[i]) apply_custom(w, scenario.measures[i]);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Factors

ScenarioFactors::ScenarioFactors(std::vector<Segment> segments, std::size_t n_sources)
    : segments_(std::move(segments)), n_sources_(n_sources) {}

const std::vector<Rates>& ScenarioFactors::factors_at(std::int64_t h) const {
  const auto it = std::upper_bound(segments_.begin(), segments_.end(), h,
                                   [](std::int64_t x, const Segment& s) { return x < s.end; });
  LANTIAN_CHECK(it != segments_.end() && h >= it->begin, (ErrorContext{"", 0, "factors_at"}),
                "hour index " + std::to_string(h) + " is outside the period (" +
                    std::to_string(segments_.empty() ? 0 : segments_.back().end) + " hours)");
  return it->factors;
}

namespace {

template <class SourceFactors>
ScenarioFactors build_factors(const Scenario& scenario, const MeasureInputs& in, std::size_t n_sources,
                              const TimeAxis& period, std::span<const ResponseWindow> windows,
                              const SourceFactors& source_factors) {
  std::vector<ScenarioFactors::Segment> out;
  for (const ScheduleSegment& seg : schedule(scenario, period, windows, in.settings)) {
    ScenarioFactors::Segment s;
    s.begin = seg.begin;
    s.end = seg.end;
    s.baseline = !seg.active();
    if (s.baseline)
      s.factors.assign(n_sources, ones());
    else
      s.factors = source_factors(resolve(scenario, in, seg));
    out.push_back(std::move(s));
  }
  return ScenarioFactors(std::move(out), n_sources);
}

}  // namespace

ScenarioFactors eulerian_factors(const Scenario& scenario, const MeasureInputs& in,
                                 std::span<const emissions::EmissionSource> sources, const TimeAxis& period,
                                 std::span<const ResponseWindow> windows) {
  const auto& inv = in.inventory;
  const Split split = split_parts(inv);
  const auto ground = emissions::ground_releases(inv);
  auto per_source = [&](const MeasureState& st) {
    std::vector<Rates> f;
    f.reserve(sources.size());
    for (const emissions::EmissionSource& s : sources) {
      switch (s.kind) {
        case emissions::SourceKind::stack:
          LANTIAN_CHECK(s.index < split.stack.size(), (ErrorContext{"", 0, "source " + s.id}), "stack index out of range");
          f.push_back(combine(split.stack[s.index], st));
          break;
        case emissions::SourceKind::area:
          LANTIAN_CHECK(s.index < st.area.size(), (ErrorContext{"", 0, "source " + s.id}), "area index out of range");
          f.push_back(st.area[s.index]);
          break;
        case emissions::SourceKind::road:
          LANTIAN_CHECK(s.index < st.road.size(), (ErrorContext{"", 0, "source " + s.id}), "road index out of range");
          f.push_back(st.road[s.index]);
          break;
        case emissions::SourceKind::ground_release:
          LANTIAN_CHECK(s.index < ground.size(), (ErrorContext{"", 0, "source " + s.id}), "ground release out of range");
          f.push_back(combine(split.ground[ground[s.index].enterprise], st));
          break;
        case emissions::SourceKind::gridded: f.push_back(st.gridded_by_sector[static_cast<std::size_t>(s.sector)]); break;
      }
    }
    return f;
  };
  return build_factors(scenario, in, sources.size(), period, windows, per_source);
}

ScenarioFactors screening_factors(const Scenario& scenario, const MeasureInputs& in, const TimeAxis& period,
                                  std::span<const ResponseWindow> windows) {
  const auto& inv = in.inventory;
  const Split split = split_parts(inv);
  auto per_source = [&](const MeasureState& st) {
    std::vector<Rates> f;
    f.reserve(inv.stacks.size() + inv.enterprises.size());
    for (const auto& parts : split.stack) f.push_back(combine(parts, st));
    for (const auto& parts : split.ground) f.push_back(combine(parts, st));
    return f;
  };
  return build_factors(scenario, in, inv.stacks.size() + inv.enterprises.size(), period, windows, per_source);
}

// ---------------------------------------------------------------------------------------------
// Account

ScenarioAccount account(const Scenario& scenario, const MeasureInputs& in, const TimeAxis& period,
                        std::span<const ResponseWindow> windows, const AccountOptions& options) {
  const auto& inv = in.inventory;
  const std::size_t ne = inv.enterprises.size();
  const Split split = split_parts(inv);
  ScenarioAccount acc;
  acc.cost_by_enterprise.assign(ne, 0.0);
  // Each enterprise's baseline split into its lines and its rest: Σ parts = its total rate.
  std::vector<std::vector<Part>> parts_of(ne);
  for (const auto& parts : split.stack)
    for (const Part& p : parts) parts_of[p.rest ? p.index : inv.lines[p.index].enterprise].push_back(p);
  for (const auto& parts : split.ground)
    for (const Part& p : parts) parts_of[p.rest ? p.index : inv.lines[p.index].enterprise].push_back(p);

  const double g_to_t = kSecondsPerHour * kTonnesPerGram;  // g/s over one hour -> t
  ResponseLevel highest = ResponseLevel::none;
  bool any_response = false;
  for (const ScheduleSegment& seg : schedule(scenario, period, windows, in.settings)) {
    if (!seg.active()) continue;
    if (seg.response) {
      any_response = true;
      if (index(seg.level) > index(highest)) highest = seg.level;
    }
    const MeasureState st = resolve(scenario, in, seg);
    for (std::int64_t h = seg.begin; h < seg.end; ++h) {
      ++acc.active_hours;
      const emissions::LocalTime lt = emissions::local_time(period[h], period.zone());
      auto weight = [&](int profile) {
        return options.temporal_profiles ? emissions::temporal_factor(inv.profile(profile), lt) : 1.0;
      };
      auto add = [&](const Rates& base, const Rates& factor, double wgt) {
        for (std::size_t p = 0; p < kNp; ++p) {
          acc.society[p] += base[p] * wgt * g_to_t;
          acc.removed[p] += base[p] * wgt * (1.0 - factor[p]) * g_to_t;
        }
      };
      for (std::size_t e = 0; e < ne; ++e) {
        const double wgt = weight(inv.enterprises[e].profile);
        for (const Part& part : parts_of[e]) add(part.amount, part.rest ? st.rest[part.index] : st.line[part.index], wgt);
      }
      for (std::size_t a = 0; a < inv.areas.size(); ++a) add(inv.areas[a].rates, st.area[a], weight(inv.areas[a].profile));
      for (std::size_t r = 0; r < inv.roads.size(); ++r) add(inv.roads[r].rates, st.road[r], weight(inv.roads[r].profile));
      for (const auto& g : options.gridded) {
        const auto& slice = g.rate[g.slice_index(period[h], lt.month)];
        Rates sum{};
        for (std::size_t p = 0; p < kNp; ++p)
          for (int j = 0; j < slice[p].ny(); ++j)
            for (int i = 0; i < slice[p].nx(); ++i) sum[p] += slice[p](i, j);
        // The file's profile (or its sector's default) like the other sources.
        add(sum, st.gridded_by_sector[static_cast<std::size_t>(g.sector)],
            options.temporal_profiles ? emissions::gridded_temporal_factor(g, lt) : 1.0);
      }
      for (std::size_t l = 0; l < inv.lines.size(); ++l) {
        const double lost = inv.lines[l].lost_output_per_hour * (1.0 - st.line_load[l]);
        acc.cost += lost;
        acc.cost_by_enterprise[inv.lines[l].enterprise] += lost;
      }
    }
  }
  acc.floor_level = scenario.follow_timeline ? highest : (any_response ? scenario.level : ResponseLevel::none);
  acc.floor = in.settings.floors[index(acc.floor_level)];
  for (std::size_t p = 0; p < kNp; ++p) {
    acc.achieved[p] = acc.society[p] > 0.0 ? acc.removed[p] / acc.society[p] : 0.0;
    acc.meets_floor[p] = meets_floor(acc.achieved[p], acc.floor[p]);
    acc.cut_per_cost[p] = acc.cost > 0.0 ? acc.removed[p] / (acc.cost / 1.0e4) : 0.0;
  }
  return acc;
}

Scenario measures_scenario(std::string name, std::vector<CustomMeasure> measures) {
  Scenario s;
  s.name = std::move(name);
  s.description = "measures with their own times";
  s.measures = std::move(measures);
  return s;
}

}  // namespace lantian
