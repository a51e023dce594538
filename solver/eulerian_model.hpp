#pragma once
// The Eulerian model (欧拉模式): the processes of solver/ assembled into one hourly time loop,
// with source tags, station series and an hourly mass budget (issue 5, part C; the processes as
// an ordered list, issue 11).
//
// Time loop
// ---------
// advance(met, total, per_tag, hour) advances the state by one hour in n = 3600/dt steps of dt
// (dt divides 3600), using the meteorology and the emission rates of that hour (frozen over it).
// Each step of dt runs the splitting sequence (EulerianConfig::splitting(), printed by the run
// as splitting_sequence()): an ordered list of processes (solver/process.hpp), each over a
// fraction of dt. By default it is Strang-split (Strang 1968, SIAM J. Numer. Anal. 5, 506):
//     T(dt/2)  ·  E(dt) → C(dt) → D(dt)  ·  T*(dt/2)
// where
//   T(h)  = horizontal advection → vertical advection → vertical diffusion → horizontal diffusion,
//   T*(h) = the same in reverse order (horizontal diffusion → vertical diffusion → vertical
//           advection → horizontal advection), so the step is symmetric (second order in time);
//   E     = emissions (c += E dt / V in the cells the rates fill, stacks at their layers),
//   C     = linear chemistry (SO2 → SO4, NOx → NO3, VOC → SOA; exact exponential step, rates at
//           the middle of the step),
//   D     = dry deposition (surface layer) and wet scavenging (exact exponential step).
// Horizontal advection is itself directionally Strang-split and sub-stepped by transport.hpp
// (X(h/2) Y(h) … Y(h) X(h/2), Courant ≤ courant_limit), so the x/y order is symmetric within
// every call. Every process can be switched off (EulerianConfig; horizontal diffusion also
// drops out with kh = 0): it then leaves the sequence, whose order otherwise stays this one.
// The order is fixed on purpose: the transport half steps must mirror each other around the
// local processes for the step to stay second order, and emissions come before chemistry and
// deposition so that what a step emits already reacts and deposits in it. A case's `processes = [...]` is therefore a set of
// switches, not an order (forecast/eulerian_run.cpp eulerian_config); the run prints the
// sequence actually used, so a list written in another order is visibly not the one run.
//
// Boundaries: lateral inflow from a BoundaryProvider (values of the hour, per side, cell and
// layer; zero when none is given). Before every advection/diffusion pass the halo is filled:
// zero gradient everywhere (free outflow), then, where the normal wind at the boundary face
// blows into the domain (u > 0 on the west face, u < 0 east, v > 0 south, v < 0 north), the
// halo cells take the boundary value of that cell and layer (boundary.hpp fill_boundary_halo,
// through the one halo fill of halo.hpp). The top is closed unless open_top
// (then zero gradient above).
//
// Source tags (CAMx PSAT): tag fields [tag][species] are advected with transport's *_tagged
// functions (each tag's face flux = the total's face flux × the tag's share of the donor cell;
// horizontally layer by layer, advect_horizontal_tagged_planes, so that a layer's tags stay in
// cache through all the sweeps of a step); diffusion, chemistry and deposition are linear and
// applied to every tag with the same coefficients as to the total (vertical diffusion in one
// call for the total and all tags: one factorisation per column; chemistry and deposition in
// one pass over all tags: apply_chemistry_tags, apply_deposition_tags). Every tagged path gives
// the total the untagged run's operations, so the totals and budgets do not depend on the tags
// (bitwise); each tag receives its own emissions (per_tag), whose sum must be
// the total's. Lateral inflow goes into tag `boundary_tag` (all other tags get 0 at inflow
// halo cells); with boundary_tag = -1 no tag receives it, so Σ tags == total holds only with
// zero inflow. Hence Σ tags == total to round-off.
//
// Budget (per hour, per species, µg; solver/budget.hpp): emitted, chemistry change (−lost /
// +formed), dry and wet deposited, in/out through each side and the top, and the mass in the
// domain before and after the hour, in ONE record (HourBudget) that every process adds its
// terms to (Process::budget_terms). residual = after − before − (emitted + in − out − dry − wet
// + chemistry change) is round-off.
//
// Errors: a NaN, infinite or negative concentration, emission rate or met input → lantian::Error
// naming the process, the time and the cell (process_step.hpp's checks; transport errors are
// rethrown with the time). The state is then partly updated and the run must stop.
// After every process (emissions, chemistry, deposition, and each transport pass: horizontal
// and vertical advection, vertical and horizontal diffusion) the state check (process_step.hpp
// check_state) reads the total of every species once: a value that the process made NaN,
// infinite, negative or larger than config.max_concentration (default 1e6 µg/m³, see
// kDefaultConcentrationCeiling) throws lantian::Error naming that process, the species, the
// global cell (i, j, k), the value and the time of the step. The tags are read by the same check
// once per hour, at its end (named "the source tags at the end of the hour"): between, every
// process already refuses a NaN, infinite or negative tag value on input (transport's, the
// chemistry's, the deposition's and the emissions' own checks), so the hourly check adds the
// ceiling and covers the state the outputs take. Checking the tags after every process would
// cost ~40% of the run with the demo's 10 sector tags; the totals cost ~6%. At the end of each
// hour every term of the budget and its residuals must be finite (check_budget), so an overflow
// never reaches budget.csv or a "largest residual" as inf or NaN.
//
// Parallelism: OpenMP inside the processes only (rows/columns, deterministic reductions), so
// results are bitwise identical for any number of threads.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "meteo/met_state.hpp"
#include "solver/boundary.hpp"
#include "solver/budget.hpp"
#include "solver/chemistry.hpp"
#include "solver/deposition.hpp"
#include "solver/emission_step.hpp"
#include "solver/process.hpp"
#include "solver/process_step.hpp"
#include "solver/transport.hpp"

