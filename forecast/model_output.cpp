// CF-1.8 NetCDF and CSV outputs of an Eulerian run. See model_output.hpp.
#include "forecast/model_output.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/netcdf_file.hpp"

namespace lantian {


namespace {

constexpr const char* kUnits = "ug m-3";  // µg/m³ in UDUNITS' ASCII spelling
constexpr const char* kGridMappingVar = "crs";
constexpr const char* kTimeComment =
    "Hour-beginning labels, as every lantian output: the record labelled T covers the model hour "
    "[T, T + 1 h] (time_bnds) and its fields are the instantaneous state at the END of that hour, "
    "T + 1 h = time_bnds[:, 1]. The first record is the initial state: the end of the hour before "
    "the run's start. stations.csv and scenario_series.csv label the same hour T.";
constexpr const char* kFieldComment =
    "instantaneous value at the end of the time interval (time_bnds[:, 1]), not an hourly mean";

/// Long and CF standard names of the species (species.hpp order); "" where CF has no name.
struct SpeciesNames {
  const char* long_name;
  const char* standard_name;
};
constexpr std::array<SpeciesNames, kSpeciesCount> kSpeciesNames{{
    {"sulfur dioxide", "mass_concentration_of_sulfur_dioxide_in_air"},
    {"nitrogen oxides expressed as NO2", ""},
    {"volatile organic compounds (VOC mass)", ""},
    {"ammonia", "mass_concentration_of_ammonia_in_air"},
    {"primary PM2.5", ""},
    {"coarse particulate matter (PM10 - PM2.5)", ""},
    {"sulfate (as SO4)", "mass_concentration_of_sulfate_dry_aerosol_particles_in_air"},
    {"nitrate (as NO3)", "mass_concentration_of_nitrate_dry_aerosol_particles_in_air"},
    {"secondary organic aerosol",
     "mass_concentration_of_secondary_particulate_organic_matter_dry_aerosol_particles_in_air"},
}};

// ---- CSV ----------------------------------------------------------------------------------

/// Appends ',' and v in the shortest form that reads back; a NaN or infinite v throws
/// lantian::Error naming the file, the column and the row (`row()`, built only then).
template <class Row>
void append_number(std::string& o, double v, const char* file, std::string_view column, Row&& row) {
  if (!std::isfinite(v))
    throw Error(ErrorContext{file, 0, "column " + std::string(column)},
                fmt::format("{}: {} is not a finite number (a model result overflowed or a process is broken); "
                            "nothing is written",
                            row(), v));
  o += ',';
  fmt::format_to(std::back_inserter(o), "{}", v);
}

}  // namespace

// ---- Options --------------------------------------------------------------------------------

void NetcdfOutputOptions::validate() const {
  LANTIAN_CHECK(deflate_level >= 0 && deflate_level <= 9, (ErrorContext{"", 0, "netcdf.deflate_level"}),
                "expected 0 (no compression) to 9, found " + std::to_string(deflate_level));
  if (!tags) return;
  LANTIAN_CHECK(!tag_names.empty(), (ErrorContext{"", 0, "netcdf.tag_names"}),
                "tag output needs one name per source tag, found none");
  std::set<std::string> seen;
  for (const std::string& name : tag_names) {
    LANTIAN_CHECK(!name.empty(), (ErrorContext{"", 0, "netcdf.tag_names"}), "expected non-empty tag names");
    LANTIAN_CHECK(seen.insert(name).second, (ErrorContext{"", 0, "netcdf.tag_names"}),
                  "duplicate tag name '" + name + "'");
  }
}

// ---- HourlyNetcdfWriter -------------------------------------------------------------------

HourlyNetcdfWriter::HourlyNetcdfWriter(std::string path, const Grid& grid, const TimeZone& tz,
                                       NetcdfOutputOptions options)
    : path_(std::move(path)), options_(std::move(options)), spec_(grid.spec()) {
  options_.validate();
  var_sfc_.fill(-1);
  var_3d_.fill(-1);
  file_.emplace(NetcdfFile::create(path_));
  try {
    define(grid, tz);
  } catch (...) {
    file_->abort();  // removes a file still in define mode
    file_.reset();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    throw;
  }
}

HourlyNetcdfWriter::~HourlyNetcdfWriter() = default;  // NetcdfFile closes, ignoring errors

void HourlyNetcdfWriter::define(const Grid& grid, const TimeZone& tz) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  const auto sx = static_cast<std::size_t>(nx), sy = static_cast<std::size_t>(ny), sz = static_cast<std::size_t>(nz);
  const bool geographic = grid.is_geographic();
  NetcdfFile& f = *file_;
  using Type = NetcdfFile::Type;
  constexpr int kGlobal = NetcdfFile::kGlobal;

