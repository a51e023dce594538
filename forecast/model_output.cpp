// CF-1.8 NetCDF and CSV outputs of an Eulerian run. See model_output.hpp.
#include "forecast/model_output.hpp"

#include <netcdf.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <numbers>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "core/csv_file.hpp"
#include "core/error.hpp"

namespace lantian {


namespace {

constexpr const char* kUnits = "ug m-3";  // µg/m³ in UDUNITS' ASCII spelling
constexpr const char* kGridMappingVar = "crs";

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

// ---- PROJ ---------------------------------------------------------------------------------

struct PjDeleter {
  void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
struct ContextDeleter {
  void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// A projection parameter in degrees (angles), metres (lengths) or as is (scale factors). PROJ
/// keeps angles in radians, so 118.8 comes back as 118.79999999999998: angles are rounded to
/// 1e-10 degree (about 10 µm on the ground) to give back the numbers of the CRS's definition.
double parameter_value(double value, double to_si, const char* category) {
  constexpr double kDegree = std::numbers::pi / 180.0;
  if (category != nullptr && std::string_view(category) == "angular") {
    const double degrees = std::abs(to_si - kDegree) > 1e-15 ? value * to_si / kDegree : value;
    return std::round(degrees * 1e10) / 1e10;
  }
  if (category != nullptr && std::string_view(category) == "linear") return value * to_si;
  return value;
}

/// CF attributes of the projections CF names, from the EPSG method and parameter codes.
void add_projection(PJ_CONTEXT* c, const PJ* op, CfGridMapping& m) {
  const char* method_code = nullptr;
  if (!proj_coordoperation_get_method_info(c, op, nullptr, nullptr, &method_code) || method_code == nullptr) return;
  std::vector<std::pair<int, double>> p;  // (EPSG parameter code, value)
  const int n = proj_coordoperation_get_param_count(c, op);
  for (int i = 0; i < n; ++i) {
    const char* code = nullptr;
    const char* category = nullptr;
    double value = 0.0, to_si = 1.0;
    if (!proj_coordoperation_get_param(c, op, i, nullptr, nullptr, &code, &value, nullptr, &to_si, nullptr, nullptr,
                                       nullptr, &category) ||
        code == nullptr)
      continue;
    p.emplace_back(std::atoi(code), parameter_value(value, to_si, category));
  }
  auto get = [&](int code) -> std::optional<double> {
    for (const auto& [k, v] : p)
      if (k == code) return v;
    return std::nullopt;
  };
  // Each entry: CF attribute name and the EPSG parameter codes of its values.
  using Map = std::vector<std::pair<const char*, std::vector<int>>>;
  auto fill = [&](const char* name, const Map& map) {
    std::vector<std::pair<std::string, std::vector<double>>> out;
    for (const auto& [attr, codes] : map) {
      std::vector<double> values;
      for (int code : codes) {
        const std::optional<double> v = get(code);
        if (!v) return;  // an unexpected parameter set: leave the CRS to crs_wkt
        values.push_back(*v);
      }
      out.emplace_back(attr, std::move(values));
    }
    m.grid_mapping_name = name;
    m.parameters = std::move(out);
  };
  switch (std::atoi(method_code)) {
    case 9802:  // Lambert Conic Conformal (2SP)
      fill("lambert_conformal_conic", {{"standard_parallel", {8823, 8824}},
                                       {"longitude_of_central_meridian", {8822}},
                                       {"latitude_of_projection_origin", {8821}},
                                       {"false_easting", {8826}},
                                       {"false_northing", {8827}}});
      break;
    case 9801:  // Lambert Conic Conformal (1SP): CF can say it only with a unit scale factor
      if (get(8805).value_or(0.0) == 1.0)
        fill("lambert_conformal_conic", {{"standard_parallel", {8801}},
                                         {"longitude_of_central_meridian", {8802}},
                                         {"latitude_of_projection_origin", {8801}},
                                         {"false_easting", {8806}},
                                         {"false_northing", {8807}}});
      break;
    case 9822:  // Albers Equal Area
      fill("albers_conical_equal_area", {{"standard_parallel", {8823, 8824}},
                                         {"longitude_of_central_meridian", {8822}},
                                         {"latitude_of_projection_origin", {8821}},
                                         {"false_easting", {8826}},
                                         {"false_northing", {8827}}});
      break;
    case 9807:  // Transverse Mercator
      fill("transverse_mercator", {{"scale_factor_at_central_meridian", {8805}},
                                   {"longitude_of_central_meridian", {8802}},
                                   {"latitude_of_projection_origin", {8801}},
                                   {"false_easting", {8806}},
                                   {"false_northing", {8807}}});
      break;
    case 9804:  // Mercator (variant A)
      fill("mercator", {{"longitude_of_projection_origin", {8802}},
                        {"scale_factor_at_projection_origin", {8805}},
                        {"false_easting", {8806}},
                        {"false_northing", {8807}}});
      break;
    case 9805:  // Mercator (variant B)
      fill("mercator", {{"longitude_of_projection_origin", {8802}},
                        {"standard_parallel", {8823}},
                        {"false_easting", {8806}},
                        {"false_northing", {8807}}});
      break;
    default:
      break;
  }
}

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

// ---- Grid mapping -------------------------------------------------------------------------

CfGridMapping cf_grid_mapping(const std::string& crs) {
  const std::unique_ptr<PJ_CONTEXT, ContextDeleter> ctx(proj_context_create());
  PJ_CONTEXT* c = ctx.get();
  proj_log_level(c, PJ_LOG_NONE);
  const bool proj_string = crs.find("+proj=") != std::string::npos;
  PjPtr obj(proj_create(c, crs.c_str()));
  if (obj && !proj_is_crs(obj.get()) && proj_string) obj.reset(proj_create(c, (crs + " +type=crs").c_str()));
  if (!obj || !proj_is_crs(obj.get())) {
    const char* why = proj_context_errno_string(c, proj_context_errno(c));
    throw Error(ErrorContext{"", 0, "CRS '" + crs + "'"},
                std::string("PROJ cannot read it as a coordinate reference system") + (why ? std::string(": ") + why : ""));
  }

  CfGridMapping m;
  const char* wkt_options[] = {"MULTILINE=NO", nullptr};
  if (const char* wkt = proj_as_wkt(c, obj.get(), PJ_WKT2_2015, wkt_options)) m.crs_wkt = wkt;
  if (proj_string) {
    m.proj4_params = crs;
  } else if (const char* p = proj_as_proj_string(c, obj.get(), PJ_PROJ_5, nullptr)) {
    m.proj4_params = p;
    if (const std::size_t at = m.proj4_params.find(" +type=crs"); at != std::string::npos) m.proj4_params.erase(at, 10);
  }

  PjPtr base;  // a BoundCRS (+towgs84) describes its source CRS
  const PJ* judged = obj.get();
  if (proj_get_type(judged) == PJ_TYPE_BOUND_CRS) {
    base.reset(proj_get_source_crs(c, judged));
    if (base) judged = base.get();
  }
  const PJ_TYPE type = proj_get_type(judged);
  if (type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS) {
    m.grid_mapping_name = "latitude_longitude";
  } else if (type == PJ_TYPE_PROJECTED_CRS) {
    if (const PjPtr op(proj_crs_get_coordoperation(c, judged)); op) add_projection(c, op.get(), m);
  }
  if (const PjPtr ellipsoid(proj_get_ellipsoid(c, judged)); ellipsoid) {
    double a = 0.0, b = 0.0, inverse_flattening = 0.0;
    int computed = 0;
    if (proj_ellipsoid_get_parameters(c, ellipsoid.get(), &a, &b, &computed, &inverse_flattening)) {
      if (inverse_flattening == 0.0) {
        m.parameters.emplace_back("earth_radius", std::vector<double>{a});
      } else {
        m.parameters.emplace_back("semi_major_axis", std::vector<double>{a});
        m.parameters.emplace_back("inverse_flattening", std::vector<double>{inverse_flattening});
      }
    }
  }
  if (const PjPtr pm(proj_get_prime_meridian(c, judged)); pm) {
    double longitude = 0.0, to_radians = 0.0;
    if (proj_prime_meridian_get_parameters(c, pm.get(), &longitude, &to_radians, nullptr) && longitude != 0.0)
      m.parameters.emplace_back("longitude_of_prime_meridian",
                                std::vector<double>{longitude * to_radians * 180.0 / std::numbers::pi});
  }
  return m;
}

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
  int id = -1;
  check(nc_create(path_.c_str(), NC_CLOBBER | NC_NETCDF4 | NC_CLASSIC_MODEL, &id), "nc_create");
  nc_ = id;
  try {
    define(grid, tz);
  } catch (...) {
    nc_abort(nc_);  // removes a file still in define mode
    nc_ = -1;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    throw;
  }
}

HourlyNetcdfWriter::~HourlyNetcdfWriter() {
  if (nc_ >= 0) nc_close(nc_);
}

void HourlyNetcdfWriter::check(int rc, const char* call, const std::string& variable) const {
  if (rc != NC_NOERR) throw Error(ErrorContext{path_, 0, variable}, std::string(call) + ": " + nc_strerror(rc));
}

void HourlyNetcdfWriter::define(const Grid& grid, const TimeZone& tz) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  const auto sx = static_cast<std::size_t>(nx), sy = static_cast<std::size_t>(ny), sz = static_cast<std::size_t>(nz);
  const bool geographic = grid.is_geographic();

