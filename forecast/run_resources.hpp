#pragma once
// The memory and disk a `lantian run` of a case needs (运行资源估算), computed from the case before
// anything is allocated, and the comparison with this machine. `lantian check` prints the
// figures; assemble_case refuses a case whose run does not fit in memory right after the grid
// and the inventory are read (before the meteorology, the gridded files or the model allocate
// anything), so `lantian run` (and plan, evaluate) stop at their start, not with std::bad_alloc.
//
// The memory model counts the arrays the run holds at its peak (forecast/eulerian_run.cpp,
// solver/eulerian_model.cpp, solver/eulerian_emissions.cpp), 8 bytes per double:
//   concentrations  species x (1 + tags) fields of (nx+4)(ny+4)nz (halo 2), the model's state;
//   emissions       the hour's rates: species x (1 + emitting tags) fields of nx ny nz, plus the
//                   6 pollutant fields of the stack injection being built;
//   chemistry       6 fields of nx ny nz (ChemistryStep), deposition 4 x species 2-D fields;
//   meteorology     one MetState (u, v, w, t, rh, kz and 9 surface fields); a MetSeries (wrf,
//                   cf) also holds every input time (counted as period + 1 hourly states unless
//                   the actual count is given);
//   gridded files   each file's slices x 6 pollutants on the grid, twice (CaseInputs and the
//                   model's emissions keep a copy each);
//   series          station and tag series, the hourly budget;
//   scenario re-runs  the baseline's model is kept while each untagged re-run holds its own
//                   state, emissions and chemistry: the peak is the larger of the two phases;
//   overhead        a fixed allowance for the program, its libraries (PROJ, NetCDF/HDF5, GLPK)
//                   and the allocator (kProcessOverheadBytes, measured on a tiny case).
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

/// Fixed part of a run's peak memory (program, shared libraries, allocator, the report's template
/// and chart library read in), bytes: a 1-hour run of the demo on its coarse 20 x 20 x 20 grid
/// peaks at 53.6 MiB RSS, of which the arrays counted here are 15.4 MiB.
inline constexpr std::uint64_t kProcessOverheadBytes = 40ull << 20;

/// What the estimate may be told beyond the case file.
struct RunResourceOptions {
  bool scenarios = true;                  ///< the scenario re-runs follow the baseline
  std::optional<std::size_t> met_states;  ///< input times a MetSeries holds (default: hours + 1)
  std::optional<std::size_t> gridded_slices;  ///< total time slices of the gridded files (default 12 each)
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
                gridded_bytes = 0, series_bytes = 0, rerun_bytes = 0, overhead_bytes = 0;
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
/// so a full disk fails the run without touching an earlier output).
std::vector<std::string> check_run_resources(const CaseInputs& inputs, const std::string& out_dir,
                                             bool scenarios = true);

/// Bytes as "61.2 GiB" / "312.5 MiB".
std::string format_bytes(std::uint64_t bytes);

/// The figures as text lines for `lantian check` (indented, no heading).
std::string format_run_resources(const RunResources& r);

}  // namespace lantian