  int d_z = 0, d_tag = 0, d_strlen = 0;
  const int d_time = f.def_dim("time", NetcdfFile::kUnlimited);
  if (options_.fields_3d) d_z = f.def_dim("z", sz);
  const int d_y = f.def_dim("y", sy);
  const int d_x = f.def_dim("x", sx);
  std::size_t strlen_max = 1;
  const int d_nv = f.def_dim("nv", 2);  // the bounds of time (and of z with fields_3d)
  if (options_.tags) {
    for (const std::string& name : options_.tag_names) strlen_max = std::max(strlen_max, name.size());
    d_tag = f.def_dim("tag", options_.tag_names.size());
    d_strlen = f.def_dim("tag_strlen", strlen_max);
  }

  auto text = [&](int var, const char* att, const std::string& value) { f.put_att(var, att, value); };
  auto numbers = [&](int var, const char* att, const std::vector<double>& values) { f.put_att(var, att, values); };
  auto def = [&](const char* name, Type type, const std::vector<int>& dims) { return f.def_var(name, type, dims); };

  // Global attributes.
  text(kGlobal, "Conventions", "CF-1.8");
  text(kGlobal, "title", options_.title.empty() ? std::string("lantian Eulerian model output") : options_.title);
  text(kGlobal, "institution", "lantian");
  text(kGlobal, "source", std::string("lantian ") + LANTIAN_VERSION + " Eulerian model (3-D transport, linear secondary PM)");
  if (!options_.history.empty()) text(kGlobal, "history", options_.history);
  text(kGlobal, "comment",
       fmt::format("PM2.5 = PPM25 + {} SO4 + {} NO3 + SOA (sulfate and nitrate taken as fully neutralised by "
                   "ammonium: {} = M((NH4)2SO4)/M(SO4), {} = M(NH4NO3)/M(NO3); Malm et al. 1994, J. Geophys. "
                   "Res. 99, 1347); boundary inflow is carried in these species. PM10 = PM2.5 + PMC. "
                   "NOx is NO2 mass, VOC is VOC mass, SO4 and NO3 are the ions' mass.",
                   kAmmoniumSulfateFactor, kAmmoniumNitrateFactor, kAmmoniumSulfateFactor,
                   kAmmoniumNitrateFactor));
  text(kGlobal, "local_time_zone", tz.name());

  // Coordinates. Time: the hour-beginning convention of every lantian file (docs/time-labels.md):
  // a record labelled T holds the model hour [T, T + 1 h] (time_bnds), whose fields are the
  // state at its end, T + 1 h. No cell_methods for time: CF has no method for "the instant at
  // the upper bound" ("time: point" would place the value at T, "time: mean" would make it a
  // mean over the hour), so the comments say it in words.
  const int v_time = def("time", Type::float64, {d_time});
  text(v_time, "standard_name", "time");
  text(v_time, "long_name", "start of the model hour (UTC)");
  text(v_time, "units", "hours since 1970-01-01 00:00:00");
  text(v_time, "calendar", "standard");
  text(v_time, "axis", "T");
  text(v_time, "bounds", "time_bnds");
  text(v_time, "comment", kTimeComment);
  var_time_ = v_time;
  var_time_bnds_ = def("time_bnds", Type::float64, {d_time, d_nv});

