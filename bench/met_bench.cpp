// Reading and regridding a 72-hour WRF-sized meteorology set (issue 3), against the machine's
// file-read bandwidth measured in the same run (STYLE.md 20; bench/report.py prints the ratios).
//
// Data: written once per run, on first use, into a fresh temporary folder (removed at exit): 72
// hourly wrfout files of one time each, as WRF writes them (wrfout_d03_YYYY-MM-DD_hh:mm:ss),
// NetCDF classic with 64-bit offsets (CDF-2, WRF's default io_form 2 without NetCDF-4
// compression), holding exactly the variables open_wrf/load_frame read (meteo/wrf_reader.hpp),
// as float32. Domain: Lambert conformal (TRUELAT 30/60, STAND_LON 118.8 E) centred on the demo
// city (32 N, 118.8 E), 100 x 100 cells at DX = DY = 3 km and 30 levels stretched from 50 m to
// ~12 km; terrain, winds, temperature, humidity and the surface fields vary smoothly in space and
// time (analytic, deterministic). About 11.5 MB per file, 825 MB in all. The writer is a
// size-parametrised copy of tests/meteo/wrf_fixture.hpp's, kept here: that fixture is hard-wired
// to 3 x 2 x 2 cells with per-value string dispatch (too slow for 230 M values) and its exact
// contents are what the reader tests assert.
//
// Benchmarks (serial: the reader and the regridder run on one thread; limits and kernels on 1):
// * BM_file_read (a limit, report.py "file_read"): plain read() of every byte of the 72 files in
//   1-MiB chunks into one reused buffer. The files were just written, so they are read from the
//   page cache (no disk): the counter page_cache_resident (mincore, 0..1) says how much of them
//   was resident when measured. This is the fastest way file bytes reach user space.
// * BM_met_read/hours:H: open_wrf on H files, then load_frame for every time. value = bytes of
//   variable data the read needs (float32 as stored: per file XLAT, XLONG, RAINC, RAINNC and the
//   17 variables of a frame; HGT once) per second; ratio to BM_file_read.
// * BM_met_regrid/hours:12/nx:N: regrid_wrf of 12 loaded frames (read_wrf, outside the timing)
//   onto the demo city's grid (Lambert 25/47 on WGS 84, 80 x 80 km, 20 layers up to 4 km) at
//   N x N cells (N = 40: 2 km; N = 80: 1 km, the demo's 80 x 80 x 20). items = case cell-hours;
//   bytes = what a single pass must move per hour (the WRF fields it reads, as doubles, plus
//   the MetState it writes) over the case cells, compared with the STREAM triad (report.py);
//   12 frames rather than 72 keep the loaded frames to ~360 MB on a shared machine.
// * BM_met_read_regrid/hours:72: the pipeline as a case runs it, regrid_wrf on open_wrf of the 72
//   files (frames read one at a time inside regrid_wrf), 80 x 80 x 20. items = case cell-hours;
//   value = the variable bytes of BM_met_read per second, ratio to BM_file_read: how far reading
//   and regridding 72 hours is from the machine's read bandwidth.
// The met kernels take seconds per iteration: one iteration per repetition, 2-3 repetitions.
// After the timing, each regridded series is checked (finite winds and Kz, 230-320 K, RH 0-100 %):
// the set must be a sane meteorology, not only valid NetCDF; a failure turns the row into an error.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netcdf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "core/grid.hpp"
#include "meteo/regrid.hpp"
#include "meteo/wrf_reader.hpp"

namespace {

using namespace lantian;
namespace fs = std::filesystem;

constexpr int kHours = 72;
constexpr int kWrfNx = 100, kWrfNy = 100, kWrfNz = 30;
constexpr double kWrfDx = 3000.0;
constexpr double kGravity = 9.81;
constexpr std::int64_t kFloatBytes = 4;
constexpr std::size_t kReadChunk = std::size_t{1} << 20;

void nc_ok(int rc, const char* what) {
  if (rc != NC_NOERR) throw std::runtime_error(std::string("met_bench: NetCDF ") + what + ": " + nc_strerror(rc));
}

std::string wrf_time(int hour) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2015-12-%02d_%02d:00:00", 1 + hour / 24, hour % 24);
  return buf;
}

