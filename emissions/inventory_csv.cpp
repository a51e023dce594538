// The inventory CSV readers. Rates are converted to g/s here, once (units.hpp).
#include "emissions/inventory_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "core/config.hpp"
#include "core/csv_file.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "emissions/units.hpp"
#include "emissions/wkt.hpp"

namespace lantian::emissions {

namespace {

constexpr std::array<std::string_view, kSectorCount> kCategories{
    "residential coal burning",  // residential_heating
    "building-site dust",        // construction_dust
    "road dust",                 // road_dust
    "motor vehicle exhaust",     // road_traffic
    "non-road machinery",        // non_road_machinery
    "agricultural sources",      // agriculture
    "VOCs solvent use",          // solvent_use
    "catering fumes",            // catering
    "industrial waste gas",      // industry
    "industrial waste gas",      // power
};
constexpr std::array<std::string_view, kSectorCount> kDepartments{
    "development and reform commission",          // residential_heating
    "housing and construction bureau",            // construction_dust
    "city management bureau",                     // road_dust
    "public security bureau (traffic police)",    // road_traffic
    "ecology and environment bureau",             // non_road_machinery
    "agriculture and rural affairs bureau",       // agriculture
    "ecology and environment bureau",             // solvent_use
    "city management bureau",                     // catering
    "ecology and environment bureau",             // industry
    "ecology and environment bureau",             // power
};

/// How coordinates of a row are given.
enum class Crs { grid, lonlat };

/// Per-file reading context: the rate unit, the pollutant columns, the grid.
struct Reader {
  CsvFile& csv;
  const Grid* grid;
  std::optional<RateUnit> file_unit;
  int unit_col = -1;
  int crs_col = -1;
  std::array<int, kEmittedPollutantCount> rate_col{};

  Reader(CsvFile& f, const Grid* g, bool has_rates) : csv(f), grid(g) {
    crs_col = csv.column("crs");
    for (EmittedPollutant p : kAllEmittedPollutants) rate_col[index(p)] = csv.column(pollutant_column(p));
    if (!has_rates) return;
    unit_col = csv.column("unit");
    if (const auto d = csv.directive("unit")) {
      file_unit = parse_rate_unit(*d);
      if (!file_unit)
        throw Error(ErrorContext{csv.source(), 0, "# unit"},
                    "unknown rate unit " + quote_text(*d) + ": expected g/s, kg/h or t/yr");
    }
    if (unit_col < 0 && !file_unit)
      throw Error(ErrorContext{csv.source(), 0, "header"},
                  "no rate unit: add a 'unit' column or a '# unit: t/yr' line (g/s, kg/h or t/yr) before the header");
    if (std::all_of(rate_col.begin(), rate_col.end(), [](int c) { return c < 0; }))
      throw Error(ErrorContext{csv.source(), 0, "header"},
                  "no pollutant column: expected at least one of so2, nox, pm25, pm10, vocs, nh3");
  }

  RateUnit unit() const {
    if (unit_col >= 0 && !csv.field(unit_col).empty()) {
      const auto u = parse_rate_unit(csv.field(unit_col));
      if (!u) csv.fail(unit_col, "expected a rate unit g/s, kg/h or t/yr, found " + quote_text(csv.field(unit_col)));
      return *u;
    }
    if (!file_unit) csv.fail(unit_col, "empty unit and no '# unit:' line for the file");
    return *file_unit;
  }

  /// The six rates of the row in g/s; blank or absent = 0; negative or NaN is an error.
  Rates rates() const {
    const RateUnit u = unit();
    Rates r{};
    for (EmittedPollutant p : kAllEmittedPollutants) {
      const int c = rate_col[index(p)];
      if (c < 0) continue;
      const double v = csv.number(c, "a non-negative emission rate", 0.0);
      if (v < 0.0) csv.fail(c, "expected a non-negative emission rate, found " + quote_text(csv.field(c)));
      r[index(p)] = to_grams_per_second(v, u);
      if (!is_plausible(Quantity::emission_rate, r[index(p)]))
        csv.fail(c, implausible_message(Quantity::emission_rate, r[index(p)],
                                        std::string(csv.field(c)) + " " + std::string(rate_unit_name(u)) + " (" +
                                            plausible_number(r[index(p)]) + " g/s)"));
    }
    return r;
  }