  int d_time = 0, d_z = 0, d_y = 0, d_x = 0, d_nv = 0, d_tag = 0, d_strlen = 0;
  check(nc_def_dim(nc_, "time", NC_UNLIMITED, &d_time), "nc_def_dim", "time");
  if (options_.fields_3d) check(nc_def_dim(nc_, "z", sz, &d_z), "nc_def_dim", "z");
  check(nc_def_dim(nc_, "y", sy, &d_y), "nc_def_dim", "y");
  check(nc_def_dim(nc_, "x", sx, &d_x), "nc_def_dim", "x");
  std::size_t strlen_max = 1;
  if (options_.fields_3d) check(nc_def_dim(nc_, "nv", 2, &d_nv), "nc_def_dim", "nv");
  if (options_.tags) {
    for (const std::string& name : options_.tag_names) strlen_max = std::max(strlen_max, name.size());
    check(nc_def_dim(nc_, "tag", options_.tag_names.size(), &d_tag), "nc_def_dim", "tag");
    check(nc_def_dim(nc_, "tag_strlen", strlen_max, &d_strlen), "nc_def_dim", "tag_strlen");
  }

  auto name_of = [&](int var) {
    if (var == NC_GLOBAL) return std::string("global");
    char buf[NC_MAX_NAME + 1] = {};
    nc_inq_varname(nc_, var, buf);
    return std::string(buf);
  };
  auto text = [&](int var, const char* att, const std::string& value) {
    check(nc_put_att_text(nc_, var, att, value.size(), value.c_str()), "nc_put_att_text", name_of(var) + ":" + att);
  };
  auto numbers = [&](int var, const char* att, const std::vector<double>& values) {
    check(nc_put_att_double(nc_, var, att, NC_DOUBLE, values.size(), values.data()), "nc_put_att_double",
          name_of(var) + ":" + att);
  };
  auto def = [&](const char* name, nc_type type, std::vector<int> dims) {
    int var = -1;
    check(nc_def_var(nc_, name, type, static_cast<int>(dims.size()), dims.data(), &var), "nc_def_var", name);
    return var;
  };

