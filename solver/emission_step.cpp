// The emission step of the Eulerian model: see emission_step.hpp.
#include "solver/emission_step.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include "core/error.hpp"

namespace lantian::solver {

PerSpecies apply_emissions(SpeciesFields& c, const emissions::EmissionRates& e, const Grid& grid, const StepTime& time,
                           const RowRange& rows, bool surface_layer) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  check_rows(rows, ny, "emissions");
  LANTIAN_CHECK(e.rate[0].nx() == nx && e.rate[0].ny() == ny && e.rate[0].nz() == nz, (ErrorContext{"", 0, "emissions"}),
                "the emission rates are not on the model grid");
  const double area = grid.cell_area(), dt = time.dt;
  std::vector<PerSpecies> row_mass(static_cast<std::size_t>(rows.size()), PerSpecies{});
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  // Blocks of rows, the rows inside the layer loop (for_each_row_block: a field is read in runs
  // of several rows per layer; the model calls this once per tag); every row still meets its
  // species, layers and cells in the same order, and sums them in that order.
  constexpr int kBlock = 8;
  for_each_row_block(rows, kBlock, [&](int ja, int jb) {
    for (Species s : kAllSpecies) {
      const std::size_t n = index(s);
      const auto v = c[n].view();
      const auto rate = e.rate[n].view();
      std::array<double, kBlock> added{};  // µg, per row of the block
      for (int k = surface_layer ? 0 : 1; k < nz; ++k) {
        const double per_volume = dt / (area * grid.thickness(k));
        for (int j = ja; j < jb; ++j) {
          const std::size_t r = static_cast<std::size_t>(j - rows.j0);
          double& a = added[static_cast<std::size_t>(j - ja)];
          for (int i = 0; i < nx; ++i) {
            const double q = rate(i, j, k);
            if (q == 0.0) continue;
            if (flag_bad(bad[r], v(i, j, k), i, j, k, species_name(s))) continue;
            v(i, j, k) += q * per_volume;
            a += q * dt;
          }
        }
      }
      for (int j = ja; j < jb; ++j) row_mass[static_cast<std::size_t>(j - rows.j0)][n] = added[static_cast<std::size_t>(j - ja)];
    }
  });
  throw_first_bad(bad, "emissions", time);
  return sum_rows(row_mass);
}

std::array<Field2D<double>, kSpeciesCount> surface_emission_flux(const emissions::EmissionRates& e, const Grid& grid) {
  LANTIAN_CHECK(e.rate[0].nx() == grid.nx() && e.rate[0].ny() == grid.ny(), (ErrorContext{"", 0, "emissions"}),
                "the emission rates are not on the model grid");
  std::array<Field2D<double>, kSpeciesCount> flux;
  const double area = grid.cell_area();
  for (Species s : kAllSpecies) {
    flux[index(s)] = Field2D<double>(grid.nx(), grid.ny());
    for (int j = 0; j < grid.ny(); ++j)
      for (int i = 0; i < grid.nx(); ++i) flux[index(s)](i, j) = e.rate[index(s)](i, j, 0) / area;
  }
  return flux;
}

}  // namespace lantian::solver