/// Heights above ground of the w-levels 0..nz: 50 m, stretched by 1.12 per level (~12 km top).
std::vector<double> w_level_heights() {
  std::vector<double> z(kWrfNz + 1, 0.0);
  double dz = 50.0;
  for (int k = 1; k <= kWrfNz; ++k, dz *= 1.12) z[static_cast<std::size_t>(k)] = z[static_cast<std::size_t>(k - 1)] + dz;
  return z;
}

/// Writes one wrfout file holding time `hour` (see the file comment). Returns nothing; throws on
/// NetCDF errors.
void write_wrfout(const std::string& path, int hour, const Grid& wrf) {
  constexpr int nx = kWrfNx, ny = kWrfNy, nz = kWrfNz;
  constexpr double two_pi = 2.0 * std::numbers::pi;
  int nc = 0;
  nc_ok(nc_create(path.c_str(), NC_CLOBBER | NC_64BIT_OFFSET, &nc), "create");
  int old_fill = 0;
  nc_ok(nc_set_fill(nc, NC_NOFILL, &old_fill), "set_fill");
  int d_t, d_s, d_we, d_sn, d_bt, d_wes, d_sns, d_bts;
  nc_ok(nc_def_dim(nc, "Time", NC_UNLIMITED, &d_t), "def_dim");
  nc_ok(nc_def_dim(nc, "DateStrLen", 19, &d_s), "def_dim");
  nc_ok(nc_def_dim(nc, "west_east", nx, &d_we), "def_dim");
  nc_ok(nc_def_dim(nc, "south_north", ny, &d_sn), "def_dim");
  nc_ok(nc_def_dim(nc, "bottom_top", nz, &d_bt), "def_dim");
  nc_ok(nc_def_dim(nc, "west_east_stag", nx + 1, &d_wes), "def_dim");
  nc_ok(nc_def_dim(nc, "south_north_stag", ny + 1, &d_sns), "def_dim");
  nc_ok(nc_def_dim(nc, "bottom_top_stag", nz + 1, &d_bts), "def_dim");
  auto att = [&](const char* name, double v) { nc_ok(nc_put_att_double(nc, NC_GLOBAL, name, NC_FLOAT, 1, &v), name); };
  auto iatt = [&](const char* name, int v) { nc_ok(nc_put_att_int(nc, NC_GLOBAL, name, NC_INT, 1, &v), name); };
  iatt("MAP_PROJ", 1);
  att("TRUELAT1", 30.0);
  att("TRUELAT2", 60.0);
  att("STAND_LON", 118.8);
  att("CEN_LAT", 32.0);
  att("CEN_LON", 118.8);
  att("MOAD_CEN_LAT", 32.0);
  att("DX", kWrfDx);
  att("DY", kWrfDx);
  iatt("WEST-EAST_GRID_DIMENSION", nx + 1);
  iatt("SOUTH-NORTH_GRID_DIMENSION", ny + 1);

  struct Var {
    const char* name;
    std::vector<int> dims;
    int id = -1;
  };
  std::vector<Var> vars = {
      {"XLAT", {d_t, d_sn, d_we}},      {"XLONG", {d_t, d_sn, d_we}},      {"HGT", {d_t, d_sn, d_we}},
      {"U", {d_t, d_bt, d_sn, d_wes}},  {"V", {d_t, d_bt, d_sns, d_we}},   {"W", {d_t, d_bts, d_sn, d_we}},
      {"PH", {d_t, d_bts, d_sn, d_we}}, {"PHB", {d_t, d_bts, d_sn, d_we}}, {"T", {d_t, d_bt, d_sn, d_we}},
      {"P", {d_t, d_bt, d_sn, d_we}},   {"PB", {d_t, d_bt, d_sn, d_we}},   {"QVAPOR", {d_t, d_bt, d_sn, d_we}},
      {"T2", {d_t, d_sn, d_we}},        {"Q2", {d_t, d_sn, d_we}},         {"U10", {d_t, d_sn, d_we}},
      {"V10", {d_t, d_sn, d_we}},       {"PSFC", {d_t, d_sn, d_we}},       {"PBLH", {d_t, d_sn, d_we}},
      {"UST", {d_t, d_sn, d_we}},       {"HFX", {d_t, d_sn, d_we}},        {"RAINC", {d_t, d_sn, d_we}},
      {"RAINNC", {d_t, d_sn, d_we}},
  };
  int times_id = 0;
  const int tdims[2] = {d_t, d_s};
  nc_ok(nc_def_var(nc, "Times", NC_CHAR, 2, tdims, &times_id), "def_var Times");
  for (Var& v : vars) nc_ok(nc_def_var(nc, v.name, NC_FLOAT, static_cast<int>(v.dims.size()), v.dims.data(), &v.id), v.name);
  nc_ok(nc_enddef(nc), "enddef");

  const std::string time = wrf_time(hour);
  const std::size_t ts[2] = {0, 0}, tc[2] = {1, 19};
  nc_ok(nc_put_vara_text(nc, times_id, ts, tc, time.c_str()), "put Times");

  // Separable analytic fields: terms in i, j, k and the hour, combined with cheap arithmetic.
  const double th = static_cast<double>(hour);
  const double diurnal = std::sin(two_pi * (th - 8.0) / 24.0);  // peaks at 14:00 local (06 UTC)
  const std::vector<double> zw = w_level_heights();
  std::vector<double> zm(nz);
  for (int k = 0; k < nz; ++k) zm[static_cast<std::size_t>(k)] = 0.5 * (zw[static_cast<std::size_t>(k)] + zw[static_cast<std::size_t>(k + 1)]);
  std::vector<double> si(nx + 1), cj(ny + 1);
  for (int i = 0; i <= nx; ++i) si[static_cast<std::size_t>(i)] = std::sin(two_pi * (i / 50.0 + th / 72.0));
  for (int j = 0; j <= ny; ++j) cj[static_cast<std::size_t>(j)] = std::cos(two_pi * (j / 40.0 - th / 96.0));
  std::vector<double> hgt(static_cast<std::size_t>(nx * ny));
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      hgt[static_cast<std::size_t>(i + nx * j)] =
          20.0 + 400.0 * std::pow(std::sin(std::numbers::pi * i / nx) * std::sin(std::numbers::pi * j / ny), 2.0);

  std::vector<float> buf;
  auto put = [&](const Var& v, std::size_t ni, std::size_t nj, std::size_t nk, auto&& value) {
    buf.resize(ni * nj * nk);
    for (std::size_t k = 0; k < nk; ++k)
      for (std::size_t j = 0; j < nj; ++j)
        for (std::size_t i = 0; i < ni; ++i)
          buf[i + ni * (j + nj * k)] = static_cast<float>(value(static_cast<int>(i), static_cast<int>(j), static_cast<int>(k)));
    std::vector<std::size_t> start(v.dims.size(), 0), count(v.dims.size(), 1);
    count[v.dims.size() - 1] = ni;
    count[v.dims.size() - 2] = nj;
    if (v.dims.size() == 4) count[1] = nk;
    nc_ok(nc_put_vara_float(nc, v.id, start.data(), count.data(), buf.data()), v.name);
  };
  const auto NX = static_cast<std::size_t>(nx), NY = static_cast<std::size_t>(ny), NZ = static_cast<std::size_t>(nz);
  auto H = [&](int i, int j) { return hgt[static_cast<std::size_t>(i + nx * j)]; };
  auto S = [&](int i) { return si[static_cast<std::size_t>(i)]; };
  auto C = [&](int j) { return cj[static_cast<std::size_t>(j)]; };
  auto Zm = [&](int k) { return zm[static_cast<std::size_t>(k)]; };
  auto Zw = [&](int k) { return zw[static_cast<std::size_t>(k)]; };
  double rain = 0.0;  // accumulated since the start: hourly amounts >= 0, so it never falls
  for (int h = 0; h < hour; ++h) rain += 0.2 * (1.0 + std::sin(two_pi * h / 36.0));

  for (const Var& v : vars) {
    const std::string n = v.name;
    if (n == "XLAT") put(v, NX, NY, 1, [&](int i, int j, int) { return wrf.lonlat(i, j).lat; });
    else if (n == "XLONG") put(v, NX, NY, 1, [&](int i, int j, int) { return wrf.lonlat(i, j).lon; });
    else if (n == "HGT") put(v, NX, NY, 1, [&](int i, int j, int) { return H(i, j); });
    else if (n == "U") put(v, NX + 1, NY, NZ, [&](int i, int j, int k) { return 3.0 + 0.2 * k + 2.0 * S(i) * C(j); });
    else if (n == "V") put(v, NX, NY + 1, NZ, [&](int i, int j, int k) { return -1.0 + 0.1 * k + 1.5 * C(j) - S(i); });
    else if (n == "W") put(v, NX, NY, NZ + 1, [&](int i, int j, int k) { return k == 0 ? 0.0 : 0.02 * S(i) * C(j); });
    else if (n == "PHB") put(v, NX, NY, NZ + 1, [&](int i, int j, int k) { return kGravity * (H(i, j) + Zw(k)); });
    else if (n == "PH") put(v, NX, NY, NZ + 1, [&](int i, int j, int k) { return kGravity * 0.002 * Zw(k) * S(i) * C(j); });
    else if (n == "T") put(v, NX, NY, NZ, [&](int i, int, int k) { return -15.0 + 0.004 * Zm(k) + 3.0 * diurnal * std::exp(-Zm(k) / 1500.0) + 0.5 * S(i); });
    else if (n == "P") put(v, NX, NY, NZ, [&](int i, int j, int k) { return 50.0 * S(i) * C(j) * (1.0 - 0.02 * k); });
    else if (n == "PB") put(v, NX, NY, NZ, [&](int i, int j, int k) { return 1.0e5 * std::exp(-(H(i, j) + Zm(k)) / 8000.0); });
    else if (n == "QVAPOR") put(v, NX, NY, NZ, [&](int, int j, int k) { return 0.004 * std::exp(-Zm(k) / 2000.0) * (1.0 + 0.2 * C(j)); });
    else if (n == "T2") put(v, NX, NY, 1, [&](int i, int j, int) { return 278.0 + 5.0 * diurnal - 0.0065 * H(i, j) + 0.5 * S(i) * C(j); });
    else if (n == "Q2") put(v, NX, NY, 1, [&](int, int j, int) { return 0.004 * (1.0 + 0.2 * C(j)); });
    else if (n == "U10") put(v, NX, NY, 1, [&](int i, int j, int) { return 0.7 * (3.0 + 2.0 * S(i) * C(j)); });
    else if (n == "V10") put(v, NX, NY, 1, [&](int i, int j, int) { return 0.7 * (-1.0 + 1.5 * C(j) - S(i)); });
    else if (n == "PSFC") put(v, NX, NY, 1, [&](int i, int j, int) { return 1.0e5 * std::exp(-H(i, j) / 8000.0); });
    else if (n == "PBLH") put(v, NX, NY, 1, [&](int i, int j, int) { return 150.0 + 500.0 * std::max(diurnal, 0.0) + 50.0 * S(i) * C(j); });
    else if (n == "UST") put(v, NX, NY, 1, [&](int i, int j, int) { return 0.3 + 0.1 * S(i) * C(j); });
    else if (n == "HFX") put(v, NX, NY, 1, [&](int i, int j, int) { return 120.0 * diurnal + 10.0 * S(i) * C(j); });
    else if (n == "RAINC") put(v, NX, NY, 1, [&](int, int, int) { return rain; });
    else if (n == "RAINNC") put(v, NX, NY, 1, [&](int i, int, int) { return 0.5 * rain * (1.0 + 0.5 * (i % 2)); });
  }
  nc_ok(nc_close(nc), "close");
}

