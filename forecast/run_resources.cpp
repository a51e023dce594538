// The memory and disk a run needs: see run_resources.hpp.
#include "forecast/run_resources.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "meteo/met_state.hpp"
#include "forecast/case_inputs.hpp"
#include "solver/eulerian_model.hpp"
#include "core/species.hpp"
#include "solver/transport.hpp"

namespace lantian {

namespace {

constexpr std::uint64_t kDouble = sizeof(double), kFloat = sizeof(float);
constexpr std::uint64_t kChemistryFields = 6;      // ChemistryStep: 3 losses, 3 gains
constexpr std::uint64_t kDepositionFields = 4;     // DepositionStep: 4 2-D fields per species
constexpr std::uint64_t kMetSurfaceFields = 9;     // MetState's 2-D fields
constexpr std::uint64_t kInjectionFields = emissions::kEmittedPollutantCount;  // inject_stacks' output
constexpr std::uint64_t kDefaultGriddedSlices = 12;  // a monthly file
// The tag term: fields each source tag holds in the model's state (a full copy of the species:
// solver/eulerian_model.hpp tags_[tag][species]). When the solver stores tags otherwise (fewer
// species per tag, single precision), this and the emission term's per-tag rates change.
constexpr std::uint64_t kTagFieldsPerTag = kSpeciesCount;
constexpr std::uint64_t kSmallOutputs = 4ull << 20;  // report.html (ECharts inline), JSON and CSV headers

bool any_nonzero(const std::vector<std::pair<std::string, double>>& list) {
  return std::any_of(list.begin(), list.end(), [](const auto& p) { return p.second != 0.0; });
}

/// Whether a tagged run adds the "background" tag (run_eulerian: a boundary provider, the
/// Cressman start or a non-zero initial state).
bool has_background_tag(const CaseConfig& config) {
  const ModelConfig& m = config.model;
  return !m.boundary_file.empty() || any_nonzero(m.inflow) || m.initial == InitialKind::observations ||
         std::any_of(m.background.begin(), m.background.end(), [](const auto& p) { return p.second > 0.0; });
}

/// A value from /proc/meminfo in bytes (the file gives kB), 0 when absent.
std::uint64_t meminfo(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(key + ":")) {
      std::istringstream v(line.substr(key.size() + 1));
      std::uint64_t kb = 0;
      v >> kb;
      return kb * 1024;
    }
  return 0;
}

std::optional<std::uint64_t> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  if (!(in >> s) || s == "max") return std::nullopt;
  try {
    return std::stoull(s);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

/// The time slices a gridded file yields on the grid (GriddedEmissions::rate.size()): a CF file
/// its data variables' time dimension (1 or 12; none: 1), an IOAPI file its TSTEP steps, of
/// which the reader keeps those covering the run (at most hours + 2) unless the file is monthly
/// (12). A file that cannot be read counts kDefaultGriddedSlices (the check reports why).
std::uint64_t gridded_file_slices(const GriddedEmissionsConfig& g, std::uint64_t hours) {
  const auto f = NetcdfFile::try_open(g.file);
  if (!f) return kDefaultGriddedSlices;
  try {
    if (g.format == GriddedFormat::ioapi) {
      const auto t = f->dim("TSTEP");
      if (!t) return kDefaultGriddedSlices;
      const std::uint64_t steps = std::max<std::uint64_t>(f->dim_len(*t), 1);
      return std::min(steps, std::max<std::uint64_t>(kDefaultGriddedSlices, hours + 2));
    }
    std::uint64_t slices = 1;
    for (int v = 0; v < f->nvars(); ++v) {
      const std::vector<int> d = f->dims(v);
      if (d.size() == 3) slices = std::max<std::uint64_t>(slices, f->dim_len(d[0]));
    }
    return slices;
  } catch (const std::exception&) {
    return kDefaultGriddedSlices;
  }
}

}  // namespace

std::string RunResources::drivers() const {
  return fmt::format("{} x {} x {} cells x {} species x {} fields", nx, ny, nz, species, 1 + tags);
}

std::size_t run_tag_count(const CaseConfig& config, const emissions::Inventory& inv) {
  const TagKind kind = config.model.tags;
  std::size_t n = 0;
  if (kind == TagKind::none) return 0;
  if (kind == TagKind::sector) {
    // Every sector up to industry; power only when a gridded entry may be of it (its own sector
    // or a file's attribute, unknown before reading): EulerianEmissions::sector_tag_names.
    n = static_cast<std::size_t>(emissions::Sector::industry) + 1;
    for (const auto& g : config.emissions.gridded)
      if (g.sector.empty() || emissions::parse_sector(g.sector) == emissions::Sector::power) {
        n = emissions::kSectorCount;
        break;
      }
  } else if (kind == TagKind::district) {
    std::set<std::string> districts;
    for (const auto& e : inv.enterprises) districts.insert(e.district);
    for (const auto& a : inv.areas) districts.insert(a.district);
    for (const auto& r : inv.roads) districts.insert(r.district);
    districts.erase("");
    n = districts.size() + 1;  // + "other"
  } else {
    const std::set<std::string> ids(config.model.tag_enterprises.begin(), config.model.tag_enterprises.end());
    n = ids.size() + 1;  // + "other"
  }
  return n + (has_background_tag(config) ? 1 : 0);
}

RunResources estimate_run_resources(const CaseConfig& config, const emissions::Inventory& inventory,
                                    const RunResourceOptions& options) {
  RunResources r;
  const GridSpec& g = config.grid;
  r.nx = g.nx;
  r.ny = g.ny;
  r.nz = static_cast<int>(g.layer_tops.size());
  r.species = kSpeciesCount;
  r.tags = run_tag_count(config, inventory);
  r.hours = static_cast<std::size_t>(std::max(config.period.hours, 0));
  r.stations = config.stations.size();
  const bool series = config.meteo.source == MetSource::wrf || config.meteo.source == MetSource::cf;
  r.met_states = series ? options.met_states.value_or(r.hours + 1) : 0;

  const auto nx = static_cast<std::uint64_t>(std::max(r.nx, 0)), ny = static_cast<std::uint64_t>(std::max(r.ny, 0)),
             nz = static_cast<std::uint64_t>(r.nz);
  const std::uint64_t f2 = nx * ny * kDouble, f3 = f2 * nz;
  const std::uint64_t f3_halo = (nx + 2 * solver::kTransportHalo) * (ny + 2 * solver::kTransportHalo) * nz * kDouble;
  const std::uint64_t species = r.species, tags = r.tags;
  const std::uint64_t emitting_tags = tags - (tags > 0 && has_background_tag(config) ? 1 : 0);

  // The baseline: the model's state, the hour's emissions and meteorology (see the header).
  r.concentration_bytes = species * f3_halo + tags * kTagFieldsPerTag * f3_halo;
  r.emission_bytes = (species * (1 + emitting_tags) + kInjectionFields) * f3;
  r.chemistry_bytes = kChemistryFields * f3 + kDepositionFields * species * f2;
  // MetState: u on x faces, v on y faces, w and kz on the nz + 1 levels, t and rh in the cells,
  // and the surface fields.
  const std::uint64_t met_state = ((nx + 1) * ny * nz + nx * (ny + 1) * nz + 2 * nx * ny * (nz + 1) + 2 * f3 / kDouble) *
                                      kDouble +
                                  kMetSurfaceFields * f2;
  r.met_bytes = (1 + r.met_states) * met_state;
  std::uint64_t slices = 0;
  if (options.gridded_slices) {
    slices = *options.gridded_slices;
  } else {
    for (const GriddedEmissionsConfig& gc : config.emissions.gridded) slices += gridded_file_slices(gc, r.hours);
  }
  r.gridded_slices = static_cast<std::size_t>(slices);
  r.gridded_bytes = 2 * slices * emissions::kEmittedPollutantCount * f2;
  r.column_bytes = nx * ny * kColumnBytes;
  const std::uint64_t hours = r.hours, stations = r.stations;
  r.series_bytes = hours * (sizeof(solver::HourBudget) + stations * kDouble * (1 + species * (1 + tags) + 2));
  // The scenario phase: the baseline's model kept (its state and its processes' fields: the
  // concentrations and chemistry terms), plus one untagged re-run's state, emissions and
  // chemistry; the meteorology is one state in either phase. The hour's emissions of the
  // baseline are gone by then: the re-runs add what exceeds them.
  const std::uint64_t baseline = r.emission_bytes;
  const std::uint64_t rerun = species * f3_halo + (species + kInjectionFields) * f3 + r.chemistry_bytes;
  r.rerun_bytes = options.scenarios && rerun > baseline ? rerun - baseline : 0;
  r.report_bytes = options.scenarios ? kReportBytes : 0;
  r.overhead_bytes = kProcessOverheadBytes;
  r.memory_bytes = r.concentration_bytes + r.emission_bytes + r.chemistry_bytes + r.met_bytes + r.gridded_bytes +
                   r.column_bytes + r.series_bytes + r.rerun_bytes + r.report_bytes + r.overhead_bytes;

  // fields.nc: hours + 1 records of float fields, and the coordinates (lat, lon in double).
  const std::uint64_t surface = (2 + species) * nx * ny;
  std::uint64_t per_record = surface;
  if (config.model.output_3d) per_record += species * nx * ny * nz;
  if (config.model.output_tags && tags > 0) per_record += tags * nx * ny;
  r.netcdf_bytes = (hours + 1) * per_record * kFloat + 2 * f2;
  const std::uint64_t csv = hours * (stations * 48 + species * 40 * 12) * (options.scenarios ? 2 : 1);
  r.disk_bytes = r.netcdf_bytes + csv + kSmallOutputs;
  r.machine = machine_memory();
  return r;
}

MachineMemory machine_memory() {
  MachineMemory m;
  std::ifstream in("/proc/meminfo");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  m.total = meminfo(text, "MemTotal");
  m.available = meminfo(text, "MemAvailable");
  m.source = "MemAvailable";
  if (m.total == 0) {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    m.total = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
  }
  if (m.available == 0) {
    m.available = m.total;
    m.source = "physical memory";
  }
  // A container's limit (cgroup v2) is what the kernel enforces, whatever the host has free.
  if (const auto max = read_number("/sys/fs/cgroup/memory.max")) {
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory.current").value_or(0);
    const std::uint64_t left = *max > used ? *max - used : 0;
    if (left < m.available) {
      m.available = left;
      m.source = "cgroup memory.max";
    }
  }
  return m;
}

std::string format_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024.0 * 1024.0) return fmt::format("{:.1f} GiB", b / (1024.0 * 1024.0 * 1024.0));
  if (b >= 1024.0 * 1024.0) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024.0));
  if (bytes >= 1024) return fmt::format("{:.1f} KiB", b / 1024.0);
  return fmt::format("{} B", bytes);
}