  /// Throws at column `c` of the current row unless v is plausible for q (core/plausible.hpp).
  void plausible(Quantity q, double v, int c) const {
    if (!is_plausible(q, v)) csv.fail(c, implausible_message(q, v, csv.field(c)));
  }

  Crs crs() const {
    const std::string_view s = csv.field(crs_col);
    if (s.empty() || s == "grid") return Crs::grid;
    if (s == "lonlat" || s == "EPSG:4326" || s == "epsg:4326") return Crs::lonlat;
    csv.fail(crs_col, "expected 'grid' (x y in the grid CRS) or 'lonlat' (WGS 84 degrees), found " + quote_text(s));
  }

  /// A point of the row in the grid CRS; `col` names the column in errors.
  XY to_grid(XY p, Crs crs, int col) const {
    if (crs == Crs::grid) return p;
    if (!grid) csv.fail(crs_col, "lon/lat coordinates need the case grid to be projected (none was given)");
    if (!(p.x >= -180.0 && p.x <= 360.0 && p.y >= -90.0 && p.y <= 90.0))
      csv.fail(col, "expected longitude latitude in degrees, found " + std::to_string(p.x) + " " + std::to_string(p.y));
    try {
      return grid->project(p.x, p.y);
    } catch (const Error& e) {
      csv.fail(col, e.what());
    }
  }

  void check_inside(XY p, int col, std::string_view what) const {
    if (!grid) return;
    if (!(p.x >= grid->x_face(0) && p.x <= grid->x_face(grid->nx()) && p.y >= grid->y_face(0) &&
          p.y <= grid->y_face(grid->ny())))
      csv.fail(col, std::string(what) + " at x=" + std::to_string(p.x) + " y=" + std::to_string(p.y) +
                        " is outside the domain [" + std::to_string(grid->x_face(0)) + ", " +
                        std::to_string(grid->x_face(grid->nx())) + "] x [" + std::to_string(grid->y_face(0)) +
                        ", " + std::to_string(grid->y_face(grid->ny())) + "]");
  }

  std::string text(std::string_view name) const { return std::string(csv.field(csv.column(name))); }

