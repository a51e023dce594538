// Emissions on the Eulerian grid: see eulerian_emissions.hpp.
#include "emissions/eulerian_emissions.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "emissions/gridded_profiles.hpp"

namespace lantian::emissions {

namespace {

constexpr double kUgPerG = 1.0e6;

/// Rates (g/s) with the pm10 slot replaced by the coarse rate pm10 − pm25, clipped at 0;
/// `clipped` says whether it was negative.
Rates with_coarse(Rates r, bool& clipped) noexcept {
  const std::size_t pm10 = index(EmittedPollutant::pm10), pm25 = index(EmittedPollutant::pm25);
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

EulerianEmissions::EulerianEmissions(const Inventory& inv, const Grid& grid, const TimeZone& zone,
                                     std::vector<GriddedEmissions> gridded)
    : nx_(grid.nx()), ny_(grid.ny()), nz_(grid.nz()), grid_(grid), zone_(zone), gridded_(std::move(gridded)) {
  stacks_only_.enterprises = inv.enterprises;
  stacks_only_.stacks = inv.stacks;
  stacks_only_.profiles = inv.profiles;
  stack_rates_ = stack_emissions(inv);
  for (std::size_t s = 0; s < inv.stacks.size(); ++s) {
    const auto& e = inv.enterprises[inv.stacks[s].enterprise];
    sources_.push_back({SourceKind::stack, s, inv.stacks[s].id, Sector::industry, e.district,
                        inv.stacks[s].enterprise});
  }
  // The same geometry rules as SurfaceGridder, kept per source here (tags, cuts).
  auto add = [this](std::vector<CellWeight> cells, const Rates& rates, int profile) {
    Surface s;
    s.cells = std::move(cells);
    for (const auto& c : s.cells) s.inside += c.weight;
    s.rates = rates;
    s.profile = profile;
    surface_.push_back(std::move(s));
  };
  for (std::size_t a = 0; a < inv.areas.size(); ++a) {
    const auto& src = inv.areas[a];
    add(area_weights(src.polygons, grid), src.rates, src.profile);
    sources_.push_back({SourceKind::area, a, src.id, src.sector, src.district, std::nullopt});
  }
  for (std::size_t r = 0; r < inv.roads.size(); ++r) {
    const auto& src = inv.roads[r];
    add(length_weights(src.path, grid), src.rates, src.profile);
    sources_.push_back({SourceKind::road, r, src.id, src.sector, src.district, std::nullopt});
  }
  const auto ground = ground_releases(inv);
  for (std::size_t g = 0; g < ground.size(); ++g) {
    std::vector<CellWeight> cells;
    if (const auto c = grid.cell_of(ground[g].position.x, ground[g].position.y)) cells.push_back({c->i, c->j, 1.0});
    const auto& e = inv.enterprises[ground[g].enterprise];
    add(std::move(cells), ground[g].rates, e.profile);
    sources_.push_back({SourceKind::ground_release, g, e.id, Sector::industry, e.district, ground[g].enterprise});
  }
  for (std::size_t f = 0; f < gridded_.size(); ++f) {
    for (const auto& slice : gridded_[f].rate)
      for (const auto& field : slice)
        LANTIAN_CHECK(field.nx() == nx_ && field.ny() == ny_, (ErrorContext{gridded_[f].file, 0, ""}),
                      "the gridded emissions are not on the model grid (" + std::to_string(field.nx()) + " x " +
                          std::to_string(field.ny()) + " cells, expected " + std::to_string(nx_) + " x " +
                          std::to_string(ny_) + ")");
    sources_.push_back({SourceKind::gridded, f, gridded_[f].file, gridded_[f].sector, "", std::nullopt});
    const auto& layers = gridded_[f].layers ? *gridded_[f].layers : default_gridded_layers(gridded_[f].sector);
    gridded_layers_.push_back(gridded_layer_weights(layers, grid.layer_tops()));
  }
}

std::vector<Rates> EulerianEmissions::annual_rates() const {
  std::vector<Rates> out;
  out.reserve(sources_.size());
  for (const auto& r : stack_rates_) out.push_back(r);
  for (const Surface& src : surface_) {
    Rates r{};
    for (std::size_t p = 0; p < r.size(); ++p) r[p] = src.rates[p] * src.inside;
    out.push_back(r);
  }
  for (const auto& g : gridded_) {
    Rates r{};
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

std::vector<std::string> EulerianEmissions::sector_tag_names() const {
  int last = static_cast<int>(Sector::industry);
  for (const auto& s : sources_) last = std::max(last, static_cast<int>(s.sector));
  std::vector<std::string> names;
  for (int k = 0; k <= last; ++k) names.emplace_back(sector_name(static_cast<Sector>(k)));
  return names;
}

EmissionRates EulerianEmissions::at(UtcHour t, const std::vector<StackAmbient>& ambient,
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

  const LocalTime lt = local_time(t, zone_);
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
    const auto e3 = inject_stacks(stacks_only_, stack_rates, ambient, grid_, &lt);
    for (EmittedPollutant p : kAllEmittedPollutants) {
      const std::size_t ip = index(p), is = index(slot_species(p));
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
                         ? temporal_factor(stacks_only_.profiles[static_cast<std::size_t>(src.profile)], lt)
                         : 1.0;
    for (EmittedPollutant p : kAllEmittedPollutants) {
      const double rate = kUgPerG * r[index(p)] * f;
      if (rate == 0.0) continue;
      const std::size_t is = index(slot_species(p));
      auto dst = out.rate[is].view();
      for (const auto& c : src.cells) dst(c.i, c.j, 0) += rate * c.weight;
      out.outside[is] += rate * (1.0 - src.inside);
    }
  }

  // Gridded files: the slice of the local month x the profile's factor (no month factor for a
  // monthly file; the step of the hour and no profile for a time-stepped file), per cell (coarse = pm10 − pm25 per cell), spread over the column's layers.
  for (std::size_t f = 0; f < gridded_.size(); ++f) {
    const auto& file = gridded_[f];
    const std::size_t me = s++;
    if (!selected(me)) continue;
    const double tf = gridded_temporal_factor(file, lt);
    const std::vector<double>& w = gridded_layers_[f];
    // The slice of the local month, or the step holding the hour of a time-stepped file.
    const std::size_t t_index = file.slice_index(t, lt.month);
    const auto& slice = file.rate[t_index];
    bool any_clipped = false;
    for (int j = 0; j < ny_; ++j)
      for (int i = 0; i < nx_; ++i) {
        Rates r{};
        for (std::size_t p = 0; p < r.size(); ++p) r[p] = slice[p](i, j);
        bool clipped = false;
        r = with_coarse(scaled(me, r), clipped);
        any_clipped = any_clipped || clipped;
        for (EmittedPollutant p : kAllEmittedPollutants) {
          const double rate = kUgPerG * r[index(p)] * tf;
          if (rate == 0.0) continue;
          auto& dst = out.rate[index(slot_species(p))];
          for (int k = 0; k < nz_; ++k)
            if (w[static_cast<std::size_t>(k)] != 0.0) dst(i, j, k) += rate * w[static_cast<std::size_t>(k)];
        }
      }
    out.pmc_clipped += any_clipped ? 1 : 0;
    if (file.outside.size() > t_index) {
      bool clipped = false;
      const Rates o = with_coarse(scaled(me, file.outside[t_index]), clipped);
      for (EmittedPollutant p : kAllEmittedPollutants)
        out.outside[index(slot_species(p))] += kUgPerG * o[index(p)] * tf;
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

}  // namespace lantian::emissions
