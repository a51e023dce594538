#pragma once
// The processes of the Eulerian step (issue 11): one small interface, an ordered list built from
// the configuration, and the splitting sequence as data.
//
// A Process has a name ("horizontal advection", the name the state check after it and the run
// log use), the fields it reads and writes (a short descriptive list), the budget terms it adds
// to, and step(state, dt), which advances the state by dt seconds (the whole model step, or a
// fraction of it, see SplitStep) over the state's rows and adds what it moved to the hour's one
// budget record (BudgetTally). One virtual call per process and step; the cell loops are inside
// (process_step.hpp's row loop, transport.hpp's kernels), never a virtual call per cell.
//
// The splitting sequence of one step is a std::vector<SplitStep> (EulerianConfig::splitting(),
// EulerianModel::splitting_sequence() as text): the model runs it in order and checks the state
// after every entry (check_state, named by the process). The order is fixed, physically
// motivated (eulerian_model.hpp): the transport half steps around the local processes,
// symmetric (Strang). The configuration only switches processes on and off.
//
// Contract of step(): row-local processes (emissions, chemistry, deposition) update rows
// state.rows; the transport processes update the whole block (their kernels parallelise inside)
// and refill the halos they read from state.boundary and the winds (halo.hpp). Every process is
// linear in the concentrations and applies the same update to each tag, so tags add up to the
// total. Errors: lantian::Error naming the process, the time and the cell (the transport's
// messages get the time of the step in front).
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "meteo/met_state.hpp"
#include "solver/boundary.hpp"
#include "solver/budget.hpp"
#include "solver/process_step.hpp"
#include "solver/transport.hpp"

namespace lantian::solver {

struct EulerianConfig;

/// The processes of the model.
enum class ProcessKind : int {
  horizontal_advection,
  vertical_advection,
  vertical_diffusion,
  horizontal_diffusion,
  emissions,
  chemistry,
  deposition,
};

/// "horizontal advection", "vertical advection", "vertical diffusion", "horizontal diffusion",
/// "emissions", "chemistry", "deposition".
std::string_view process_name(ProcessKind k) noexcept;

/// One entry of the splitting sequence: `process` over `fraction` of the model step dt.
struct SplitStep {
  ProcessKind process = ProcessKind::emissions;
  double fraction = 1.0;
  bool operator==(const SplitStep&) const = default;
};

/// "horizontal advection (dt/2)", "emissions" (fraction 1), "chemistry (0.25 dt)".
std::string describe(const SplitStep& s);

/// The budget of the hour while its steps fill it: the one record, and the side fluxes in the
/// layout transport.hpp's kernels add to (one TransportBudget per species, shared by every
/// transport process so that the sums keep their order in time).
struct BudgetTally {
  HourBudget record;
  std::array<TransportBudget, kSpeciesCount> transport{};

  void add(BudgetTerm t, const PerSpecies& v) noexcept { record.add(t, v); }
  /// At the end of the hour: the side fluxes become the record's in_<side> / out_<side> terms
  /// and the transport's surface exchange is added to emitted and dry_deposited.
  void finish() noexcept;
};

/// What a process step reads and updates: the model state, the inputs of the hour, the step.
struct ProcessState {
  SpeciesFields& c;                               ///< the total concentrations, µg/m³
  std::vector<SpeciesFields>& tags;               ///< [tag][species]
  const Grid& grid;
  const TransportGeometry& geometry;
  const meteo::MetState& met;                     ///< the hour's meteorology
  const BoundaryValues& boundary;                 ///< the hour's lateral inflow values
  const emissions::EmissionRates& rates;          ///< the hour's emission rates, all sources
  const std::vector<emissions::EmissionRates>& tag_rates;  ///< per tag (empty fields: none)
  BudgetTally& budget;                            ///< the hour's budget, added to
  StepTime time;                                  ///< the model step (start, dt), named in errors
  RowRange rows;                                  ///< the rows the row-local processes update
};

/// The fields a process reads and writes, as short names ("concentrations", "tags", "met.u",
/// "boundary values", "emission rates", ...).
struct ProcessFields {
  std::vector<std::string_view> reads;
  std::vector<std::string_view> writes;
};

class Process {
 public:
  virtual ~Process() = default;
  /// The name of the process (process_name of its kind).
  virtual std::string_view name() const noexcept = 0;
  virtual ProcessFields fields() const = 0;
  /// The budget terms step() adds to (may be empty).
  virtual std::vector<BudgetTerm> budget_terms() const = 0;
  /// Once at the start of every hour, before any step (checks of the hour's inputs).
  virtual void begin_hour(const ProcessState&) {}
  /// Advances the state by dt seconds (see the top of this header).
  virtual void step(ProcessState& state, double dt) = 0;
};

/// The process of `kind` with the settings of `config` (processes.cpp).
std::unique_ptr<Process> make_process(ProcessKind kind, const EulerianConfig& config);

}  // namespace lantian::solver
