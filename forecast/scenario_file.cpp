// Control scenarios from the case file: see scenario_file.hpp.
#include "forecast/scenario_file.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "emissions/inventory_csv.hpp"

namespace lantian {

namespace {

using emissions::Rates;

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty()) return p;
  const std::filesystem::path fp(p);
  if (fp.is_absolute()) return p;
  return (std::filesystem::path(base_dir) / fp).lexically_normal().string();
}

std::string suggestion(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string near = nearest_name(name, candidates);
  return near.empty() ? "" : " (did you mean '" + near + "'?)";
}

/// The names a target value may take, from the inventory.
struct Names {
  std::vector<std::string> enterprises, lines, sectors, districts, categories, industries, grades;

  explicit Names(const emissions::Inventory& inv) {
    std::set<std::string> districts_set, categories_set, industries_set;
    for (const auto& e : inv.enterprises) {
      enterprises.push_back(e.id);
      districts_set.insert(e.district);
      categories_set.insert(e.category);
      industries_set.insert(e.industry);
    }
    for (const auto& l : inv.lines) lines.push_back(l.id);
    for (const auto& a : inv.areas) {
      districts_set.insert(a.district);
      categories_set.insert(a.category);
    }
    for (const auto& r : inv.roads) {
      districts_set.insert(r.district);
      categories_set.insert(r.category);
    }
    for (std::string_view s : emissions::sector_names()) {
      sectors.emplace_back(s);
      categories_set.insert(std::string(emissions::default_category(*emissions::parse_sector(s))));
    }
    for (int g = 0; g < emissions::kGradeCount; ++g) grades.emplace_back(emissions::grade_name(static_cast<emissions::Grade>(g)));
    districts_set.erase("");
    categories_set.erase("");
    districts.assign(districts_set.begin(), districts_set.end());
    categories.assign(categories_set.begin(), categories_set.end());
    industries.assign(industries_set.begin(), industries_set.end());
  }

  const std::vector<std::string>& of(TargetKind k) const {
    switch (k) {
      case TargetKind::enterprise: return enterprises;
      case TargetKind::line: return lines;
      case TargetKind::sector: return sectors;
      case TargetKind::district: return districts;
      case TargetKind::category: return categories;
      case TargetKind::industry: return industries;
      case TargetKind::grade: return grades;
    }
    return enterprises;
  }
};

constexpr std::array<TargetKind, 7> kTargetKinds{TargetKind::enterprise, TargetKind::line,     TargetKind::sector,
                                                 TargetKind::district,   TargetKind::category, TargetKind::industry,
                                                 TargetKind::grade};

std::vector<std::string> strings(const TomlSection& s, std::string_view key) {
  if (s.kind(key) == TomlKind::string) return {s.require<std::string>(key)};
  auto v = s.require_array<std::string>(key);
  if (v.empty()) s.fail(key, "expected at least one name, found an empty list");
  return v;
}

ResponseLevel level_at(const TomlSection& s, std::string_view key, bool allow_timeline, bool& timeline) {
  const std::string text = s.require<std::string>(key);
  timeline = false;
  if (allow_timeline && iequals(trim(text), "timeline")) {
    timeline = true;
    return ResponseLevel::none;
  }
  if (const auto l = parse_response_level(text)) return *l;
  std::vector<std::string> names{"none", "yellow", "orange", "red"};
  if (allow_timeline) names.emplace_back("timeline");
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  s.fail(key, "unknown level " + quote_text(text) + suggestion(text, names) + "; expected one of " + list);
}

/// {yellow = f, orange = f, red = f} -> fractions of the floor pollutants per level.
void read_level_fractions(const TomlSection& s, std::array<Rates, kResponseLevelCount>& out) {
  s.reject_unknown({"yellow", "orange", "red"});
  const std::array<std::string_view, 3> keys{"yellow", "orange", "red"};
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const auto f = s.get_optional<double>(keys[k]);
    if (!f) continue;
    if (*f < 0.0 || *f > 1.0)
      s.fail(keys[k], "expected a fraction 0-1 (20% is 0.2), found " + std::to_string(*f));
    out[k + 1] = fractions(*f, floor_pollutants());
  }
}

/// uniform = {so2 = 0.2, nox = ..., pm = ..., pm25, pm10, vocs, nh3}
Rates read_pollutant_fractions(const TomlSection& s) {
  const std::array<std::string_view, 7> keys{"so2", "nox", "pm", "pm25", "pm10", "vocs", "nh3"};
  s.reject_unknown(std::span<const std::string_view>(keys));
  Rates r{};
  for (std::string_view k : keys) {
    const auto f = s.get_optional<double>(k);
    if (!f) continue;
    if (*f < 0.0 || *f > 1.0) s.fail(k, "expected a fraction 0-1 (20% is 0.2), found " + std::to_string(*f));
    const PollutantMask m = *parse_pollutant_group(k);
    for (std::size_t p = 0; p < m.size(); ++p)
      if (m[p]) r[p] = *f;
  }
  return r;
}

