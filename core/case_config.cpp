// Case file loading and validation: see case_config.hpp.
#include "core/case_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "core/plausible.hpp"
#include "core/species.hpp"

namespace lantian {

namespace {

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty()) return p;
  const std::filesystem::path fp(p);
  if (fp.is_absolute()) return p;
  return (std::filesystem::path(base_dir) / fp).lexically_normal().string();
}

/// `"a", "b" or "c"`: the names of a choice for an error message ("" left out).
template <std::size_t N>
std::string choices_text(const std::array<std::string_view, N>& names) {
  std::vector<std::string_view> shown;
  for (std::string_view n : names)
    if (!n.empty()) shown.push_back(n);
  std::string s;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    // Appended piece by piece: GCC 12 sees a false -Wrestrict in `"," + ("\"" + std::string(...))`.
    if (k > 0) s += k + 1 == shown.size() ? " or " : ", ";
    s += '"';
    s += shown[k];
    s += '"';
  }
  return s;
}

/// Fails at `key` of `t`: "expected <expected>, found "<text>"", with the nearest of `names`.
[[noreturn]] void fail_unknown_name(const TomlSection& t, std::string_view key, std::string_view expected,
                                    std::string_view text, std::span<const std::string_view> names) {
  const std::string near = nearest_name(text, names);
  std::string msg = "expected ";
  msg += expected;
  msg += ", found \"";
  msg += text;
  msg += '"';
  if (!near.empty()) {
    msg += " (did you mean \"";
    msg += near;
    msg += "\"?)";
  }
  t.fail(key, msg);
}

/// The typed value of a string key (`fallback` when absent); an unknown name fails naming the
/// file, the line and the key, with the valid names and the nearest one.
template <class E, std::size_t N>
E read_choice(const TomlSection& t, const char* key, const std::array<std::string_view, N>& names, E fallback,
              bool required = false) {
  const std::string text = required ? t.require<std::string>(key) : t.get(key, std::string(enum_name(fallback, names)).c_str());
  if (const auto v = enum_from<E>(text, names); v && !text.empty()) return *v;
  std::vector<std::string_view> valid;
  for (std::string_view n : names)
    if (!n.empty()) valid.push_back(n);
  fail_unknown_name(t, key, choices_text(names), text, valid);
}