/// The 72-file set, written on first use; the folder is removed when the program exits.
struct MetSet {
  fs::path dir;
  std::vector<std::string> files;
  std::vector<std::int64_t> file_bytes;  ///< size of each file
  ~MetSet() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

const MetSet& met_set() {
  static const MetSet set = [] {
    MetSet s;
    s.dir = fs::temp_directory_path() / ("lantian_met_bench_" + std::to_string(::getpid()));
    fs::create_directories(s.dir);
    GridSpec gs;  // the full WRF domain, centred on (CEN_LON, CEN_LAT)
    gs.crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=32 +lon_0=118.8 +a=6370000 +b=6370000 +units=m +no_defs";
    gs.nx = kWrfNx;
    gs.ny = kWrfNy;
    gs.dx = gs.dy = kWrfDx;
    gs.x0 = -0.5 * kWrfNx * kWrfDx;
    gs.y0 = -0.5 * kWrfNy * kWrfDx;
    gs.layer_tops = {1.0};
    const Grid wrf(gs);
    for (int h = 0; h < kHours; ++h) {
      const std::string path = (s.dir / ("wrfout_d03_" + wrf_time(h))).string();
      write_wrfout(path, h, wrf);
      s.files.push_back(path);
      s.file_bytes.push_back(static_cast<std::int64_t>(fs::file_size(path)));
    }
    return s;
  }();
  return set;
}

std::vector<std::string> first_files(int hours) {
  const auto& all = met_set().files;
  return {all.begin(), all.begin() + hours};
}

std::int64_t total_file_bytes(int hours) {
  std::int64_t n = 0;
  for (int h = 0; h < hours; ++h) n += met_set().file_bytes[static_cast<std::size_t>(h)];
  return n;
}

/// Bytes of variable data (float32 as stored) that open_wrf + load_frame of every time need.
std::int64_t read_bytes(int hours) {
  const std::int64_t plane = std::int64_t{kWrfNx} * kWrfNy;
  const std::int64_t per_file_2d = 4 + 8;  // XLAT, XLONG, RAINC, RAINNC (open); 8 surface fields (frame)
  const std::int64_t per_frame_3d = std::int64_t{kWrfNx + 1} * kWrfNy * kWrfNz + std::int64_t{kWrfNx} * (kWrfNy + 1) * kWrfNz +
                                    3 * plane * (kWrfNz + 1) + 4 * plane * kWrfNz;  // U, V; W, PH, PHB; T, P, PB, QVAPOR
  return kFloatBytes * (plane /* HGT, once */ + hours * (per_file_2d * plane + per_frame_3d));
}

/// Fraction (0..1) of the first `hours` files' pages resident in the page cache (mincore).
double resident_fraction(int hours) {
  const long page = ::sysconf(_SC_PAGESIZE);
  std::int64_t resident = 0, total = 0;
  for (int h = 0; h < hours; ++h) {
    const std::string& path = met_set().files[static_cast<std::size_t>(h)];
    const auto size = static_cast<std::size_t>(met_set().file_bytes[static_cast<std::size_t>(h)]);
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) continue;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) continue;
    const std::size_t pages = (size + static_cast<std::size_t>(page) - 1) / static_cast<std::size_t>(page);
    std::vector<unsigned char> vec(pages);
    if (::mincore(p, size, vec.data()) == 0)
      for (unsigned char c : vec) resident += c & 1;
    total += static_cast<std::int64_t>(pages);
    ::munmap(p, size);
  }
  return total > 0 ? static_cast<double>(resident) / static_cast<double>(total) : 0.0;
}

