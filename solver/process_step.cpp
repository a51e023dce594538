#include "solver/process_step.hpp"

#include <cmath>
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

}  // namespace lantian::solver