UtcHour time_at(const TomlSection& s, std::string_view key, const TimeZone& zone) {
  const std::string text = s.require<std::string>(key);
  try {
    return parse_time(text, zone);
  } catch (const Error& e) {
    s.fail(key, e.message());
  }
}

CustomMeasure read_measure(const TomlSection& s, const Names& names, const TimeZone& zone) {
  s.reject_unknown({"name", "enterprise", "line", "sector", "district", "category", "industry", "grade", "action",
                    "pollutants", "start", "end", "from_level", "include_exempt"});
  CustomMeasure m;
  m.name = s.get("name", "");
  int targets = 0;
  for (const std::string& doc_key : s.keys()) {  // document order: the second target is the error
    const auto kind = std::find_if(kTargetKinds.begin(), kTargetKinds.end(),
                                   [&](TargetKind k) { return target_kind_name(k) == doc_key; });
    if (kind == kTargetKinds.end()) continue;
    const TargetKind k = *kind;
    const std::string_view key = target_kind_name(k);
    if (++targets > 1)
      s.fail(key, "a measure has exactly one target (enterprise, line, sector, district, category, industry or "
                  "grade); '" + std::string(target_kind_name(m.target.kind)) + "' is already given");
    m.target.kind = k;
    m.target.values = strings(s, key);
    const auto& known = names.of(k);
    const bool nocase = k == TargetKind::sector || k == TargetKind::grade;
    for (const std::string& v : m.target.values) {
      const bool found = std::any_of(known.begin(), known.end(),
                                     [&](const std::string& x) { return nocase ? iequals(x, v) : x == v; });
      if (!found)
        s.fail(key, "unknown " + std::string(key) + " " + quote_text(v) + suggestion(v, known) +
                        (k == TargetKind::sector || k == TargetKind::grade || known.size() <= 12
                             ? "; expected one of: " + [&] {
                                 std::string list;
                                 for (const auto& x : known) list += (list.empty() ? "" : ", ") + x;
                                 return list;
                               }()
                             : ""));
    }
  }
  if (targets == 0)
    s.fail("action", "missing the target of the measure: one of enterprise, line, sector, district, category, "
                     "industry, grade");
  const std::string action = s.require<std::string>("action");
  std::string why;
  const auto a = parse_action(action, true, why);
  if (!a) s.fail("action", why);
  m.action = *a;
  if (s.contains("pollutants")) {
    if (m.action.kind != ActionKind::cut)
      s.fail("pollutants", "pollutants are for 'cut N' only: stop and limit act on every pollutant");
    m.pollutants.fill(false);
    const auto list = s.require_array<std::string>("pollutants");
    if (list.empty()) s.fail("pollutants", "expected at least one pollutant, found an empty list");
    std::vector<std::string> known(kPollutantGroupNames.begin(), kPollutantGroupNames.end());
    for (const std::string& p : list) {
      const auto mask = parse_pollutant_group(p);
      if (!mask)
        s.fail("pollutants", "unknown pollutant " + quote_text(p) + suggestion(p, known) +
                                 "; expected so2, nox, pm, pm25, pm10, vocs, nh3 or all");
      for (std::size_t k = 0; k < mask->size(); ++k) m.pollutants[k] = m.pollutants[k] || (*mask)[k];
    }
  }
  if (s.contains("start")) m.start = time_at(s, "start", zone);
  if (s.contains("end")) m.end = time_at(s, "end", zone);
  if (m.start && m.end && *m.end <= *m.start)
    s.fail("end", "expected an end after the start (" + format_local(*m.start, zone) + "), found " +
                      format_local(*m.end, zone));
  if (s.contains("from_level")) {
    if (m.start || m.end)
      s.fail("from_level", "from_level is for measures that follow the response; this one has its own start/end");
    bool timeline = false;
    m.from_level = level_at(s, "from_level", false, timeline);
  }
  m.include_exempt = s.get("include_exempt", false);
  return m;
}