  /// A required, non-empty text field.
  std::string required_text(std::string_view name) const {
    const int c = csv.column(name);
    const std::string_view s = csv.field(c);
    if (s.empty()) csv.fail(c, "expected a non-empty " + std::string(name));
    return std::string(s);
  }
};

template <std::size_t N>
std::span<const std::string_view> span_of(const std::array<std::string_view, N>& a) {
  return {a.data(), a.size()};
}

/// Index of a profile named in column `col`, or the profile named after the sector, or -1.
int resolve_profile(const Reader& r, const std::vector<TemporalProfile>& profiles, Sector sector) {
  const int col = r.csv.column("profile");
  const std::string_view name = r.csv.field(col);
  const std::string_view wanted = name.empty() ? sector_name(sector) : name;
  for (std::size_t i = 0; i < profiles.size(); ++i)
    if (profiles[i].id == wanted) return static_cast<int>(i);
  if (name.empty()) return -1;
  std::vector<std::string> ids;
  for (const auto& p : profiles) ids.push_back(p.id);
  std::string msg = "unknown temporal profile " + quote_text(name);
  const std::string near = nearest_name(name, ids);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  msg += profiles.empty() ? "; no profiles.csv was given" : "; profiles are defined in profiles.csv";
  r.csv.fail(col, msg);
}

Sector read_sector(const Reader& r, std::optional<Sector> fallback) {
  const int col = r.csv.column("sector");
  const std::string_view s = r.csv.field(col);
  if (s.empty()) {
    if (fallback) return *fallback;
    r.csv.fail(col, "expected a sector, found an empty field");
  }
  if (const auto sec = parse_sector(s)) return *sec;
  const auto names = sector_names();
  std::string msg = "unknown sector " + quote_text(s);
  const std::string near = nearest_name(s, span_of(names));
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  msg += "; valid sectors:";
  for (auto n : names) msg += " " + std::string(n);
  r.csv.fail(col, msg);
}

/// Checks an id is non-empty and new.
void claim_id(const Reader& r, std::unordered_map<std::string, long>& seen, const std::string& id) {
  const int col = r.csv.column("id");
  if (id.empty()) r.csv.fail(col, "expected a non-empty id");
  const auto [it, fresh] = seen.emplace(id, r.csv.line());
  if (!fresh) r.csv.fail(col, "duplicate id " + quote_text(id) + " (first on line " + std::to_string(it->second) + ")");
}

/// The columns an area source and a road share, in the order they are checked: id (non-empty,
/// new), name, sector (`fallback` when blank), district (required), category and department
/// (the sector's defaults when blank).
template <class Source>
void read_shared_columns(const Reader& r, std::unordered_map<std::string, long>& seen,
                         std::optional<Sector> fallback, Source& s) {
  s.id = r.text("id");
  claim_id(r, seen, s.id);
  s.name = r.text("name");
  s.sector = read_sector(r, fallback);
  s.district = r.required_text("district");
  s.category = r.text("category");
  if (s.category.empty()) s.category = default_category(s.sector);
  s.department = r.text("department");
  if (s.department.empty()) s.department = default_department(s.sector);
}

// ---- profiles.csv -------------------------------------------------------------------------------

std::vector<TemporalProfile> read_profiles(const std::string& path) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 3> kRequired{"profile", "axis", "factors"};
  static constexpr std::array<std::string_view, 4> kAllowed{"profile", "axis", "factors", "note"};
  csv.check_columns(span_of(kRequired), span_of(kAllowed));
  const int pcol = csv.column("profile"), acol = csv.column("axis"), fcol = csv.column("factors");
  std::vector<TemporalProfile> out;
  std::vector<std::array<long, 3>> seen;  // line of each axis per profile, 0 = not given
  while (csv.next()) {
    const std::string id(csv.field(pcol));
    if (id.empty()) csv.fail(pcol, "expected a profile name");
    const std::string_view axis = csv.field(acol);
    int a = -1;
    std::size_t n = 0;
    if (axis == "month") a = 0, n = 12;
    else if (axis == "weekday") a = 1, n = 7;
    else if (axis == "hour") a = 2, n = 24;
    else {
      std::string msg = "unknown axis " + quote_text(axis);
      const std::string near = nearest_name(axis, {"month", "weekday", "hour"});
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      csv.fail(acol, msg + "; expected month (12 factors), weekday (7, Monday first) or hour (24, local time)");
    }
    // Factors separated by blanks or ';'.
    std::vector<double> f;
    const std::string_view s = csv.field(fcol);
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == ';' || s[i] == '\t')) ++i;
      if (i >= s.size()) break;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != ';' && s[j] != '\t') ++j;
      const std::string_view tok = s.substr(i, j - i);
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
      if (ec != std::errc{} || ptr != tok.data() + tok.size() || !std::isfinite(v))
        csv.fail(fcol, "expected non-negative numbers separated by blanks or ';', found " + quote_text(tok));
      if (v < 0.0) csv.fail(fcol, "expected non-negative factors, found " + quote_text(s.substr(i, j - i)));
      f.push_back(v);
      i = j;
    }
    if (f.size() != n)
      csv.fail(fcol, "expected " + std::to_string(n) + " factors for axis " + quote_text(axis) + ", found " +
                         std::to_string(f.size()));
    double sum = 0.0;
    for (double v : f) sum += v;
    if (!(sum > 0.0)) csv.fail(fcol, "expected factors with a positive sum (they are normalised to mean 1)");
    std::size_t k = 0;
    while (k < out.size() && out[k].id != id) ++k;
    if (k == out.size()) {
      out.push_back(TemporalProfile::flat(id));
      seen.push_back({0, 0, 0});
    }
    if (seen[k][static_cast<std::size_t>(a)] != 0)
      csv.fail(acol, "duplicate axis " + quote_text(axis) + " for profile " + quote_text(id) + " (first on line " +
                         std::to_string(seen[k][static_cast<std::size_t>(a)]) + ")");
    seen[k][static_cast<std::size_t>(a)] = csv.line();
    const double scale = static_cast<double>(n) / sum;  // normalise to mean 1
    TemporalProfile& p = out[k];
    for (std::size_t m = 0; m < n; ++m) {
      const double v = f[m] * scale;
      if (a == 0) p.month[m] = v;
      else if (a == 1) p.weekday[m] = v;
      else p.hour[m] = v;
    }
  }
  return out;
}