void read_meteo(const TomlSection& m, const std::string& base_dir, MeteoConfig& out) {
  m.reject_unknown({"source", "files", "z0", "kz_min", "synthetic", "station", "stations"});
  out.source = read_choice(m, "source", kMetSourceNames, MetSource::none, true);
  for (const std::string& f : m.get_array<std::string>("files")) out.files.push_back(resolve(base_dir, f));
  out.z0 = m.get_optional<double>("z0");
  out.kz_min = m.get_optional<double>("kz_min");
  if (const auto s = m.table("synthetic")) {
    if (out.source != MetSource::synthetic)
      m.fail("synthetic", "[meteo.synthetic] is for source = \"synthetic\", but source is \"" + std::string(name(out.source)) + "\"");
    s->reject_unknown({"start", "hours", "pblh_night", "pblh_peak", "wind_min", "wind_max", "dir_start",
                       "veer_per_day", "veer_in_bl", "z0", "h_night", "h_peak", "t_mean", "t_amplitude",
                       "inversion", "inversion_depth", "rh_start", "rh_end", "rh_amplitude", "p_surface"});
    SyntheticMetConfig& y = out.synthetic;
    y.start = s->get_optional<std::string>("start");
    y.hours = s->get_optional<int>("hours");
    y.pblh_night = s->get_optional<double>("pblh_night");
    y.pblh_peak = s->get_optional<double>("pblh_peak");
    y.wind_min = s->get_optional<double>("wind_min");
    y.wind_max = s->get_optional<double>("wind_max");
    y.dir_start = s->get_optional<double>("dir_start");
    y.veer_per_day = s->get_optional<double>("veer_per_day");
    y.veer_in_bl = s->get_optional<double>("veer_in_bl");
    y.z0 = s->get_optional<double>("z0");
    y.h_night = s->get_optional<double>("h_night");
    y.h_peak = s->get_optional<double>("h_peak");
    y.t_mean = s->get_optional<double>("t_mean");
    y.t_amplitude = s->get_optional<double>("t_amplitude");
    y.inversion = s->get_optional<double>("inversion");
    y.inversion_depth = s->get_optional<double>("inversion_depth");
    y.rh_start = s->get_optional<double>("rh_start");
    y.rh_end = s->get_optional<double>("rh_end");
    y.rh_amplitude = s->get_optional<double>("rh_amplitude");
    y.p_surface = s->get_optional<double>("p_surface");
  }
  if (const auto st = m.table("station")) {
    if (out.source != MetSource::station)
      m.fail("station", "[meteo.station] is for source = \"station\", but source is \"" + std::string(name(out.source)) + "\"");
    st->reject_unknown({"lon", "lat"});
    out.station.lon = st->get_optional<double>("lon");
    out.station.lat = st->get_optional<double>("lat");
  }
  if (m.contains("stations")) {
    if (out.source != MetSource::station)
      m.fail("stations", "[[meteo.stations]] is for source = \"station\", but source is \"" + std::string(name(out.source)) + "\"");
    if (!out.files.empty() || m.table("station"))
      m.fail("stations", "give the stations either as [[meteo.stations]] (file, lon, lat each) or as files and "
                         "[meteo.station], not both");
    for (const TomlSection& st : m.array_of_tables("stations")) {
      st.reject_unknown({"file", "lon", "lat"});
      out.files.push_back(resolve(base_dir, st.require<std::string>("file")));
      out.stations.push_back({st.require<double>("lon"), st.require<double>("lat")});
    }
    if (out.stations.size() < 2)
      m.fail("stations", "expected at least 2 [[meteo.stations]] (one station: files = [...] and [meteo.station])");
  }
}

/// [model.boundary]: the file (or [model] boundary_file, not both), its format and the cf keys.
void read_model_boundary(const TomlSection& model, const TomlSection& b, const std::string& base_dir, ModelConfig& m) {
  b.reject_unknown({"file", "format", "variables", "units", "composition", "surface_depth_m", "scale_height_m"});
  if (b.contains("file")) {
    if (model.contains("boundary_file"))
      b.fail("file", "the boundary file is given twice: [model] boundary_file and [model.boundary] file (keep one)");
    m.boundary_file = resolve(base_dir, b.require<std::string>("file"));
  }
  BoundaryFileConfig& c = m.boundary;
  c.format = read_choice(b, "format", kBoundaryFormatNames, c.format);
  std::vector<std::string_view> quantities{"PM25", "PM10"};
  for (Species s : kAllSpecies) quantities.push_back(species_name(s));
  if (const auto vars = b.table("variables"))
    for (const std::string& key : vars->keys()) {
      if (std::find(quantities.begin(), quantities.end(), key) == quantities.end())
        fail_unknown_name(*vars, key, "PM25, PM10 or a model species (SO2, NOx, VOC, NH3, PPM25, PMC, SO4, NO3, SOA)", key,
                          quantities);
      const std::string v = vars->require<std::string>(key);
      if (v.empty()) vars->fail(key, "expected the name of a variable of the boundary file, found \"\"");
      c.variables.emplace_back(key, v);
    }
  c.units = b.get("units", "");
  if (const auto comp = b.table("composition")) {
    double sum = 0.0;
    for (const std::string& key : comp->keys()) {
      static constexpr std::array<std::string_view, 4> kParts{"SO4", "NO3", "SOA", "PPM25"};
      if (std::find(kParts.begin(), kParts.end(), key) == kParts.end())
        fail_unknown_name(*comp, key, "SO4, NO3, SOA or PPM25 (the model's PM2.5 species)", key, kParts);
      const double f = comp->require<double>(key);
      if (!(std::isfinite(f) && f >= 0.0 && f <= 1.0))
        comp->fail(key, "expected a fraction of PM2.5 mass in 0..1, found " + std::to_string(f));
      sum += f;
      c.composition.emplace_back(key, f);
    }
    const bool has_ppm = comp->contains("PPM25");
    if (sum > 1.0 + 1e-9 || (has_ppm && std::abs(sum - 1.0) > 1e-6))
      b.fail("composition", "expected fractions of PM2.5 mass summing to " + std::string(has_ppm ? "1" : "at most 1") +
                                " (PPM25 takes the rest when not given), found a sum of " + std::to_string(sum));
  }
  c.surface_depth_m = b.get_optional<double>("surface_depth_m");
  if (c.surface_depth_m && !(std::isfinite(*c.surface_depth_m) && *c.surface_depth_m >= 0.0))
    b.fail("surface_depth_m", "expected a height >= 0 m, found " + std::to_string(*c.surface_depth_m));
  c.scale_height_m = b.get_optional<double>("scale_height_m");
  if (c.scale_height_m && !(std::isfinite(*c.scale_height_m) && *c.scale_height_m > 0.0))
    b.fail("scale_height_m", "expected a scale height > 0 m, found " + std::to_string(*c.scale_height_m));
  if (c.format == BoundaryFormat::csv || c.format == BoundaryFormat::lantian)
    for (const char* key : {"variables", "units", "composition", "surface_depth_m", "scale_height_m"})
      if (b.contains(key)) {
        std::string msg = key;
        msg += " is for format = \"cf\" or \"auto\" (a regional model's file), but format is \"";
        msg += name(c.format);
        msg += '"';
        b.fail(key, msg);
      }
  if (c.format == BoundaryFormat::cmaq)
    for (const char* key : {"units", "composition"})
      if (b.contains(key)) {
        std::string msg = key;
        msg += " is for format = \"cf\" (a CMAQ file is read by species, with each variable's units)";
        b.fail(key, msg);
      }
  if (c.format == BoundaryFormat::cmaq)
    for (const auto& [quantity, variable] : c.variables)
      if (quantity == "PM25" || quantity == "PM10")
        b.fail("variables", quantity + " is for format = \"cf\": a CMAQ file is read by species (SO2 .. SOA)");
  if (m.boundary_file.empty()) b.fail("file", "[model.boundary] needs the boundary file: file = \"...\"");
}