  int v_z = -1, v_zb = -1;
  if (options_.fields_3d) {
    v_z = def("z", Type::float64, {d_z});
    text(v_z, "standard_name", "height");
    text(v_z, "long_name", "mid-height of the model layer above ground");
    text(v_z, "units", "m");
    text(v_z, "positive", "up");
    text(v_z, "axis", "Z");
    text(v_z, "bounds", "z_bnds");
    v_zb = def("z_bnds", Type::float64, {d_z, d_nv});
    text(v_zb, "long_name", "bottom and top of the model layer above ground");
    text(v_zb, "units", "m");
  }
  const int v_y = def("y", Type::float64, {d_y});
  const int v_x = def("x", Type::float64, {d_x});
  if (geographic) {
    text(v_y, "standard_name", "latitude");
    text(v_y, "units", "degrees_north");
    text(v_x, "standard_name", "longitude");
    text(v_x, "units", "degrees_east");
  } else {
    text(v_y, "standard_name", "projection_y_coordinate");
    text(v_y, "units", "m");
    text(v_x, "standard_name", "projection_x_coordinate");
    text(v_x, "units", "m");
  }
  text(v_y, "long_name", "y of the cell centre in the grid's CRS");
  text(v_y, "axis", "Y");
  text(v_x, "long_name", "x of the cell centre in the grid's CRS");
  text(v_x, "axis", "X");
  const int v_lat = def("lat", Type::float64, {d_y, d_x});
  text(v_lat, "standard_name", "latitude");
  text(v_lat, "long_name", "latitude of the cell centre (WGS 84)");
  text(v_lat, "units", "degrees_north");
  const int v_lon = def("lon", Type::float64, {d_y, d_x});
  text(v_lon, "standard_name", "longitude");
  text(v_lon, "long_name", "longitude of the cell centre (WGS 84)");
  text(v_lon, "units", "degrees_east");
  int v_tagname = -1;
  if (options_.tags) {
    v_tagname = def("tag_name", Type::text, {d_tag, d_strlen});
    text(v_tagname, "long_name", "source tag");
  }

  // Grid mapping.
  const CfGridMapping mapping = grid.cf_grid_mapping();
  const int v_crs = def(kGridMappingVar, Type::int32, {});
  if (!mapping.grid_mapping_name.empty()) text(v_crs, "grid_mapping_name", mapping.grid_mapping_name);
  for (const auto& [att, values] : mapping.parameters) numbers(v_crs, att.c_str(), values);
  text(v_crs, "crs_wkt", mapping.crs_wkt);
  text(v_crs, "proj4_params", mapping.proj4_params);

