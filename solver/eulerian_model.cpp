// The Eulerian model's time loop (solver/eulerian_model.hpp): the splitting sequence of
// processes (solver/process.hpp) run step by step, source tags, station series and the hourly
// mass budget.
#include "solver/eulerian_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace lantian::solver {

namespace {

ErrorContext context(const std::string& where) { return ErrorContext{"", 0, where}; }

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

// ---- Config ---------------------------------------------------------------------------------------

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

std::vector<SplitStep> EulerianConfig::splitting() const {
  std::vector<ProcessKind> transport;
  if (advection) {
    transport.push_back(ProcessKind::horizontal_advection);
    transport.push_back(ProcessKind::vertical_advection);
  }
  if (vertical_diffusion) transport.push_back(ProcessKind::vertical_diffusion);
  if (horizontal_diffusion && kh > 0.0) transport.push_back(ProcessKind::horizontal_diffusion);
  std::vector<SplitStep> seq;
  for (ProcessKind k : transport) seq.push_back({k, 0.5});
  if (emissions) seq.push_back({ProcessKind::emissions, 1.0});
  if (chemistry) seq.push_back({ProcessKind::chemistry, 1.0});
  if (deposition) seq.push_back({ProcessKind::deposition, 1.0});
  for (auto k = transport.rbegin(); k != transport.rend(); ++k) seq.push_back({*k, 0.5});
  return seq;
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
  splitting_ = config_.splitting();
  std::vector<ProcessKind> kinds;
  for (const SplitStep& s : splitting_) {
    const auto at = std::find(kinds.begin(), kinds.end(), s.process);
    sequence_.push_back(static_cast<std::size_t>(at - kinds.begin()));
    if (at != kinds.end()) continue;
    kinds.push_back(s.process);
    processes_.push_back(make_process(s.process, config_));
  }
}

std::vector<std::string> EulerianModel::splitting_sequence() const {
  std::vector<std::string> out;
  for (const SplitStep& s : splitting_) out.push_back(describe(s));
  return out;
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

// ---- The hour -------------------------------------------------------------------------------------

void EulerianModel::advance(const meteo::MetState& met, const emissions::EmissionRates& total,
                            const std::vector<emissions::EmissionRates>& per_tag, UtcHour hour) {
  const int nx = grid_.nx(), ny = grid_.ny(), nz = grid_.nz();
  LANTIAN_CHECK(met.nx() == nx && met.ny() == ny && met.nz() == nz, context("eulerian model"),
                "the meteorology is not on the model grid");
  LANTIAN_CHECK(met.time == hour, context("eulerian model"),
                "the meteorology is valid at hour " + std::to_string(met.time) + ", not at the hour advanced (" +
                    std::to_string(hour) + ")");
  BudgetTally tally;
  ProcessState st{c_,   tags_, grid_, geom_, met, boundary_values_, total, per_tag, tally,
                  StepTime{static_cast<double>(hour), config_.dt}, RowRange{0, ny}};
  for (const auto& p : processes_) p->begin_hour(st);
  boundary_values_ = boundary_ ? boundary_->at(hour) : BoundaryValues(nx, ny, nz);
  LANTIAN_CHECK(boundary_values_.nx() == nx && boundary_values_.ny() == ny && boundary_values_.nz() == nz,
                context("boundary"), "the boundary values are not on the model grid");

  HourBudget& b = tally.record;
  b.hour = hour;
  for (Species s : kAllSpecies) b.mass_before[index(s)] = mass(s);
  const int steps = static_cast<int>(std::lround(3600.0 / config_.dt));
  for (int n = 0; n < steps; ++n) {
    st.time = StepTime{static_cast<double>(hour) + n * config_.dt / 3600.0, config_.dt};
    for (std::size_t e = 0; e < splitting_.size(); ++e) {
      Process& p = *processes_[sequence_[e]];
      p.step(st, splitting_[e].fraction * config_.dt);
      // The state check naming the process (its message has the time).
      check_state(c_, {}, p.name(), st.time, config_.max_concentration, geom_.i0, geom_.j0);
    }
  }
  tally.finish();
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
