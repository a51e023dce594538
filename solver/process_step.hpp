#pragma once
// What the Eulerian processes (chemistry, deposition, emissions, boundaries) share: the state as
// one Field3D per species, the time window of a step, the block of rows a call updates, the row
// loop that holds the OpenMP pragma (STYLE.md 6), and the always-on input check that turns a NaN
// or a negative value into a lantian::Error naming the process, the time and the cell.
//
// Contract of every process: it updates the interior cells (0..nx-1, j0..j1-1, 0..nz-1) of the
// fields it is given and nothing else; it is linear in the concentrations (so it applies
// unchanged to the fields of a source tag, and tags add up to the total); row sums of its
// diagnostics are added in row order after the parallel loop, so results and budgets are
// bitwise identical whatever the number of threads.
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/field.hpp"
#include "core/time_axis.hpp"
#include "core/species.hpp"

namespace lantian::solver {

/// Mass concentrations of the nine species, µg/m³, indexed by index(Species); each nx x ny x nz
/// with a horizontal halo (2 in the model).
using SpeciesFields = std::array<Field3D<double>, kSpeciesCount>;

/// Zero fields of the grid's size for every species, halo `halo`.
SpeciesFields zero_species_fields(int nx, int ny, int nz, int halo = 2);

/// The time window of one step: it starts at `start_h` (UTC hours since 1970, fractional) and
/// lasts `dt` seconds.
struct StepTime {
  double start_h = 0.0;
  double dt = 0.0;
  /// The middle of the step, hours since 1970 (where time-dependent rates are evaluated).
  double mid_h() const noexcept { return start_h + 0.5 * dt / 3600.0; }
};

/// "2024-12-11T03:00:00Z + 600 s" (the hour of the step start and the seconds into it).
std::string describe_time(const StepTime& time);

/// Rows [j0, j1) of the interior (the local block of an OpenMP or MPI tile).
struct RowRange {
  int j0 = 0;
  int j1 = 0;
  int size() const noexcept { return j1 - j0; }
};

/// Throws lantian::Error unless 0 <= j0 <= j1 <= ny (naming the process).
void check_rows(const RowRange& rows, int ny, std::string_view process);

/// Calls f(j) for every row of `rows`, spread over the OpenMP threads with a static schedule.
/// f must not throw (STYLE.md 13: record problems and report them after the loop).
template <class F>
void for_each_row(const RowRange& rows, F&& f) {
#pragma omp parallel for schedule(static)
  for (int j = rows.j0; j < rows.j1; ++j) f(j);
}

/// Calls f(ja, jb) for consecutive blocks [ja, jb) of at most `block` rows of `rows`, spread over
/// the OpenMP threads (static schedule). For a loop over many fields (the tags) that visits the
/// rows of a block inside its field loop: each field is then read in runs of `block` rows per
/// layer, which the prefetchers follow, instead of one row per layer. f must not throw.
template <class F>
void for_each_row_block(const RowRange& rows, int block, F&& f) {
  const int blocks = (rows.size() + block - 1) / block;
#pragma omp parallel for schedule(static)
  for (int b = 0; b < blocks; ++b) {
    const int ja = rows.j0 + b * block;
    f(ja, ja + block < rows.j1 ? ja + block : rows.j1);
  }
}

/// The first bad value met in a row: a NaN, infinite or negative input.
struct BadValue {
  bool found = false;
  int i = 0, j = 0, k = 0;
  std::string what;  ///< the quantity, e.g. "SO2" or "relative humidity"
  double value = 0.0;
};

/// Records (i, j, k, what, value) in `bad` unless it already holds a value. Returns true when
/// `v` is bad (NaN, infinite, or negative when `nonnegative`).
inline bool flag_bad(BadValue& bad, double v, int i, int j, int k, std::string_view what, bool nonnegative = true) {
  const bool is_bad = !std::isfinite(v) || (nonnegative && v < 0.0);
  if (is_bad && !bad.found) bad = BadValue{true, i, j, k, std::string(what), v};
  return is_bad;
}

/// Throws lantian::Error for the first row (in row order) whose BadValue was found:
/// "<process> at <time>: <what> at cell (i, j, k) is <value> (expected a finite, non-negative value)".
void throw_first_bad(const std::vector<BadValue>& rows, std::string_view process, const StepTime& time);

/// 1 if any of p[0, n) is NaN, infinite or negative, else 0 (branch-free, vectorised: the
/// row check of the tag kernels, which locate the bad cell only in a flagged row).
int bad_row(const double* p, int n) noexcept;

/// Records the first NaN, infinite or negative value of row p[0, nx) (row j, layer k) in `bad`
/// unless it already holds one; returns true when the row has one.
bool flag_bad_row(BadValue& bad, const double* p, int nx, int j, int k, std::string_view what);

/// Sums per-row partial sums in row order (the deterministic reduction of the processes).
PerSpecies sum_rows(const std::vector<PerSpecies>& rows) noexcept;

/// Scans the interior cells of rows [j0, j1) of every species and throws (as throw_first_bad) at
/// the first NaN, infinite or negative concentration. The processes call it on what they read.
void check_concentrations(const SpeciesFields& c, const RowRange& rows, std::string_view process, const StepTime& time);

/// The default physical ceiling of a concentration after a process (EulerianConfig::
/// max_concentration), µg/m³: 1e6 µg/m³ = 1 g/m³ of one trace species averaged over a model cell.
/// The worst haze and dust episodes on record stay below ~1e4 µg/m³ of PM (hourly, at a
/// station), the air itself weighs ~1.2e9 µg/m³, and SO2 at 1 g/m³ (~380 ppm) would be lethal
/// within minutes; so a cell above it means wrong input or a broken process, never weather. It
/// is also far enough below overflow that cell masses (c × V ≤ 1e6 × 1e12 µg) and their domain
/// sums stay finite.
inline constexpr double kDefaultConcentrationCeiling = 1.0e6;

/// The state check run after every process of the Eulerian step: scans the interior cells of
/// every species of `total` and of each tag field in `tags` (one read, OpenMP over rows, the
/// position searched only in a flagged row) and throws lantian::Error at the first value, in
/// row order, that is NaN, infinite, negative or above `ceiling`:
///   "<process> at <time>: <field> at cell (i, j, k) is <value> µg/m3 (<why>)"
/// where <field> is the species ("PPM25") or the tag and species ("tag 2 PPM25"), and the cell
/// is global (the block offsets i0, j0 added). Read-only: results do not change.
void check_state(const SpeciesFields& total, std::span<const SpeciesFields> tags, std::string_view process,
                 const StepTime& time, double ceiling, int i0 = 0, int j0 = 0);

}  // namespace lantian::solver
