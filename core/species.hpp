#pragma once
// The Eulerian model's species (模拟物种) and how they make up PM2.5.
//
// Every species is carried as a mass concentration in µg/m³ of the species itself: SO2 as SO2,
// NOx as NO2, VOCs as VOC mass, NH3 as NH3, sulfate as SO4, nitrate as NO3, SOA as organic mass.
// Conversions between species use the molar masses below (e.g. 1 µg of SO2 converted gives
// 96.06/64.07 µg of SO4).
//
// Reported PM2.5 = primary PM2.5 + 1.375 × sulfate + 1.29 × nitrate + SOA (+ boundary inflow,
// which arrives in these same species). 1.375 = M((NH4)2SO4)/M(SO4) = 132.14/96.06 and
// 1.29 = M(NH4NO3)/M(NO3) = 80.04/62.00: sulfate and nitrate are taken as fully neutralised by
// ammonium (the usual reconstruction, e.g. Malm et al. 1994, J. Geophys. Res. 99, 1347).
// PM10 = PM2.5 + coarse PM.
//
// In core: the model species are shared by the emission fields (emissions/), the model (solver/)
// and the writers (forecast/).
#include <array>
#include <cstddef>
#include <string_view>

namespace lantian {

enum class Species : unsigned char { so2 = 0, nox, voc, nh3, ppm25, pmc, so4, no3, soa };
inline constexpr int kSpeciesCount = 9;
inline constexpr std::array<Species, kSpeciesCount> kAllSpecies{Species::so2, Species::nox,   Species::voc,
                                                                Species::nh3, Species::ppm25, Species::pmc,
                                                                Species::so4, Species::no3,   Species::soa};

constexpr std::size_t index(Species s) noexcept { return static_cast<std::size_t>(s); }

/// A value per species (e.g. a budget term in µg, a deposition velocity in m/s, a rate in µg/s).
using PerSpecies = std::array<double, kSpeciesCount>;

/// Short names used in files (NetCDF variables, CSV columns).
constexpr std::string_view species_name(Species s) noexcept {
  constexpr std::array<std::string_view, kSpeciesCount> names{"SO2", "NOx", "VOC", "NH3", "PPM25",
                                                              "PMC", "SO4", "NO3", "SOA"};
  return names[index(s)];
}

/// Molar masses, g/mol.
inline constexpr double kMolarMassSO2 = 64.07;
inline constexpr double kMolarMassSO4 = 96.06;
inline constexpr double kMolarMassNO2 = 46.01;
inline constexpr double kMolarMassNO3 = 62.00;
inline constexpr double kMolarMassNH3 = 17.03;

/// Ammonium mass factors of the PM2.5 reconstruction (see the header comment).
inline constexpr double kAmmoniumSulfateFactor = 1.375;
inline constexpr double kAmmoniumNitrateFactor = 1.29;

/// PM2.5 (µg/m³) from the species of one cell, indexed by Species.
constexpr double pm25_of(const std::array<double, kSpeciesCount>& c) noexcept {
  return c[index(Species::ppm25)] + kAmmoniumSulfateFactor * c[index(Species::so4)] +
         kAmmoniumNitrateFactor * c[index(Species::no3)] + c[index(Species::soa)];
}

}  // namespace lantian
