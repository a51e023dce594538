// Boundaries from a CMAQ CONC/ACONC IOAPI file: see cmaq_boundary.hpp.
#include "solver/cmaq_boundary.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "emissions/ioapi_netcdf.hpp"
#include "solver/regional_boundary.hpp"

namespace lantian::solver {

namespace {

// U.S. Standard Atmosphere 1976.
constexpr double kT0 = 288.15, kP0 = 101325.0, kLapse = 0.0065, kG0 = 9.80665, kMair = 0.0289644;
constexpr double kRstar1976 = 8.31432;
constexpr double kZ11 = 11000.0, kT11 = 216.65;
/// g0 M / (R* L) = 5.255 877.
constexpr double kExponent = kG0 * kMair / (kRstar1976 * kLapse);
/// The molar gas constant (CODATA 2018), J mol-1 K-1, for the ideal-gas air density.
constexpr double kGasConstant = 8.314462618;
/// The surface pressure under a sigma-P column (Pa): the standard sea-level pressure.
constexpr double kSurfacePressure = kP0;

double p11() noexcept { return kP0 * std::pow(kT11 / kT0, kExponent); }

std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

// The default sums (cmaq_boundary.hpp); gases with their molar masses, g/mol.
const std::vector<CmaqTerm>& terms_of(Species s) {
  static const std::array<std::vector<CmaqTerm>, kSpeciesCount> table = [] {
    std::array<std::vector<CmaqTerm>, kSpeciesCount> t;
    auto aerosols = [](std::initializer_list<std::string_view> names) {
      std::vector<CmaqTerm> v;
      for (std::string_view n : names) v.push_back({n, 0.0});
      return v;
    };
    t[index(Species::so2)] = {{"SO2", kMolarMassSO2}};
    t[index(Species::nox)] = {{"NO", kMolarMassNO2}, {"NO2", kMolarMassNO2}};  // NOx as NO2
    t[index(Species::nh3)] = {{"NH3", kMolarMassNH3}};
    // CB6 lumps, MOLWT of GC_cb6r3_ae7_aq.nml (CMAQ v5.3).
    t[index(Species::voc)] = {{"PAR", 14.0},  {"ETHA", 30.1},   {"PRPA", 44.1},    {"MEOH", 32.0}, {"ETH", 28.0},
                              {"ETOH", 46.1}, {"OLE", 42.1},    {"ACET", 58.1},    {"TOL", 92.1},  {"XYLMN", 106.2},
                              {"BENZENE", 78.1}, {"FORM", 30.0}, {"GLY", 58.0},    {"KET", 72.1},  {"ETHY", 26.0},
                              {"ALD2", 44.0}, {"IOLE", 56.1},   {"ALDX", 58.1},    {"ISOP", 68.1}, {"TERP", 136.2},
                              {"NAPH", 128.2}, {"APIN", 136.2}};
    t[index(Species::so4)] = aerosols({"ASO4I", "ASO4J"});
    t[index(Species::no3)] = aerosols({"ANO3I", "ANO3J"});
    t[index(Species::soa)] = aerosols({"ALVOO1I", "ALVOO2I", "ASVOO1I", "ASVOO2I", "AISO1J",  "AISO2J",  "AISO3J",
                                       "AMT1J",   "AMT2J",   "AMT3J",   "AMT4J",   "AMT5J",   "AMT6J",   "AMTNO3J",
                                       "AMTHYDJ", "AGLYJ",   "ASQTJ",   "AORGCJ",  "AOLGBJ",  "AOLGAJ",  "ALVOO1J",
                                       "ALVOO2J", "ASVOO1J", "ASVOO2J", "ASVOO3J", "APCSOJ",  "AAVB1J",  "AAVB2J",
                                       "AAVB3J",  "AAVB4J",  "AALK1J",  "AALK2J",  "AXYL1J",  "AXYL2J",  "AXYL3J",
                                       "ATOL1J",  "ATOL2J",  "ATOL3J",  "ABNZ1J",  "ABNZ2J",  "ABNZ3J",  "APAH1J",
                                       "APAH2J",  "APAH3J",  "ATRP1J",  "ATRP2J"});
    t[index(Species::ppm25)] = aerosols({"ALVPO1I", "ASVPO1I", "ASVPO2I", "APOCI", "APNCOMI", "ALVPO1J", "ASVPO1J",
                                         "ASVPO2J", "APOCJ",   "ASVPO3J", "AIVPO1J", "APNCOMJ", "AECI",   "AECJ",
                                         "AOTHRI",  "AOTHRJ",  "ANAI",    "ANAJ",  "ACLI",    "ACLJ",    "AFEJ",
                                         "ASIJ",    "ATIJ",    "ACAJ",    "AMGJ",  "AMNJ",    "AALJ",    "AKJ"});
    t[index(Species::pmc)] = aerosols({"ASOIL", "ACORS", "ASEACAT", "ACLK", "ASO4K", "ANO3K", "ANH4K"});
    return t;
  }();
  return table[index(s)];
}

bool is_gas(Species s) noexcept {
  return s == Species::so2 || s == Species::nox || s == Species::nh3 || s == Species::voc;
}

/// A variable read into one model species: its id, units factor, and whether it is a gas in ppm.
struct Term {
  std::string name;
  int id = 0;
  bool gas = false;
  double factor = 1.0;      ///< aerosol: to µg/m³; gas: to ppm
  double molar_mass = 0.0;  ///< gas, g/mol
};

using Sample = BoundarySample;

}  // namespace

double StandardAtmosphere::temperature(double z) noexcept { return z <= kZ11 ? kT0 - kLapse * z : kT11; }

double StandardAtmosphere::pressure(double z) noexcept {
  if (z <= kZ11) return kP0 * std::pow((kT0 - kLapse * z) / kT0, kExponent);
  return p11() * std::exp(-kG0 * kMair * (z - kZ11) / (kRstar1976 * kT11));
}

double StandardAtmosphere::height(double p) noexcept {
  if (p >= p11()) return kT0 / kLapse * (1.0 - std::pow(p / kP0, 1.0 / kExponent));
  return kZ11 + kRstar1976 * kT11 / (kG0 * kMair) * std::log(p11() / p);
}

double ppm_to_ugm3(double ppm, double molar_mass, double p, double t) noexcept {
  return ppm * molar_mass * p / (kGasConstant * t);
}

std::vector<CmaqTerm> cmaq_default_terms(Species s) { return terms_of(s); }

bool is_ioapi_file(const NetcdfFile& f) {
  return f.has_att(NetcdfFile::kGlobal, "GDTYP") && f.has_att(NetcdfFile::kGlobal, "VGTYP") && f.var("TFLAG");
}

std::vector<double> ioapi_face_heights(int vgtyp, double vgtop, const std::vector<double>& lv, const std::string& path) {
  std::vector<double> z;
  if (vgtyp == 1 || vgtyp == 2 || vgtyp == 7) {
    LANTIAN_CHECK(std::isfinite(vgtop) && vgtop > 0.0 && vgtop < kSurfacePressure, (ErrorContext{path, 0, "VGTOP"}),
                  "global attribute VGTOP = " + number(vgtop) + ": expected the model top pressure in Pa (e.g. 5000)");
    for (std::size_t k = 0; k < lv.size(); ++k) {
      LANTIAN_CHECK(std::isfinite(lv[k]) && lv[k] >= 0.0 && lv[k] <= 1.0 && (k == 0 || lv[k] < lv[k - 1]),
                    (ErrorContext{path, 0, "VGLVLS"}),
                    "expected sigma levels from the surface (1) decreasing towards the top (0), found " + number(lv[k]) +
                        " at face " + std::to_string(k));
      const double p = lv[k] * (kSurfacePressure - vgtop) + vgtop;
      z.push_back(StandardAtmosphere::height(p));
    }
    return z;
  }
  if (vgtyp == 6) {
    for (std::size_t k = 0; k < lv.size(); ++k)
      LANTIAN_CHECK(std::isfinite(lv[k]) && lv[k] >= 0.0 && (k == 0 || lv[k] > lv[k - 1]),
                    (ErrorContext{path, 0, "VGLVLS"}),
                    "expected heights above ground (m) increasing from the surface, found " + number(lv[k]) +
                        " at face " + std::to_string(k));
    return lv;
  }
  std::string named;
  switch (vgtyp) {
    case 3: named = "VGSIGZ3, sigma-Z"; break;
    case 4: named = "VGPRES3, pressure levels"; break;
    case 5: named = "VGZVAL3, heights above sea level"; break;
    case 8: named = "VGWRFNM, WRF-NMM"; break;
    case -9999: named = "IMISS3, no vertical grid"; break;
    default: named = "not an IOAPI vertical type"; break;
  }
  throw Error(ErrorContext{path, 0, "VGTYP"},
              "global attribute VGTYP = " + std::to_string(vgtyp) + " (" + named +
                  "): expected 1 (VGSGPH3) , 2 (VGSGPN3) or 7 (VGWRFEM) sigma-P, or 6 (VGHVAL3) heights above ground, "
                  "for a file of more than one layer");
}

struct CmaqBoundary::Impl {
  NetcdfFile file;
  std::array<std::vector<Term>, kSpeciesCount> terms;
  std::optional<int> pres, ta;  ///< the file's PRES (Pa) and TA (K), when both are there
  emissions::IoapiGrid g;
  std::size_t fx0 = 0, fx1 = 0, fy0 = 0, fy1 = 0;  ///< the file box read (inclusive)
  int nx = 0, ny = 0, nz = 0;
  std::vector<double> xc, yc;  ///< the file's cell centres
  struct Level {
    std::size_t iz0 = 0, iz1 = 0;
    double w = 0.0;
  };
  std::vector<Level> levels;    ///< per model layer (files of several layers)
  std::vector<double> profile;  ///< per model layer (one-layer files)
  std::array<std::vector<Sample>, kLateralSides> samples;
  explicit Impl(const std::string& path) : file(path) {}
};

CmaqBoundary::CmaqBoundary(const std::string& path, const Grid& grid, CmaqBoundaryOptions options)
    : impl_(std::make_unique<Impl>(path)) {
  Impl& m = *impl_;
  const NetcdfFile& f = m.file;
  m.nx = grid.nx(), m.ny = grid.ny(), m.nz = grid.nz();
  LANTIAN_CHECK(std::isfinite(options.surface_depth_m) && options.surface_depth_m >= 0.0 &&
                    std::isfinite(options.scale_height_m) && options.scale_height_m > 0.0,
                (ErrorContext{path, 0, "surface profile"}), "expected surface_depth_m >= 0 and scale_height_m > 0");
  m.g = emissions::read_ioapi_grid(f);
  const emissions::IoapiGrid& g = m.g;

  // The variables of each species, all on (TSTEP, LAY=NLAYS, ROW=NROWS, COL=NCOLS).
  std::size_t nt = 0;
  std::string first;
  auto check_shape = [&](int id, const std::string& name) {
    const std::vector<int> d = f.dims(id);
    const bool shape = d.size() == 4 && f.dim_len(d[1]) == g.nlays && f.dim_len(d[2]) == g.nrows &&
                       f.dim_len(d[3]) == g.ncols && f.dim_len(d[0]) >= 1;
    std::string expected = "expected dimensions (TSTEP, LAY=" + std::to_string(g.nlays);
    expected += ", ROW=" + std::to_string(g.nrows);
    expected += ", COL=" + std::to_string(g.ncols);
    expected += ") as NLAYS, NROWS, NCOLS say";
    LANTIAN_CHECK(shape, (ErrorContext{path, 0, name}), expected);
    if (first.empty()) first = name, nt = f.dim_len(d[0]);
    LANTIAN_CHECK(f.dim_len(d[0]) == nt, (ErrorContext{path, 0, name}),
                  "expected " + std::to_string(nt) + " time steps as " + first);
  };
  bool any_aerosol = false;
  for (Species s : kAllSpecies) {
    const std::string& spec = options.species[index(s)];
    std::vector<CmaqTerm> wanted;
    std::vector<std::string> names;
    if (!trim(spec).empty()) {
      names = emissions::ioapi_summands(spec);
      for (const std::string& n : names) {
        double mm = 0.0;
        if (s == Species::voc) {
          for (const CmaqTerm& t : terms_of(s))
            if (t.name == n) mm = t.molar_mass;
        } else if (is_gas(s)) {
          mm = terms_of(s).front().molar_mass;
        }
        wanted.push_back({n, mm});
      }
    } else {
      wanted = terms_of(s);
    }
    for (std::size_t k = 0; k < wanted.size(); ++k) {
      const std::string name(wanted[k].name);
      const auto id = f.var(name);
      if (!id) {
        if (names.empty()) continue;  // a default name this mechanism does not have
        std::string msg = "missing the variable ";
        msg += name;
        msg += " named for ";
        msg += species_name(s);
        msg += " in [model.boundary] variables (the file has: ";
        msg += emissions::ioapi_variable_list(f);
        msg += ")";
        throw Error(ErrorContext{path, 0, name}, msg);
      }
      check_shape(*id, name);
      Term t;
      t.name = name, t.id = *id;
      const std::string units = emissions::ioapi_text(f, *id, "units");
      const std::string u = ascii_lower(units);
      if (u == "ppmv" || u == "ppm" || u == "ppbv" || u == "ppb") {
        if (wanted[k].molar_mass <= 0.0) {
          std::string msg = "a mixing ratio (" + units;
          msg += ") for ";
          msg += species_name(s);
          msg += is_gas(s) ? ": not one of the CB6 VOC lumps whose molar mass is known (PAR, ETHA, ... APIN)"
                           : ": expected an aerosol mass concentration (ug m-3)";
          throw Error(ErrorContext{path, 0, name + ":units"}, msg);
        }
        t.gas = true;
        t.factor = u.starts_with("ppb") ? 1e-3 : 1.0;
        t.molar_mass = wanted[k].molar_mass;
      } else {
        // A mass concentration (aerosols; a gas already in ug m-3, e.g. combine's SO2_UGM3).
        t.factor = mass_concentration_factor(units, ErrorContext{path, 0, name + ":units"});
        any_aerosol = any_aerosol || !is_gas(s);
      }
      m.terms[index(s)].push_back(std::move(t));
    }
  }
  if (!any_aerosol) {
    std::string msg = "no CMAQ aerosol species (ASO4I, ASO4J, ANO3J, APOCJ, AECJ, ...): expected a CMAQ CONC or ACONC "
                      "file of an AE6/AE7 mechanism (the file has: ";
    msg += emissions::ioapi_variable_list(f);
    msg += ")";
    throw Error(ErrorContext{path, 0, "VAR-LIST"}, msg);
  }
  if (const auto p = f.var("PRES"), t = f.var("TA"); p && t) {
    check_shape(*p, "PRES");
    check_shape(*t, "TA");
    m.pres = *p, m.ta = *t;
  }

  // Times.
  times_ = emissions::read_ioapi_steps(f, nt).start;

  // Layers: heights of the faces, the layer centres, and the model layers' brackets.
  if (g.nlays == 1) {
    // The layer's height from its two faces where the vertical grid says them (for the standard
    // atmosphere's p and T), else the ground.
    const auto vgtyp = f.num_att(NetcdfFile::kGlobal, "VGTYP");
    const std::vector<double> lv = f.numbers(NetcdfFile::kGlobal, "VGLVLS");
    const int vt = vgtyp ? static_cast<int>(*vgtyp) : -9999;
    layer_z_ = {0.0};
    if (lv.size() == 2 && (vt == 1 || vt == 2 || vt == 6 || vt == 7)) {
      const std::vector<double> faces =
          ioapi_face_heights(vt, f.num_att(NetcdfFile::kGlobal, "VGTOP").value_or(-1.0), lv, path);
      layer_z_ = {0.5 * (faces[0] + faces[1])};
    }
    for (int k = 0; k < m.nz; ++k)
      m.profile.push_back(surface_profile_factor(grid.z_centre(k), options.surface_depth_m, options.scale_height_m));
  } else {
    const auto vgtyp = f.num_att(NetcdfFile::kGlobal, "VGTYP");
    LANTIAN_CHECK(vgtyp.has_value(), (ErrorContext{path, 0, "VGTYP"}), "missing global attribute VGTYP (the vertical grid)");
    const std::vector<double> lv = f.numbers(NetcdfFile::kGlobal, "VGLVLS");
    LANTIAN_CHECK(lv.size() == g.nlays + 1, (ErrorContext{path, 0, "VGLVLS"}),
                  "expected NLAYS + 1 = " + std::to_string(g.nlays + 1) + " layer faces, found " + std::to_string(lv.size()));
    const std::vector<double> faces = ioapi_face_heights(static_cast<int>(*vgtyp),
                                                         f.num_att(NetcdfFile::kGlobal, "VGTOP").value_or(-1.0), lv, path);
    for (std::size_t k = 0; k < g.nlays; ++k) layer_z_.push_back(0.5 * (faces[k] + faces[k + 1]));
    for (int k = 0; k < m.nz; ++k) {
      std::size_t iz = 0;
      double wz = 0.0;
      locate_interval(layer_z_, grid.z_centre(k), true, iz, wz);
      m.levels.push_back({iz, std::min(iz + 1, layer_z_.size() - 1), wz});
    }
  }

  // Horizontal: the file's centres, the boundary cells in the file's coordinates.
  for (std::size_t c = 0; c < g.ncols; ++c) m.xc.push_back(g.x_centre(c));
  for (std::size_t r = 0; r < g.nrows; ++r) m.yc.push_back(g.y_centre(r));
  std::optional<Grid> file_crs;
  if (!g.geographic) {
    GridSpec s;
    s.crs = g.crs;
    s.nx = s.ny = 1, s.dx = s.dy = 1.0, s.layer_tops = {1.0};
    file_crs.emplace(std::move(s));
  }
  m.samples = sample_boundary_cells(grid, m.xc, m.yc, file_crs ? &*file_crs : nullptr, path, "XORIG/YORIG",
                                    "the cell centres COL", "ROW");
  std::size_t ix_lo = m.xc.size(), ix_hi = 0, iy_lo = m.yc.size(), iy_hi = 0;
  for (const auto& side : m.samples)
    for (const Sample& smp : side) {
      ix_lo = std::min(ix_lo, smp.ix), ix_hi = std::max(ix_hi, std::min(smp.ix + 1, m.xc.size() - 1));
      iy_lo = std::min(iy_lo, smp.iy), iy_hi = std::max(iy_hi, std::min(smp.iy + 1, m.yc.size() - 1));
    }
  m.fx0 = ix_lo, m.fx1 = ix_hi, m.fy0 = iy_lo, m.fy1 = iy_hi;
}

CmaqBoundary::~CmaqBoundary() = default;

std::vector<std::string> CmaqBoundary::variables() const {
  std::vector<std::string> out;
  for (Species s : kAllSpecies) {
    const auto& terms = impl_->terms[index(s)];
    if (terms.empty()) continue;
    std::string v(species_name(s));
    v += '=';
    for (std::size_t k = 0; k < terms.size(); ++k) {
      if (k > 0) v += '+';
      v += terms[k].name;
    }
    out.push_back(std::move(v));
  }
  return out;
}

BoundaryValues CmaqBoundary::at(UtcHour t) const {
  const Impl& m = *impl_;
  const std::string& path = m.file.path();
  const auto [n0, n1, a] = bracket_time(times_, t, path);
  const std::size_t bx = m.fx1 - m.fx0 + 1, by = m.fy1 - m.fy0 + 1, nl = m.g.nlays;
  const std::size_t box = bx * by * nl;
  auto read = [&](int id, std::size_t n) { return m.file.read(id, {n, 0, m.fy0, m.fx0}, {1, nl, by, bx}); };
  // The species' concentrations (µg/m³) on the box at step n, [species][i + bx (j + by k)].
  auto step = [&](std::size_t n) {
    std::vector<double> p(box), temp(box);
    if (m.pres) {
      p = read(*m.pres, n), temp = read(*m.ta, n);
      for (std::size_t c = 0; c < box; ++c)
        if (!(std::isfinite(p[c]) && p[c] > 0.0 && std::isfinite(temp[c]) && temp[c] > 0.0))
          throw Error(ErrorContext{path, 0, "PRES/TA[" + std::to_string(n) + "]"},
                      "expected a positive pressure (Pa) and temperature (K), found " + number(p[c]) + ", " +
                          number(temp[c]));
    } else {
      for (std::size_t c = 0; c < box; ++c) {
        const double z = layer_z_[c / (bx * by)];
        p[c] = StandardAtmosphere::pressure(z), temp[c] = StandardAtmosphere::temperature(z);
      }
    }
    std::array<std::vector<double>, kSpeciesCount> out;
    for (Species s : kAllSpecies) {
      std::vector<double>& dst = out[index(s)];
      dst.assign(box, 0.0);
      for (const Term& term : m.terms[index(s)]) {
        const std::vector<double> raw = read(term.id, n);
        for (std::size_t c = 0; c < box; ++c) {
          const double v = term.gas ? ppm_to_ugm3(raw[c] * term.factor, term.molar_mass, p[c], temp[c]) : raw[c] * term.factor;
          if (!(std::isfinite(v) && v >= 0.0) || !is_plausible(Quantity::boundary_concentration, v)) {
            std::ostringstream where;
            where << term.name << "[TSTEP " << n << ", LAY " << c / (bx * by) << ", ROW " << m.fy0 + c / bx % by
                  << ", COL " << m.fx0 + c % bx << "]";
            const std::string what = !(std::isfinite(v) && v >= 0.0)
                                         ? "expected a finite, non-negative concentration, found " + number(v) + " µg/m³"
                                         : implausible_message(Quantity::boundary_concentration, v);
            throw Error(ErrorContext{path, 0, where.str()}, what + " at " + format_utc(times_[n]));
          }
          dst[c] += v;
        }
      }
    }
    return out;
  };
  const auto s0 = step(n0);
  const auto s1 = n1 == n0 ? s0 : step(n1);
  auto horizontal = [&](const std::vector<double>& s, const Sample& q, std::size_t iz) {
    const std::size_t ix1 = std::min(q.ix + 1, m.xc.size() - 1), iy1 = std::min(q.iy + 1, m.yc.size() - 1);
    auto at = [&](std::size_t i, std::size_t j) { return s[(i - m.fx0) + bx * ((j - m.fy0) + by * iz)]; };
    return (1.0 - q.wy) * ((1.0 - q.wx) * at(q.ix, q.iy) + q.wx * at(ix1, q.iy)) +
           q.wy * ((1.0 - q.wx) * at(q.ix, iy1) + q.wx * at(ix1, iy1));
  };
  auto column = [&](const std::vector<double>& s, const Sample& q, int k) {
    if (nl == 1) return m.profile[static_cast<std::size_t>(k)] * horizontal(s, q, 0);
    const Impl::Level& l = m.levels[static_cast<std::size_t>(k)];
    return (1.0 - l.w) * horizontal(s, q, l.iz0) + l.w * horizontal(s, q, l.iz1);
  };
  BoundaryValues out(m.nx, m.ny, m.nz);
  for (Side side : kAllLateralSides) {
    const auto& samples = m.samples[static_cast<std::size_t>(side)];
    for (Species sp : kAllSpecies)
      for (int k = 0; k < m.nz; ++k)
        for (std::size_t c = 0; c < samples.size(); ++c) {
          const double v0 = column(s0[index(sp)], samples[c], k);
          const double v1 = n1 == n0 ? v0 : column(s1[index(sp)], samples[c], k);
          out(side, sp, static_cast<int>(c), k) = (1.0 - a) * v0 + a * v1;
        }
  }
  return out;
}

}  // namespace lantian::solver
