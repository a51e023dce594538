// Grid geometry, the PROJ transformation between the grid CRS and WGS 84 lon/lat, and the CRS
// described for CF (cf_grid_mapping).
#include "core/grid.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <numbers>
#include <string_view>
#include <utility>

#include <proj.h>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/text.hpp"

namespace lantian {

namespace {

std::string number(double v) {
  std::string s = std::to_string(v);
  // std::to_string prints 6 decimals; trim trailing zeros for readable messages.
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

// ---- GridSpec -------------------------------------------------------------------------------

void GridSpec::validate(const SourceMap& source, std::string_view prefix) const {
  const std::string p(prefix);
  auto ctx = [&](const std::string& field) { return source.context(p.empty() ? field : p + "." + field); };
  LANTIAN_CHECK(nx > 0, ctx("nx"), "expected a positive number of cells along x, found " + std::to_string(nx));
  LANTIAN_CHECK(ny > 0, ctx("ny"), "expected a positive number of cells along y, found " + std::to_string(ny));
  LANTIAN_CHECK(std::isfinite(dx) && dx > 0, ctx("dx"), "expected a positive cell width, found " + number(dx));
  LANTIAN_CHECK(std::isfinite(dy) && dy > 0, ctx("dy"), "expected a positive cell height, found " + number(dy));
  LANTIAN_CHECK(std::isfinite(x0), ctx("x0"), "expected a finite x of the lower-left corner, found " + number(x0));
  LANTIAN_CHECK(std::isfinite(y0), ctx("y0"), "expected a finite y of the lower-left corner, found " + number(y0));
  LANTIAN_CHECK(!layer_tops.empty(), ctx("layer_tops"),
                "expected at least one layer top (m above ground), found an empty list");
  for (std::size_t k = 0; k < layer_tops.size(); ++k) {
    const double top = layer_tops[k];
    const std::string field = "layer_tops[" + std::to_string(k) + "]";
    LANTIAN_CHECK(std::isfinite(top) && top > 0, ctx(field),
                  "expected a positive layer top in m above ground, found " + number(top));
    LANTIAN_CHECK(k == 0 || top > layer_tops[k - 1], ctx(field),
                  "expected layer tops strictly increasing, found " + number(top) + " after " +
                      number(k == 0 ? 0.0 : layer_tops[k - 1]));
  }
}

// ---- PROJ wrapper ---------------------------------------------------------------------------

namespace {

struct PjDeleter {
  void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
struct ContextDeleter {
  void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
};
/// An owned PJ*, destroyed with proj_destroy.
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

void log_to_string(void* app_data, int level, const char* msg) {
  if (level <= PJ_LOG_ERROR && msg) *static_cast<std::string*>(app_data) = msg;
}

}  // namespace

struct Grid::Proj {
  explicit Proj(const std::string& crs_text);

  LonLat to_lonlat(XY p);
  XY project(LonLat q);

  std::string crs;
  std::string last_error;  ///< PROJ's last logged error message
  std::unique_ptr<PJ_CONTEXT, ContextDeleter> ctx;
  PjPtr op;  ///< grid CRS -> EPSG:4326, normalised to (x, y) -> (lon, lat)
  bool geographic = false;
  std::mutex mutex;  ///< a PJ and its context are not safe for concurrent use

 private:
  [[noreturn]] void fail(const std::string& what);
  std::string proj_message(int err);
};

std::string Grid::Proj::proj_message(int err) {
  if (!last_error.empty()) return last_error;
  if (err != 0) {
    if (const char* s = proj_context_errno_string(ctx.get(), err)) return s;
  }
  return "unknown PROJ error";
}

void Grid::Proj::fail(const std::string& what) {
  std::string m = "CRS '";
  m += crs;
  m += "': ";
  m += what;
  throw Error(m);
}

Grid::Proj::Proj(const std::string& crs_text) : crs(crs_text), ctx(proj_context_create()) {
  if (!ctx) fail("cannot create a PROJ context");
  PJ_CONTEXT* c = ctx.get();
  proj_log_func(c, &last_error, &log_to_string);
  proj_log_level(c, PJ_LOG_ERROR);
  auto error_text = [&] { return proj_message(proj_context_errno(c)); };

  LANTIAN_CHECK(!crs.empty(), (ErrorContext{"", 0, "CRS"}),
                "expected a CRS (a PROJ string like \"+proj=lcc ...\" or \"EPSG:nnnn\"), found an empty string");
  PjPtr source(proj_create(c, crs.c_str()));
  if (source && !proj_is_crs(source.get()) && crs.find("+proj=") != std::string::npos) {
    // A bare PROJ string describes a conversion; "+type=crs" makes it a CRS.
    last_error.clear();
    source.reset(proj_create(c, (crs + " +type=crs").c_str()));
  }
  if (!source) fail("PROJ cannot read it: " + error_text());
  if (!proj_is_crs(source.get())) fail("PROJ reads it as an operation, not a coordinate reference system");

  // A BoundCRS (+towgs84=...) is judged by its base CRS.
  PjPtr base;
  const PJ* judged = source.get();
  if (proj_get_type(judged) == PJ_TYPE_BOUND_CRS) {
    base.reset(proj_get_source_crs(c, judged));
    if (!base) fail("cannot read the base CRS: " + error_text());
    judged = base.get();
  }
  const PJ_TYPE type = proj_get_type(judged);
  if (type == PJ_TYPE_GEOGRAPHIC_2D_CRS) {
    geographic = true;
  } else if (type == PJ_TYPE_PROJECTED_CRS) {
    const PjPtr cs(proj_crs_get_coordinate_system(c, judged));
    if (!cs) fail("cannot read the coordinate system: " + error_text());
    const int naxes = proj_cs_get_axis_count(c, cs.get());
    for (int a = 0; a < naxes; ++a) {
      double factor = 0.0;
      const char* unit = nullptr;
      if (!proj_cs_get_axis_info(c, cs.get(), a, nullptr, nullptr, nullptr, &factor, &unit, nullptr, nullptr))
        fail("cannot read axis " + std::to_string(a) + ": " + error_text());
      if (std::abs(factor - 1.0) > 1e-12)
        fail(std::string("expected axes in metres, found ") + (unit ? unit : "another unit"));
    }
  } else {
    const char* name = proj_get_name(judged);
    fail(std::string("expected a projected CRS in metres or a 2-D geographic CRS in degrees, found ") +
         (name ? std::string(1, '\'').append(name).append(1, '\'') : std::string("another kind of CRS")));
  }

  const PjPtr wgs84(proj_create(c, "EPSG:4326"));
  if (!wgs84) fail("cannot create EPSG:4326 (is PROJ's proj.db installed?): " + error_text());
  const PjPtr raw(proj_create_crs_to_crs_from_pj(c, source.get(), wgs84.get(), nullptr, nullptr));
  if (!raw) fail("no transformation to WGS 84 lon/lat: " + error_text());
  op.reset(proj_normalize_for_visualization(c, raw.get()));
  if (!op) fail("cannot normalise the axis order: " + error_text());
}

LonLat Grid::Proj::to_lonlat(XY p) {
  const std::lock_guard<std::mutex> lock(mutex);
  proj_errno_reset(op.get());
  last_error.clear();
  const PJ_COORD r = proj_trans(op.get(), PJ_FWD, proj_coord(p.x, p.y, 0, 0));
  if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || r.xy.x == HUGE_VAL)
    fail("cannot transform x=" + number(p.x) + " y=" + number(p.y) + " to lon/lat: " + proj_message(proj_errno(op.get())));
  return {r.xy.x, r.xy.y};
}

XY Grid::Proj::project(LonLat q) {
  const std::lock_guard<std::mutex> lock(mutex);
  proj_errno_reset(op.get());
  last_error.clear();
  const PJ_COORD r = proj_trans(op.get(), PJ_INV, proj_coord(q.lon, q.lat, 0, 0));
  if (!std::isfinite(r.xy.x) || !std::isfinite(r.xy.y) || r.xy.x == HUGE_VAL)
    fail("cannot project lon=" + number(q.lon) + " lat=" + number(q.lat) + ": " + proj_message(proj_errno(op.get())));
  return {r.xy.x, r.xy.y};
}

void check_crs(const std::string& crs) {
  // Building the transformation is the check; the temporary is destroyed at once.
  (void)std::make_unique<Grid::Proj>(crs);
}

// ---- CF grid mapping -----------------------------------------------------------------------

namespace {

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

}  // namespace

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

// ---- Grid -----------------------------------------------------------------------------------

Grid::Grid(GridSpec spec) : spec_(std::move(spec)) {
  spec_.validate();
  proj_ = std::make_unique<Proj>(spec_.crs);
  geographic_ = proj_->geographic;
  centres_.reserve(static_cast<std::size_t>(spec_.nx) * static_cast<std::size_t>(spec_.ny));
  for (int j = 0; j < spec_.ny; ++j)
    for (int i = 0; i < spec_.nx; ++i) centres_.push_back(proj_->to_lonlat({x_centre(i), y_centre(j)}));
}

Grid::Grid(const Grid& other)
    : spec_(other.spec_),
      geographic_(other.geographic_),
      proj_(std::make_unique<Proj>(other.spec_.crs)),
      centres_(other.centres_) {}

Grid& Grid::operator=(const Grid& other) {
  if (this != &other) *this = Grid(other);
  return *this;
}

Grid::Grid(Grid&&) noexcept = default;
Grid& Grid::operator=(Grid&&) noexcept = default;
Grid::~Grid() = default;

CfGridMapping Grid::cf_grid_mapping() const { return lantian::cf_grid_mapping(spec_.crs); }

LonLat Grid::to_lonlat(XY p) const { return proj_->to_lonlat(p); }

XY Grid::project(double lon, double lat) const { return proj_->project({lon, lat}); }

std::optional<CellIndex> Grid::cell_of(double x, double y) const noexcept {
  const double fi = std::floor((x - spec_.x0) / spec_.dx);
  const double fj = std::floor((y - spec_.y0) / spec_.dy);
  if (!(fi >= 0 && fi < spec_.nx && fj >= 0 && fj < spec_.ny)) return std::nullopt;
  return CellIndex{static_cast<int>(fi), static_cast<int>(fj)};
}

int Grid::layer_of(double z) const noexcept {
  if (!(z >= 0)) return -1;
  for (int k = 0; k < nz(); ++k)
    if (z <= z_top(k)) return k;
  return -1;
}

CfAxis cf_axis_of(const NetcdfFile& f, int v) {
  const std::string units = ascii_lower(f.text_att(v, "units"));
  const std::string sn = ascii_lower(f.text_att(v, "standard_name"));
  const std::string ax = ascii_lower(f.text_att(v, "axis"));
  if (sn == "longitude" || units == "degrees_east" || units == "degree_east" || units == "degrees_e" ||
      units == "degree_e" || units == "degreee")
    return CfAxis::lon;
  if (sn == "latitude" || units == "degrees_north" || units == "degree_north" || units == "degrees_n" ||
      units == "degree_n" || units == "degreen")
    return CfAxis::lat;
  if (sn == "projection_x_coordinate" || (ax == "x" && (units == "m" || units == "km"))) return CfAxis::x;
  if (sn == "projection_y_coordinate" || (ax == "y" && (units == "m" || units == "km"))) return CfAxis::y;
  return CfAxis::other;
}

std::string crs_of_cf_grid_mapping(const NetcdfFile& f, int gm, const std::string& data_var) {
  for (const char* a : {"crs_wkt", "spatial_ref", "proj4", "proj4text", "proj4_params", "proj_params"}) {
    const std::string s = f.text_att(gm, a);
    if (!s.empty()) return s;
  }
  const std::string name = ascii_lower(f.text_att(gm, "grid_mapping_name"));
  const auto num = [&](const char* a, double def) { return f.num_att(gm, a).value_or(def); };
  const auto str = [](double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return std::string(buf);
  };
  std::string earth = " +datum=WGS84";
  if (const auto r = f.num_att(gm, "earth_radius")) {
    earth = " +R=" + str(*r);
  } else if (const auto a = f.num_att(gm, "semi_major_axis")) {
    earth = " +a=" + str(*a);
    if (const auto rf = f.num_att(gm, "inverse_flattening")) earth += " +rf=" + str(*rf);
    else if (const auto b = f.num_att(gm, "semi_minor_axis")) earth += " +b=" + str(*b);
    else earth = " +R=" + str(*a);
  }
  std::string fe = " +x_0=" + str(num("false_easting", 0.0));
  fe += " +y_0=" + str(num("false_northing", 0.0));
  const double lon0 = f.num_att(gm, "longitude_of_central_meridian")
                          .value_or(f.num_att(gm, "longitude_of_projection_origin")
                                        .value_or(num("straight_vertical_longitude_from_pole", 0.0)));
  const double lat0 = num("latitude_of_projection_origin", 0.0);
  const std::vector<double> sp = f.numbers(gm, "standard_parallel");
  const auto parallels = [&]() {
    LANTIAN_CHECK(!sp.empty(), (ErrorContext{f.path(), 0, f.var_name(gm)}),
                  "expected the attribute standard_parallel for grid_mapping_name " + name);
    std::string p = " +lat_1=" + str(sp[0]);
    p += " +lat_2=" + str(sp.size() > 1 ? sp[1] : sp[0]);
    return p;
  };
  std::string common = " +lon_0=" + str(lon0);
  common += fe;
  common += earth;
  common += " +units=m +no_defs";
  std::string out;
  if (name == "lambert_conformal_conic" || name == "albers_conical_equal_area") {
    out = name == "lambert_conformal_conic" ? "+proj=lcc" : "+proj=aea";
    out += parallels();
    out += " +lat_0=" + str(lat0);
  } else if (name == "transverse_mercator") {
    out = "+proj=tmerc +lat_0=" + str(lat0);
    out += " +k_0=" + str(num("scale_factor_at_central_meridian", 1.0));
  } else if (name == "mercator") {
    out = sp.empty() ? "+proj=merc +k_0=" + str(num("scale_factor_at_projection_origin", 1.0))
                     : "+proj=merc +lat_ts=" + str(sp[0]);
  } else if (name == "polar_stereographic") {
    out = "+proj=stere +lat_0=" + str(lat0);
    out += sp.empty() ? " +k_0=" + str(num("scale_factor_at_projection_origin", 1.0)) : " +lat_ts=" + str(sp[0]);
  } else {
    std::string msg = "grid_mapping \"";
    msg += f.var_name(gm);
    msg += "\" has grid_mapping_name \"";
    msg += name;
    msg += "\": expected crs_wkt, proj4 or one of lambert_conformal_conic, albers_conical_equal_area, "
           "transverse_mercator, mercator, polar_stereographic";
    throw Error(ErrorContext{f.path(), 0, data_var}, msg);
  }
  out += common;
  return out;
}

}  // namespace lantian