// ---- enterprises.csv ----------------------------------------------------------------------------

void read_enterprises(const std::string& path, const Grid* grid, Inventory& inv) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 7> kRequired{"id", "name", "industry", "grade", "district", "x", "y"};
  static constexpr std::array<std::string_view, 20> kAllowed{
      "id",   "name", "industry", "grade", "exempt", "exempt_reason", "district", "category", "department", "x",
      "y",    "crs",  "unit",     "so2",   "nox",    "pm25",          "pm10",     "vocs",     "nh3",        "profile"};
  std::vector<std::string_view> allowed(kAllowed.begin(), kAllowed.end());
  allowed.push_back("note");
  csv.check_columns(span_of(kRequired), allowed);
  const Reader r(csv, grid, true);
  std::unordered_map<std::string, long> seen;
  const int gcol = csv.column("grade"), xcol = csv.column("x"), ycol = csv.column("y");
  while (csv.next()) {
    Enterprise e;
    e.id = std::string(csv.field(csv.column("id")));
    claim_id(r, seen, e.id);
    e.name = r.required_text("name");
    e.industry = r.required_text("industry");
    const auto g = parse_grade(csv.field(gcol));
    if (!g) {
      std::string msg = "unknown performance grade " + quote_text(csv.field(gcol));
      const std::string near = nearest_name(csv.field(gcol), {"A", "B", "C", "D", "leading", "none"});
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      csv.fail(gcol, msg + "; expected A, B, C, D, leading or none");
    }
    e.grade = *g;
    e.exempt = csv.boolean(csv.column("exempt"), false);
    e.exempt_reason = r.text("exempt_reason");
    if (e.exempt && e.exempt_reason.empty())
      csv.fail(csv.column("exempt_reason"), "an exempt enterprise needs a reason (exempt_reason), e.g. 'heat supply'");
    e.district = r.required_text("district");
    e.category = r.text("category");
    if (e.category.empty()) e.category = default_category(Sector::industry);
    e.department = r.text("department");
    if (e.department.empty()) e.department = default_department(Sector::industry);
    const Crs crs = r.crs();
    e.location = r.to_grid({csv.number(xcol, "an x coordinate"), csv.number(ycol, "a y coordinate")}, crs, xcol);
    r.check_inside(e.location, xcol, "enterprise " + quote_text(e.id));
    e.rates = r.rates();
    e.profile = resolve_profile(r, inv.profiles, Sector::industry);
    inv.enterprises.push_back(std::move(e));
  }
}

// ---- stacks.csv -----------------------------------------------------------------------------------

std::size_t enterprise_of(const Reader& r, const Inventory& inv,
                          const std::unordered_map<std::string, std::size_t>& index) {
  const int col = r.csv.column("enterprise");
  const std::string_view id = r.csv.field(col);
  if (id.empty()) r.csv.fail(col, "expected an enterprise id");
  const auto it = index.find(std::string(id));
  if (it != index.end()) return it->second;
  std::vector<std::string> ids;
  ids.reserve(inv.enterprises.size());
  for (const auto& e : inv.enterprises) ids.push_back(e.id);
  std::string msg = "unknown enterprise " + quote_text(id);
  const std::string near = nearest_name(id, ids);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  r.csv.fail(col, msg + "; enterprises are listed in enterprises.csv");
}

