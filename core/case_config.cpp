// Case file loading and validation: see case_config.hpp.
#include "core/case_config.hpp"

#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.hpp"

namespace lantian {

namespace {

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty()) return p;
  const std::filesystem::path fp(p);
  if (fp.is_absolute()) return p;
  return (std::filesystem::path(base_dir) / fp).lexically_normal().string();
}

CaseConfig read_case(const toml::table& doc, const std::string& source, const std::string& base_dir) {
  CaseConfig c;
  c.source = SourceMap(doc, source);
  const TomlSection root(doc, source);
  root.reject_unknown({"name", "time_zone", "period", "grid", "stations", "paths", "rules_file"});
  c.name = root.require<std::string>("name");
  c.time_zone = root.get("time_zone", c.time_zone);
  c.rules_file = resolve(base_dir, root.get("rules_file", c.rules_file));

  const TomlSection period = root.require_table("period");
  period.reject_unknown({"start", "hours"});
  c.period.start = period.require<std::string>("start");
  c.period.hours = period.get("hours", c.period.hours);

  const TomlSection grid = root.require_table("grid");
  grid.reject_unknown({"crs", "nx", "ny", "dx", "dy", "x0", "y0", "layer_tops"});
  c.grid.crs = grid.require<std::string>("crs");
  c.grid.nx = grid.require<int>("nx");
  c.grid.ny = grid.require<int>("ny");
  c.grid.dx = grid.require<double>("dx");
  c.grid.dy = grid.require<double>("dy");
  c.grid.x0 = grid.require<double>("x0");
  c.grid.y0 = grid.require<double>("y0");
  c.grid.layer_tops = grid.require_array<double>("layer_tops");

  for (const TomlSection& s : root.array_of_tables("stations")) {
    s.reject_unknown({"id", "name", "lon", "lat", "kind"});
    StationConfig st;
    st.id = s.require<std::string>("id");
    st.name = s.get("name", st.id.c_str());
    st.lon = s.require<double>("lon");
    st.lat = s.require<double>("lat");
    st.kind = s.get("kind", st.kind.c_str());
    c.stations.push_back(std::move(st));
  }

  if (const auto paths = root.table("paths")) {
    paths->reject_unknown({"observations", "meteorology", "emissions", "output"});
    c.paths.observations = resolve(base_dir, paths->get("observations", ""));
    c.paths.meteorology = resolve(base_dir, paths->get("meteorology", ""));
    c.paths.emissions = resolve(base_dir, paths->get("emissions", ""));
    c.paths.output = resolve(base_dir, paths->get("output", ""));
  }
  c.validate();
  return c;
}

std::string number(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

void CaseConfig::validate() const {
  const SourceMap& src = source;
  LANTIAN_CHECK(!name.empty(), src.context("name"), "expected a non-empty case name");

  std::optional<TimeZone> tz;
  try {
    tz.emplace(time_zone);
  } catch (const Error& e) {
    throw Error(src.context("time_zone"), e.message());
  }

  try {
    (void)parse_time(period.start, *tz);
  } catch (const Error& e) {
    throw Error(src.context("period.start"), e.message());
  }
  LANTIAN_CHECK(period.hours >= 1 && period.hours <= 240, src.context("period.hours"),
                "expected a period of 1 to 240 hours, found " + std::to_string(period.hours));

  grid.validate(src, "grid");
  try {
    check_crs(grid.crs);
  } catch (const Error& e) {
    throw Error(src.context("grid.crs"), e.message());
  }

  std::set<std::string, std::less<>> ids;
  for (std::size_t n = 0; n < stations.size(); ++n) {
    const StationConfig& s = stations[n];
    const std::string p = "stations[" + std::to_string(n) + "].";
    LANTIAN_CHECK(!s.id.empty(), src.context(p + "id"), "expected a non-empty station id");
    LANTIAN_CHECK(ids.insert(s.id).second, src.context(p + "id"), "duplicate station id '" + s.id + "'");
    LANTIAN_CHECK(std::isfinite(s.lon) && s.lon >= -180.0 && s.lon <= 180.0, src.context(p + "lon"),
                  "expected a longitude in -180..180 degrees east, found " + number(s.lon));
    LANTIAN_CHECK(std::isfinite(s.lat) && s.lat >= -90.0 && s.lat <= 90.0, src.context(p + "lat"),
                  "expected a latitude in -90..90 degrees north, found " + number(s.lat));
    LANTIAN_CHECK(s.kind == "national" || s.kind == "provincial", src.context(p + "kind"),
                  "expected \"national\" or \"provincial\", found \"" + s.kind + "\"");
  }
}

UtcHour CaseConfig::start_utc() const {
  try {
    return parse_time(period.start, zone());
  } catch (const Error& e) {
    if (!e.context().file.empty() || e.context().line > 0) throw;
    throw Error(source.context("period.start"), e.message());
  }
}

TimeAxis CaseConfig::time_axis() const { return TimeAxis(start_utc(), period.hours, zone()); }

CaseConfig load_case(const std::string& path) {
  const toml::table doc = parse_toml_file(path);
  return read_case(doc, path, std::filesystem::path(path).parent_path().string());
}

CaseConfig load_case_string(std::string_view text, const std::string& source, const std::string& base_dir) {
  const toml::table doc = parse_toml_string(text, source);
  return read_case(doc, source, base_dir);
}

}  // namespace lantian
