#pragma once
// Receptor sets and time aggregation for the Gaussian plume: the model grid's cell centres as
// receptors (for maps), and daily means of hourly values by local calendar day.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "core/time_axis.hpp"
#include "solver/gaussian_plume.hpp"

namespace lantian::solver {

/// Receptors at the centres of an nx × ny grid whose south-west corner is (x0, y0), cells dx × dy
/// (m), at height z; id "g<i>_<j>" (i column from the west, j row from the south), row-major with
/// i fastest. Throws lantian::Error on a non-positive size or spacing.
std::vector<Receptor> grid_receptors(double x0, double y0, double dx, double dy, int nx, int ny, double z = 0.0);
/// The same for the cell centres of a case grid.
std::vector<Receptor> grid_receptors(const Grid& grid, double z = 0.0);

/// Daily means of hourly values per receptor, by calendar day in the case's local time zone.
struct DailyMeans {
  /// GB 3095-2012 Table 4: a 24-hour mean of PM2.5 (or PM10, SO2, NO2) needs at least 20 hourly
  /// values that day.
  static constexpr int kMinValidHours = 20;
  std::size_t n_receptors = 0;
  std::vector<std::string> dates;  ///< "YYYY-MM-DD", local
  std::vector<int> hours;          ///< [day]: number of hours averaged
  std::vector<double> mean;        ///< [day][receptor]

  std::size_t n_days() const noexcept { return dates.size(); }
  double value(std::size_t day, std::size_t r) const noexcept { return mean[day * n_receptors + r]; }
  bool valid(std::size_t day) const noexcept { return hours[day] >= kMinValidHours; }
};

/// `hourly` is [hour][receptor] (e.g. Contributions::totals) at the UTC hours `times`, strictly
/// increasing. Throws lantian::Error when sizes disagree or times are not increasing.
DailyMeans daily_means(std::span<const double> hourly, std::size_t n_receptors, std::span<const UtcHour> times,
                       const TimeZone& tz);

}  // namespace lantian::solver
