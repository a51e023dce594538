// The Eulerian model's time loop (solver/eulerian_model.hpp): Strang-split processes, source
// tags, boundary halos, station series and the hourly mass budget.
#include "solver/eulerian_model.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace lantian::solver {

namespace {

ErrorContext context(const std::string& where) { return ErrorContext{"", 0, where}; }

using Budgets = std::array<TransportBudget, kSpeciesCount>;

/// Runs f; a lantian::Error it throws is rethrown with the time of the step in front.
template <class F>
void with_time(const StepTime& time, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw Error(context("eulerian model"), describe_time(time) + ": " + e.what());
  }
}

/// Runs f, the transport of species s alone; a lantian::Error it throws (which names the field
/// by its place in the call, "field 0") is rethrown with the species in front.
template <class F>
void for_species(Species s, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw Error(std::string(species_name(s)) + ": " + e.what());
  }
}

/// Throws (naming "emissions", the time and the cell) at the first NaN, infinite or negative rate.
void check_rates(const emissions::EmissionRates& e, const Grid& grid, const StepTime& time, const std::string& what) {
  LANTIAN_CHECK(e.rate[0].nx() == grid.nx() && e.rate[0].ny() == grid.ny() && e.rate[0].nz() == grid.nz(),
                context("emissions"), "the " + what + " emission rates are not on the model grid");
  std::vector<BadValue> bad(static_cast<std::size_t>(grid.ny()));
  for (Species s : kAllSpecies) {
    const std::string name = what + " " + std::string(species_name(s)) + " emission rate";
    const auto& r = e.rate[index(s)];
    for (int k = 0; k < grid.nz(); ++k)
      for (int j = 0; j < grid.ny(); ++j)
        for (int i = 0; i < grid.nx(); ++i) flag_bad(bad[static_cast<std::size_t>(j)], r(i, j, k), i, j, k, name);
  }
  throw_first_bad(bad, "emissions", time);
}

bool has_rates(const emissions::EmissionRates& e) noexcept { return e.rate[0].nx() > 0; }

/// Moves the fields of species s of every tag into one vector (and back), so the tagged transport
/// functions get them as a span.
std::vector<Field3D<double>> take(std::vector<SpeciesFields>& tags, Species s) {
  std::vector<Field3D<double>> out;
  out.reserve(tags.size());
  for (auto& t : tags) out.push_back(std::move(t[index(s)]));
  return out;
}
void give_back(std::vector<SpeciesFields>& tags, Species s, std::vector<Field3D<double>>& from) {
  for (std::size_t t = 0; t < tags.size(); ++t) tags[t][index(s)] = std::move(from[t]);
}

/// Runs f on the tag fields of species s as one vector, restoring them afterwards (also on error).
template <class F>
void on_tags(std::vector<SpeciesFields>& tags, Species s, F&& f) {
  auto tg = take(tags, s);
  try {
    f(tg);
  } catch (...) {
    give_back(tags, s, tg);
    throw;
  }
  give_back(tags, s, tg);
}

void check_shape(const SpeciesFields& c, const Grid& grid, const std::string& what) {
  for (Species s : kAllSpecies) {
    const auto& f = c[index(s)];
    LANTIAN_CHECK(f.nx() == grid.nx() && f.ny() == grid.ny() && f.nz() == grid.nz() && f.halo() >= kTransportHalo,
                  context("eulerian model"),
                  "expected " + what + " " + std::string(species_name(s)) + " of " + std::to_string(grid.nx()) + " x " +
                      std::to_string(grid.ny()) + " x " + std::to_string(grid.nz()) + " cells with a halo >= 2, found " +
                      std::to_string(f.nx()) + " x " + std::to_string(f.ny()) + " x " + std::to_string(f.nz()) +
                      " halo " + std::to_string(f.halo()));
  }
}

}  // namespace

// ---- Config and budget ----------------------------------------------------------------------------

