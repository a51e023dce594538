#pragma once
// The emission inventory (排放清单) of DOMAIN.md §5-6: enterprises (企业) with their stacks (排气筒)
// and production lines (生产线), area sources (面源) by sector, road (line) sources (线源) and
// temporal profiles (时间变化系数). Rates are g/s (converted once at reading, units.hpp),
// coordinates are in the grid's CRS (projected at reading when given as lon/lat).
//
// How an enterprise's emission reaches its stacks (stack_emissions()):
//   - `Enterprise::rates` is the enterprise's total (annual-mean) rate of each pollutant;
//   - production line l emits share_l[p] * rates[p], split equally among the line's stacks, or
//     released at ground level at the enterprise's location when the line lists no stack;
//   - the rest, (1 - sum_l share_l[p]) * rates[p], is split equally among all the enterprise's
//     stacks, or released at ground level when the enterprise has no stack.
// So stacks + ground-level releases = enterprise totals, exactly (up to round-off).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/time_axis.hpp"

namespace lantian::emissions {

/// The pollutants an inventory carries, as indices into `Rates` (species as structure of
/// arrays, STYLE.md 9). NOx is counted as NO2; VOCs are non-methane VOCs.
enum class EmittedPollutant : std::uint8_t { so2 = 0, nox, pm25, pm10, vocs, nh3 };
inline constexpr int kEmittedPollutantCount = 6;
inline constexpr std::array<EmittedPollutant, kEmittedPollutantCount> kAllEmittedPollutants{
    EmittedPollutant::so2, EmittedPollutant::nox,  EmittedPollutant::pm25,
    EmittedPollutant::pm10, EmittedPollutant::vocs, EmittedPollutant::nh3};

/// Display name: "SO2", "NOx", "PM2.5", "PM10", "VOCs", "NH3".
std::string_view pollutant_name(EmittedPollutant p) noexcept;
/// CSV column name: "so2", "nox", "pm25", "pm10", "vocs", "nh3".
std::string_view pollutant_column(EmittedPollutant p) noexcept;
/// Index of a pollutant in a Rates array.
constexpr std::size_t index(EmittedPollutant p) noexcept { return static_cast<std::size_t>(p); }

/// One value per EmittedPollutant, in g/s (or, for shares, a dimensionless fraction).
using Rates = std::array<double, kEmittedPollutantCount>;

/// Source sectors (行业/部门). `industry` covers the enterprises (point sources).
enum class Sector : std::uint8_t {
  residential_heating = 0,  ///< 居民采暖 (residential heating and cooking fuel)
  construction_dust,        ///< 施工扬尘
  road_dust,                ///< 道路扬尘
  road_traffic,             ///< 道路移动源 (exhaust)
  non_road_machinery,       ///< 非道路移动机械
  agriculture,              ///< 农业 (fertiliser, livestock: NH3)
  solvent_use,              ///< 溶剂使用
  catering,                 ///< 餐饮油烟
  industry,                 ///< 工业 (enterprises and their stacks)
  power,                    ///< 电力 (power plants of gridded inventories, e.g. MEIC's power sector;
                            ///< listed enterprises stay `industry` with industry "power")
};
inline constexpr int kSectorCount = 10;
/// Snake-case name, as written in the CSV files: "residential_heating", ..., "industry", "power".
std::string_view sector_name(Sector s) noexcept;
/// Parses a sector name (case-insensitive); nullopt when unknown.
std::optional<Sector> parse_sector(std::string_view text) noexcept;
/// All sector names, in enum order (for nearest_name suggestions).
std::array<std::string_view, kSectorCount> sector_names() noexcept;

/// Performance grade of an enterprise in a key industry (绩效分级). `none` for enterprises
/// outside the graded industries (非重点行业, 未分级).
enum class Grade : std::uint8_t { A = 0, B, C, D, leading, none };
inline constexpr int kGradeCount = 6;
/// "A", "B", "C", "D", "leading" (引领性), "none".
std::string_view grade_name(Grade g) noexcept;
/// Parses "A".."D" (case-insensitive), "leading" (or "引领性"), "none" (or empty, "-");
/// nullopt when unknown.
std::optional<Grade> parse_grade(std::string_view text) noexcept;

/// Temporal profile (时间变化系数) in local time: the rate at a local time is the annual-mean
/// rate times month[m] * weekday[d] * hour[h]. Each set of factors is normalised to mean 1
/// (so the product has mean 1 over a year up to the month-length and covariance terms).
struct TemporalProfile {
  std::string id;
  std::array<double, 12> month;    ///< January .. December
  std::array<double, 7> weekday;   ///< Monday .. Sunday (ISO 8601 order)
  std::array<double, 24> hour;     ///< local hour 0 .. 23 (the hour starting at h:00)

