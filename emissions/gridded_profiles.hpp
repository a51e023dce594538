#pragma once
// Temporal profiles and vertical distributions of gridded inventories ([[emissions.gridded]]).
//
// A gridded file holds an annual (or monthly) mean per cell. At a local hour its rate is the mean
// times the profile's month x weekday x hour factors (TemporalProfile, inventory.hpp), where the
// month factor is left out for a monthly file (12 slices: the slice already is the month) — so a
// monthly file takes only the hour and weekday factors. A case entry names a profile of the case's
// profiles.csv (`profile = "ID"`), or `profile = "flat"` (all factors 1); without one the sector's
// default below applies.
//
// DEFAULT TEMPORAL PROFILES (default_gridded_profile): every default is an ASSUMED SHAPE of this
// engine, written from the usual qualitative patterns (traffic rush hours, daytime working hours,
// meal times, the northern-China heating season, the Spring Festival dip in February, NH3 following
// temperature); none is copied from a published table (MEIC's, EDGAR's or TNO's temporal profiles
// exist, but their numbers are not reproduced here). Replace them with the inventory provider's
// profiles in profiles.csv when they are known. Each axis is normalised to mean 1 (the tables in
// gridded_profiles.cpp are the raw shapes).
//
// VERTICAL DISTRIBUTION: a list of height ranges from the ground, (top_m, fraction): the first range
// is [0, top_0], the next [top_0, top_1], ...; tops strictly increasing and > 0, fractions in [0, 1]
// summing to 1 (the case file reader checks them with file:line, and they are divided by their sum
// so that they sum to 1 to round-off). Each range's fraction is spread uniformly in height over the
// model layers it overlaps (layer_shares of stack_injection.hpp, the stacks' path: heights above the
// grid top go to the top layer), and the column's shares sum to exactly 1: the emission added over
// a column equals the 2-D rate to round-off. An empty list means "at the ground": all of it in the
// surface layer (as area sources).
//
// DEFAULT LAYERS (default_gridded_layers): industry {20 m: 0.4, 100 m: 0.35, 300 m: 0.25}
// (fugitive and low-stack releases, 15-60 m stacks, tall stacks with plume rise); every other
// sector at the ground. For a power sector (not in the Sector list yet; its tables are ready in
// gridded_profiles.cpp): {100 m: 0.05, 200 m: 0.25, 400 m: 0.45, 700 m: 0.25} (150-240 m stacks
// plus buoyant rise) and an electricity-load profile. ASSUMED shapes too, of the order of the SNAP-sector profiles of
// Bieser et al. (2011, Environ. Pollut. 159, 2935-2946) but not taken from their table.
#include <vector>

#include "emissions/gridded_netcdf.hpp"
#include "emissions/inventory.hpp"
#include "emissions/stack_injection.hpp"

namespace lantian::emissions {

/// The default temporal profile of a gridded sector (assumed shapes, see above), id
/// "default:<sector>", each axis normalised to mean 1.
TemporalProfile default_gridded_profile(Sector sector);

/// The default vertical distribution of a gridded sector (see above); empty = at the ground.
std::vector<LayerFraction> default_gridded_layers(Sector sector);

/// The factor of a gridded file at a local time: its profile (or the sector default when it has
/// none) at `local`, without the month factor when the file has 12 monthly slices; 1 for a
/// time-stepped (hourly) file, whose steps already carry the variation (ioapi_netcdf.hpp).
double gridded_temporal_factor(const GriddedEmissions& file, const LocalTime& local);

/// Divides each axis of `profile` by its mean (a zero-mean axis is left as it is).
void normalise_profile(TemporalProfile& profile);

/// The share of a column's emission in each model layer (size layer_tops.size()) for a height
/// distribution (empty = all in layer 0), following the rule above; the shares sum to 1 exactly
/// (the highest receiving layer takes 1 minus the others).
std::vector<double> gridded_layer_weights(const std::vector<LayerFraction>& layers,
                                          const std::vector<double>& layer_tops);

}  // namespace lantian::emissions
