// Linear chemistry: the formulas and their sources are at the top of chemistry.hpp.
#include "solver/chemistry.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace lantian::solver {

namespace {

constexpr double kGasConstant = 8.314462618;  ///< J/(mol K), CODATA 2018
constexpr double kDegToRad = 0.017453292519943295;
/// Mozurkewich (1993) eq. 6: ln K = 84.6 − 24220/T − 6.1 ln(T/298).
constexpr double kNitrateVantHoff = 24220.0;  ///< K
constexpr double kNitrateLogT = 6.1;

void check_rate(const ConversionRate& r, const std::string& name) {
  const auto ok = [](double v) { return std::isfinite(v) && v >= 0.0; };
  LANTIAN_CHECK(ok(r.k_photo) && ok(r.k_dark) && ok(r.k_het) && std::isfinite(r.het_theta),
                (ErrorContext{"", 0, "chemistry." + name}),
                "expected finite, non-negative rates k_photo, k_dark, k_het (1/s) and a finite het_theta (K)");
}

/// W(a) = a / (1 − a), proportional to the aerosol liquid water (κ-Köhler).
double water(double rh_percent) noexcept {
  const double a = rh_percent / 100.0;
  return a / (1.0 - a);
}

}  // namespace

void ChemistryParams::validate() const {
  check_rate(sulfate, "sulfate");
  check_rate(nitrate, "nitrate");
  check_rate(soa, "soa");
  LANTIAN_CHECK(rh_deliquescence >= 0.0 && rh_deliquescence < rh_reference && rh_reference <= rh_max &&
                    rh_max < 100.0,
                (ErrorContext{"", 0, "chemistry.rh_reference"}),
                "expected 0 <= rh_deliquescence < rh_reference <= rh_max < 100 %, found " +
                    std::to_string(rh_deliquescence) + ", " + std::to_string(rh_reference) + ", " +
                    std::to_string(rh_max));
  LANTIAN_CHECK(t_reference > 0.0 && nitrate_t50 > 0.0 && std::isfinite(t_reference) && std::isfinite(nitrate_t50),
                (ErrorContext{"", 0, "chemistry.nitrate_t50"}), "expected positive temperatures (K)");
  LANTIAN_CHECK(soa_yield >= 0.0 && soa_yield <= 1.0, (ErrorContext{"", 0, "chemistry.soa_yield"}),
                "expected a mass yield in [0, 1], found " + std::to_string(soa_yield));
  LANTIAN_CHECK(std::isfinite(soa_dh_vap), (ErrorContext{"", 0, "chemistry.soa_dh_vap"}), "expected a finite J/mol");
}

double aerosol_water_factor(double rh, const ChemistryParams& p) noexcept {
  const double r = std::min(rh, p.rh_max);
  if (r <= p.rh_deliquescence) return 0.0;
  return (water(r) - water(p.rh_deliquescence)) / (water(p.rh_reference) - water(p.rh_deliquescence));
}

double nitrate_particle_fraction(double t, const ChemistryParams& p) noexcept {
  // ln(K(T)/K(T50)) = −24220 (1/T − 1/T50) − 6.1 ln(T/T50); f_p = 1 / (1 + K(T)/K(T50)).
  const double log_ratio = -kNitrateVantHoff * (1.0 / t - 1.0 / p.nitrate_t50) - kNitrateLogT * std::log(t / p.nitrate_t50);
  return 1.0 / (1.0 + std::exp(std::min(log_ratio, 700.0)));
}

double soa_yield(double t, const ChemistryParams& p) noexcept {
  return std::min(1.0, p.soa_yield * std::exp(p.soa_dh_vap / kGasConstant * (1.0 / t - 1.0 / p.t_reference)));
}

double conversion_rate(const ConversionRate& r, double mu, double rh, double t, const ChemistryParams& p) noexcept {
  double k = r.k_photo * std::max(mu, 0.0) + r.k_dark;
  if (r.k_het > 0.0) {
    const double g = aerosol_water_factor(rh, p);
    if (g > 0.0) k += r.k_het * g * std::exp(r.het_theta * (1.0 / t - 1.0 / p.t_reference));
  }
  return k;
}