  // Global attributes.
  text(NC_GLOBAL, "Conventions", "CF-1.8");
  text(NC_GLOBAL, "title", options_.title.empty() ? std::string("lantian Eulerian model output") : options_.title);
  text(NC_GLOBAL, "institution", "lantian");
  text(NC_GLOBAL, "source", std::string("lantian ") + LANTIAN_VERSION + " Eulerian model (3-D transport, linear secondary PM)");
  if (!options_.history.empty()) text(NC_GLOBAL, "history", options_.history);
  text(NC_GLOBAL, "comment",
       fmt::format("PM2.5 = PPM25 + {} SO4 + {} NO3 + SOA (sulfate and nitrate taken as fully neutralised by "
                   "ammonium: {} = M((NH4)2SO4)/M(SO4), {} = M(NH4NO3)/M(NO3); Malm et al. 1994, J. Geophys. "
                   "Res. 99, 1347); boundary inflow is carried in these species. PM10 = PM2.5 + PMC. "
                   "NOx is NO2 mass, VOC is VOC mass, SO4 and NO3 are the ions' mass.",
                   kAmmoniumSulfateFactor, kAmmoniumNitrateFactor, kAmmoniumSulfateFactor,
                   kAmmoniumNitrateFactor));
  text(NC_GLOBAL, "local_time_zone", tz.name());

