#pragma once
// The screening output folder and the job of `lantian screen` (Python: lantian.screen): the
// Gaussian screening of a case (forecast/plume_screening.hpp) for one emitted pollutant, written
// as a folder under the output rule (core/output_folder.hpp) and summarised:
//
//   stations.csv     time,station,conc                             hourly, local ISO 8601
//   enterprises.csv  station,rank,enterprise,name,district,mean,peak
//   lines.csv        station,rank,enterprise,line,name,mean,peak
//   map_daily.csv    date,i,j,x,y,conc,hours                      (--map) local-day means per cell
//
// The rankings list, per station, the items with a mean contribution > 0 over the period,
// largest first; mean and peak in µg/m³. The column names below are the one definition shared
// by the writer here and by the reader of a screen folder (forecast/report_model.cpp).
#include <array>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/output_folder.hpp"
#include "emissions/inventory.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/plume_screening.hpp"

namespace lantian {

/// The files and columns of a `lantian screen` folder.
namespace screening_csv {
inline constexpr std::string_view kStationsFile = "stations.csv";
inline constexpr std::string_view kEnterprisesFile = "enterprises.csv";
inline constexpr std::string_view kLinesFile = "lines.csv";
inline constexpr std::string_view kMapFile = "map_daily.csv";

inline constexpr std::string_view kStation = "station", kRank = "rank", kEnterprise = "enterprise", kName = "name",
                                  kDistrict = "district", kLine = "line", kMean = "mean", kPeak = "peak",
                                  kTime = "time", kConc = "conc", kDate = "date", kI = "i", kJ = "j", kX = "x",
                                  kY = "y", kHours = "hours";

inline constexpr std::array<std::string_view, 3> kStationsColumns{kTime, kStation, kConc};
/// The item's columns of each ranking, between station,rank and mean,peak.
inline constexpr std::array<std::string_view, 3> kEnterpriseItem{kEnterprise, kName, kDistrict};
inline constexpr std::array<std::string_view, 3> kLineItem{kEnterprise, kLine, kName};
inline constexpr std::array<std::string_view, 7> kEnterprisesColumns{kStation, kRank, kEnterprise, kName,
                                                                     kDistrict, kMean, kPeak};
inline constexpr std::array<std::string_view, 7> kLinesColumns{kStation, kRank, kEnterprise, kLine,
                                                               kName, kMean, kPeak};
inline constexpr std::array<std::string_view, 7> kMapColumns{kDate, kI, kJ, kX, kY, kConc, kHours};

/// "a,b,c\n".
std::string header(std::span<const std::string_view> columns);
}  // namespace screening_csv

/// One pollutant's figures of a screening, computed once for the files and the summary.
struct ScreeningResults {
  emissions::EmittedPollutant pollutant = emissions::EmittedPollutant::pm25;
  std::vector<double> conc;         ///< [hour][receptor] (stations, then grid cells)
  std::vector<double> enterprises;  ///< [hour][station][enterprise]
  std::vector<double> lines;        ///< [hour][station][line]
};
ScreeningResults screening_results(const CaseInputs& inputs, const PlumeScreening& screening,
                                   emissions::EmittedPollutant pollutant);

/// The texts of the files (map_daily empty when the screening has no grid cells).
struct ScreeningFiles {
  std::string stations, enterprises, lines, map_daily;
};
ScreeningFiles screening_files(const CaseInputs& inputs, const PlumeScreening& screening,
                               const ScreeningResults& results, bool map);
/// Writes the folder `out.path` (all or nothing; map_daily.csv only when `files.map_daily` is
/// not empty). Returns the files' names.
std::vector<std::string> write_screening_folder(const OutputRequest& out, const ScreeningFiles& files);

/// What `lantian screen` is asked to do.
struct ScreenRequest {
  std::string case_file, out;
  std::string dispersion = "briggs-urban";
  std::string pollutant = "PM2.5";  ///< SO2, NOx, PM2.5, PM10, VOCs, NH3 (name or inventory column)
  bool map = false, force = false;
  /// Called with one line before the screening starts (what it covers); optional.
  std::function<void(const std::string&)> status;
};

/// One of the largest contributors at the peak station-hour.
struct ScreenContributor {
  std::string enterprise, name;
  double conc = 0.0;       ///< µg/m³
  double share_pct = 0.0;  ///< of the peak
};

struct ScreenSummary {
  std::string case_name, out;
  std::string pollutant;   ///< as asked
  std::string dispersion;  ///< its name
  std::size_t stacks = 0, enterprises = 0, lines = 0, sources = 0, stations = 0, receptors = 0, hours = 0;
  bool map = false;
  double wall_s = 0.0;
  bool has_peak = false;   ///< false without stations
  double peak = 0.0;       ///< µg/m³, highest station hour
  std::string peak_station, peak_time;  ///< local ISO 8601
  std::vector<ScreenContributor> contributors;  ///< up to 5, largest first, > 0 only
  std::vector<std::string> files;      ///< in the output folder
};

/// Runs `lantian screen`. Throws lantian::Error naming the file, line or option; on error
/// nothing is written.
ScreenSummary run_screen_job(const ScreenRequest& request);
/// What `lantian screen` prints on standard output.
std::string format_screen_summary(const ScreenSummary& summary);

}  // namespace lantian