double cos_solar_zenith(double time_h, double lon, double lat) {
  // NOAA Solar Calculator (Global Monitoring Laboratory spreadsheet, after Meeus 1991,
  // "Astronomical Algorithms", ch. 25 and 28), all angles in degrees:
  const double jc = (time_h / 24.0 + 2440587.5 - 2451545.0) / 36525.0;  // Julian centuries since J2000.0
  const double l0 = std::fmod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0);  // geometric mean longitude
  const double m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc);                      // mean anomaly
  const double e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc);                 // orbit eccentricity
  const double mr = m * kDegToRad;
  const double centre = std::sin(mr) * (1.914602 - jc * (0.004817 + 0.000014 * jc)) +
                        std::sin(2.0 * mr) * (0.019993 - 0.000101 * jc) + std::sin(3.0 * mr) * 0.000289;
  const double omega = (125.04 - 1934.136 * jc) * kDegToRad;
  const double lambda = (l0 + centre - 0.00569 - 0.00478 * std::sin(omega)) * kDegToRad;  // apparent longitude
  const double eps0 = 23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0;
  const double eps = (eps0 + 0.00256 * std::cos(omega)) * kDegToRad;                      // obliquity, corrected
  const double decl = std::asin(std::sin(eps) * std::sin(lambda));
  const double y = std::tan(0.5 * eps) * std::tan(0.5 * eps);
  const double l0r = l0 * kDegToRad;
  const double eq_time_min = 4.0 / kDegToRad *
                             (y * std::sin(2.0 * l0r) - 2.0 * e * std::sin(mr) + 4.0 * e * y * std::sin(mr) * std::cos(2.0 * l0r) -
                              0.5 * y * y * std::sin(4.0 * l0r) - 1.25 * e * e * std::sin(2.0 * mr));
  const double minutes = 60.0 * (time_h - 24.0 * std::floor(time_h / 24.0));  // UTC minutes of the day
  const double true_solar_min = std::fmod(minutes + eq_time_min + 4.0 * lon, 1440.0);
  const double hour_angle = (true_solar_min / 4.0 - 180.0) * kDegToRad;
  const double phi = lat * kDegToRad;
  return std::sin(phi) * std::sin(decl) + std::cos(phi) * std::cos(decl) * std::cos(hour_angle);
}

void prepare_chemistry(ChemistryStep& step, const Grid& grid, const meteo::MetState& met, const ChemistryParams& params,
                       const StepTime& time, const RowRange& rows) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  LANTIAN_CHECK(met.nx() == nx && met.ny() == ny && met.nz() == nz, (ErrorContext{"", 0, "chemistry"}),
                "the meteorology's shape differs from the grid's");
  check_rows(rows, ny, "chemistry");
  for (Field3D<double>* f : {&step.so2_loss, &step.nox_loss, &step.voc_loss, &step.so4_gain, &step.no3_gain, &step.soa_gain})
    if (f->nx() != nx || f->ny() != ny || f->nz() != nz) *f = Field3D<double>(nx, ny, nz);
  step.time = time;
  const double t_mid = time.mid_h(), dt = time.dt;
  constexpr double kSulfateRatio = kMolarMassSO4 / kMolarMassSO2;
  constexpr double kNitrateRatio = kMolarMassNO3 / kMolarMassNO2;
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
    const auto tv = met.t.view();
    const auto rv = met.rh.view();
    for (int i = 0; i < nx; ++i) {
      const LonLat ll = grid.lonlat(i, j);
      const double mu = cos_solar_zenith(t_mid, ll.lon, ll.lat);
      for (int k = 0; k < nz; ++k) {
        const double t = tv(i, j, k), rh = rv(i, j, k);
        // T must be positive (1/T below); 0 K is as bad as a NaN.
        const bool t_bad = !(std::isfinite(t) && t > 0.0);
        if (t_bad && !b.found) b = BadValue{true, i, j, k, "temperature (K)", t};
        if (t_bad || flag_bad(b, rh, i, j, k, "relative humidity (%)")) {
          step.so2_loss(i, j, k) = step.nox_loss(i, j, k) = step.voc_loss(i, j, k) = 0.0;
          continue;
        }
        step.so2_loss(i, j, k) = -std::expm1(-conversion_rate(params.sulfate, mu, rh, t, params) * dt);
        step.nox_loss(i, j, k) = -std::expm1(-conversion_rate(params.nitrate, mu, rh, t, params) * dt);
        step.voc_loss(i, j, k) = -std::expm1(-conversion_rate(params.soa, mu, rh, t, params) * dt);
        step.so4_gain(i, j, k) = kSulfateRatio;
        step.no3_gain(i, j, k) = kNitrateRatio * nitrate_particle_fraction(t, params);
        step.soa_gain(i, j, k) = soa_yield(t, params);
      }
    }
  });
  throw_first_bad(bad, "chemistry", time);
}