  // Data variables: float, chunked per time step, deflated.
  auto data = [&](const std::string& name, std::vector<int> dims, std::vector<std::size_t> chunks,
                  const std::string& long_name, const char* standard_name, const char* coordinates) {
    const int var = def(name.c_str(), Type::float32, dims);
    f.def_chunking(var, chunks);
    if (options_.deflate_level > 0) f.def_deflate(var, true, options_.deflate_level);
    // A cache of one chunk: each record is compressed and written when the next one arrives
    // (HDF5's default cache would hold dozens of hours of a 3-D field until close).
    std::size_t chunk_bytes = sizeof(float);
    for (std::size_t n : chunks) chunk_bytes *= n;
    f.set_chunk_cache(var, chunk_bytes, 7, 1.0f);
    f.def_fill(var, NetcdfFile::kFillFloat);
    text(var, "long_name", long_name);
    if (*standard_name != '\0') text(var, "standard_name", standard_name);
    text(var, "units", kUnits);
    text(var, "coordinates", coordinates);
    text(var, "grid_mapping", kGridMappingVar);
    text(var, "comment", kFieldComment);
    return var;
  };
  const std::vector<std::size_t> chunk2{1, sy, sx};
  var_pm25_ = data("PM25_sfc", {d_time, d_y, d_x}, chunk2, "PM2.5 in the surface layer (reconstructed: see the global comment)",
                   "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air", "lat lon");
  var_pm10_ = data("PM10_sfc", {d_time, d_y, d_x}, chunk2, "PM10 in the surface layer (PM2.5 + PMC)",
                   "mass_concentration_of_pm10_ambient_aerosol_particles_in_air", "lat lon");
  for (Species s : kAllSpecies) {
    const SpeciesNames& names = kSpeciesNames[index(s)];
    var_sfc_[index(s)] = data(std::string(species_name(s)) + "_sfc", {d_time, d_y, d_x}, chunk2,
                              std::string(names.long_name) + " in the surface layer", names.standard_name, "lat lon");
  }
  if (options_.fields_3d) {
    for (Species s : kAllSpecies) {
      const SpeciesNames& names = kSpeciesNames[index(s)];
      var_3d_[index(s)] = data(std::string(species_name(s)), {d_time, d_z, d_y, d_x}, {1, sz, sy, sx},
                               names.long_name, names.standard_name, "lat lon");
    }
  }
  if (options_.tags)
    var_tag_ = data("PM25_tag", {d_time, d_tag, d_y, d_x}, {1, 1, sy, sx},
                    "PM2.5 in the surface layer from each source tag (the tags add up to PM25_sfc)", "",
                    "tag_name lat lon");
  f.end_def();

  // Coordinate values.
  std::vector<double> values(sx);
  for (int i = 0; i < nx; ++i) values[static_cast<std::size_t>(i)] = grid.x_centre(i);
  f.write(v_x, values);
  values.resize(sy);
  for (int j = 0; j < ny; ++j) values[static_cast<std::size_t>(j)] = grid.y_centre(j);
  f.write(v_y, values);
  if (options_.fields_3d) {
    values.resize(sz);
    for (int k = 0; k < nz; ++k) values[static_cast<std::size_t>(k)] = grid.z_centre(k);
    f.write(v_z, values);
    values.resize(2 * sz);
    for (int k = 0; k < nz; ++k) {
      values[2 * static_cast<std::size_t>(k)] = grid.z_bottom(k);
      values[2 * static_cast<std::size_t>(k) + 1] = grid.z_top(k);
    }
    f.write(v_zb, values);
  }
  std::vector<double> lat(sx * sy), lon(sx * sy);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const LonLat p = grid.lonlat(i, j);
      const std::size_t at = static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx;
      lat[at] = p.lat;
      lon[at] = p.lon;
    }
  f.write(v_lat, lat);
  f.write(v_lon, lon);
  if (options_.tags) {
    std::string names(options_.tag_names.size() * strlen_max, '\0');
    for (std::size_t t = 0; t < options_.tag_names.size(); ++t)
      names.replace(t * strlen_max, options_.tag_names[t].size(), options_.tag_names[t]);
    f.write_text(v_tagname, names);
  }
}

void HourlyNetcdfWriter::put_record(int var, const std::vector<std::size_t>& count, const char* name,
                                    const char* level) {
  // The values as stored (float): a double beyond ±3.4e38 becomes infinite here, so this is the
  // check that counts. One flag pass; the position is searched only when something is wrong.
  bool bad = false;
  for (const float v : buffer_) bad |= !std::isfinite(v);
  if (bad) {
    const std::size_t nx = count.back(), ny = count[count.size() - 2];
    for (std::size_t n = 0; n < buffer_.size(); ++n) {
      if (std::isfinite(buffer_[n])) continue;
      const std::size_t i = n % nx, j = (n / nx) % ny, l = n / (nx * ny);
      const std::string at = level != nullptr ? fmt::format("i={}, j={}, {}={}", i, j, level, l)
                                              : fmt::format("i={}, j={}", i, j);
      throw Error(ErrorContext{path_, 0, std::string("variable ") + name},
                  fmt::format("the record valid at {} has {} at cell ({}), not a finite number as a float (a model "
                              "result overflowed or a process is broken); nothing is written",
                              format_utc(writing_), buffer_[n], at));
    }
  }
  std::vector<std::size_t> start(count.size(), 0);
  start[0] = records_;
  file_->write(var, start, count, buffer_);
}