  /// A flat profile (all factors 1).
  static TemporalProfile flat(std::string id = "flat");
};

/// Local calendar position of a UTC hour in a time zone.
struct LocalTime {
  int year = 1970;
  int month = 1;    ///< 1..12
  int day = 1;      ///< 1..31
  int weekday = 0;  ///< 0 = Monday .. 6 = Sunday
  int hour = 0;     ///< 0..23
};
/// The local time of UTC hour `t` in `tz` (with the zone's offset at t).
LocalTime local_time(UtcHour t, const TimeZone& tz);
/// month[m-1] * weekday[d] * hour[h] at a local time.
double temporal_factor(const TemporalProfile& profile, const LocalTime& local) noexcept;

/// A listed enterprise (企业), the unit of 一厂一策.
struct Enterprise {
  std::string id;
  std::string name;
  std::string industry;        ///< key industry (重点行业): "power", "steel", "cement", ...
  Grade grade = Grade::none;   ///< performance grade (绩效分级)
  bool exempt = false;         ///< exempt from mandatory cuts (豁免), e.g. power/heat supply
  std::string exempt_reason;   ///< why (empty when not exempt)
  std::string district;        ///< administrative district (区县)
  std::string category;        ///< air-pollution problem category (DOMAIN.md §6), e.g. "industrial waste gas"
  std::string department;      ///< responsible department, e.g. "ecology and environment bureau"
  XY location;                 ///< site position in the grid CRS (ground-level releases go here)
  Rates rates{};               ///< total annual-mean emission rate, g/s
  int profile = -1;            ///< index into Inventory::profiles, -1 = flat
};

/// A stack (排气筒) of an enterprise.
struct Stack {
  std::string id;
  std::size_t enterprise = 0;  ///< index into Inventory::enterprises
  XY position;                 ///< in the grid CRS, m
  double height = 0.0;         ///< physical height above ground, m
  double diameter = 0.0;       ///< inner diameter at the top, m (> 0)
  double exit_velocity = 0.0;  ///< gas exit velocity, m/s
  double exit_temperature = 0.0;  ///< gas exit temperature, K
};

/// A production line / process (生产线/工序) of an enterprise: what a measure stops or limits.
struct ProductionLine {
  std::string id;
  std::size_t enterprise = 0;        ///< index into Inventory::enterprises
  std::string name;
  std::vector<std::size_t> stacks;   ///< indices into Inventory::stacks (same enterprise); may be empty
  Rates share{};                     ///< fraction of the enterprise's rate of each pollutant, in [0, 1]
  bool can_stop = true;              ///< whether the line can be stopped (some kilns cannot)
  double min_load = 0.0;             ///< minimum load when running, fraction in [0, 1]
  double lost_output_per_hour = 0.0; ///< output value lost per hour stopped, yuan/h (万元 x 1e4)
};

/// A polygon ring in the grid CRS (closing vertex not repeated).
using Ring = std::vector<XY>;

/// A polygon with optional holes, in the grid CRS. A multi-polygon is several of these.
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

/// An area source (面源): a polygon (or several) releasing at ground level, spread by area.
struct AreaSource {
  std::string id;
  std::string name;
  Sector sector = Sector::residential_heating;
  std::string district;
  std::string category;        ///< air-pollution problem category (DOMAIN.md §6)
  std::string department;      ///< responsible department
  std::vector<Polygon> polygons;
  Rates rates{};               ///< total annual-mean rate of the whole source, g/s
  int profile = -1;            ///< index into Inventory::profiles, -1 = flat
};

/// A road (line) source (线源): a polyline releasing at ground level, spread by length.
struct RoadSource {
  std::string id;
  std::string name;
  Sector sector = Sector::road_traffic;
  std::string district;
  std::string category;
  std::string department;
  std::vector<XY> path;        ///< polyline vertices in the grid CRS, at least 2
  double width = 0.0;          ///< carriageway width, m (informative; gridding uses the length)
  Rates rates{};               ///< total annual-mean rate of the whole road, g/s
  int profile = -1;            ///< index into Inventory::profiles, -1 = flat
};

/// A ground-level release at a point: the part of an enterprise's emission not sent to stacks.
struct GroundRelease {
  std::size_t enterprise = 0;
  XY position;
  Rates rates{};  ///< g/s
};

/// The whole inventory. Cross references are indices, resolved and checked at reading.
struct Inventory {
  std::vector<Enterprise> enterprises;
  std::vector<Stack> stacks;
  std::vector<ProductionLine> lines;
  std::vector<AreaSource> areas;
  std::vector<RoadSource> roads;
  std::vector<TemporalProfile> profiles;

  /// Index of the enterprise with this id, nullopt if none (linear search).
  std::optional<std::size_t> find_enterprise(std::string_view id) const noexcept;
  /// The profile at index `i`, or the flat profile when i < 0.
  const TemporalProfile& profile(int i) const noexcept;
};

/// The annual-mean rate of each stack (g/s), in the order of Inventory::stacks, following the
/// rule at the top of this header.
std::vector<Rates> stack_emissions(const Inventory& inv);
/// The ground-level releases of the enterprises (one per enterprise with a non-zero release).
std::vector<GroundRelease> ground_releases(const Inventory& inv);

/// Signed area of a ring (positive counter-clockwise), shoelace formula.
double signed_area(const Ring& ring) noexcept;
/// Area of a polygon: |outer| - sum |holes|.
double area(const Polygon& polygon) noexcept;

}  // namespace lantian::emissions