void read_stacks(const std::string& path, const Grid* grid, Inventory& inv,
                 const std::unordered_map<std::string, std::size_t>& enterprise_index) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 8> kRequired{"id", "enterprise", "x", "y", "height", "diameter",
                                                             "velocity", "temperature"};
  static constexpr std::array<std::string_view, 10> kAllowed{"id",       "enterprise", "x",           "y",   "crs",
                                                             "height",   "diameter",   "velocity",    "temperature",
                                                             "note"};
  csv.check_columns(span_of(kRequired), span_of(kAllowed));
  const Reader r(csv, grid, false);
  std::unordered_map<std::string, long> seen;
  const int xcol = csv.column("x"), ycol = csv.column("y"), hcol = csv.column("height"),
            dcol = csv.column("diameter"), vcol = csv.column("velocity"), tcol = csv.column("temperature");
  while (csv.next()) {
    Stack s;
    s.id = std::string(csv.field(csv.column("id")));
    claim_id(r, seen, s.id);
    s.enterprise = enterprise_of(r, inv, enterprise_index);
    s.position = r.to_grid({csv.number(xcol, "an x coordinate"), csv.number(ycol, "a y coordinate")}, r.crs(), xcol);
    r.check_inside(s.position, xcol, "stack " + quote_text(s.id));
    s.height = csv.number(hcol, "a stack height in m");
    if (s.height < 0.0) csv.fail(hcol, "expected a non-negative stack height in m, found " + quote_text(csv.field(hcol)));
    s.diameter = csv.number(dcol, "a stack diameter in m");
    if (!(s.diameter > 0.0)) csv.fail(dcol, "expected a positive stack diameter in m, found " + quote_text(csv.field(dcol)));
    s.exit_velocity = csv.number(vcol, "an exit velocity in m/s");
    if (s.exit_velocity < 0.0) csv.fail(vcol, "expected a non-negative exit velocity in m/s, found " + quote_text(csv.field(vcol)));
    s.exit_temperature = csv.number(tcol, "an exit temperature in K");
    // Plausible ranges (core/plausible.hpp); nothing is clamped.
    r.plausible(Quantity::stack_height, s.height, hcol);
    r.plausible(Quantity::stack_diameter, s.diameter, dcol);
    r.plausible(Quantity::exit_velocity, s.exit_velocity, vcol);
    if (!is_plausible(Quantity::exit_temperature, s.exit_temperature))
      csv.fail(tcol, "expected an exit temperature in kelvin: " +
                         implausible_message(Quantity::exit_temperature, s.exit_temperature, csv.field(tcol)) +
                         (s.exit_temperature > -50.0 && s.exit_temperature < 200.0
                              ? " (is it in degrees Celsius? add 273.15)"
                              : ""));
    inv.stacks.push_back(std::move(s));
  }
}

// ---- lines.csv ------------------------------------------------------------------------------------