  // Coordinates.
  const int v_time = def("time", NC_DOUBLE, {d_time});
  text(v_time, "standard_name", "time");
  text(v_time, "long_name", "time at which the fields are valid (UTC)");
  text(v_time, "units", "hours since 1970-01-01 00:00:00");
  text(v_time, "calendar", "standard");
  text(v_time, "axis", "T");
  var_time_ = v_time;

  int v_z = -1, v_zb = -1;
  if (options_.fields_3d) {
    v_z = def("z", NC_DOUBLE, {d_z});
    text(v_z, "standard_name", "height");
    text(v_z, "long_name", "mid-height of the model layer above ground");
    text(v_z, "units", "m");
    text(v_z, "positive", "up");
    text(v_z, "axis", "Z");
    text(v_z, "bounds", "z_bnds");
    v_zb = def("z_bnds", NC_DOUBLE, {d_z, d_nv});
    text(v_zb, "long_name", "bottom and top of the model layer above ground");
    text(v_zb, "units", "m");
  }
  const int v_y = def("y", NC_DOUBLE, {d_y});
  const int v_x = def("x", NC_DOUBLE, {d_x});
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
  const int v_lat = def("lat", NC_DOUBLE, {d_y, d_x});
  text(v_lat, "standard_name", "latitude");
  text(v_lat, "long_name", "latitude of the cell centre (WGS 84)");
  text(v_lat, "units", "degrees_north");
  const int v_lon = def("lon", NC_DOUBLE, {d_y, d_x});
  text(v_lon, "standard_name", "longitude");
  text(v_lon, "long_name", "longitude of the cell centre (WGS 84)");
  text(v_lon, "units", "degrees_east");
  int v_tagname = -1;
  if (options_.tags) {
    v_tagname = def("tag_name", NC_CHAR, {d_tag, d_strlen});
    text(v_tagname, "long_name", "source tag");
  }

  // Grid mapping.
  const CfGridMapping mapping = cf_grid_mapping(grid.crs());
  const int v_crs = def(kGridMappingVar, NC_INT, {});
  if (!mapping.grid_mapping_name.empty()) text(v_crs, "grid_mapping_name", mapping.grid_mapping_name);
  for (const auto& [att, values] : mapping.parameters) numbers(v_crs, att.c_str(), values);
  text(v_crs, "crs_wkt", mapping.crs_wkt);
  text(v_crs, "proj4_params", mapping.proj4_params);

