// Initial state: background and Cressman analysis; see initial_state.hpp.
#include "solver/initial_state.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.hpp"

namespace lantian::solver {

namespace {

constexpr std::array<Species, 4> kPm25Species{Species::ppm25, Species::so4, Species::no3, Species::soa};
/// Mass of each PM2.5 species per µg of reported PM2.5 share (species.hpp's ammonium factors).
constexpr std::array<double, 4> kShareToSpecies{1.0, 1.0 / kAmmoniumSulfateFactor, 1.0 / kAmmoniumNitrateFactor, 1.0};

void check_shape(const Field3D<double>& f, const Grid& g, const char* what) {
  LANTIAN_CHECK(f.nx() == g.nx() && f.ny() == g.ny() && f.nz() == g.nz(), (ErrorContext{"", 0, "initial state"}),
                std::string(what) + " is not on the model grid");
}

}  // namespace

void AnalysisParams::validate() const {
  LANTIAN_CHECK(std::isfinite(radius) && radius > 0.0, (ErrorContext{"", 0, "initial_state.radius"}),
                "expected a positive radius (m), found " + std::to_string(radius));
  LANTIAN_CHECK(std::isfinite(decay_height) && decay_height > 0.0, (ErrorContext{"", 0, "initial_state.decay_height"}),
                "expected a positive height (m), found " + std::to_string(decay_height));
  double sum = 0.0;
  for (double s : shares) {
    LANTIAN_CHECK(std::isfinite(s) && s >= 0.0, (ErrorContext{"", 0, "initial_state.shares"}),
                  "expected non-negative shares, found " + std::to_string(s));
    sum += s;
  }
  LANTIAN_CHECK(std::abs(sum - 1.0) <= 1e-9, (ErrorContext{"", 0, "initial_state.shares"}),
                "expected shares summing to 1, found " + std::to_string(sum));
}

SpeciesFields background_state(const Grid& grid, const PerSpecies& background, int halo) {
  SpeciesFields c;
  for (Species s : kAllSpecies) {
    const double v = background[index(s)];
    LANTIAN_CHECK(std::isfinite(v) && v >= 0.0, (ErrorContext{"", 0, "initial_state.background." + std::string(species_name(s))}),
                  "expected a finite, non-negative concentration (µg/m³), found " + std::to_string(v));
    c[index(s)] = Field3D<double>(grid.nx(), grid.ny(), grid.nz(), halo, 0, v);
  }
  return c;
}

Field2D<double> cressman_analysis(const Grid& grid, const Field2D<double>& background,
                                  const std::vector<StationValue>& obs, double radius) {
  LANTIAN_CHECK(background.nx() == grid.nx() && background.ny() == grid.ny(), (ErrorContext{"", 0, "initial state"}),
                "the background is not on the model grid");
  LANTIAN_CHECK(std::isfinite(radius) && radius > 0.0, (ErrorContext{"", 0, "initial_state.radius"}),
                "expected a positive radius (m)");
  // Stations inside the grid with their increment O − B_s.
  struct Used {
    XY p;
    double increment;
  };
  std::vector<Used> used;
  for (const StationValue& s : obs) {
    if (std::isnan(s.value)) continue;
    LANTIAN_CHECK(std::isfinite(s.value) && s.value >= 0.0 && std::isfinite(s.position.x) && std::isfinite(s.position.y),
                  (ErrorContext{"", 0, "station " + s.station}),
                  "expected a finite, non-negative observation at a finite position, found " + std::to_string(s.value));
    const auto cell = grid.cell_of(s.position.x, s.position.y);
    if (!cell) continue;
    used.push_back({s.position, s.value - background(cell->i, cell->j)});
  }
  Field2D<double> out(grid.nx(), grid.ny());
  const double r2 = radius * radius;
  for (int j = 0; j < grid.ny(); ++j)
    for (int i = 0; i < grid.nx(); ++i) {
      double sw = 0.0, swi = 0.0;
      for (const Used& u : used) {
        const double dx = grid.x_centre(i) - u.p.x, dy = grid.y_centre(j) - u.p.y;
        const double d2 = dx * dx + dy * dy;
        if (d2 >= r2) continue;
        const double w = (r2 - d2) / (r2 + d2);
        sw += w;
        swi += w * u.increment;
      }
      const double b = background(i, j);
      out(i, j) = sw > 0.0 ? std::max(0.0, b + swi / sw) : b;
    }
  return out;
}

SpeciesFields analyse_initial_state(const Grid& grid, const SpeciesFields& background, const Field2D<double>& pblh,
                                    const InitialObservations& obs, const AnalysisParams& params) {
  params.validate();
  for (const auto& f : background) check_shape(f, grid, "the background");
  LANTIAN_CHECK(pblh.nx() == grid.nx() && pblh.ny() == grid.ny(), (ErrorContext{"", 0, "initial state"}),
                "the mixing height is not on the model grid");
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      LANTIAN_CHECK(std::isfinite(pblh(i, j)) && pblh(i, j) >= 0.0, (ErrorContext{"", 0, "initial state"}),
                    "mixing height at cell (i=" + std::to_string(i) + ", j=" + std::to_string(j) +
                        ") is " + std::to_string(pblh(i, j)) + " (expected a finite, non-negative height)");
  SpeciesFields out = background;
  // f(z) of the vertical spread.
  auto spread = [&](int i, int j, int k) {
    const double z = grid.z_centre(k), h = pblh(i, j);
    return z <= h ? 1.0 : std::exp(-(z - h) / params.decay_height);
  };
  // B(i, j, k) of a quantity from the species.
  using Reader = std::function<double(const SpeciesFields&, int, int, int)>;
  auto surface = [&](const Reader& b) {
    Field2D<double> s(nx, ny);
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) s(i, j) = b(background, i, j, 0);
    return s;
  };
  // The analysed field of a quantity at (i, j, k): max(0, B + (A − B0) f).
  auto analysed = [&](const Reader& b, const Field2D<double>& b0, const Field2D<double>& a, int i, int j, int k) {
    return std::max(0.0, b(background, i, j, k) + (a(i, j) - b0(i, j)) * spread(i, j, k));
  };

