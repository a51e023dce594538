// Emissions on the Eulerian grid: see eulerian_emissions.hpp.
#include "solver/eulerian_emissions.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace lantian::solver {

namespace {

using emissions::EmittedPollutant;
using emissions::Rates;
constexpr double kUgPerG = 1.0e6;

/// Rates (g/s) with the pm10 slot replaced by the coarse rate pm10 − pm25, clipped at 0;
/// `clipped` says whether it was negative.
Rates with_coarse(Rates r, bool& clipped) noexcept {
  const std::size_t pm10 = emissions::index(EmittedPollutant::pm10), pm25 = emissions::index(EmittedPollutant::pm25);
  const double coarse = r[pm10] - r[pm25];
  clipped = coarse < 0.0;
  r[pm10] = clipped ? 0.0 : coarse;
  return r;
}

/// The species of each pollutant slot once pm10 holds the coarse rate.
Species slot_species(EmittedPollutant p) noexcept {
  const auto s = species_of(p);
  return s ? *s : Species::pmc;
}

}  // namespace

std::optional<Species> species_of(EmittedPollutant p) noexcept {
  switch (p) {
    case EmittedPollutant::so2: return Species::so2;
    case EmittedPollutant::nox: return Species::nox;
    case EmittedPollutant::pm25: return Species::ppm25;
    case EmittedPollutant::pm10: return std::nullopt;
    case EmittedPollutant::vocs: return Species::voc;
    case EmittedPollutant::nh3: return Species::nh3;
  }
  return std::nullopt;
}

EulerianEmissions::EulerianEmissions(const emissions::Inventory& inv, const Grid& grid, const TimeZone& zone,
                                     std::vector<emissions::GriddedEmissions> gridded)
    : nx_(grid.nx()), ny_(grid.ny()), nz_(grid.nz()), grid_(grid), zone_(zone), gridded_(std::move(gridded)) {
  stacks_only_.enterprises = inv.enterprises;
  stacks_only_.stacks = inv.stacks;
  stacks_only_.profiles = inv.profiles;
  stack_rates_ = emissions::stack_emissions(inv);
  for (std::size_t s = 0; s < inv.stacks.size(); ++s) {
    const auto& e = inv.enterprises[inv.stacks[s].enterprise];
    sources_.push_back({SourceKind::stack, s, inv.stacks[s].id, emissions::Sector::industry, e.district,
                        inv.stacks[s].enterprise});
  }
  // The same geometry rules as emissions::SurfaceGridder, kept per source here (tags, cuts).
  auto add = [this](std::vector<emissions::CellWeight> cells, const Rates& rates, int profile) {
    Surface s;
    s.cells = std::move(cells);
    for (const auto& c : s.cells) s.inside += c.weight;
    s.rates = rates;
    s.profile = profile;
    surface_.push_back(std::move(s));
  };
  for (std::size_t a = 0; a < inv.areas.size(); ++a) {
    const auto& src = inv.areas[a];
    add(emissions::area_weights(src.polygons, grid), src.rates, src.profile);
    sources_.push_back({SourceKind::area, a, src.id, src.sector, src.district, std::nullopt});
  }
  for (std::size_t r = 0; r < inv.roads.size(); ++r) {
    const auto& src = inv.roads[r];
    add(emissions::length_weights(src.path, grid), src.rates, src.profile);
    sources_.push_back({SourceKind::road, r, src.id, src.sector, src.district, std::nullopt});
  }
  const auto ground = emissions::ground_releases(inv);
  for (std::size_t g = 0; g < ground.size(); ++g) {
    std::vector<emissions::CellWeight> cells;
    if (const auto c = grid.cell_of(ground[g].position.x, ground[g].position.y)) cells.push_back({c->i, c->j, 1.0});
    const auto& e = inv.enterprises[ground[g].enterprise];
    add(std::move(cells), ground[g].rates, e.profile);
    sources_.push_back({SourceKind::ground_release, g, e.id, emissions::Sector::industry, e.district, ground[g].enterprise});
  }
  for (std::size_t f = 0; f < gridded_.size(); ++f) {
    for (const auto& slice : gridded_[f].rate)
      for (const auto& field : slice)
        LANTIAN_CHECK(field.nx() == nx_ && field.ny() == ny_, (ErrorContext{gridded_[f].file, 0, ""}),
                      "the gridded emissions are not on the model grid (" + std::to_string(field.nx()) + " x " +
                          std::to_string(field.ny()) + " cells, expected " + std::to_string(nx_) + " x " +
                          std::to_string(ny_) + ")");
    sources_.push_back({SourceKind::gridded, f, gridded_[f].file, gridded_[f].sector, "", std::nullopt});
  }
}

