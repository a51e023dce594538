#pragma once
// The memory and disk a `lantian run` of a case needs (运行资源估算), computed from the case before
// anything is allocated, and the comparison with this machine. `lantian check` prints the
// figures; assemble_case refuses a case whose run does not fit in memory right after the grid
// and the inventory are read (before the meteorology, the gridded files or the model allocate
// anything), so `lantian run` (and plan, evaluate) stop at their start, not with std::bad_alloc.
//
// The memory model counts what the run holds at its peak, 8 bytes per double (each term is
// what allocates it; the figures measured with /usr/bin/time and heaptrack are in
// docs/reliability.md):
//   concentrations  the model's state: species x (1 + tags) fields of (nx+4)(ny+4)nz (halo 2;
//                   solver/eulerian_model.hpp c_ and tags_). THE TAG TERM: each tag holds a full
//                   copy of the 9 species (tag_fields_per_tag below); change it there when the
//                   solver stores tags otherwise;
//   emissions       the hour's rates (forecast/eulerian_run.cpp: `total` and one EmissionRates per
//                   emitting tag, species fields of nx ny nz each), plus the 6 pollutant fields of
//                   the stack injection being built (emissions/stack_injection);
//   chemistry       6 fields of nx ny nz (solver/chemistry ChemistryStep), deposition 4 x species
//                   2-D fields (DepositionStep): both owned by the model's processes;
//   meteorology     one MetState (u, v on faces, w and kz on levels, t, rh and 9 surface fields);
//                   a MetSeries (wrf, cf) also holds every input time (counted as period + 1
//                   hourly states unless the actual count is given);
//   gridded files   each file's slices x 6 pollutants on the grid, twice (CaseInputs and the
//                   model's emissions keep a copy each); `lantian check` reads the files' headers
//                   for their slices (1, 12 or the steps of an IOAPI file in the run's window);
//   columns         kColumnBytes per grid column: the Grid's copies (cell centres in lon/lat),
//                   the lateral boundary values of the hour, the NetCDF writer's float records
//                   and HDF5 chunk buffers, the station and progress scans (heaptrack on a
//                   160 x 160 grid: 355 bytes per column);
//   series          station and tag series, the hourly budget;
//   scenario re-runs  the baseline's model (state and process fields) is kept while each
//                   untagged re-run holds its own state, emissions and chemistry: the peak is
//                   the larger of the two phases;
//   report          with scenarios, kReportBytes: report.html's template and ECharts read in, the
//                   report model's JSON tree and the page's text, scenarios.json;
//   program         kProcessOverheadBytes: the executable, its libraries (PROJ with its database,
//                   NetCDF/HDF5, GLPK, OpenMP), their static data and the allocator's arenas.
// The disk figure is fields.nc uncompressed (float, one record per hour plus the initial state:
// PM25_sfc, PM10_sfc and the 9 species at the surface, with output_3d the 9 species on every
// layer, with output_tags each tag's PM2.5) plus the CSV, JSON and report files; deflate makes
// the real file smaller, so it is an upper bound.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/case_config.hpp"
#include "emissions/inventory.hpp"