void require_run_memory(const RunResources& r, const CaseConfig& config) {
  if (r.fits()) return;
  throw Error(config.source.context("grid.nx"),
              fmt::format("the run needs {} ({}; {} of it the concentrations) but this machine has {} available ({}; "
                          "{} physical): use a coarser grid, fewer layers or fewer tags ([model] tags)",
                          format_bytes(r.memory_bytes), r.drivers(), format_bytes(r.concentration_bytes),
                          format_bytes(r.machine.available), r.machine.source, format_bytes(r.machine.total)));
}

std::optional<std::uint64_t> free_disk_space(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(path.empty() ? fs::path(".") : fs::path(path), ec);
  while (!p.empty() && !fs::exists(p, ec)) {
    if (p == p.parent_path()) break;
    p = p.parent_path();
  }
  const fs::space_info s = fs::space(p, ec);
  if (ec) return std::nullopt;
  return static_cast<std::uint64_t>(s.available);
}

std::vector<std::string> check_run_resources(const CaseInputs& in, const std::string& out_dir, bool scenarios,
                                             std::string* needs) {
  RunResourceOptions o;
  o.scenarios = scenarios;
  if (const auto* s = dynamic_cast<const meteo::MetSeries*>(in.met.get())) o.met_states = s->states().size();
  std::size_t slices = 0;
  for (const auto& g : in.gridded) slices += g.rate.size();
  o.gridded_slices = slices;
  RunResources r = estimate_run_resources(in.config, in.inventory, o);
  require_run_memory(r, in.config);
  std::vector<std::string> warnings;
  r.disk_free = free_disk_space(out_dir);
  if (needs != nullptr)
    *needs = fmt::format("needs ~{} of memory ({} available here) and up to {} of disk ({} free)",
                         format_bytes(r.memory_bytes), format_bytes(r.machine.available), format_bytes(r.disk_bytes),
                         r.disk_free ? format_bytes(*r.disk_free) : std::string("unknown"));
  if (r.disk_free && *r.disk_free < r.disk_bytes)
    warnings.push_back(fmt::format("the output may need up to {} (fields.nc uncompressed: {}) but {} is free where {} "
                                   "goes; deflate usually makes it several times smaller",
                                   format_bytes(r.disk_bytes), format_bytes(r.netcdf_bytes), format_bytes(*r.disk_free),
                                   out_dir));
  return warnings;
}