std::vector<emissions::Rates> EulerianEmissions::annual_rates() const {
  std::vector<emissions::Rates> out;
  out.reserve(sources_.size());
  for (const auto& r : stack_rates_) out.push_back(r);
  for (const Surface& src : surface_) {
    emissions::Rates r{};
    for (std::size_t p = 0; p < r.size(); ++p) r[p] = src.rates[p] * src.inside;
    out.push_back(r);
  }
  for (const auto& g : gridded_) {
    emissions::Rates r{};
    for (const auto& slice : g.rate)
      for (std::size_t p = 0; p < r.size(); ++p)
        for (int j = 0; j < ny_; ++j)
          for (int i = 0; i < nx_; ++i) r[p] += slice[p](i, j) / static_cast<double>(g.rate.size());
    out.push_back(r);
  }
  return out;
}

std::vector<int> EulerianEmissions::tags_by_sector() const {
  std::vector<int> tags;
  tags.reserve(sources_.size());
  for (const auto& s : sources_) tags.push_back(static_cast<int>(s.sector));
  return tags;
}

EmissionRates EulerianEmissions::at(UtcHour t, const std::vector<emissions::StackAmbient>& ambient,
                                    const EmissionSelection& sel) const {
  const std::size_t n = sources_.size();
  LANTIAN_CHECK(ambient.size() == stack_rates_.size(), (ErrorContext{"", 0, "emissions"}),
                "expected the ambient conditions of " + std::to_string(stack_rates_.size()) + " stacks, found " +
                    std::to_string(ambient.size()));
  LANTIAN_CHECK(sel.factors.empty() || sel.factors.size() == n, (ErrorContext{"", 0, "emissions"}),
                "expected one factor set per source (" + std::to_string(n) + "), found " + std::to_string(sel.factors.size()));
  LANTIAN_CHECK(sel.tag < 0 || sel.tag_of_source.size() == n, (ErrorContext{"", 0, "emissions"}),
                "expected one tag per source (" + std::to_string(n) + "), found " + std::to_string(sel.tag_of_source.size()));
  for (std::size_t s = 0; s < sel.factors.size(); ++s)
    for (double f : sel.factors[s])
      LANTIAN_CHECK(std::isfinite(f) && f >= 0.0, (ErrorContext{"", 0, "emissions"}),
                    "expected finite, non-negative factors, found " + std::to_string(f) + " for source " + sources_[s].id);

  const emissions::LocalTime lt = emissions::local_time(t, zone_);
  auto selected = [&](std::size_t s) { return sel.tag < 0 || sel.tag_of_source[s] == sel.tag; };
  // Annual-mean rate x selection factor, g/s (temporal factors come later).
  auto scaled = [&](std::size_t s, Rates r) {
    if (!sel.factors.empty())
      for (std::size_t p = 0; p < r.size(); ++p) r[p] *= sel.factors[s][p];
    return r;
  };

  EmissionRates out;
  for (auto& f : out.rate) f = Field3D<double>(nx_, ny_, nz_);
  std::size_t s = 0;

  // Stacks: inject_stacks applies each enterprise's temporal factor and spreads the plume.
  std::vector<Rates> stack_rates(stack_rates_.size(), Rates{});
  for (std::size_t k = 0; k < stack_rates_.size(); ++k, ++s) {
    if (!selected(s)) continue;
    bool clipped = false;
    stack_rates[k] = with_coarse(scaled(s, stack_rates_[k]), clipped);
    out.pmc_clipped += clipped ? 1 : 0;
  }
  if (!stack_rates.empty()) {
    const auto e3 = emissions::inject_stacks(stacks_only_, stack_rates, ambient, grid_, &lt);
    for (EmittedPollutant p : emissions::kAllEmittedPollutants) {
      const std::size_t ip = emissions::index(p), is = index(slot_species(p));
      const auto& src = e3.rate[ip];
      auto dst = out.rate[is].view();
      for (int k = 0; k < nz_; ++k)
        for (int j = 0; j < ny_; ++j)
          for (int i = 0; i < nx_; ++i) dst(i, j, k) += kUgPerG * src(i, j, k);
      out.outside[is] += kUgPerG * e3.outside[ip];
    }
  }

  // Ground-level sources in the surface layer.
  for (const Surface& src : surface_) {
    const std::size_t me = s++;
    if (!selected(me)) continue;
    bool clipped = false;
    const Rates r = with_coarse(scaled(me, src.rates), clipped);
    out.pmc_clipped += clipped ? 1 : 0;
    const double f = src.profile >= 0
                         ? emissions::temporal_factor(stacks_only_.profiles[static_cast<std::size_t>(src.profile)], lt)
                         : 1.0;
    for (EmittedPollutant p : emissions::kAllEmittedPollutants) {
      const double rate = kUgPerG * r[emissions::index(p)] * f;
      if (rate == 0.0) continue;
      const std::size_t is = index(slot_species(p));
      auto dst = out.rate[is].view();
      for (const auto& c : src.cells) dst(c.i, c.j, 0) += rate * c.weight;
      out.outside[is] += rate * (1.0 - src.inside);
    }
  }

  // Gridded files: the slice of the local month, per cell (coarse = pm10 − pm25 per cell).
  for (const auto& file : gridded_) {
    const std::size_t me = s++;
    if (!selected(me)) continue;
    const auto& slice = file.for_month(lt.month);
    const std::size_t t_index = file.rate.size() == 1 ? 0 : static_cast<std::size_t>(lt.month - 1);
    bool any_clipped = false;
    for (int j = 0; j < ny_; ++j)
      for (int i = 0; i < nx_; ++i) {
        Rates r{};
        for (std::size_t p = 0; p < r.size(); ++p) r[p] = slice[p](i, j);
        bool clipped = false;
        r = with_coarse(scaled(me, r), clipped);
        any_clipped = any_clipped || clipped;
        for (EmittedPollutant p : emissions::kAllEmittedPollutants)
          out.rate[index(slot_species(p))](i, j, 0) += kUgPerG * r[emissions::index(p)];
      }
    out.pmc_clipped += any_clipped ? 1 : 0;
    if (file.outside.size() > t_index) {
      bool clipped = false;
      const Rates o = with_coarse(scaled(me, file.outside[t_index]), clipped);
      for (EmittedPollutant p : emissions::kAllEmittedPollutants)
        out.outside[index(slot_species(p))] += kUgPerG * o[emissions::index(p)];
    }
  }

  for (Species sp : kAllSpecies) {
    const auto v = out.rate[index(sp)].view();
    double total = 0.0;
    for (int k = 0; k < nz_; ++k)
      for (int j = 0; j < ny_; ++j)
        for (int i = 0; i < nx_; ++i) total += v(i, j, k);
    out.total[index(sp)] = total;
  }
  return out;
}