void HourlyNetcdfWriter::write_hour(UtcHour t, const solver::EulerianModel& model) {
  const ErrorContext ctx{path_, 0, ""};
  LANTIAN_CHECK(file_.has_value(), ctx, "cannot write hour " + format_utc(t) + ": the file is closed");
  LANTIAN_CHECK(!last_ || t > *last_, ctx,
                "time records must increase: hour " + format_utc(t) + " after " + format_utc(last_.value_or(0)));
  const GridSpec& g = model.grid().spec();
  LANTIAN_CHECK(g.nx == spec_.nx && g.ny == spec_.ny && g.layer_tops == spec_.layer_tops && g.dx == spec_.dx &&
                    g.dy == spec_.dy && g.x0 == spec_.x0 && g.y0 == spec_.y0 && g.crs == spec_.crs,
                ctx,
                fmt::format("the model's grid ({} x {} x {}) differs from the file's ({} x {} x {}, CRS, origin "
                            "and spacing included)",
                            g.nx, g.ny, g.layer_tops.size(), spec_.nx, spec_.ny, spec_.layer_tops.size()));
  const std::size_t n_tags = options_.tags ? options_.tag_names.size() : 0;
  LANTIAN_CHECK(!options_.tags || model.tags().size() == n_tags, ctx,
                fmt::format("the file has {} tags, the model {}", n_tags, model.tags().size()));

  writing_ = t;
  const int nx = spec_.nx, ny = spec_.ny, nz = static_cast<int>(spec_.layer_tops.size());
  const auto sx = static_cast<std::size_t>(nx), sy = static_cast<std::size_t>(ny), sz = static_cast<std::size_t>(nz);
  const std::size_t plane = sx * sy;
  const std::vector<std::size_t> count2{1, sy, sx};

  // Surface species, then PM2.5 and PM10 from them.
  std::vector<double> pm25(plane, 0.0);
  buffer_.resize(plane);
  std::array<double, kSpeciesCount> cell{};
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      for (Species s : kAllSpecies) cell[index(s)] = model.field(s)(i, j, 0);
      pm25[static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx] = pm25_of(cell);
    }
  for (std::size_t n = 0; n < plane; ++n) buffer_[n] = static_cast<float>(pm25[n]);
  put_record(var_pm25_, count2, "PM25_sfc");
  const Field3D<double>& pmc = model.field(Species::pmc);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const std::size_t at = static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx;
      buffer_[at] = static_cast<float>(pm25[at] + pmc(i, j, 0));
    }
  put_record(var_pm10_, count2, "PM10_sfc");
  for (Species s : kAllSpecies) {
    const Field3D<double>& c = model.field(s);
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        buffer_[static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx] = static_cast<float>(c(i, j, 0));
    put_record(var_sfc_[index(s)], count2, (std::string(species_name(s)) + "_sfc").c_str());
  }

  if (options_.fields_3d) {
    buffer_.resize(plane * sz);
    for (Species s : kAllSpecies) {
      const Field3D<double>& c = model.field(s);
      for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j) {
          float* row = buffer_.data() + static_cast<std::size_t>(k) * plane + static_cast<std::size_t>(j) * sx;
          for (int i = 0; i < nx; ++i) row[i] = static_cast<float>(c(i, j, k));
        }
      put_record(var_3d_[index(s)], {1, sz, sy, sx}, std::string(species_name(s)).c_str(), "k");
    }
  }

  if (options_.tags) {
    buffer_.resize(plane * n_tags);
    for (std::size_t tag = 0; tag < n_tags; ++tag)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i)
          buffer_[tag * plane + static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx] =
              static_cast<float>(model.surface_pm25_tag(static_cast<int>(tag), i, j));
    put_record(var_tag_, {1, n_tags, sy, sx}, "PM25_tag", "tag");
  }

  // Labelled by the hour that ends at t (hour-beginning): time t − 1 h, bounds [t − 1 h, t].
  const double end = static_cast<double>(t);
  file_->write(var_time_, {records_}, end - 1.0);
  file_->write(var_time_bnds_, {records_, 0}, end - 1.0);
  file_->write(var_time_bnds_, {records_, 1}, end);
  ++records_;
  last_ = t;
}