  // A single species (SO2, NOx, PMC).
  auto analyse_species = [&](Species sp, const std::vector<StationValue>& values) {
    if (values.empty()) return;
    const Reader b = [sp](const SpeciesFields& c, int i, int j, int k) { return c[index(sp)](i, j, k); };
    const Field2D<double> b0 = surface(b);
    const Field2D<double> a = cressman_analysis(grid, b0, values, params.radius);
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) out[index(sp)](i, j, k) = analysed(b, b0, a, i, j, k);
  };
  analyse_species(Species::so2, obs.so2);
  analyse_species(Species::nox, obs.no2);
  // Coarse PM: PM10 − PM2.5 at the stations having both.
  std::vector<StationValue> coarse;
  for (const StationValue& s10 : obs.pm10)
    for (const StationValue& s25 : obs.pm25)
      if (s10.station == s25.station && std::isfinite(s10.value) && std::isfinite(s25.value))
        coarse.push_back({s10.station, s10.position, std::max(0.0, s10.value - s25.value)});
  analyse_species(Species::pmc, coarse);

  if (!obs.pm25.empty()) {
    const Reader b = [](const SpeciesFields& c, int i, int j, int k) {
      std::array<double, kSpeciesCount> cell{};
      for (Species s : kPm25Species) cell[index(s)] = c[index(s)](i, j, k);
      return pm25_of(cell);
    };
    const Field2D<double> b0 = surface(b);
    const Field2D<double> a = cressman_analysis(grid, b0, obs.pm25, params.radius);
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const double pm = analysed(b, b0, a, i, j, k);
          const double bpm = b(background, i, j, k);
          if (params.composition == CompositionSource::background && bpm > 0.0) {
            const double ratio = pm / bpm;
            for (Species s : kPm25Species) out[index(s)](i, j, k) = background[index(s)](i, j, k) * ratio;
          } else {
            for (std::size_t q = 0; q < kPm25Species.size(); ++q)
              out[index(kPm25Species[q])](i, j, k) = params.shares[q] * kShareToSpecies[q] * pm;
          }
        }
  }
  return out;
}

}  // namespace lantian::solver