void EulerianConfig::validate() const {
  const double n = std::round(3600.0 / dt);
  LANTIAN_CHECK(std::isfinite(dt) && dt > 0.0 && n >= 1.0 && std::abs(n * dt - 3600.0) <= 1e-9 * 3600.0,
                context("eulerian.dt"), "expected a time step > 0 s dividing 3600 s, found " + std::to_string(dt));
  LANTIAN_CHECK(courant_limit > 0.0 && courant_limit <= 1.0, context("eulerian.courant_limit"),
                "expected a value in (0, 1], found " + std::to_string(courant_limit));
  LANTIAN_CHECK(std::isfinite(kh) && kh >= 0.0, context("eulerian.kh"),
                "expected a finite value >= 0 m2/s, found " + std::to_string(kh));
  LANTIAN_CHECK(n_tags >= 0, context("eulerian.n_tags"), "expected >= 0, found " + std::to_string(n_tags));
  LANTIAN_CHECK(boundary_tag >= -1 && boundary_tag < n_tags, context("eulerian.boundary_tag"),
                "expected -1 or a tag in [0, " + std::to_string(n_tags) + "), found " + std::to_string(boundary_tag));
  LANTIAN_CHECK(std::isfinite(max_concentration) && max_concentration > 0.0, context("eulerian.max_concentration"),
                "expected a finite value > 0 ug/m3, found " + std::to_string(max_concentration));
  chemistry_params.validate();
  deposition_params.validate();
}

double HourBudget::residual(Species s) const noexcept {
  const std::size_t n = index(s);
  double in = 0.0, out = 0.0;
  for (std::size_t side = 0; side < inflow.size(); ++side) {
    in += inflow[side][n];
    out += outflow[side][n];
  }
  return mass_after[n] - mass_before[n] - (emitted[n] + in - out - dry_deposited[n] - wet_deposited[n] + chemistry[n]);
}

double HourBudget::max_residual() const noexcept {
  // Not std::max: max(0, NaN) is 0, and a NaN budget would read as a perfect one.
  double r = 0.0;
  for (Species s : kAllSpecies) {
    const double a = std::abs(residual(s));
    if (std::isnan(a)) return a;
    if (a > r) r = a;
  }
  return r;
}

void check_budget(const HourBudget& b) {
  static constexpr std::array<const char*, 5> kSides{"west", "east", "south", "north", "top"};
  for (Species s : kAllSpecies) {
    const std::size_t n = index(s);
    auto term = [&](const std::string& name, double v) {
      if (std::isfinite(v)) return;
      std::ostringstream o;
      o << "mass budget of the hour starting " << format_utc(b.hour) << ": " << species_name(s) << " " << name
        << " is " << v << " ug (not a finite number: a concentration or a flux overflowed)";
      throw Error(o.str());
    };
    term("mass_before", b.mass_before[n]);
    term("emitted", b.emitted[n]);
    term("chemistry", b.chemistry[n]);
    term("dry_deposited", b.dry_deposited[n]);
    term("wet_deposited", b.wet_deposited[n]);
    for (std::size_t side = 0; side < kSides.size(); ++side) {
      term(std::string("in_") + kSides[side], b.inflow[side][n]);
      term(std::string("out_") + kSides[side], b.outflow[side][n]);
    }
    term("mass_after", b.mass_after[n]);
    term("residual", b.residual(s));
  }
}

// ---- Model ----------------------------------------------------------------------------------------

EulerianModel::EulerianModel(const Grid& grid, EulerianConfig config, SpeciesFields initial,
                             std::vector<SpeciesFields> initial_tags, std::shared_ptr<const BoundaryProvider> boundary)
    : grid_(grid),
      config_(std::move(config)),
      geom_(TransportGeometry::of(grid)),
      c_(std::move(initial)),
      tags_(std::move(initial_tags)),
      boundary_(std::move(boundary)) {
  config_.validate();
  check_shape(c_, grid_, "the initial");
  if (tags_.empty()) {
    for (int t = 0; t < config_.n_tags; ++t) tags_.push_back(zero_species_fields(grid_.nx(), grid_.ny(), grid_.nz()));
  }
  LANTIAN_CHECK(static_cast<int>(tags_.size()) == config_.n_tags, context("eulerian model"),
                "expected " + std::to_string(config_.n_tags) + " initial tag states, found " +
                    std::to_string(tags_.size()));
  for (const auto& t : tags_) check_shape(t, grid_, "the initial tag");
}

double EulerianModel::surface_pm25(int i, int j) const noexcept {
  std::array<double, kSpeciesCount> v{};
  for (Species s : kAllSpecies) v[index(s)] = c_[index(s)](i, j, 0);
  return pm25_of(v);
}

