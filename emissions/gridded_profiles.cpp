// Temporal profiles and vertical distributions of gridded inventories: see gridded_profiles.hpp.
#include "emissions/gridded_profiles.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace lantian::emissions {

namespace {

using Hours = std::array<double, 24>;
using Days = std::array<double, 7>;
using Months = std::array<double, 12>;

// Raw shapes (normalised to mean 1 when a profile is built). All ASSUMED (gridded_profiles.hpp).
constexpr Days kFlatDays{1, 1, 1, 1, 1, 1, 1};
constexpr Months kFlatMonths{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
/// February lower (the Spring Festival holidays) for activity that stops over them.
constexpr Months kFestivalDip{1.0, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

// Industry: continuous processes with a day-shift surplus; weekends lower; February dip.
constexpr Hours kIndustryHours{0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.85, 0.95, 1.10, 1.15, 1.15, 1.15,
                               1.10, 1.10, 1.15, 1.15, 1.15, 1.10, 1.05, 1.00, 0.95, 0.90, 0.85, 0.80};
constexpr Days kWorkweek{1.02, 1.02, 1.02, 1.02, 1.02, 0.97, 0.93};
// Power: follows the electricity load, a flat night trough and a daytime/evening plateau; winter
// (heating) and summer (cooling) peaks.
constexpr Hours kPowerHours{0.88, 0.86, 0.85, 0.85, 0.86, 0.90, 0.96, 1.02, 1.06, 1.08, 1.09, 1.09,
                            1.07, 1.07, 1.08, 1.08, 1.08, 1.09, 1.10, 1.09, 1.06, 1.01, 0.96, 0.91};
constexpr Days kPowerDays{1.01, 1.01, 1.01, 1.01, 1.01, 0.98, 0.97};
constexpr Months kPowerMonths{1.10, 1.00, 0.97, 0.93, 0.94, 0.98, 1.08, 1.09, 0.98, 0.94, 0.97, 1.07};
// Residential fuel: morning and evening heating/cooking peaks, a noon cooking peak; the heating
// season (mid-November to mid-March in northern China) with cooking all year.
constexpr Hours kResidentialHours{0.70, 0.70, 0.70, 0.70, 0.70, 0.90, 1.30, 1.40, 1.20, 1.00, 0.90, 1.00,
                                  1.10, 0.90, 0.80, 0.80, 0.90, 1.30, 1.50, 1.50, 1.30, 1.10, 0.90, 0.80};
constexpr Months kHeatingSeason{1.8, 1.6, 1.2, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 1.2, 1.8};
// Road traffic (exhaust and resuspended dust): morning and evening rush hours, a night trough;
// Friday highest, Sunday lowest; February dip.
constexpr Hours kTrafficHours{0.35, 0.25, 0.20, 0.20, 0.25, 0.45, 0.90, 1.50, 1.70, 1.40, 1.20, 1.20,
                              1.20, 1.20, 1.25, 1.30, 1.45, 1.70, 1.60, 1.30, 1.10, 0.95, 0.75, 0.55};
constexpr Days kTrafficDays{1.03, 1.03, 1.03, 1.03, 1.05, 0.95, 0.88};
constexpr Months kTrafficMonths{1.0, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
// Construction and non-road machinery: daytime work (night work restricted), a noon break;
// Sunday lower; February (holidays, frozen ground) much lower.
constexpr Hours kSiteHours{0.20, 0.20, 0.20, 0.20, 0.20, 0.20, 0.60, 1.50, 1.50, 1.50, 1.50, 1.50,
                           1.00, 1.50, 1.50, 1.50, 1.50, 1.50, 1.20, 0.80, 0.80, 0.80, 0.30, 0.30};
constexpr Days kSiteDays{1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 0.70};
constexpr Months kSiteMonths{0.9, 0.5, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.0};
// Agriculture (NH3 from fertiliser and manure): follows temperature, afternoon peak, summer peak.
constexpr Hours kFarmHours{0.60, 0.60, 0.60, 0.60, 0.60, 0.60, 0.70, 0.90, 1.10, 1.30, 1.45, 1.60,
                           1.60, 1.60, 1.60, 1.45, 1.30, 1.10, 0.90, 0.80, 0.70, 0.70, 0.70, 0.70};
constexpr Months kFarmMonths{0.5, 0.6, 0.9, 1.2, 1.3, 1.5, 1.5, 1.4, 1.1, 0.9, 0.6, 0.5};
// Solvent use: working hours, weekends lower, February dip.
constexpr Hours kSolventHours{0.50, 0.50, 0.50, 0.50, 0.50, 0.50, 0.50, 0.80, 1.50, 1.50, 1.50, 1.50,
                              1.20, 1.50, 1.50, 1.50, 1.50, 1.20, 0.90, 0.60, 0.60, 0.60, 0.60, 0.60};
constexpr Days kSolventDays{1.05, 1.05, 1.05, 1.05, 1.05, 0.90, 0.85};
// Catering: lunch and dinner peaks; weekends higher.
constexpr Hours kCateringHours{0.20, 0.20, 0.20, 0.20, 0.20, 0.20, 0.60, 0.90, 0.70, 0.60, 1.20, 2.40,
                               2.20, 1.00, 0.60, 0.60, 1.00, 2.20, 2.40, 1.60, 1.00, 0.80, 0.60, 0.40};
constexpr Days kCateringDays{0.95, 0.95, 0.95, 0.95, 1.00, 1.10, 1.10};

TemporalProfile make(Sector sector, const Months& m, const Days& d, const Hours& h) {
  TemporalProfile p;
  p.id = "default:";
  p.id += sector_name(sector);
  p.month = m;
  p.weekday = d;
  p.hour = h;
  normalise_profile(p);
  return p;
}

template <std::size_t N>
void normalise(std::array<double, N>& a) {
  double sum = 0.0;
  for (double v : a) sum += v;
  if (!(sum > 0.0)) return;
  const double mean = sum / static_cast<double>(N);
  for (double& v : a) v /= mean;
}

}  // namespace

void normalise_profile(TemporalProfile& profile) {
  normalise(profile.month);
  normalise(profile.weekday);
  normalise(profile.hour);
}

TemporalProfile default_gridded_profile(Sector sector) {
  switch (sector) {
    case Sector::residential_heating: return make(sector, kHeatingSeason, kFlatDays, kResidentialHours);
    case Sector::construction_dust: return make(sector, kSiteMonths, kSiteDays, kSiteHours);
    case Sector::road_dust: return make(sector, kTrafficMonths, kTrafficDays, kTrafficHours);
    case Sector::road_traffic: return make(sector, kTrafficMonths, kTrafficDays, kTrafficHours);
    case Sector::non_road_machinery: return make(sector, kSiteMonths, kSiteDays, kSiteHours);
    case Sector::agriculture: return make(sector, kFarmMonths, kFlatDays, kFarmHours);
    case Sector::solvent_use: return make(sector, kFestivalDip, kSolventDays, kSolventHours);
    case Sector::catering: return make(sector, kFlatMonths, kCateringDays, kCateringHours);
    case Sector::industry: return make(sector, kFestivalDip, kWorkweek, kIndustryHours);
    case Sector::power: return make(sector, kPowerMonths, kPowerDays, kPowerHours);
  }
  return TemporalProfile::flat();
}

std::vector<LayerFraction> default_gridded_layers(Sector sector) {
  switch (sector) {
    case Sector::industry: return {{20.0, 0.40}, {100.0, 0.35}, {300.0, 0.25}};
    case Sector::power: return {{100.0, 0.05}, {200.0, 0.25}, {400.0, 0.45}, {700.0, 0.25}};
    default: return {};
  }
}

double gridded_temporal_factor(const GriddedEmissions& file, const LocalTime& local) {
  if (file.stepped()) return 1.0;  // an hourly file carries its own diurnal and weekly variation
  const TemporalProfile p = file.profile ? *file.profile : default_gridded_profile(file.sector);
  double f = p.weekday[static_cast<std::size_t>(local.weekday)] * p.hour[static_cast<std::size_t>(local.hour)];
  if (file.rate.size() != 12) f *= p.month[static_cast<std::size_t>(local.month - 1)];
  return f;
}

std::vector<double> gridded_layer_weights(const std::vector<LayerFraction>& layers,
                                          const std::vector<double>& layer_tops) {
  std::vector<double> w(layer_tops.size(), 0.0);
  if (w.empty()) return w;
  if (layers.empty()) {
    w[0] = 1.0;
    return w;
  }
  double total = 0.0;
  for (const LayerFraction& l : layers) total += l.fraction;
  double bottom = 0.0;
  for (const LayerFraction& l : layers) {
    const double f = total > 0.0 ? l.fraction / total : 0.0;
    if (f > 0.0)
      for (const LayerShare& s : layer_shares(bottom, l.top_m, layer_tops)) w[static_cast<std::size_t>(s.k)] += f * s.fraction;
    bottom = l.top_m;
  }
  // The highest receiving layer closes the sum to 1 exactly.
  std::size_t last = 0;
  for (std::size_t k = 0; k < w.size(); ++k)
    if (w[k] > 0.0) last = k;
  double others = 0.0;
  for (std::size_t k = 0; k < w.size(); ++k)
    if (k != last) others += w[k];
  w[last] = 1.0 - others;
  return w;
}

}  // namespace lantian::emissions