/// The three paths of a step (precursor -> product, loss and gain fields), after checking the
/// rows and that the step was prepared for this grid.
struct ChemistryPath {
  Species from, to;
  const Field3D<double>* loss;
  const Field3D<double>* gain;
};
std::array<ChemistryPath, 3> chemistry_paths(const ChemistryStep& step, const Grid& grid, const RowRange& rows) {
  check_rows(rows, grid.ny(), "chemistry");
  LANTIAN_CHECK(step.so2_loss.nx() == grid.nx() && step.so2_loss.ny() == grid.ny() && step.so2_loss.nz() == grid.nz(),
                (ErrorContext{"", 0, "chemistry"}), "the chemistry step was not prepared for this grid");
  return {ChemistryPath{Species::so2, Species::so4, &step.so2_loss, &step.so4_gain},
          ChemistryPath{Species::nox, Species::no3, &step.nox_loss, &step.no3_gain},
          ChemistryPath{Species::voc, Species::soa, &step.voc_loss, &step.soa_gain}};
}

ChemistryBudget apply_chemistry(SpeciesFields& c, const ChemistryStep& step, const Grid& grid, const RowRange& rows) {
  const int nx = grid.nx(), nz = grid.nz();
  const std::array<ChemistryPath, 3> paths = chemistry_paths(step, grid, rows);
  const double area = grid.cell_area();
  // Per row: lost and formed mass of each path, µg.
  std::vector<std::array<double, 6>> row_mass(static_cast<std::size_t>(rows.size()), std::array<double, 6>{});
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
    auto& m = row_mass[static_cast<std::size_t>(j - rows.j0)];
    for (std::size_t p = 0; p < paths.size(); ++p) {
      const auto from = c[index(paths[p].from)].view();
      const auto to = c[index(paths[p].to)].view();
      const auto loss = paths[p].loss->view();
      const auto gain = paths[p].gain->view();
      for (int k = 0; k < nz; ++k) {
        const double volume = area * grid.thickness(k);
        double lost = 0.0, formed = 0.0;
        for (int i = 0; i < nx; ++i) {
          const double x = from(i, j, k);
          if (flag_bad(b, x, i, j, k, species_name(paths[p].from)) ||
              flag_bad(b, to(i, j, k), i, j, k, species_name(paths[p].to)))
            continue;
          const double dx = loss(i, j, k) * x;
          const double dp = gain(i, j, k) * dx;
          from(i, j, k) = x - dx;
          to(i, j, k) += dp;
          lost += dx;
          formed += dp;
        }
        m[2 * p] += lost * volume;
        m[2 * p + 1] += formed * volume;
      }
    }
  });
  throw_first_bad(bad, "chemistry", step.time);
  ChemistryBudget out;
  for (const auto& m : row_mass) {
    out.so2_lost += m[0], out.so4_formed += m[1];
    out.nox_lost += m[2], out.no3_formed += m[3];
    out.voc_lost += m[4], out.soa_formed += m[5];
  }
  return out;
}

void apply_chemistry_tags(std::span<SpeciesFields> tags, const ChemistryStep& step, const Grid& grid,
                          const RowRange& rows) {
  if (tags.empty()) return;
  const int nx = grid.nx(), nz = grid.nz();
  const std::array<ChemistryPath, 3> paths = chemistry_paths(step, grid, rows);
  std::vector<std::string> names;
  for (std::size_t t = 0; t < tags.size(); ++t)
    for (Species s : kAllSpecies) names.push_back("tag " + std::to_string(t) + " " + std::string(species_name(s)));
  auto name = [&](std::size_t t, Species s) -> const std::string& { return names[t * kSpeciesCount + index(s)]; };
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  // Blocks of rows, the rows innermost (for_each_row_block): every row still meets its paths,
  // layers and tags in this order.
  for_each_row_block(rows, 8, [&](int ja, int jb) {
    for (const ChemistryPath& p : paths) {
      for (int k = 0; k < nz; ++k) {
        for (std::size_t t = 0; t < tags.size(); ++t) {
          for (int j = ja; j < jb; ++j) {
            BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
            const double* loss = &(*p.loss)(0, j, k);
            const double* gain = &(*p.gain)(0, j, k);
            double* from = &tags[t][index(p.from)](0, j, k);
            double* to = &tags[t][index(p.to)](0, j, k);
            if (flag_bad_row(b, from, nx, j, k, name(t, p.from)) || flag_bad_row(b, to, nx, j, k, name(t, p.to)))
              continue;
            for (int i = 0; i < nx; ++i) {  // apply_chemistry's operations, in its order
              const double x = from[i];
              const double dx = loss[i] * x;
              from[i] = x - dx;
              to[i] += gain[i] * dx;
            }
          }
        }
      }
    }
  });
  throw_first_bad(bad, "chemistry", step.time);
}

}  // namespace lantian::solver