double EulerianModel::surface_pm25_tag(int tag, int i, int j) const noexcept {
  std::array<double, kSpeciesCount> v{};
  for (Species s : kAllSpecies) v[index(s)] = tags_[static_cast<std::size_t>(tag)][index(s)](i, j, 0);
  return pm25_of(v);
}

double EulerianModel::mass(Species s) const { return field_mass(c_[index(s)], geom_); }

void EulerianModel::set_stations(std::vector<StationCell> cells) {
  for (const auto& c : cells)
    LANTIAN_CHECK(c.i >= 0 && c.i < grid_.nx() && c.j >= 0 && c.j < grid_.ny(), context("eulerian model stations"),
                  "station cell (" + std::to_string(c.i) + ", " + std::to_string(c.j) + ") is outside the grid");
  stations_ = std::move(cells);
  series_.assign(stations_.size(), {});
}

double EulerianModel::budget_residual() const noexcept {
  return budgets_.empty() ? 0.0 : budgets_.back().max_residual();
}

// ---- Halos ------------------------------------------------------------------------------------------

namespace {

/// Calls f(halo cell i, j, k, boundary value) for every halo cell (both layers) where the wind at
/// the boundary face enters the domain.
template <class F>
void for_inflow_cells(const BoundaryValues& bv, Species s, const meteo::MetState& met, int nx, int ny, int nz, F&& f) {
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      if (met.u(0, j, k) > 0.0)
        for (int l = 1; l <= kTransportHalo; ++l) f(-l, j, k, bv(Side::west, s, j, k));
      if (met.u(nx, j, k) < 0.0)
        for (int l = 1; l <= kTransportHalo; ++l) f(nx - 1 + l, j, k, bv(Side::east, s, j, k));
    }
    for (int i = 0; i < nx; ++i) {
      if (met.v(i, 0, k) > 0.0)
        for (int l = 1; l <= kTransportHalo; ++l) f(i, -l, k, bv(Side::south, s, i, k));
      if (met.v(i, ny, k) < 0.0)
        for (int l = 1; l <= kTransportHalo; ++l) f(i, ny - 1 + l, k, bv(Side::north, s, i, k));
    }
  }
}

}  // namespace

void EulerianModel::fill_total_halo(Field3D<double>& c, Species s, const BoundaryValues& bv,
                                    const meteo::MetState& met) const {
  fill_halo_zero_gradient(c);
  for_inflow_cells(bv, s, met, grid_.nx(), grid_.ny(), grid_.nz(),
                   [&](int i, int j, int k, double value) { c(i, j, k) = value; });
}

void EulerianModel::fill_tag_halos(std::span<Field3D<double>> tags, Species s, const BoundaryValues& bv,
                                   const meteo::MetState& met) const {
  for (auto& t : tags) fill_halo_zero_gradient(t);
  for_inflow_cells(bv, s, met, grid_.nx(), grid_.ny(), grid_.nz(), [&](int i, int j, int k, double value) {
    for (std::size_t t = 0; t < tags.size(); ++t)
      tags[t](i, j, k) = static_cast<int>(t) == config_.boundary_tag ? value : 0.0;
  });
}

// ---- Transport ----------------------------------------------------------------------------------------

void EulerianModel::advect_h(const meteo::MetState& met, const BoundaryValues& bv, double h, Budgets& tb) {
  AdvectionOptions opt;
  opt.courant_limit = config_.courant_limit;
  for (Species s : kAllSpecies) {
    Field3D<double>& total = c_[index(s)];
    fill_total_halo(total, s, bv, met);
    for_species(s, [&] {
      if (tags_.empty()) {
        const HaloFill fill = [&](std::span<Field3D<double>> fs) { fill_total_halo(fs[0], s, bv, met); };
        advect_horizontal({&total, 1}, met.u, met.v, geom_, h, fill, {&tb[index(s)], 1}, opt);
      } else {
        on_tags(tags_, s, [&](std::vector<Field3D<double>>& tg) {
          fill_tag_halos(tg, s, bv, met);
          const TaggedHaloFill fill = [&](Field3D<double>& tot, std::span<Field3D<double>> ts) {
            fill_total_halo(tot, s, bv, met);
            fill_tag_halos(ts, s, bv, met);
          };
          advect_horizontal_tagged(total, tg, met.u, met.v, geom_, h, fill, &tb[index(s)], {}, opt);
        });
      }
    });
  }
}

