// Dry deposition and wet scavenging: the formulas and their sources are at the top of deposition.hpp.
#include "solver/deposition.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "meteo/boundary_layer.hpp"

namespace lantian::solver {

namespace {
constexpr double kStableZetaMax = 1.0;  ///< the Businger-Dyer stable form is used up to z/L = 1
}  // namespace

void DepositionParams::validate() const {
  for (Species s : kAllSpecies) {
    const std::string name(species_name(s));
    const double vd = dry_velocity[index(s)], a = wet_a[index(s)], b = wet_b[index(s)];
    LANTIAN_CHECK(std::isfinite(vd) && vd >= 0.0, (ErrorContext{"", 0, "deposition.dry_velocity[" + name + "]"}),
                  "expected a finite, non-negative velocity (m/s), found " + std::to_string(vd));
    LANTIAN_CHECK(std::isfinite(a) && a >= 0.0, (ErrorContext{"", 0, "deposition.wet_a[" + name + "]"}),
                  "expected a finite, non-negative coefficient (1/s), found " + std::to_string(a));
    LANTIAN_CHECK(std::isfinite(b) && b >= 0.0, (ErrorContext{"", 0, "deposition.wet_b[" + name + "]"}),
                  "expected a finite, non-negative exponent, found " + std::to_string(b));
  }
  LANTIAN_CHECK(std::isfinite(z0) && z0 > 0.0, (ErrorContext{"", 0, "deposition.z0"}),
                "expected a positive roughness length (m), found " + std::to_string(z0));
  LANTIAN_CHECK(!std::isnan(wet_top), (ErrorContext{"", 0, "deposition.wet_top"}), "expected a height (m), found NaN");
}

double psi_heat(double zeta) noexcept {
  if (zeta >= 0.0) return -5.0 * std::min(zeta, kStableZetaMax);
  const double x = std::pow(1.0 - 16.0 * zeta, 0.25);
  return 2.0 * std::log(0.5 * (1.0 + x * x));
}

double aerodynamic_resistance(double z, double z0, double ustar, double obukhov) noexcept {
  if (!(ustar > 0.0)) return std::numeric_limits<double>::infinity();
  const double ra = (std::log(z / z0) - psi_heat(z / obukhov) + psi_heat(z0 / obukhov)) / (meteo::kVonKarman * ustar);
  return std::max(ra, 0.0);
}

double scavenging_coefficient(Species s, double precip_mm_h, const DepositionParams& p) noexcept {
  if (!(precip_mm_h > 0.0)) return 0.0;
  return p.wet_a[index(s)] * std::pow(precip_mm_h, p.wet_b[index(s)]);
}

void prepare_deposition(DepositionStep& step, const Grid& grid, const meteo::MetState& met,
                        const DepositionParams& params, const StepTime& time, const RowRange& rows) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  LANTIAN_CHECK(met.nx() == nx && met.ny() == ny && met.nz() == nz, (ErrorContext{"", 0, "deposition"}),
                "the meteorology's shape differs from the grid's");
  check_rows(rows, ny, "deposition");
  const double z_ref = grid.z_centre(0), dz0 = grid.thickness(0);
  LANTIAN_CHECK(!params.use_resistance || params.z0 < z_ref, (ErrorContext{"", 0, "deposition.z0"}),
                "expected z0 below the centre of the surface layer (" + std::to_string(z_ref) + " m), found " +
                    std::to_string(params.z0) + " m");
  for (auto* set : {&step.surface_loss, &step.dry_share, &step.column_loss, &step.velocity})
    for (auto& f : *set)
      if (f.nx() != nx || f.ny() != ny) f = Field2D<double>(nx, ny);
  step.wet_layers = 0;
  while (step.wet_layers < nz && grid.z_centre(step.wet_layers) < params.wet_top) ++step.wet_layers;
  step.time = time;
  const double dt = time.dt;
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
    for (int i = 0; i < nx; ++i) {
      const double precip = met.precip(i, j);
      bool ok = !flag_bad(b, precip, i, j, 0, "precipitation (mm/h)");
      double ra = 0.0;
      if (params.use_resistance) {
        const double ustar = met.ustar(i, j), obukhov = met.obukhov(i, j);
        ok = !flag_bad(b, ustar, i, j, 0, "friction velocity u* (m/s)") && ok;
        if (std::isnan(obukhov)) {
          if (!b.found) b = BadValue{true, i, j, 0, "Obukhov length (m)", obukhov};
          ok = false;
        }
        if (ok) ra = aerodynamic_resistance(z_ref, params.z0, ustar, obukhov);
      }
      for (Species s : kAllSpecies) {
        const std::size_t n = index(s);
        if (!ok) {
          step.surface_loss[n](i, j) = step.column_loss[n](i, j) = step.velocity[n](i, j) = 0.0;
          step.dry_share[n](i, j) = 1.0;
          continue;
        }
        const double vs = params.dry_velocity[n];
        // vd = 1/(Ra + 1/vs); vs = 0 gives 0, Ra = ∞ gives 0.
        const double vd = params.use_resistance ? (vs > 0.0 ? 1.0 / (ra + 1.0 / vs) : 0.0) : vs;
        step.velocity[n](i, j) = vd;
        const double kd = params.dry ? vd / dz0 : 0.0;
        const double lambda = step.wet_layers > 0 ? scavenging_coefficient(s, precip, params) : 0.0;
        const double total = kd + lambda;
        step.surface_loss[n](i, j) = -std::expm1(-total * dt);
        step.dry_share[n](i, j) = total > 0.0 ? kd / total : 1.0;
        step.column_loss[n](i, j) = -std::expm1(-lambda * dt);
      }
    }
  });
  throw_first_bad(bad, "deposition", time);
}