void HourlyNetcdfWriter::close() {
  if (!file_) return;
  NetcdfFile f = std::move(*file_);
  file_.reset();  // closed from here on, even when closing fails
  f.close();
}

// ---- CSV ----------------------------------------------------------------------------------

std::string station_series_csv(std::span<const UtcHour> hours, const std::vector<std::string>& station_ids,
                               const std::vector<std::vector<double>>& series, const TimeZone& tz) {
  LANTIAN_CHECK(series.size() == station_ids.size(), (ErrorContext{"", 0, "station series"}),
                fmt::format("expected one series per station id ({}), found {}", station_ids.size(), series.size()));
  std::vector<std::string> labels;
  labels.reserve(hours.size());
  for (UtcHour t : hours) labels.push_back(format_local(t, tz));
  std::string o = "time,station,pm25\n";
  for (std::size_t n = 0; n < series.size(); ++n) {
    LANTIAN_CHECK(series[n].size() == hours.size(), (ErrorContext{"", 0, "station " + station_ids[n]}),
                  fmt::format("expected {} values (one per hour), found {}", hours.size(), series[n].size()));
    const std::string id = csv_text(station_ids[n]);
    for (std::size_t h = 0; h < hours.size(); ++h) {
      o += labels[h];
      o += ',';
      o += id;
      append_number(o, series[n][h], "stations.csv", "pm25",
                    [&] { return "station '" + station_ids[n] + "' at " + labels[h]; });
      o += '\n';
    }
  }
  return o;
}

std::string budget_csv(const std::vector<solver::HourBudget>& budgets, const TimeZone& tz) {
  std::string o =
      "time,species,mass_before,emitted,chemistry,dry_deposited,wet_deposited,"
      "in_west,in_east,in_south,in_north,in_top,out_west,out_east,out_south,out_north,out_top,"
      "mass_after,residual\n";
  static constexpr std::array<const char*, 5> kIn{"in_west", "in_east", "in_south", "in_north", "in_top"};
  static constexpr std::array<const char*, 5> kOut{"out_west", "out_east", "out_south", "out_north", "out_top"};
  for (const solver::HourBudget& b : budgets) {
    const std::string time = format_local(b.hour, tz);
    for (Species s : kAllSpecies) {
      const std::size_t n = index(s);
      const auto row = [&] { return std::string(species_name(s)) + " in the hour starting " + time; };
      auto put = [&](const char* column, double v) { append_number(o, v, "budget.csv", column, row); };
      o += time;
      o += ',';
      o += species_name(s);
      put("mass_before", b.mass_before[n]);
      put("emitted", b.emitted[n]);
      put("chemistry", b.chemistry[n]);
      put("dry_deposited", b.dry_deposited[n]);
      put("wet_deposited", b.wet_deposited[n]);
      for (std::size_t side = 0; side < kIn.size(); ++side) put(kIn[side], b.inflow[side][n]);
      for (std::size_t side = 0; side < kOut.size(); ++side) put(kOut[side], b.outflow[side][n]);
      put("mass_after", b.mass_after[n]);
      put("residual", b.residual(s));
      o += '\n';
    }
  }
  return o;
}

}  // namespace lantian