void read_lines(const std::string& path, Inventory& inv,
                const std::unordered_map<std::string, std::size_t>& enterprise_index) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 3> kRequired{"id", "enterprise", "name"};
  static constexpr std::array<std::string_view, 14> kAllowed{
      "id",         "enterprise", "name",      "stacks",   "share_so2", "share_nox",              "share_pm25",
      "share_pm10", "share_vocs", "share_nh3", "can_stop", "min_load",  "lost_output_per_hour", "note"};
  csv.check_columns(span_of(kRequired), span_of(kAllowed));
  const Reader r(csv, nullptr, false);
  std::array<int, kEmittedPollutantCount> share_col{};
  for (EmittedPollutant p : kAllEmittedPollutants)
    share_col[index(p)] = csv.column("share_" + std::string(pollutant_column(p)));
  if (std::all_of(share_col.begin(), share_col.end(), [](int c) { return c < 0; }))
    throw Error(ErrorContext{path, 0, "header"}, "no share column: expected at least one of share_so2, share_nox, "
                                                 "share_pm25, share_pm10, share_vocs, share_nh3");
  std::unordered_map<std::string, std::size_t> stack_index;
  for (std::size_t s = 0; s < inv.stacks.size(); ++s) stack_index.emplace(inv.stacks[s].id, s);
  std::unordered_map<std::string, long> seen;
  std::vector<Rates> sum(inv.enterprises.size(), Rates{});
  const int scol = csv.column("stacks"), mcol = csv.column("min_load"), lcol = csv.column("lost_output_per_hour");
  while (csv.next()) {
    ProductionLine l;
    l.id = std::string(csv.field(csv.column("id")));
    claim_id(r, seen, l.id);
    l.enterprise = enterprise_of(r, inv, enterprise_index);
    l.name = r.required_text("name");
    // Stack ids separated by ';' or blanks.
    const std::string_view s = csv.field(scol);
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == ';')) ++i;
      if (i >= s.size()) break;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != ';') ++j;
      const std::string id(s.substr(i, j - i));
      const auto it = stack_index.find(id);
      if (it == stack_index.end()) {
        std::vector<std::string> ids;
        for (const auto& st : inv.stacks)
          if (st.enterprise == l.enterprise) ids.push_back(st.id);
        std::string msg = "unknown stack " + quote_text(id);
        const std::string near = nearest_name(id, ids);
        if (!near.empty()) msg += " (did you mean '" + near + "'?)";
        csv.fail(scol, msg + "; stacks are listed in stacks.csv");
      }
      if (inv.stacks[it->second].enterprise != l.enterprise)
        csv.fail(scol, "stack " + quote_text(id) + " belongs to enterprise " +
                           quote_text(inv.enterprises[inv.stacks[it->second].enterprise].id) + ", not to " +
                           quote_text(inv.enterprises[l.enterprise].id));
      if (std::find(l.stacks.begin(), l.stacks.end(), it->second) != l.stacks.end())
        csv.fail(scol, "stack " + quote_text(id) + " listed twice");
      l.stacks.push_back(it->second);
      i = j;
    }
    for (EmittedPollutant p : kAllEmittedPollutants) {
      const int c = share_col[index(p)];
      const double v = csv.number(c, "a share between 0 and 1", 0.0);
      if (!(v >= 0.0 && v <= 1.0)) csv.fail(c, "expected a share between 0 and 1, found " + quote_text(csv.field(c)));
      l.share[index(p)] = v;
      double& total = sum[l.enterprise][index(p)];
      total += v;
      // Shares are written with a few decimals: allow 1e-6 of rounding above 1.
      if (total > 1.0 + 1e-6)
        csv.fail(c, "the shares of " + std::string(pollutant_name(p)) + " of the lines of enterprise " +
                        quote_text(inv.enterprises[l.enterprise].id) + " sum to " + std::to_string(total) +
                        " with this line; expected at most 1");
    }
    l.can_stop = csv.boolean(csv.column("can_stop"), true);
    l.min_load = csv.number(mcol, "a minimum load between 0 and 1", 0.0);
    if (!(l.min_load >= 0.0 && l.min_load <= 1.0))
      csv.fail(mcol, "expected a minimum load between 0 and 1, found " + quote_text(csv.field(mcol)));
    l.lost_output_per_hour = csv.number(lcol, "a lost output value per hour (yuan/h)", 0.0);
    if (l.lost_output_per_hour < 0.0)
      csv.fail(lcol, "expected a non-negative lost output value per hour, found " + quote_text(csv.field(lcol)));
    inv.lines.push_back(std::move(l));
  }
}

// ---- area_sources.csv and roads.csv ----------------------------------------------------------------

void read_areas(const std::string& path, const Grid* grid, Inventory& inv) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 4> kRequired{"id", "sector", "district", "geometry"};
  static constexpr std::array<std::string_view, 17> kAllowed{
      "id",  "name", "sector", "district", "category", "department", "geometry", "crs", "unit",
      "so2", "nox",  "pm25",   "pm10",     "vocs",     "nh3",        "profile",  "note"};
  csv.check_columns(span_of(kRequired), span_of(kAllowed));
  const Reader r(csv, grid, true);
  std::unordered_map<std::string, long> seen;
  const int gcol = csv.column("geometry");
  while (csv.next()) {
    AreaSource a;
    read_shared_columns(r, seen, std::nullopt, a);
    try {
      a.polygons = parse_wkt_polygons(csv.field(gcol));
    } catch (const Error& e) {
      csv.fail(gcol, e.what());
    }
    const Crs crs = r.crs();
    for (Polygon& p : a.polygons) {
      for (XY& v : p.outer) v = r.to_grid(v, crs, gcol);
      for (Ring& h : p.holes)
        for (XY& v : h) v = r.to_grid(v, crs, gcol);
      for (const XY& v : p.outer) r.check_inside(v, gcol, "a vertex of area source " + quote_text(a.id));
      if (!(area(p) > 0.0)) csv.fail(gcol, "expected a polygon of positive area (holes larger than the outer ring?)");
    }
    a.rates = r.rates();
    a.profile = resolve_profile(r, inv.profiles, a.sector);
    inv.areas.push_back(std::move(a));
  }
}