DepositionBudget apply_deposition(SpeciesFields& c, const DepositionStep& step, const Grid& grid, const RowRange& rows,
                                  DepositionMaps* maps) {
  const int nx = grid.nx(), ny = grid.ny();
  check_rows(rows, ny, "deposition");
  LANTIAN_CHECK(step.surface_loss[0].nx() == nx && step.surface_loss[0].ny() == ny, (ErrorContext{"", 0, "deposition"}),
                "the deposition step was not prepared for this grid");
  if (maps)
    for (auto* set : {&maps->dry, &maps->wet})
      for (auto& f : *set)
        if (f.nx() != nx || f.ny() != ny) f = Field2D<double>(nx, ny);
  const double area = grid.cell_area();
  std::vector<PerSpecies> row_dry(static_cast<std::size_t>(rows.size()), PerSpecies{});
  std::vector<PerSpecies> row_wet(static_cast<std::size_t>(rows.size()), PerSpecies{});
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    const std::size_t r = static_cast<std::size_t>(j - rows.j0);
    BadValue& b = bad[r];
    for (Species s : kAllSpecies) {
      const std::size_t n = index(s);
      const auto v = c[n].view();
      const auto surface = step.surface_loss[n].view();
      const auto share = step.dry_share[n].view();
      const auto column = step.column_loss[n].view();
      double dry = 0.0, wet = 0.0;  // µg/m² summed over the row
      const double dz0 = grid.thickness(0);
      for (int i = 0; i < nx; ++i) {
        // Surface layer: dry + wet together, split by the rates.
        const double x = v(i, j, 0);
        if (flag_bad(b, x, i, j, 0, species_name(s))) continue;
        const double removed = surface(i, j) * x;
        v(i, j, 0) = x - removed;
        const double dry_cell = share(i, j) * removed * dz0;
        const double wet_cell = removed * dz0 - dry_cell;
        dry += dry_cell;
        wet += wet_cell;
        if (maps) {
          maps->dry[n](i, j) += dry_cell;
          maps->wet[n](i, j) += wet_cell;
        }
      }
      // Layers above: rain-out only (columns without rain have f = 0 and are left alone).
      for (int k = 1; k < step.wet_layers; ++k) {
        const double dz = grid.thickness(k);
        for (int i = 0; i < nx; ++i) {
          const double f = column(i, j);
          if (f == 0.0) continue;
          const double y = v(i, j, k);
          if (flag_bad(b, y, i, j, k, species_name(s))) continue;
          const double dy = f * y;
          v(i, j, k) = y - dy;
          wet += dy * dz;
          if (maps) maps->wet[n](i, j) += dy * dz;
        }
      }
      row_dry[r][n] = dry * area;
      row_wet[r][n] = wet * area;
    }
  });
  throw_first_bad(bad, "deposition", step.time);
  return DepositionBudget{sum_rows(row_dry), sum_rows(row_wet)};
}

void apply_deposition_tags(std::span<SpeciesFields> tags, const DepositionStep& step, const Grid& grid,
                           const RowRange& rows) {
  if (tags.empty()) return;
  const int nx = grid.nx(), ny = grid.ny();
  check_rows(rows, ny, "deposition");
  LANTIAN_CHECK(step.surface_loss[0].nx() == nx && step.surface_loss[0].ny() == ny, (ErrorContext{"", 0, "deposition"}),
                "the deposition step was not prepared for this grid");
  std::vector<std::string> names;
  for (std::size_t t = 0; t < tags.size(); ++t)
    for (Species s : kAllSpecies) names.push_back("tag " + std::to_string(t) + " " + std::string(species_name(s)));
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  // Blocks of rows, the rows inside each field's loop (for_each_row_block); every row still
  // meets its species, tags and layers in apply_deposition's order.
  for_each_row_block(rows, 8, [&](int ja, int jb) {
    for (Species s : kAllSpecies) {
      const std::size_t n = index(s);
      for (std::size_t t = 0; t < tags.size(); ++t) {
        const std::string& name = names[t * kSpeciesCount + n];
        Field3D<double>& c = tags[t][n];
        for (int j = ja; j < jb; ++j) {
          BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
          const double* surface = &step.surface_loss[n](0, j);
          double* v = &c(0, j, 0);
          if (!flag_bad_row(b, v, nx, j, 0, name))
            for (int i = 0; i < nx; ++i) {
              const double x = v[i];
              v[i] = x - surface[i] * x;
            }
        }
        // Above the surface layer: rain-out only. apply_deposition skips the cells without rain
        // (f = 0); y − 0·y is y for the finite y ≥ 0 a good row holds, so no branch is needed.
        for (int k = 1; k < step.wet_layers; ++k)
          for (int j = ja; j < jb; ++j) {
            BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
            const double* column = &step.column_loss[n](0, j);
            double* y = &c(0, j, k);
            if (flag_bad_row(b, y, nx, j, k, name)) continue;
            for (int i = 0; i < nx; ++i) y[i] = y[i] - column[i] * y[i];
          }
      }
    }
  });
  throw_first_bad(bad, "deposition", step.time);
}

}  // namespace lantian::solver