void EulerianModel::advect_v(const meteo::MetState& met, double h, Budgets& tb) {
  AdvectionOptions opt;
  opt.courant_limit = config_.courant_limit;
  opt.open_top = config_.open_top;
  if (tags_.empty()) {
    advect_vertical(c_, met.w, geom_, h, tb, opt);
    return;
  }
  for (Species s : kAllSpecies)
    for_species(s, [&] {
      on_tags(tags_, s, [&](std::vector<Field3D<double>>& tg) {
        advect_vertical_tagged(c_[index(s)], tg, met.w, geom_, h, &tb[index(s)], {}, opt);
      });
    });
}

void EulerianModel::diffuse_v(const meteo::MetState& met, double h, Budgets& tb) {
  diffuse_vertical(c_, met.kz, geom_, h, {}, tb);
  for (auto& t : tags_) diffuse_vertical(t, met.kz, geom_, h);
}

void EulerianModel::diffuse_h(const meteo::MetState& met, const BoundaryValues& bv, double h, Budgets& tb) {
  if (config_.kh <= 0.0) return;
  const HorizontalDiffusivity kh{config_.kh, nullptr};
  for (Species s : kAllSpecies) {
    Field3D<double>& total = c_[index(s)];
    for_species(s, [&] {
      fill_total_halo(total, s, bv, met);
      const HaloFill fill = [&](std::span<Field3D<double>> fs) { fill_total_halo(fs[0], s, bv, met); };
      diffuse_horizontal({&total, 1}, kh, geom_, h, fill, {&tb[index(s)], 1});
      if (tags_.empty()) return;
      on_tags(tags_, s, [&](std::vector<Field3D<double>>& tg) {
        fill_tag_halos(tg, s, bv, met);
        const HaloFill fill_tags = [&](std::span<Field3D<double>> ts) { fill_tag_halos(ts, s, bv, met); };
        diffuse_horizontal(tg, kh, geom_, h, fill_tags);
      });
    });
  }
}

void EulerianModel::check_after(const char* process, const StepTime& time) const {
  check_state(c_, {}, process, time, config_.max_concentration, geom_.i0, geom_.j0);
}

void EulerianModel::transport_half(const meteo::MetState& met, const BoundaryValues& bv, double h, bool reverse,
                                   const StepTime& time, Budgets& tb) {
  // Each pass, then the state check naming it (outside with_time: its message has the time).
  auto pass = [&](bool on, const char* name, auto&& f) {
    if (!on) return;
    with_time(time, f);
    check_after(name, time);
  };
  const bool hdiff = config_.horizontal_diffusion && config_.kh > 0.0;
  auto ah = [&] { advect_h(met, bv, h, tb); };
  auto av = [&] { advect_v(met, h, tb); };
  auto dv = [&] { diffuse_v(met, h, tb); };
  auto dh = [&] { diffuse_h(met, bv, h, tb); };
  if (!reverse) {
    pass(config_.advection, "horizontal advection", ah);
    pass(config_.advection, "vertical advection", av);
    pass(config_.vertical_diffusion, "vertical diffusion", dv);
    pass(hdiff, "horizontal diffusion", dh);
  } else {
    pass(hdiff, "horizontal diffusion", dh);
    pass(config_.vertical_diffusion, "vertical diffusion", dv);
    pass(config_.advection, "vertical advection", av);
    pass(config_.advection, "horizontal advection", ah);
  }
}

// ---- The hour -------------------------------------------------------------------------------------------