PerSpecies apply_emissions(SpeciesFields& c, const EmissionRates& e, const Grid& grid, const StepTime& time,
                           const RowRange& rows, bool surface_layer) {
  const int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
  check_rows(rows, ny, "emissions");
  LANTIAN_CHECK(e.rate[0].nx() == nx && e.rate[0].ny() == ny && e.rate[0].nz() == nz, (ErrorContext{"", 0, "emissions"}),
                "the emission rates are not on the model grid");
  const double area = grid.cell_area(), dt = time.dt;
  std::vector<PerSpecies> row_mass(static_cast<std::size_t>(rows.size()), PerSpecies{});
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    const std::size_t r = static_cast<std::size_t>(j - rows.j0);
    for (Species s : kAllSpecies) {
      const std::size_t n = index(s);
      const auto v = c[n].view();
      const auto rate = e.rate[n].view();
      double added = 0.0;  // µg
      for (int k = surface_layer ? 0 : 1; k < nz; ++k) {
        const double per_volume = dt / (area * grid.thickness(k));
        for (int i = 0; i < nx; ++i) {
          const double q = rate(i, j, k);
          if (q == 0.0) continue;
          if (flag_bad(bad[r], v(i, j, k), i, j, k, species_name(s))) continue;
          v(i, j, k) += q * per_volume;
          added += q * dt;
        }
      }
      row_mass[r][n] = added;
    }
  });
  throw_first_bad(bad, "emissions", time);
  return sum_rows(row_mass);
}

std::array<Field2D<double>, kSpeciesCount> surface_emission_flux(const EmissionRates& e, const Grid& grid) {
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