  // Data variables: float, chunked per time step, deflated.
  auto data = [&](const std::string& name, std::vector<int> dims, std::vector<std::size_t> chunks,
                  const std::string& long_name, const char* standard_name, const char* coordinates) {
    const int var = def(name.c_str(), NC_FLOAT, std::move(dims));
    check(nc_def_var_chunking(nc_, var, NC_CHUNKED, chunks.data()), "nc_def_var_chunking", name);
    if (options_.deflate_level > 0)
      check(nc_def_var_deflate(nc_, var, 1, 1, options_.deflate_level), "nc_def_var_deflate", name);
    // A cache of one chunk: each record is compressed and written when the next one arrives
    // (HDF5's default cache would hold dozens of hours of a 3-D field until close).
    std::size_t chunk_bytes = sizeof(float);
    for (std::size_t n : chunks) chunk_bytes *= n;
    check(nc_set_var_chunk_cache(nc_, var, chunk_bytes, 7, 1.0f), "nc_set_var_chunk_cache", name);
    const float fill = NC_FILL_FLOAT;
    check(nc_def_var_fill(nc_, var, 0, &fill), "nc_def_var_fill", name);
    text(var, "long_name", long_name);
    if (*standard_name != '\0') text(var, "standard_name", standard_name);
    text(var, "units", kUnits);
    text(var, "coordinates", coordinates);
    text(var, "grid_mapping", kGridMappingVar);
    return var;
  };
  const std::vector<std::size_t> chunk2{1, sy, sx};
  var_pm25_ = data("PM25_sfc", {d_time, d_y, d_x}, chunk2, "PM2.5 in the surface layer (reconstructed, see comment)",
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
  check(nc_enddef(nc_), "nc_enddef");

  // Coordinate values.
  std::vector<double> values(sx);
  for (int i = 0; i < nx; ++i) values[static_cast<std::size_t>(i)] = grid.x_centre(i);
  check(nc_put_var_double(nc_, v_x, values.data()), "nc_put_var_double", "x");
  values.resize(sy);
  for (int j = 0; j < ny; ++j) values[static_cast<std::size_t>(j)] = grid.y_centre(j);
  check(nc_put_var_double(nc_, v_y, values.data()), "nc_put_var_double", "y");
  if (options_.fields_3d) {
    values.resize(sz);
    for (int k = 0; k < nz; ++k) values[static_cast<std::size_t>(k)] = grid.z_centre(k);
    check(nc_put_var_double(nc_, v_z, values.data()), "nc_put_var_double", "z");
    values.resize(2 * sz);
    for (int k = 0; k < nz; ++k) {
      values[2 * static_cast<std::size_t>(k)] = grid.z_bottom(k);
      values[2 * static_cast<std::size_t>(k) + 1] = grid.z_top(k);
    }
    check(nc_put_var_double(nc_, v_zb, values.data()), "nc_put_var_double", "z_bnds");
  }
  std::vector<double> lat(sx * sy), lon(sx * sy);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const LonLat p = grid.lonlat(i, j);
      const std::size_t at = static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * sx;
      lat[at] = p.lat;
      lon[at] = p.lon;
    }
  check(nc_put_var_double(nc_, v_lat, lat.data()), "nc_put_var_double", "lat");
  check(nc_put_var_double(nc_, v_lon, lon.data()), "nc_put_var_double", "lon");
  if (options_.tags) {
    std::string names(options_.tag_names.size() * strlen_max, '\0');
    for (std::size_t t = 0; t < options_.tag_names.size(); ++t)
      names.replace(t * strlen_max, options_.tag_names[t].size(), options_.tag_names[t]);
    check(nc_put_var_text(nc_, v_tagname, names.data()), "nc_put_var_text", "tag_name");
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
  check(nc_put_vara_float(nc_, var, start.data(), count.data(), buffer_.data()), "nc_put_vara_float", name);
}

void HourlyNetcdfWriter::write_hour(UtcHour t, const solver::EulerianModel& model) {
  const ErrorContext ctx{path_, 0, ""};
  LANTIAN_CHECK(nc_ >= 0, ctx, "cannot write hour " + format_utc(t) + ": the file is closed");
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

  const double hours = static_cast<double>(t);
  check(nc_put_var1_double(nc_, var_time_, &records_, &hours), "nc_put_var1_double", "time");
  ++records_;
  last_ = t;
}

void HourlyNetcdfWriter::close() {
  if (nc_ < 0) return;
  const int id = nc_;
  nc_ = -1;
  check(nc_close(id), "nc_close");
}

// ---- CSV ----------------------------------------------------------------------------------

std::string station_series_csv(std::span<const UtcHour> times, const std::vector<std::string>& station_ids,
                               const std::vector<std::vector<double>>& series, const TimeZone& tz) {
  LANTIAN_CHECK(series.size() == station_ids.size(), (ErrorContext{"", 0, "station series"}),
                fmt::format("expected one series per station id ({}), found {}", station_ids.size(), series.size()));
  std::vector<std::string> labels;
  labels.reserve(times.size());
  for (UtcHour t : times) labels.push_back(format_local(t, tz));
  std::string o = "time,station,pm25\n";
  for (std::size_t n = 0; n < series.size(); ++n) {
    LANTIAN_CHECK(series[n].size() == times.size(), (ErrorContext{"", 0, "station " + station_ids[n]}),
                  fmt::format("expected {} values (one per time), found {}", times.size(), series[n].size()));
    const std::string id = csv_text(station_ids[n]);
    for (std::size_t h = 0; h < times.size(); ++h) {
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