Scenario read_scenario(const TomlSection& s, const Names& names, const TimeZone& zone) {
  s.reject_unknown({"name", "description", "level", "uniform", "plans", "sector_measures", "measures", "regional_cut"});
  Scenario sc;
  sc.name = s.require<std::string>("name");
  if (trim(sc.name).empty()) s.fail("name", "expected a non-empty scenario name");
  sc.description = s.get("description", "");
  bool timeline = false;
  sc.level = level_at(s, "level", true, timeline);
  sc.follow_timeline = timeline;
  const bool has_level = timeline || sc.level != ResponseLevel::none;
  if (const TomlKind uniform = s.kind("uniform"); uniform != TomlKind::none) {
    if (uniform == TomlKind::table) {
      sc.uniform = true;
      sc.uniform_fractions = read_pollutant_fractions(*s.table("uniform"));
    } else {
      sc.uniform = s.require<bool>("uniform");
      if (sc.uniform && !has_level)
        s.fail("uniform", "uniform = true takes the fractions of the scenario's level, but level is \"none\": give a "
                          "level or the fractions (uniform = {so2 = 0.2, nox = 0.2, pm = 0.2, vocs = 0.2})");
    }
  }
  sc.plans = s.get("plans", false);
  if (sc.plans && !has_level) s.fail("plans", "plans = true needs a level (yellow, orange, red or timeline)");
  sc.sector_measures = s.get("sector_measures", false);
  if (sc.sector_measures && !has_level)
    s.fail("sector_measures", "sector_measures = true needs a level (yellow, orange, red or timeline)");
  for (const TomlSection& m : s.array_of_tables("measures")) sc.measures.push_back(read_measure(m, names, zone));
  sc.regional_cut = s.get("regional_cut", 0.0);
  if (!(sc.regional_cut >= 0.0 && sc.regional_cut <= 1.0))
    s.fail("regional_cut", "expected a fraction 0-1 of the inflow (20% is 0.2), found " + std::to_string(sc.regional_cut));
  if (sc.regional_cut > 0.0 && !has_level)
    s.fail("regional_cut", "regional_cut needs a level (yellow, orange, red or timeline): it acts with the response");
  return sc;
}

struct Declared {
  Scenario scenario;
  std::string file;
  long line = 0;
};

void read_scenarios(const TomlSection& root, const Names& names, const TimeZone& zone, std::vector<Declared>& out) {
  for (const TomlSection& s : root.array_of_tables("scenarios")) {
    Scenario sc = read_scenario(s, names, zone);
    for (const Declared& d : out)
      if (iequals(d.scenario.name, sc.name))
        s.fail("name", "scenario " + quote_text(sc.name) + " is declared twice (first at " + d.file + ":" +
                           std::to_string(d.line) + ")");
    out.push_back({std::move(sc), root.file(), s.line()});
  }
}

std::vector<Declared> read_scenario_file(const std::string& path, const Names& names, const TimeZone& zone,
                                         std::vector<Declared> declared) {
  const TomlDocument doc = parse_toml_file(path);
  const TomlSection root(doc, path);
  root.reject_unknown({"scenarios"});
  read_scenarios(root, names, zone, declared);
  return declared;
}

/// [response] in_force / in_force_since and [[response.imposed]].
void read_response_state(const TomlSection& r, const TimeZone& zone, UtcHour start, ScenarioSet& set) {
  bool timeline = false;
  if (r.contains("in_force")) {
    InForceResponse f;
    f.level = level_at(r, "in_force", false, timeline);
    if (!r.contains("in_force_since"))
      r.fail("in_force", "a response in force needs in_force_since: when it began (local time, e.g. "
                         "\"2024-12-11T16:00\")");
    f.since = time_at(r, "in_force_since", zone);
    if (f.since > start)
      r.fail("in_force_since", "expected a time at or before the period start " + format_local(start, zone) +
                                   ", found " + format_local(f.since, zone));
    if (f.level != ResponseLevel::none) set.in_force = f;
  } else if (r.contains("in_force_since")) {
    r.fail("in_force_since", "given without in_force (the level in force)");
  }
  for (const TomlSection& p : r.array_of_tables("imposed")) {
    p.reject_unknown({"level", "start", "end"});
    ImposedResponse im;
    im.level = level_at(p, "level", false, timeline);
    if (im.level == ResponseLevel::none) p.fail("level", "expected yellow, orange or red for an imposed level");
    im.start = time_at(p, "start", zone);
    im.end = time_at(p, "end", zone);
    if (im.end <= im.start)
      p.fail("end", "expected a time after start " + format_local(im.start, zone) + ", found " +
                        format_local(im.end, zone));
    set.imposed.push_back(im);
  }
}