void read_roads(const std::string& path, const Grid* grid, Inventory& inv) {
  CsvFile csv(path);
  static constexpr std::array<std::string_view, 3> kRequired{"id", "district", "geometry"};
  static constexpr std::array<std::string_view, 18> kAllowed{
      "id",   "name", "sector", "district", "category", "department", "geometry", "width", "crs",
      "unit", "so2",  "nox",    "pm25",     "pm10",     "vocs",       "nh3",      "profile", "note"};
  csv.check_columns(span_of(kRequired), span_of(kAllowed));
  const Reader r(csv, grid, true);
  std::unordered_map<std::string, long> seen;
  const int gcol = csv.column("geometry"), wcol = csv.column("width");
  while (csv.next()) {
    RoadSource road;
    read_shared_columns(r, seen, Sector::road_traffic, road);
    try {
      road.path = parse_wkt_linestring(csv.field(gcol));
    } catch (const Error& e) {
      csv.fail(gcol, e.what());
    }
    const Crs crs = r.crs();
    double length = 0.0;
    for (std::size_t i = 0; i < road.path.size(); ++i) {
      road.path[i] = r.to_grid(road.path[i], crs, gcol);
      r.check_inside(road.path[i], gcol, "a vertex of road " + quote_text(road.id));
      if (i > 0) length += std::hypot(road.path[i].x - road.path[i - 1].x, road.path[i].y - road.path[i - 1].y);
    }
    if (!(length > 0.0)) csv.fail(gcol, "expected a road of positive length");
    road.width = csv.number(wcol, "a road width in m", 0.0);
    if (road.width < 0.0) csv.fail(wcol, "expected a non-negative road width in m, found " + quote_text(csv.field(wcol)));
    road.rates = r.rates();
    road.profile = resolve_profile(r, inv.profiles, road.sector);
    inv.roads.push_back(std::move(road));
  }
}

}  // namespace

std::vector<TemporalProfile> read_temporal_profiles(const std::string& path) { return read_profiles(path); }

std::string_view default_category(Sector s) noexcept { return kCategories[static_cast<std::size_t>(s)]; }
std::string_view default_department(Sector s) noexcept { return kDepartments[static_cast<std::size_t>(s)]; }

InventoryFiles InventoryFiles::in_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  auto pick = [&](const char* name) {
    const fs::path p = fs::path(dir) / name;
    return fs::exists(p) ? p.string() : std::string();
  };
  InventoryFiles f;
  f.enterprises = pick("enterprises.csv");
  f.stacks = pick("stacks.csv");
  f.lines = pick("lines.csv");
  f.area_sources = pick("area_sources.csv");
  f.roads = pick("roads.csv");
  f.profiles = pick("profiles.csv");
  return f;
}

Inventory read_inventory(const InventoryFiles& files, const Grid* grid) {
  Inventory inv;
  if (!files.profiles.empty()) inv.profiles = read_profiles(files.profiles);
  if (files.enterprises.empty() && (!files.stacks.empty() || !files.lines.empty()))
    throw Error(ErrorContext{files.stacks.empty() ? files.lines : files.stacks, 0, ""},
                "stacks and production lines need enterprises.csv, which was not given");
  if (!files.enterprises.empty()) read_enterprises(files.enterprises, grid, inv);
  std::unordered_map<std::string, std::size_t> enterprise_index;
  for (std::size_t e = 0; e < inv.enterprises.size(); ++e) enterprise_index.emplace(inv.enterprises[e].id, e);
  if (!files.stacks.empty()) read_stacks(files.stacks, grid, inv, enterprise_index);
  if (!files.lines.empty()) read_lines(files.lines, inv, enterprise_index);
  if (!files.area_sources.empty()) read_areas(files.area_sources, grid, inv);
  if (!files.roads.empty()) read_roads(files.roads, grid, inv);
  return inv;
}

}  // namespace lantian::emissions