namespace lantian {

struct CaseInputs;

/// Fixed part of a run's peak memory, bytes: the program and its libraries (see the top).
/// Measured: a 1-hour run of the demo on its coarse 20 x 20 x 20 grid without scenarios peaks at
/// 37.9 MiB RSS, of which the arrays and columns counted here are 2.7 MiB (35.2 MiB); Beijing's
/// 44 x 44 x 14 case, the same way, 34.8 MiB. Rounded up so that the estimate stays above.
inline constexpr std::uint64_t kProcessOverheadBytes = 36ull << 20;

/// Memory per grid column that is not a model array (see the top: grid copies, boundary values,
/// the NetCDF writer's records and chunk buffers), bytes: heaptrack measured 355 on a 160 x 160
/// grid; 45 doubles.
inline constexpr std::uint64_t kColumnBytes = 45 * 8;

/// The scenario phase's outputs (report template and ECharts, the report model, the page text,
/// scenarios.json), bytes: measured 4.3 MiB (Beijing, 7 scenarios x 12 stations x 72 h) to
/// 6.5 MiB (the coarse demo, 1 h: the ECharts library dominates) over a run without scenarios.
inline constexpr std::uint64_t kReportBytes = 8ull << 20;

/// What the estimate may be told beyond the case file.
struct RunResourceOptions {
  bool scenarios = true;                  ///< the scenario re-runs follow the baseline
  std::optional<std::size_t> met_states;  ///< input times a MetSeries holds (default: hours + 1)
  /// Total time slices of the gridded files; default: read from each file's header (12 for a
  /// file that cannot be read).
  std::optional<std::size_t> gridded_slices;
};

/// This machine's memory, bytes.
struct MachineMemory {
  std::uint64_t total = 0;      ///< physical memory (MemTotal, or _SC_PHYS_PAGES x page size)
  std::uint64_t available = 0;  ///< what a new process can get: MemAvailable, capped by a cgroup limit
  std::string source;           ///< where `available` comes from, e.g. "MemAvailable"
};

/// The figures of one case.
struct RunResources {
  int nx = 0, ny = 0, nz = 0;
  std::size_t species = 0;       ///< transported species (9)
  std::size_t tags = 0;          ///< source tags, the background tag included
  std::size_t hours = 0, stations = 0, met_states = 0;
  std::uint64_t concentration_bytes = 0, emission_bytes = 0, chemistry_bytes = 0, met_bytes = 0,
                gridded_bytes = 0, column_bytes = 0, series_bytes = 0, rerun_bytes = 0, report_bytes = 0,
                overhead_bytes = 0;
  std::size_t gridded_slices = 0;  ///< the gridded files' time slices counted
  std::uint64_t memory_bytes = 0;  ///< the estimated peak resident memory
  std::uint64_t disk_bytes = 0;    ///< the output folder, upper bound (uncompressed)
  std::uint64_t netcdf_bytes = 0;  ///< of which fields.nc
  MachineMemory machine;
  std::optional<std::uint64_t> disk_free;  ///< free space where the output goes, when known
  /// "2000 x 2000 x 20 cells x 9 species x 11 fields": the dimensions that drive the figure.
  std::string drivers() const;
  bool fits() const noexcept { return memory_bytes <= machine.available; }
};

/// The number of source tags a run of the case carries (eulerian_run.hpp's rules, the background
/// tag included).
std::size_t run_tag_count(const CaseConfig& config, const emissions::Inventory& inventory);

/// The estimate for a case (see the top of this header) and this machine's memory.
RunResources estimate_run_resources(const CaseConfig& config, const emissions::Inventory& inventory,
                                    const RunResourceOptions& options = {});

/// This machine's memory: /proc/meminfo MemTotal and MemAvailable (the kernel's estimate of what
/// can be allocated without swapping, page cache it can drop included), capped by the cgroup v2
/// limit (memory.max − memory.current) when one is set; sysconf physical pages when /proc is
/// not readable.
MachineMemory machine_memory();

/// Throws lantian::Error (context: the case file and the line of grid.nx) when the run does not
/// fit: "the run needs 61.2 GiB (2000 x 2000 x 20 cells x 9 species x 11 fields) but this
/// machine has 23.4 GiB available (MemAvailable; 31.2 GiB physical)".
void require_run_memory(const RunResources& r, const CaseConfig& config);

/// Free space on the file system holding `path` (its nearest existing ancestor), bytes.
std::optional<std::uint64_t> free_disk_space(const std::string& path);

/// The run's start (`lantian run` after assemble_case): the estimate with the inputs' actual
/// meteorology and gridded slices, require_run_memory, and warnings (returned, not thrown) when
/// the free space where `out_dir` goes is below the uncompressed output (deflate usually makes
/// it several times smaller, and the output is written in a temporary folder renamed at the end,
/// so a full disk fails the run without touching an earlier output). `needs` (optional) gets one
/// line for the start of the run: the estimated peak memory against what this machine has, and
/// the disk the output may take.
std::vector<std::string> check_run_resources(const CaseInputs& inputs, const std::string& out_dir,
                                             bool scenarios = true, std::string* needs = nullptr);

/// Bytes as "61.2 GiB" / "312.5 MiB".
std::string format_bytes(std::uint64_t bytes);

/// The figures as text lines for `lantian check` (indented, no heading).
std::string format_run_resources(const RunResources& r);

}  // namespace lantian