ScenarioSet read_set(const TomlDocument& doc, const std::string& source, const std::string& base_dir,
                     const CaseConfig& config, const emissions::Inventory& inv) {
  const TomlSection root(doc, source);
  const Names names(inv);
  const TimeZone zone = config.zone();
  ScenarioSet set;
  std::string plans_file;
  const std::string default_plans =
      config.emissions.folder.empty() ? "" : (std::filesystem::path(config.emissions.folder) / "plans.csv").string();
  if (!default_plans.empty() && std::filesystem::is_regular_file(default_plans)) plans_file = default_plans;
  std::optional<bool> standard;
  std::vector<std::string> files;
  if (const auto r = root.table("response")) {
    r->reject_unknown({"lead_hours", "plans", "scenario_files", "standard_scenarios", "uniform", "floors",
                       "grade_defaults", "in_force", "in_force_since", "imposed"});
    read_response_state(*r, zone, parse_time(config.period.start, zone), set);
    set.settings.lead_hours = r->get("lead_hours", set.settings.lead_hours);
    if (set.settings.lead_hours < 0 || set.settings.lead_hours > 72)
      r->fail("lead_hours", "expected 0-72 hours, found " + std::to_string(set.settings.lead_hours));
    if (r->contains("plans")) {
      plans_file = resolve(base_dir, r->require<std::string>("plans"));
      if (!plans_file.empty() && !std::filesystem::is_regular_file(plans_file))
        r->fail("plans", "no such file: " + plans_file);
    }
    for (const std::string& f : r->get_array<std::string>("scenario_files")) {
      const std::string p = resolve(base_dir, f);
      if (!std::filesystem::is_regular_file(p)) r->fail("scenario_files", "no such file: " + p);
      files.push_back(p);
    }
    standard = r->get_optional<bool>("standard_scenarios");
    if (const auto u = r->table("uniform")) read_level_fractions(*u, set.settings.uniform);
    if (const auto f = r->table("floors")) read_level_fractions(*f, set.settings.floors);
    if (const auto g = r->table("grade_defaults")) {
      for (const std::string& key : g->keys()) {
        const auto grade = emissions::parse_grade(key);
        if (!grade || key.empty() || key == "-") {
          std::vector<std::string> grades;
          for (int k = 0; k < emissions::kGradeCount; ++k)
            grades.emplace_back(emissions::grade_name(static_cast<emissions::Grade>(k)));
          g->fail(key, "unknown performance grade " + quote_text(key) + suggestion(key, grades) +
                           "; expected A, B, C, D, leading or none");
        }
        const TomlSection row = g->require_table(key);
        row.reject_unknown({"yellow", "orange", "red"});
        const std::array<std::string_view, 3> levels{"yellow", "orange", "red"};
        for (std::size_t k = 0; k < levels.size(); ++k) {
          const auto text = row.get_optional<std::string>(levels[k]);
          if (!text) continue;
          std::string why;
          const auto a = parse_action(*text, false, why);
          if (!a) row.fail(levels[k], why);
          set.settings.grade_defaults[static_cast<std::size_t>(*grade)][k + 1] = *a;
        }
      }
    }
  }
  set.plans = plans_file.empty() ? LinePlans::none(inv) : read_line_plans(plans_file, inv);

  std::vector<Declared> declared;
  read_scenarios(root, names, zone, declared);
  for (const std::string& f : files) declared = read_scenario_file(f, names, zone, std::move(declared));
  set.scenario_files = files;
  for (Declared& d : declared) set.scenarios.push_back(std::move(d.scenario));
  set.standard_added = standard.value_or(set.scenarios.empty());
  if (set.standard_added)
    for (Scenario& s : standard_scenarios()) {
      if (set.find(s.name)) continue;  // a declared scenario of that name replaces the standard one
      set.scenarios.push_back(std::move(s));
    }
  return set;
}

}  // namespace

const Scenario* ScenarioSet::find(std::string_view name) const noexcept {
  for (const Scenario& s : scenarios)
    if (iequals(s.name, name)) return &s;
  return nullptr;
}

ScenarioSet load_scenario_set(const CaseConfig& config, const emissions::Inventory& inventory) {
  const std::string& path = config.source.file();
  LANTIAN_CHECK(!path.empty(), (ErrorContext{"", 0, "scenarios"}), "the case was not read from a file");
  const TomlDocument doc = parse_toml_file(path);
  return read_set(doc, path, std::filesystem::path(path).parent_path().string(), config, inventory);
}

ScenarioSet parse_scenario_set(std::string_view case_text, const std::string& source, const std::string& base_dir,
                               const CaseConfig& config, const emissions::Inventory& inventory) {
  const TomlDocument doc = parse_toml_string(case_text, source);
  return read_set(doc, source, base_dir, config, inventory);
}

std::vector<Scenario> load_scenario_file(const std::string& path, const emissions::Inventory& inventory,
                                         const TimeZone& zone) {
  const Names names(inventory);
  std::vector<Scenario> out;
  for (Declared& d : read_scenario_file(path, names, zone, {})) out.push_back(std::move(d.scenario));
  return out;
}

}  // namespace lantian
