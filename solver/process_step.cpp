#include "solver/process_step.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace lantian::solver {

SpeciesFields zero_species_fields(int nx, int ny, int nz, int halo) {
  SpeciesFields c;
  for (auto& f : c) f = Field3D<double>(nx, ny, nz, halo);
  return c;
}

std::string describe_time(const StepTime& time) {
  const double hour = std::floor(time.start_h);
  const double seconds = (time.start_h - hour) * 3600.0;
  std::ostringstream s;
  s << format_utc(static_cast<UtcHour>(hour));
  if (std::abs(seconds) >= 0.5e-3) s << " + " << seconds << " s";
  s << " (step of " << time.dt << " s)";
  return s.str();
}

void check_rows(const RowRange& rows, int ny, std::string_view process) {
  LANTIAN_CHECK(rows.j0 >= 0 && rows.j0 <= rows.j1 && rows.j1 <= ny, (ErrorContext{"", 0, std::string(process)}),
                "expected rows 0 <= j0 <= j1 <= " + std::to_string(ny) + ", found j0=" + std::to_string(rows.j0) +
                    " j1=" + std::to_string(rows.j1));
}

void throw_first_bad(const std::vector<BadValue>& rows, std::string_view process, const StepTime& time) {
  for (const BadValue& b : rows) {
    if (!b.found) continue;
    std::ostringstream s;
    s << process << " at " << describe_time(time) << ": " << b.what << " at cell (i=" << b.i << ", j=" << b.j
      << ", k=" << b.k << ") is " << b.value << " (expected a finite, non-negative value)";
    throw Error(ErrorContext{"", 0, std::string(process)}, s.str());
  }
}

PerSpecies sum_rows(const std::vector<PerSpecies>& rows) noexcept {
  PerSpecies total{};
  for (const PerSpecies& r : rows)
    for (std::size_t s = 0; s < total.size(); ++s) total[s] += r[s];
  return total;
}

void check_concentrations(const SpeciesFields& c, const RowRange& rows, std::string_view process, const StepTime& time) {
  check_rows(rows, c[0].ny(), process);
  std::vector<BadValue> bad(static_cast<std::size_t>(rows.size()));
  for_each_row(rows, [&](int j) {
    BadValue& b = bad[static_cast<std::size_t>(j - rows.j0)];
    for (Species s : kAllSpecies) {
      const auto v = c[index(s)].view();
      for (int k = 0; k < v.nz; ++k)
        for (int i = 0; i < v.nx; ++i)
          if (flag_bad(b, v(i, j, k), i, j, k, species_name(s))) return;
    }
  });
  throw_first_bad(bad, process, time);
}

namespace {

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
// As transport.cpp's row kernels: an AVX2 clone picked at load time (GCC leaves the plain
// version of this loop scalar; the clones vectorise). Comparisons only: the same answer in both.
#define LANTIAN_CHECK_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define LANTIAN_CHECK_KERNEL
#endif

/// 1 if any of p[0, n) is NaN, infinite, negative or above `ceiling` (vectorises: no branch).
LANTIAN_CHECK_KERNEL int out_of_range_row(const double* p, int n, double ceiling) noexcept {
  int flag = 0;
  for (int i = 0; i < n; ++i) flag |= ((p[i] >= 0.0) & (p[i] <= ceiling)) ? 0 : 1;
  return flag;
}

/// The first bad cell of a row of the state check: field slot (0 the total, t + 1 tag t).
struct StateBad {
  int slot = -1;
  int s = 0, i = 0, k = 0;
  double value = 0.0;
};

}  // namespace

int bad_row(const double* p, int n) noexcept {
  return out_of_range_row(p, n, std::numeric_limits<double>::max());
}

bool flag_bad_row(BadValue& bad, const double* p, int nx, int j, int k, std::string_view what) {
  if (bad_row(p, nx) == 0) return false;
  for (int i = 0; i < nx; ++i)
    if (flag_bad(bad, p[i], i, j, k, what)) break;
  return true;
}

void check_state(const SpeciesFields& total, std::span<const SpeciesFields> tags, std::string_view process,
                 const StepTime& time, double ceiling, int i0, int j0) {
  const int slots = 1 + static_cast<int>(tags.size());
  // Fast path: one branch-free pass over each field's contiguous storage (halos included), so
  // a clean state costs one streaming read (~1 ms for the demo's 9 species); only when a value
  // is out of range anywhere does the row-ordered search below locate the first bad interior
  // cell. A bad value in a halo alone (halos are refilled before every pass) is not an error.
  const int n_fields = slots * static_cast<int>(kSpeciesCount);
  int any = 0;
#pragma omp parallel for reduction(| : any) schedule(static)
  for (int f = 0; f < n_fields; ++f) {
    const int slot = f / static_cast<int>(kSpeciesCount);
    const SpeciesFields& c = slot == 0 ? total : tags[static_cast<std::size_t>(slot - 1)];
    const Field3D<double>& field = c[static_cast<std::size_t>(f % static_cast<int>(kSpeciesCount))];
    any |= out_of_range_row(field.data(), static_cast<int>(field.size()), ceiling);
  }
  if (any == 0) return;
  const int nx = total[0].nx(), ny = total[0].ny(), nz = total[0].nz();
  std::vector<StateBad> bad(static_cast<std::size_t>(ny));
  for_each_row(RowRange{0, ny}, [&](int j) {
    for (int slot = 0; slot < slots; ++slot) {
      const SpeciesFields& c = slot == 0 ? total : tags[static_cast<std::size_t>(slot - 1)];
      for (std::size_t s = 0; s < kSpeciesCount; ++s) {
        const auto v = c[s].view();
        for (int k = 0; k < nz; ++k) {
          const double* row = &v(0, j, k);
          if (out_of_range_row(row, nx, ceiling) == 0) continue;
          for (int i = 0; i < nx; ++i)
            if (!(row[i] >= 0.0 && row[i] <= ceiling)) {
              bad[static_cast<std::size_t>(j)] = {slot, static_cast<int>(s), i, k, row[i]};
              return;
            }
        }
      }
    }
  });
  for (int j = 0; j < ny; ++j) {
    const StateBad& b = bad[static_cast<std::size_t>(j)];
    if (b.slot < 0) continue;
    std::ostringstream o;
    o << process << " at " << describe_time(time) << ": ";
    if (b.slot > 0) o << "tag " << (b.slot - 1) << " ";
    o << species_name(kAllSpecies[static_cast<std::size_t>(b.s)]) << " at cell (i=" << (b.i + i0)
      << ", j=" << (j + j0) << ", k=" << b.k << ") is " << b.value << " ug/m3 (";
    if (!std::isfinite(b.value))
      o << "not a finite number";
    else if (b.value < 0.0)
      o << "negative";
    else
      o << "above the ceiling of " << ceiling << " ug/m3: no air holds that much; an input or the process is wrong";
    o << ")";
    throw Error(o.str());
  }
}

}  // namespace lantian::solver
