#include "solver/receptor_means.hpp"

#include <utility>

#include "core/error.hpp"

namespace lantian::solver {

std::vector<Receptor> grid_receptors(double x0, double y0, double dx, double dy, int nx, int ny, double z) {
  LANTIAN_CHECK(nx > 0 && ny > 0 && dx > 0.0 && dy > 0.0, (ErrorContext{"", 0, "grid receptors"}),
                "expected nx, ny >= 1 and dx, dy > 0 m, found nx=" + std::to_string(nx) + " ny=" + std::to_string(ny) +
                    " dx=" + std::to_string(dx) + " dy=" + std::to_string(dy));
  std::vector<Receptor> out;
  out.reserve(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      std::string id = "g";  // appended piecewise: GCC 12 warns (-Wrestrict) on "g" + to_string(i)
      id += std::to_string(i);
      id += '_';
      id += std::to_string(j);
      out.push_back(Receptor{std::move(id), x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy, z});
    }
  return out;
}

std::vector<Receptor> grid_receptors(const Grid& grid, double z) {
  return grid_receptors(grid.x_face(0), grid.y_face(0), grid.dx(), grid.dy(), grid.nx(), grid.ny(), z);
}

DailyMeans daily_means(std::span<const double> hourly, std::size_t n_receptors, std::span<const UtcHour> times,
                       const TimeZone& tz) {
  LANTIAN_CHECK(hourly.size() == times.size() * n_receptors, (ErrorContext{"", 0, "daily means"}),
                "expected hours x receptors = " + std::to_string(times.size() * n_receptors) + " values, found " +
                    std::to_string(hourly.size()));
  DailyMeans d;
  d.n_receptors = n_receptors;
  for (std::size_t h = 0; h < times.size(); ++h) {
    LANTIAN_CHECK(h == 0 || times[h] > times[h - 1], (ErrorContext{"", 0, "daily means"}),
                  "expected strictly increasing hours, found " + format_utc(times[h]) + " after " +
                      format_utc(times[h - 1]));
    const std::string date = format_local(times[h], tz).substr(0, 10);
    if (d.dates.empty() || d.dates.back() != date) {
      d.dates.push_back(date);
      d.hours.push_back(0);
      d.mean.resize(d.mean.size() + n_receptors, 0.0);
    }
    d.hours.back() += 1;
    double* row = d.mean.data() + (d.dates.size() - 1) * n_receptors;
    for (std::size_t r = 0; r < n_receptors; ++r) row[r] += hourly[h * n_receptors + r];
  }
  for (std::size_t day = 0; day < d.dates.size(); ++day)
    for (std::size_t r = 0; r < n_receptors; ++r) d.mean[day * n_receptors + r] /= d.hours[day];
  return d;
}

}  // namespace lantian::solver