// ---------------------------------------------------------------------------------------------
// Limit: file read bandwidth from the page cache

void BM_file_read(benchmark::State& state) {
  const int hours = static_cast<int>(state.range(0));
  const std::vector<std::string> files = first_files(hours);
  std::vector<char> buffer(kReadChunk);
  for (auto _ : state) {
    for (const std::string& path : files) {
      const int fd = ::open(path.c_str(), O_RDONLY);
      if (fd < 0) {
        state.SkipWithError(("cannot open " + path).c_str());
        return;
      }
      while (::read(fd, buffer.data(), buffer.size()) > 0) benchmark::DoNotOptimize(buffer.data());
      ::close(fd);
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * total_file_bytes(hours));
  state.counters["page_cache_resident"] = resident_fraction(hours);
  state.counters["omp_threads"] = 1;
}

BENCHMARK(BM_file_read)->ArgName("hours")->Arg(kHours)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Kernels

/// The demo city's case grid (examples/demo-city/case.toml) at n x n cells over the same 80 km.
const Grid& case_grid(int n) {
  static std::map<int, Grid> grids;
  auto it = grids.find(n);
  if (it != grids.end()) return it->second;
  GridSpec g;
  g.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  g.nx = g.ny = n;
  g.dx = g.dy = 80000.0 / n;
  g.x0 = g.y0 = -40000.0;
  g.layer_tops = {20, 50, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1200, 1450, 1700, 2000, 2400, 2800, 3200, 3600, 4000};
  return grids.emplace(n, Grid(g)).first->second;
}

std::int64_t case_cells(const Grid& g) { return std::int64_t{g.nx()} * g.ny() * g.nz(); }

/// Flags the run as an error (after the timing) unless every regridded 3-D value is finite and the temperatures
/// and humidities are plausible (the synthetic set must be a sane meteorology, not just valid
/// NetCDF).
void check_series(benchmark::State& state, const meteo::MetSeries& series) {
  for (const meteo::MetState& m : series.states()) {
    for (const Field3D<double>* f : {&m.u, &m.v, &m.w, &m.kz})
      for (std::size_t n = 0; n < f->size(); ++n)
        if (!std::isfinite(f->data()[n])) return state.SkipWithError("met_bench: non-finite regridded wind or Kz");
    for (std::size_t n = 0; n < m.t.size(); ++n)
      if (!(m.t.data()[n] > 230.0 && m.t.data()[n] < 320.0 && m.rh.data()[n] >= 0.0 && m.rh.data()[n] <= 100.0 + 1e-9))
        return state.SkipWithError(("met_bench: implausible regridded temperature " + std::to_string(m.t.data()[n]) +
                                    " K or relative humidity " + std::to_string(m.rh.data()[n]) + " %").c_str());
  }
}

void set_file_read_throughput(benchmark::State& state, int hours, std::int64_t items_per_iteration, const char* item) {
  state.SetItemsProcessed(state.iterations() * items_per_iteration);
  state.SetBytesProcessed(state.iterations() * read_bytes(hours));
  state.counters["file_read"] = 1;  // report.py: compare with BM_file_read, not the triad
  state.counters["page_cache_resident"] = resident_fraction(hours);
  state.counters["omp_threads"] = 1;
  state.SetLabel(item);
}

void BM_met_read(benchmark::State& state) {
  const int hours = static_cast<int>(state.range(0));
  const std::vector<std::string> files = first_files(hours);
  for (auto _ : state) {
    const meteo::WrfDataset ds = meteo::open_wrf(files);
    for (std::size_t n = 0; n < ds.size(); ++n) {
      const meteo::WrfFrame f = meteo::load_frame(ds, n);
      benchmark::DoNotOptimize(f.rh.data());
    }
  }
  set_file_read_throughput(state, hours, hours, "frame");
}

BENCHMARK(BM_met_read)->ArgName("hours")->Arg(kHours)->Iterations(1)->Repetitions(3)->UseRealTime()->Unit(benchmark::kMillisecond);

/// Doubles one hour of regrid_wrf must read from a WRF frame (the fields it interpolates) and
/// write into a MetState on `g`, as a single pass would.
std::int64_t regrid_doubles_per_hour(const Grid& g) {
  const std::int64_t plane = std::int64_t{kWrfNx} * kWrfNy;
  const std::int64_t in = 5 * plane * kWrfNz        // u, v, z, t, rh at mass levels
                          + 2 * plane * (kWrfNz + 1)  // z_w, w_face
                          + 9 * plane;                // t2, rh2, pblh, ust, hfx, precip, psfc, u10, v10
  const std::int64_t nx = g.nx(), ny = g.ny(), nz = g.nz();
  const std::int64_t out = (nx + 1) * ny * nz + nx * (ny + 1) * nz  // u, v
                           + 2 * nx * ny * (nz + 1)                 // w, kz
                           + 2 * nx * ny * nz                       // t, rh
                           + 9 * nx * ny;                           // the 2-D fields
  return in + out;
}

void BM_met_regrid(benchmark::State& state) {
  const int hours = static_cast<int>(state.range(0));
  const Grid& grid = case_grid(static_cast<int>(state.range(1)));
  static std::map<int, meteo::WrfDataset> loaded;  // frames read outside the timing, kept
  auto it = loaded.find(hours);
  if (it == loaded.end()) it = loaded.emplace(hours, meteo::read_wrf(first_files(hours))).first;
  const meteo::WrfDataset& ds = it->second;
  std::optional<meteo::MetSeries> series;
  for (auto _ : state) {
    series.emplace(meteo::regrid_wrf(ds, grid));
    benchmark::DoNotOptimize(series->states().back().t.data());
  }
  if (series) check_series(state, *series);
  const std::int64_t cell_hours = case_cells(grid) * hours;
  const std::int64_t doubles = regrid_doubles_per_hour(grid);
  state.SetItemsProcessed(state.iterations() * cell_hours);
  state.SetBytesProcessed(state.iterations() * doubles * hours * static_cast<std::int64_t>(sizeof(double)));
  state.counters["bytes_per_cell_hour"] = static_cast<double>(doubles * static_cast<std::int64_t>(sizeof(double))) /
                                         static_cast<double>(case_cells(grid));
  state.counters["working_set"] = static_cast<double>(doubles * static_cast<std::int64_t>(sizeof(double)));  // one hour
  state.counters["omp_threads"] = 1;
  state.SetLabel("cell-hour");
}

BENCHMARK(BM_met_regrid)
    ->ArgNames({"hours", "nx"})
    ->ArgsProduct({{12}, {40, 80}})
    ->Iterations(1)
    ->Repetitions(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_met_read_regrid(benchmark::State& state) {
  const int hours = static_cast<int>(state.range(0));
  const Grid& grid = case_grid(80);
  const std::vector<std::string> files = first_files(hours);
  std::optional<meteo::MetSeries> series;
  for (auto _ : state) {
    series.emplace(meteo::regrid_wrf(meteo::open_wrf(files), grid));
    benchmark::DoNotOptimize(series->states().back().t.data());
  }
  if (series) check_series(state, *series);
  set_file_read_throughput(state, hours, case_cells(grid) * hours, "cell-hour");
}

BENCHMARK(BM_met_read_regrid)->ArgName("hours")->Arg(kHours)->Iterations(1)->Repetitions(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