namespace lantian::solver {

/// Settings of the Eulerian model.
struct EulerianConfig {
  double dt = 600.0;            ///< time step, s; must divide 3600
  double courant_limit = 0.9;   ///< largest outflow Courant number of an advection sweep, (0, 1]
  bool advection = true;        ///< horizontal and vertical advection
  bool vertical_diffusion = true;
  bool horizontal_diffusion = true;
  bool emissions = true;
  bool chemistry = true;
  bool deposition = true;
  bool open_top = false;        ///< vertical advection through the top (zero gradient above)
  ChemistryParams chemistry_params;
  DepositionParams deposition_params;
  double kh = 0.0;              ///< horizontal eddy diffusivity, m²/s (constant)
  int n_tags = 0;               ///< number of source tags
  int boundary_tag = -1;        ///< tag receiving the lateral inflow, -1: none
  /// Physical ceiling of any species in any cell after a process, µg/m³ (see the header top).
  double max_concentration = kDefaultConcentrationCeiling;

  /// Throws lantian::Error naming the setting ("eulerian.dt") when dt <= 0 or does not divide
  /// 3600, courant_limit is outside (0, 1], kh is negative or not finite, n_tags < 0,
  /// boundary_tag is outside [-1, n_tags), max_concentration is not finite and > 0, or the
  /// process parameters are invalid.
  void validate() const;

  /// The splitting sequence of one step for these switches (see the top of this header): the
  /// transport processes switched on over dt/2, emissions, chemistry, deposition over dt, the
  /// transport again over dt/2 in reverse order.
  std::vector<SplitStep> splitting() const;
};

/// A station's surface cell.
struct StationCell {
  int i = 0, j = 0;
};

class EulerianModel {
 public:
  /// `initial`: the total fields (nx × ny × nz of the grid, halo >= 2); `initial_tags`: empty
  /// (tags start at 0) or n_tags SpeciesFields whose sum is the total; `boundary`: lateral inflow
  /// (null: zero inflow). Throws lantian::Error on an invalid config, a projected grid missing,
  /// or shapes that differ from the grid.
  EulerianModel(const Grid& grid, EulerianConfig config, SpeciesFields initial,
                std::vector<SpeciesFields> initial_tags = {}, std::shared_ptr<const BoundaryProvider> boundary = {});

  /// Advances one hour starting at `hour` (see the top of this header). `met` is the state of
  /// that hour (met.time == hour), `total` the emission rates of all sources, `per_tag` empty
  /// when there are no tags, else n_tags rates (an entry with empty fields emits nothing, e.g.
  /// the boundary tag). Appends the hour's budget and the station samples.
  void advance(const meteo::MetState& met, const emissions::EmissionRates& total, const std::vector<emissions::EmissionRates>& per_tag,
               UtcHour hour);

  /// The splitting sequence run by every step, as text: describe() of each entry, e.g.
  /// "horizontal advection (dt/2)", ..., "emissions", "chemistry", "deposition", ... (the run
  /// log's line).
  std::vector<std::string> splitting_sequence() const;
  /// The same as data (config().splitting()).
  const std::vector<SplitStep>& splitting() const noexcept { return splitting_; }
  /// The distinct processes of the sequence, in the order they first run.
  const std::vector<std::unique_ptr<Process>>& processes() const noexcept { return processes_; }

  const Grid& grid() const noexcept { return grid_; }
  const EulerianConfig& config() const noexcept { return config_; }
  const SpeciesFields& fields() const noexcept { return c_; }
  const Field3D<double>& field(Species s) const noexcept { return c_[index(s)]; }
  /// Tag fields, [tag][species].
  const std::vector<SpeciesFields>& tags() const noexcept { return tags_; }
  /// PM2.5 (species.hpp pm25_of) of layer 0 at cell (i, j), µg/m³.
  double surface_pm25(int i, int j) const noexcept;
  /// Surface PM2.5 of tag `tag` at (i, j).
  double surface_pm25_tag(int tag, int i, int j) const noexcept;
  /// Mass of species s in the domain, µg.
  double mass(Species s) const;

  /// Cells whose surface PM2.5 is recorded after every hour (replaces any earlier list and series).
  void set_stations(std::vector<StationCell> cells);
  /// station_series()[n][h]: surface PM2.5 at station n after hour h (hours as in budgets()).
  const std::vector<std::vector<double>>& station_series() const noexcept { return series_; }

  /// One budget per hour advanced, in order.
  const std::vector<HourBudget>& budgets() const noexcept { return budgets_; }
  /// The last hour's largest |residual| (µg), 0 before the first hour.
  double budget_residual() const noexcept;

 private:
  Grid grid_;
  EulerianConfig config_;
  TransportGeometry geom_;
  SpeciesFields c_;
  std::vector<SpeciesFields> tags_;
  std::shared_ptr<const BoundaryProvider> boundary_;
  std::vector<SplitStep> splitting_;
  std::vector<std::unique_ptr<Process>> processes_;  ///< distinct, in the order they first run
  std::vector<std::size_t> sequence_;                ///< splitting_[n] runs processes_[sequence_[n]]
  BoundaryValues boundary_values_;                   ///< of the hour being advanced
  std::vector<StationCell> stations_;
  std::vector<std::vector<double>> series_;
  std::vector<HourBudget> budgets_;
};

}  // namespace lantian::solver