std::string format_run_resources(const RunResources& r) {
  std::string s;
  s += fmt::format("  memory   {} estimated peak ({}, {} tags)\n", format_bytes(r.memory_bytes), r.drivers(), r.tags);
  s += fmt::format("           concentrations {}, emissions {}, chemistry {}, meteorology {}{}, gridded {}{}, "
                   "columns {}, series {}, scenario re-runs {}, report {}, program {}\n",
                   format_bytes(r.concentration_bytes), format_bytes(r.emission_bytes), format_bytes(r.chemistry_bytes),
                   format_bytes(r.met_bytes), r.met_states > 0 ? fmt::format(" ({} input times)", r.met_states) : "",
                   format_bytes(r.gridded_bytes),
                   r.gridded_slices > 0 ? fmt::format(" ({} slices)", r.gridded_slices) : "",
                   format_bytes(r.column_bytes), format_bytes(r.series_bytes), format_bytes(r.rerun_bytes),
                   format_bytes(r.report_bytes), format_bytes(r.overhead_bytes));
  s += fmt::format("           this machine: {} available ({}), {} physical{}\n", format_bytes(r.machine.available),
                   r.machine.source, format_bytes(r.machine.total), r.fits() ? "" : ": DOES NOT FIT");
  s += fmt::format("  disk     up to {} per run (fields.nc uncompressed {}, {} h + the initial state)\n",
                   format_bytes(r.disk_bytes), format_bytes(r.netcdf_bytes), r.hours);
  if (r.disk_free) s += fmt::format("           free here: {}\n", format_bytes(*r.disk_free));
  return s;
}

}  // namespace lantian