void EulerianModel::advance(const meteo::MetState& met, const emissions::EmissionRates& total,
                            const std::vector<emissions::EmissionRates>& per_tag, UtcHour hour) {
  const int nx = grid_.nx(), ny = grid_.ny(), nz = grid_.nz();
  LANTIAN_CHECK(met.nx() == nx && met.ny() == ny && met.nz() == nz, context("eulerian model"),
                "the meteorology is not on the model grid");
  LANTIAN_CHECK(met.time == hour, context("eulerian model"),
                "the meteorology is valid at hour " + std::to_string(met.time) + ", not at the hour advanced (" +
                    std::to_string(hour) + ")");
  const StepTime hour_time{static_cast<double>(hour), config_.dt};
  if (config_.emissions) {
    check_rates(total, grid_, hour_time, "total");
    LANTIAN_CHECK(per_tag.size() == tags_.size(), context("emissions"),
                  "expected emission rates for " + std::to_string(tags_.size()) + " tags, found " +
                      std::to_string(per_tag.size()));
    for (std::size_t t = 0; t < per_tag.size(); ++t)
      if (has_rates(per_tag[t])) check_rates(per_tag[t], grid_, hour_time, "tag " + std::to_string(t));
  }
  const BoundaryValues bv = boundary_ ? boundary_->at(hour) : BoundaryValues(nx, ny, nz);
  LANTIAN_CHECK(bv.nx() == nx && bv.ny() == ny && bv.nz() == nz, context("boundary"),
                "the boundary values are not on the model grid");

  HourBudget b;
  b.hour = hour;
  for (Species s : kAllSpecies) b.mass_before[index(s)] = mass(s);
  Budgets tb{};
  const RowRange rows{0, ny};
  const int steps = static_cast<int>(std::lround(3600.0 / config_.dt));
  for (int n = 0; n < steps; ++n) {
    const StepTime time{static_cast<double>(hour) + n * config_.dt / 3600.0, config_.dt};
    transport_half(met, bv, 0.5 * config_.dt, false, time, tb);
    if (config_.emissions) {
      const PerSpecies added = apply_emissions(c_, total, grid_, time, rows);
      for (std::size_t s = 0; s < kSpeciesCount; ++s) b.emitted[s] += added[s];
      for (std::size_t t = 0; t < tags_.size(); ++t)
        if (has_rates(per_tag[t])) apply_emissions(tags_[t], per_tag[t], grid_, time, rows);
      check_after("emissions", time);
    }
    if (config_.chemistry) {
      prepare_chemistry(chem_step_, grid_, met, config_.chemistry_params, time, rows);
      const ChemistryBudget cb = apply_chemistry(c_, chem_step_, grid_, rows);
      for (auto& t : tags_) apply_chemistry(t, chem_step_, grid_, rows);
      b.converted.so2_lost += cb.so2_lost;
      b.converted.so4_formed += cb.so4_formed;
      b.converted.nox_lost += cb.nox_lost;
      b.converted.no3_formed += cb.no3_formed;
      b.converted.voc_lost += cb.voc_lost;
      b.converted.soa_formed += cb.soa_formed;
      check_after("chemistry", time);
    }
    if (config_.deposition) {
      prepare_deposition(dep_step_, grid_, met, config_.deposition_params, time, rows);
      const DepositionBudget db = apply_deposition(c_, dep_step_, grid_, rows);
      for (auto& t : tags_) apply_deposition(t, dep_step_, grid_, rows);
      for (std::size_t s = 0; s < kSpeciesCount; ++s) {
        b.dry_deposited[s] += db.dry[s];
        b.wet_deposited[s] += db.wet[s];
      }
      check_after("deposition", time);
    }
    transport_half(met, bv, 0.5 * config_.dt, true, time, tb);
  }

  const auto& cv = b.converted;
  b.chemistry[index(Species::so2)] = -cv.so2_lost;
  b.chemistry[index(Species::so4)] = cv.so4_formed;
  b.chemistry[index(Species::nox)] = -cv.nox_lost;
  b.chemistry[index(Species::no3)] = cv.no3_formed;
  b.chemistry[index(Species::voc)] = -cv.voc_lost;
  b.chemistry[index(Species::soa)] = cv.soa_formed;
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    for (std::size_t side = 0; side < 5; ++side) {
      b.inflow[side][s] = tb[s].inflow[side];
      b.outflow[side][s] = tb[s].outflow[side];
    }
    // No surface flux is given to the vertical diffusion: emissions and deposition are their own
    // processes (tb[s].emitted and .deposited stay 0).
    b.emitted[s] += tb[s].emitted;
    b.dry_deposited[s] += tb[s].deposited;
  }
  // The tags, once per hour (see the header: every process refuses a NaN, infinite or negative
  // tag on input, so this adds the ceiling and the state handed to the outputs).
  if (!tags_.empty())
    check_state(c_, tags_, "the source tags at the end of the hour", StepTime{static_cast<double>(hour), 3600.0},
                config_.max_concentration, geom_.i0, geom_.j0);
  for (Species s : kAllSpecies) b.mass_after[index(s)] = mass(s);
  check_budget(b);
  budgets_.push_back(b);
  for (std::size_t n = 0; n < stations_.size(); ++n) series_[n].push_back(surface_pm25(stations_[n].i, stations_[n].j));
}

}  // namespace lantian::solver