CaseConfig read_case(const TomlDocument& doc, const std::string& source, const std::string& base_dir) {
  CaseConfig c;
  c.source = SourceMap(doc, source);
  const TomlSection root(doc, source);
  // [[scenarios]] and [response] are read by the scenarios module (forecast/scenario_file.hpp),
  // which knows measures, levels and pollutants; they are only allowed here.
  root.reject_unknown({"name", "time_zone", "period", "grid", "stations", "paths", "rules_file", "meteo", "emissions",
                       "model", "scenarios", "response"});
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
  if (const auto meteo = root.table("meteo")) read_meteo(*meteo, base_dir, c.meteo);
  if (const auto model = root.table("model")) {
    model->reject_unknown({"dt", "processes", "kh", "tags", "tag_enterprises", "initial", "boundary_file", "output_3d",
                           "output_tags", "inflow", "background", "boundary"});
    ModelConfig& m = c.model;
    m.dt = model->get("dt", m.dt);
    m.processes = model->get_array<std::string>("processes");
    m.kh = model->get("kh", m.kh);
    m.tags = read_choice(*model, "tags", kTagKindNames, m.tags);
    m.tag_enterprises = model->get_array<std::string>("tag_enterprises");
    m.initial = read_choice(*model, "initial", kInitialKindNames, m.initial);
    m.boundary_file = resolve(base_dir, model->get("boundary_file", ""));
    if (const auto b = model->table("boundary")) read_model_boundary(*model, *b, base_dir, m);
    m.output_3d = model->get("output_3d", m.output_3d);
    m.output_tags = model->get("output_tags", m.output_tags);
    for (const char* key : {"inflow", "background"})
      if (const auto t = model->table(key)) {
        auto& list = std::string_view(key) == "inflow" ? m.inflow : m.background;
        for (const std::string& k : t->keys()) list.emplace_back(k, t->require<double>(k));
      }
  }
  if (const auto emissions = root.table("emissions")) {
    emissions->reject_unknown({"folder", "enterprises", "stacks", "lines", "area_sources", "roads", "profiles", "gridded"});
    EmissionsConfig& e = c.emissions;
    e.folder = resolve(base_dir, emissions->get("folder", ""));
    e.enterprises = resolve(base_dir, emissions->get("enterprises", ""));
    e.stacks = resolve(base_dir, emissions->get("stacks", ""));
    e.lines = resolve(base_dir, emissions->get("lines", ""));
    e.area_sources = resolve(base_dir, emissions->get("area_sources", ""));
    e.roads = resolve(base_dir, emissions->get("roads", ""));
    e.profiles = resolve(base_dir, emissions->get("profiles", ""));
    for (const TomlSection& g : emissions->array_of_tables("gridded")) {
      g.reject_unknown({"file", "format", "sector", "variables", "units", "molar_mass", "profile", "layers"});
      GriddedEmissionsConfig gc;
      gc.file = resolve(base_dir, g.require<std::string>("file"));
      gc.format = read_choice(g, "format", kGriddedFormatNames, gc.format);
      gc.sector = g.get("sector", "");
      if (const auto vars = g.table("variables"))
        for (const std::string& key : vars->keys()) gc.variables.emplace_back(key, vars->require<std::string>(key));
      gc.units = g.get("units", "");
      gc.profile = g.get("profile", "");
      if (g.contains("profile") && gc.profile.empty()) g.fail("profile", "expected a profile id of profiles.csv or \"flat\"");
      if (g.contains("layers")) {
        if (g.kind("layers") != TomlKind::array)
          g.fail("layers", "expected an array of {top_m = height in m, fraction = 0..1}, found " + toml_type_name(g.kind("layers")));
        std::vector<std::pair<double, double>> layers;
        double sum = 0.0;
        for (const TomlSection& l : g.array_of_tables("layers")) {
          l.reject_unknown({"top_m", "fraction"});
          const double top = l.require<double>("top_m");
          const double fraction = l.require<double>("fraction");
          if (!(std::isfinite(top) && top > 0.0)) l.fail("top_m", "expected a height above ground in m (> 0), found " + std::to_string(top));
          if (!layers.empty() && !(top > layers.back().first)) {
            std::string msg = "expected the tops to increase, found ";
            msg += std::to_string(top);
            msg += " m after ";
            msg += std::to_string(layers.back().first);
            msg += " m";
            l.fail("top_m", msg);
          }
          if (!(std::isfinite(fraction) && fraction >= 0.0 && fraction <= 1.0))
            l.fail("fraction", "expected a fraction in [0, 1], found " + std::to_string(fraction));
          sum += fraction;
          layers.emplace_back(top, fraction);
        }
        if (!layers.empty() && std::abs(sum - 1.0) > 1e-6)
          g.fail("layers", "expected the fractions to sum to 1, found " + std::to_string(sum));
        gc.layers = std::move(layers);
      }
      if (const auto masses = g.table("molar_mass"))
        for (const std::string& key : masses->keys()) {
          const double m = masses->require<double>(key);
          if (!(std::isfinite(m) && m > 0.0))
            masses->fail(key, "expected a positive molar mass in g/mol, found " + std::to_string(m));
          gc.molar_mass.emplace_back(key, m);
        }
      if (gc.format != GriddedFormat::ioapi)
        for (const char* key : {"units", "molar_mass"})
          if (g.contains(key)) {
            std::string msg = key;
            msg += " is for format = \"ioapi\" (a CF file states its units), but format is \"";
            msg += name(gc.format);
            msg += '"';
            g.fail(key, msg);
          }
      e.gridded.push_back(std::move(gc));
    }
    if (e.empty())
      emissions->fail("folder", "expected the inventory: a folder, at least one file name or [[emissions.gridded]]");
  } else if (!c.paths.emissions.empty()) {
    c.emissions.folder = c.paths.emissions;
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

void validate_meteo(const MeteoConfig& m, const TimeZone& tz, const SourceMap& src) {
  if (m.source == MetSource::none) {
    LANTIAN_CHECK(m.files.empty() && !m.synthetic.any() && !m.station.lon && !m.station.lat, src.context("meteo.source"),
                  "expected a meteorological source (" + choices_text(kMetSourceNames) + ")");
    return;
  }
  if (m.source == MetSource::synthetic) {
    LANTIAN_CHECK(m.files.empty(), src.context("meteo.files"), "the synthetic source reads no files; remove 'files'");
  } else if (m.source == MetSource::station) {
    LANTIAN_CHECK(m.files.size() == 1 || m.stations.size() == m.files.size(), src.context("meteo.files"),
                  "expected exactly one station-profile CSV, found " + std::to_string(m.files.size()) +
                      " file(s) (several stations: [[meteo.stations]] with file, lon and lat each)");
  } else {
    LANTIAN_CHECK(!m.files.empty(), src.context("meteo.files"),
                  "expected one or more " + std::string(m.source == MetSource::wrf ? "wrfout" : "CF NetCDF") + " files");
  }
  for (std::size_t n = 0; n < m.files.size(); ++n)
    LANTIAN_CHECK(!m.files[n].empty(), src.context("meteo.files[" + std::to_string(n) + "]"), "expected a file name");
  LANTIAN_CHECK(m.source == MetSource::synthetic || !m.synthetic.any(), src.context("meteo.synthetic"),
                "synthetic parameters given but source is \"" + std::string(name(m.source)) + "\"");
  LANTIAN_CHECK(m.source == MetSource::station || (!m.station.lon && !m.station.lat), src.context("meteo.station"),
                "a station position given but source is \"" + std::string(name(m.source)) + "\"");
  if (m.z0)
    LANTIAN_CHECK(std::isfinite(*m.z0) && *m.z0 > 0.0 && *m.z0 < 5.0, src.context("meteo.z0"),
                  "expected a roughness length in (0, 5) m, found " + number(*m.z0));
  if (m.kz_min)
    LANTIAN_CHECK(std::isfinite(*m.kz_min) && *m.kz_min > 0.0, src.context("meteo.kz_min"),
                  "expected a positive Kz floor, m2/s, found " + number(*m.kz_min));
  if (m.synthetic.start) {
    try {
      (void)parse_time(*m.synthetic.start, tz);
    } catch (const Error& e) {
      throw Error(src.context("meteo.synthetic.start"), e.message());
    }
  }
  if (m.synthetic.hours)
    LANTIAN_CHECK(*m.synthetic.hours >= 1 && *m.synthetic.hours <= 10000, src.context("meteo.synthetic.hours"),
                  "expected 1 to 10000 hours, found " + std::to_string(*m.synthetic.hours));
  if (m.station.lon)
    LANTIAN_CHECK(std::isfinite(*m.station.lon) && *m.station.lon >= -180.0 && *m.station.lon <= 180.0,
                  src.context("meteo.station.lon"), "expected a longitude in -180..180, found " + number(*m.station.lon));
  if (m.station.lat)
    LANTIAN_CHECK(std::isfinite(*m.station.lat) && *m.station.lat >= -90.0 && *m.station.lat <= 90.0,
                  src.context("meteo.station.lat"), "expected a latitude in -90..90, found " + number(*m.station.lat));
  for (std::size_t n = 0; n < m.stations.size(); ++n) {
    const std::string p = "meteo.stations[" + std::to_string(n) + "].";
    const double lon = m.stations[n].lon.value_or(0.0), lat = m.stations[n].lat.value_or(0.0);
    LANTIAN_CHECK(std::isfinite(lon) && lon >= -180.0 && lon <= 180.0, src.context(p + "lon"),
                  "expected a longitude in -180..180, found " + number(lon));
    LANTIAN_CHECK(std::isfinite(lat) && lat >= -90.0 && lat <= 90.0, src.context(p + "lat"),
                  "expected a latitude in -90..90, found " + number(lat));
  }
}

/// The [grid] numbers against their plausible ranges (core/plausible.hpp): dx, dy 10 m..100 km
/// (1e-4..1 degree on a geographic CRS), x0, y0 on the Earth, layer tops at most 30 km. Only for
/// case files: Grid itself accepts any positive sizes (tests use unit boxes).
void validate_grid_plausible(const GridSpec& g, bool geographic, const SourceMap& src) {
  const Quantity spacing = geographic ? Quantity::grid_spacing_deg : Quantity::grid_spacing_m;
  check_plausible(spacing, g.dx, src.context("grid.dx"));
  check_plausible(spacing, g.dy, src.context("grid.dy"));
  check_plausible(geographic ? Quantity::grid_origin_lon : Quantity::grid_origin_m, g.x0, src.context("grid.x0"));
  check_plausible(geographic ? Quantity::grid_origin_lat : Quantity::grid_origin_m, g.y0, src.context("grid.y0"));
  for (std::size_t k = 0; k < g.layer_tops.size(); ++k)
    check_plausible(Quantity::layer_top, g.layer_tops[k], src.context("grid.layer_tops[" + std::to_string(k) + "]"));
}

}  // namespace

bool SyntheticMetConfig::any() const noexcept {
  for (const auto* d : {&pblh_night, &pblh_peak, &wind_min, &wind_max, &dir_start, &veer_per_day, &veer_in_bl, &z0,
                        &h_night, &h_peak, &t_mean, &t_amplitude, &inversion, &inversion_depth, &rh_start, &rh_end,
                        &rh_amplitude, &p_surface})
    if (d->has_value()) return true;
  return start.has_value() || hours.has_value();
}

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
  bool geographic = false;
  try {
    check_crs(grid.crs);
    // A one-cell grid of the same CRS says whether dx, dy are degrees or metres.
    geographic = Grid(GridSpec{grid.crs, 1, 1, 1.0, 1.0, 0.0, 0.0, {1.0}}).is_geographic();
  } catch (const Error& e) {
    throw Error(src.context("grid.crs"), e.message());
  }
  validate_grid_plausible(grid, geographic, src);

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
  validate_meteo(meteo, *tz, src);

  LANTIAN_CHECK(std::isfinite(model.dt) && model.dt > 0.0 && model.dt <= 3600.0 &&
                    std::abs(3600.0 / model.dt - std::round(3600.0 / model.dt)) < 1e-9,
                src.context("model.dt"), "expected a time step in s that divides 3600 (e.g. 300, 600, 900), found " +
                                             number(model.dt));
  check_plausible(Quantity::time_step, model.dt, src.context("model.dt"));
  LANTIAN_CHECK(std::isfinite(model.kh) && model.kh >= 0.0, src.context("model.kh"),
                "expected a horizontal diffusivity >= 0 m2/s, found " + number(model.kh));
  check_plausible(Quantity::horizontal_diffusivity, model.kh, src.context("model.kh"));
  LANTIAN_CHECK(model.tags == TagKind::enterprise || model.tag_enterprises.empty(), src.context("model.tag_enterprises"),
                "tag_enterprises is for tags = \"enterprise\"");
  LANTIAN_CHECK(model.initial != InitialKind::observations || !paths.observations.empty(), src.context("model.initial"),
                "initial = \"observations\" needs paths.observations");
  for (const auto* list : {&model.inflow, &model.background})
    for (const auto& [k, v] : *list)
      LANTIAN_CHECK(std::isfinite(v) && v >= 0.0,
                    src.context(std::string(list == &model.inflow ? "model.inflow." : "model.background.") + k),
                    "expected a concentration >= 0 ug/m3, found " + number(v));
  for (const auto* list : {&model.inflow, &model.background})
    for (const auto& [k, v] : *list)
      check_plausible(Quantity::boundary_concentration, v,
                      src.context(std::string(list == &model.inflow ? "model.inflow." : "model.background.") + k));
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
  const TomlDocument doc = parse_toml_file(path);
  return read_case(doc, path, std::filesystem::path(path).parent_path().string());
}

CaseConfig load_case_string(std::string_view text, const std::string& source, const std::string& base_dir) {
  const TomlDocument doc = parse_toml_string(text, source);
  return read_case(doc, source, base_dir);
}

}  // namespace lantian
