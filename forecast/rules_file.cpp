// Rules files: see rules_file.hpp. TOML is read at the edge into plain structs (STYLE.md 12).
#include "forecast/rules_file.hpp"

#include <array>

#include "core/config.hpp"
#include "core/error.hpp"

namespace lantian {

namespace {

ValidityRules read_validity(const TomlSection& a, ValidityRules v) {
  a.reject_unknown({"min_hours_24h", "min_hours_8h", "min_windows_o3_8h", "required"});
  v.min_hours_24h = a.get("min_hours_24h", v.min_hours_24h);
  v.min_hours_8h = a.get("min_hours_8h", v.min_hours_8h);
  v.min_windows_o3_8h = a.get("min_windows_o3_8h", v.min_windows_o3_8h);
  if (a.contains("required")) {
    std::array<std::string_view, kPollutantCount> names{};
    for (int p = 0; p < kPollutantCount; ++p) names[static_cast<std::size_t>(p)] = pollutant_name(kAllPollutants[static_cast<std::size_t>(p)]);
    const std::vector<std::string> given = a.require_array<std::string>("required");
    v.required.clear();
    for (std::size_t i = 0; i < given.size(); ++i) {
      const std::optional<Pollutant> p = parse_pollutant(given[i]);
      if (!p) {
        std::string msg = "unknown pollutant \"" + given[i] + "\"";
        const std::string hint = nearest_name(given[i], std::span<const std::string_view>(names));
        if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
        msg += "; expected one of SO2, NO2, PM10, CO, O3, PM2.5";
        a.fail("required", msg);
      }
      v.required.push_back(*p);
    }
  }
  return v;
}

WarningCondition read_condition(const TomlSection& c) {
  c.reject_unknown({"above", "hours", "and_block_above"});
  WarningCondition w;
  w.above = c.require<int>("above");
  w.hours = c.require<int>("hours");
  w.and_block_above = c.get("and_block_above", 0);
  return w;
}

WarningLevelRule read_level(const TomlSection& l) {
  l.reject_unknown({"name", "name_zh", "release_at_or_below", "any_of"});
  WarningLevelRule lv;
  lv.name = l.require<std::string>("name");
  lv.name_zh = l.get("name_zh", "");
  lv.release_at_or_below = l.require<int>("release_at_or_below");
  if (!l.contains("any_of")) l.fail("any_of", "missing required key 'any_of' in " + l.display_name());
  for (const TomlSection& c : l.array_of_tables("any_of")) lv.any_of.push_back(read_condition(c));
  return lv;
}

WarningRules read_warning(const TomlSection& w, WarningRules r) {
  w.reject_unknown({"horizon_hours", "issue_hour", "release_hours", "levels"});
  r.horizon_hours = w.get("horizon_hours", r.horizon_hours);
  r.issue_hour = w.get("issue_hour", r.issue_hour);
  r.release_hours = w.get("release_hours", r.release_hours);
  if (w.contains("levels")) {
    // A local plan's list replaces the national one wholly (e.g. a plan with a blue level).
    r.levels.clear();
    for (const TomlSection& l : w.array_of_tables("levels")) r.levels.push_back(read_level(l));
  }
  return r;
}

AqiWarningRules read_rules(const TomlDocument& doc, const std::string& source) {
  const TomlSection root(doc, source);
  root.reject_unknown({"aqi", "warning"});
  AqiWarningRules r;
  if (const auto a = root.table("aqi")) r.validity = read_validity(*a, r.validity);
  if (const auto w = root.table("warning")) r.warning = read_warning(*w, r.warning);
  try {
    r.validity.validate();
    r.warning.validate();
  } catch (const Error& e) {
    // validate() names the key path ("warning.levels[1].any_of[0].hours"): add file and line.
    throw Error(SourceMap(doc, source).context(e.context().where), e.message());
  }
  return r;
}

}  // namespace

AqiWarningRules load_rules(const std::string& toml_path) { return read_rules(parse_toml_file(toml_path), toml_path); }

AqiWarningRules parse_rules(std::string_view toml_text, const std::string& source) {
  return read_rules(parse_toml_string(toml_text, source), source);
}

}  // namespace lantian
