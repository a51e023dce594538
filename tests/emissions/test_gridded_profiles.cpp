// Temporal profiles and vertical distributions of gridded files (emissions/gridded_profiles.hpp)
// and their use in the hourly grid emissions (EulerianEmissions). References: factors multiplied
// by hand from profiles written here; layer shares as overlaps of the height ranges with the
// layers divided by the range depth, by hand; mass conservation of each column (the shares sum to
// 1, so a column's rate equals the 2-D rate times the temporal factor; tolerance 1e-12 relative:
// a sum of 3 products of doubles).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/case_config.hpp"
#include "core/grid.hpp"
#include "core/species.hpp"
#include "core/time_axis.hpp"
#include "emissions/eulerian_emissions.hpp"
#include "emissions/gridded_profiles.hpp"

using namespace lantian;
using namespace lantian::emissions;

namespace {

/// 3 x 2 cells of 1 km, layers 0-50, 50-150, 150-400 m.
Grid small_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m";
  s.nx = 3, s.ny = 2, s.dx = 1000.0, s.dy = 1000.0, s.x0 = -1500.0, s.y0 = -1000.0;
  s.layer_tops = {50.0, 150.0, 400.0};
  return Grid(s);
}

/// Month x2 slots: December 1.2, June 0.8; Wednesday 1.5, Sunday 0.5; 08:00 2, 20:00 0 (each axis
/// already of mean 1).
TemporalProfile test_profile() {
  TemporalProfile p = TemporalProfile::flat("test");
  p.month[11] = 1.2;
  p.month[5] = 0.8;
  p.weekday[2] = 1.5;
  p.weekday[6] = 0.5;
  p.hour[8] = 2.0;
  p.hour[20] = 0.0;
  return p;
}

/// A gridded file on small_grid(): SO2 = 1 + i + 10 j g/s, NOx = 2 x that, `slices` equal slices.
GriddedEmissions file_on_grid(Sector sector, int slices) {
  GriddedEmissions g;
  g.file = "test.nc";
  g.sector = sector;
  for (int t = 0; t < slices; ++t) {
    std::array<Field2D<double>, kEmittedPollutantCount> slice;
    for (auto& f : slice) f = Field2D<double>(3, 2);
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 3; ++i) {
        slice[index(EmittedPollutant::so2)](i, j) = 1.0 + i + 10.0 * j;
        slice[index(EmittedPollutant::nox)](i, j) = 2.0 * (1.0 + i + 10.0 * j);
      }
    g.rate.push_back(std::move(slice));
    g.outside.push_back(Rates{});
  }
  return g;
}

template <std::size_t N>
double mean(const std::array<double, N>& a) {
  double s = 0.0;
  for (double v : a) s += v;
  return s / static_cast<double>(N);
}

}  // namespace

TEST_CASE("default gridded profiles: every axis has mean 1 and the shapes are as documented", "[gridded][profiles]") {
  for (int k = 0; k < kSectorCount; ++k) {
    const auto sector = static_cast<Sector>(k);
    INFO(sector_name(sector));
    const TemporalProfile p = default_gridded_profile(sector);
    CHECK(p.id == "default:" + std::string(sector_name(sector)));
    CHECK(mean(p.month) == Approx(1.0).epsilon(1e-14));
    CHECK(mean(p.weekday) == Approx(1.0).epsilon(1e-14));
    CHECK(mean(p.hour) == Approx(1.0).epsilon(1e-14));
  }
  const TemporalProfile traffic = default_gridded_profile(Sector::road_traffic);
  CHECK(traffic.hour[8] > 2.0 * traffic.hour[3]);  // rush hour over the night trough
  const TemporalProfile heating = default_gridded_profile(Sector::residential_heating);
  CHECK(heating.month[0] > 3.0 * heating.month[6]);  // January over July
  // Raw industry weekdays 1.02 x 5, 0.97, 0.93: mean 1 already; raw catering hours sum to 22.
  CHECK(default_gridded_profile(Sector::industry).weekday[6] == Approx(0.93).epsilon(1e-14));
  CHECK(default_gridded_profile(Sector::catering).hour[11] == Approx(2.4 * 24.0 / 22.0).epsilon(1e-14));
}

TEST_CASE("a gridded file's factor: month x weekday x hour, no month factor for monthly files", "[gridded][profiles]") {
  const TimeZone zone{"Asia/Shanghai"};
  const LocalTime wed8 = local_time(parse_time("2024-12-11T08:00", zone), zone);  // a Wednesday
  REQUIRE(wed8.weekday == 2);
  REQUIRE(wed8.hour == 8);
  GriddedEmissions annual = file_on_grid(Sector::industry, 1);
  annual.profile = test_profile();
  CHECK(gridded_temporal_factor(annual, wed8) == Approx(1.2 * 1.5 * 2.0).epsilon(1e-15));
  GriddedEmissions monthly = file_on_grid(Sector::industry, 12);
  monthly.profile = test_profile();
  CHECK(gridded_temporal_factor(monthly, wed8) == Approx(1.5 * 2.0).epsilon(1e-15));
  const LocalTime wed20 = local_time(parse_time("2024-12-11T20:00", zone), zone);
  CHECK(gridded_temporal_factor(annual, wed20) == 0.0);
  // Without a profile: the sector's default.
  const GriddedEmissions plain = file_on_grid(Sector::road_traffic, 1);
  const TemporalProfile d = default_gridded_profile(Sector::road_traffic);
  CHECK(gridded_temporal_factor(plain, wed8) == Approx(d.month[11] * d.weekday[2] * d.hour[8]).epsilon(1e-15));
}

TEST_CASE("layer weights: height ranges spread over the model layers by overlap, summing to 1", "[gridded][layers]") {
  const std::vector<double> tops{50.0, 150.0, 400.0};
  // [0, 100] half: 50/100 in layer 0, 50/100 in layer 1; [100, 600] half, clamped at 400:
  // 50/300 in layer 1, 250/300 in layer 2.
  const auto w = gridded_layer_weights({{100.0, 0.5}, {600.0, 0.5}}, tops);
  REQUIRE(w.size() == 3);
  CHECK(w[0] == Approx(0.25).epsilon(1e-15));
  CHECK(w[1] == Approx(0.25 + 0.5 / 6.0).epsilon(1e-15));
  CHECK(w[2] == Approx(0.5 * 5.0 / 6.0).epsilon(1e-15));
  CHECK(w[0] + w[1] + w[2] == Approx(1.0).epsilon(1e-15));
  // The industry default {20: 0.4, 100: 0.35, 300: 0.25}: layer 0 0.4 + 0.35 x 30/80, layer 1
  // 0.35 x 50/80 + 0.25 x 50/200, layer 2 0.25 x 150/200.
  const auto ind = gridded_layer_weights(default_gridded_layers(Sector::industry), tops);
  CHECK(ind[0] == Approx(0.4 + 0.35 * 30.0 / 80.0).epsilon(1e-15));
  CHECK(ind[1] == Approx(0.35 * 50.0 / 80.0 + 0.25 * 50.0 / 200.0).epsilon(1e-15));
  CHECK(ind[2] == Approx(0.25 * 150.0 / 200.0).epsilon(1e-15));
  // At the ground: all in layer 0, exactly.
  const auto ground = gridded_layer_weights(default_gridded_layers(Sector::residential_heating), tops);
  CHECK(ground == std::vector<double>{1.0, 0.0, 0.0});
  // Fractions are divided by their sum (the reader allows 1 +- 1e-6).
  const auto loose = gridded_layer_weights({{50.0, 0.5000005}, {150.0, 0.5}}, tops);
  CHECK(loose[0] + loose[1] == 1.0);
  CHECK(loose[2] == 0.0);
}

TEST_CASE("gridded emissions on the grid: profile x mean rate, columns conserve the 2-D rate", "[gridded][layers]") {
  const Grid grid = small_grid();
  const TimeZone zone{"Asia/Shanghai"};
  const UtcHour t = parse_time("2024-12-11T08:00", zone);
  GriddedEmissions g = file_on_grid(Sector::industry, 1);
  g.profile = test_profile();
  g.layers = std::vector<LayerFraction>{{100.0, 0.5}, {600.0, 0.5}};
  GriddedEmissions res = file_on_grid(Sector::residential_heating, 12);  // sector defaults, monthly
  const EulerianEmissions em(Inventory{}, grid, zone, {g, res});
  const EmissionRates e = em.at(t, {});
  const double w[3] = {0.25, 0.25 + 0.5 / 6.0, 0.5 * 5.0 / 6.0};
  const double f_ind = 1.2 * 1.5 * 2.0;
  const TemporalProfile d = default_gridded_profile(Sector::residential_heating);
  const double f_res = d.weekday[2] * d.hour[8];  // monthly: no month factor
  double total = 0.0;
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 3; ++i) {
      const double so2 = 1.0 + i + 10.0 * j;  // g/s in each file
      const double expected = 1.0e6 * so2 * (f_ind + f_res);
      double column = 0.0;
      for (int k = 0; k < 3; ++k) column += e.rate[index(Species::so2)](i, j, k);
      CHECK(column == Approx(expected).epsilon(1e-12));
      CHECK(e.rate[index(Species::so2)](i, j, 0) == Approx(1.0e6 * so2 * (f_ind * w[0] + f_res)).epsilon(1e-12));
      CHECK(e.rate[index(Species::so2)](i, j, 1) == Approx(1.0e6 * so2 * f_ind * w[1]).epsilon(1e-12));
      CHECK(e.rate[index(Species::so2)](i, j, 2) == Approx(1.0e6 * so2 * f_ind * w[2]).epsilon(1e-12));
      CHECK(e.rate[index(Species::nox)](i, j, 2) == Approx(2.0e6 * so2 * f_ind * w[2]).epsilon(1e-12));
      total += expected;
    }
  CHECK(e.total[index(Species::so2)] == Approx(total).epsilon(1e-12));
  // Local 20:00: the test profile's hour factor is 0, only the residential file emits, at the ground.
  const EmissionRates night = em.at(parse_time("2024-12-11T20:00", zone), {});
  CHECK(night.rate[index(Species::so2)](0, 0, 1) == 0.0);
  CHECK(night.rate[index(Species::so2)](0, 0, 0) == Approx(1.0e6 * d.weekday[2] * d.hour[20]).epsilon(1e-12));
}

namespace {

/// A case with one gridded entry whose extra lines start at line 17 (the file itself is not read).
std::string gridded_case(const std::string& extra) {
  return "name = \"g\"\n"                                                                         // 1
         "[period]\n"                                                                             // 2
         "start = \"2024-12-11T08:00\"\n"                                                         // 3
         "hours = 6\n"                                                                            // 4
         "[grid]\n"                                                                               // 5
         "crs = \"+proj=lcc +lat_1=25 +lat_2=47 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m\"\n"  // 6
         "nx = 3\n"                                                                               // 7
         "ny = 2\n"                                                                               // 8
         "dx = 1000\n"                                                                            // 9
         "dy = 1000\n"                                                                            // 10
         "x0 = -1500\n"                                                                           // 11
         "y0 = -1000\n"                                                                           // 12
         "layer_tops = [50, 150, 400]\n"                                                          // 13
         "[meteo]\n"                                                                              // 14
         "source = \"synthetic\"\n"                                                               // 15
         "[[emissions.gridded]]\n"                                                                // 16
         "file = \"a.nc\"\n" +                                                                    // 17
         extra;                                                                                   // 18 ...
}

}  // namespace

TEST_CASE("[[emissions.gridded]] profile and layers: read, and bad layers named with file:line", "[gridded][layers]") {
  const CaseConfig ok = load_case_string(gridded_case("profile = \"power-load\"\n"
                                                      "layers = [{top_m = 100, fraction = 0.25},\n"
                                                      "          {top_m = 500, fraction = 0.75}]\n"),
                                         "case.toml");
  REQUIRE(ok.emissions.gridded.size() == 1);
  CHECK(ok.emissions.gridded[0].profile == "power-load");
  REQUIRE(ok.emissions.gridded[0].layers.has_value());
  CHECK(*ok.emissions.gridded[0].layers == std::vector<std::pair<double, double>>{{100.0, 0.25}, {500.0, 0.75}});
  const CaseConfig plain = load_case_string(gridded_case(""), "case.toml");
  CHECK(plain.emissions.gridded[0].profile.empty());
  CHECK_FALSE(plain.emissions.gridded[0].layers.has_value());
  const CaseConfig ground = load_case_string(gridded_case("layers = []\n"), "case.toml");
  REQUIRE(ground.emissions.gridded[0].layers.has_value());
  CHECK(ground.emissions.gridded[0].layers->empty());

  CHECK_THROWS_WITH(load_case_string(gridded_case("layers = [{top_m = 100, fraction = 0.5}, {top_m = 200, fraction = 0.4}]\n"),
                                     "case.toml"),
                    Catch::StartsWith("case.toml:18: emissions.gridded[0].layers: expected the fractions to sum to 1, "
                                      "found 0.9"));
  CHECK_THROWS_WITH(load_case_string(gridded_case("layers = [{top_m = 100, fraction = 0.5},\n"
                                                  "          {top_m = 80, fraction = 0.5}]\n"),
                                     "case.toml"),
                    Catch::StartsWith("case.toml:19: emissions.gridded[0].layers[1].top_m: expected the tops to "
                                      "increase, found 80"));
  CHECK_THROWS_WITH(load_case_string(gridded_case("layers = [{top_m = 100, fraction = 1.5}]\n"), "case.toml"),
                    Catch::StartsWith("case.toml:18: emissions.gridded[0].layers[0].fraction: expected a fraction in "
                                      "[0, 1], found 1.5"));
  CHECK_THROWS_WITH(load_case_string(gridded_case("layers = [{top = 100, fraction = 1}]\n"), "case.toml"),
                    Catch::Contains("case.toml:18") && Catch::Contains("unknown key 'top'"));
  CHECK_THROWS_WITH(load_case_string(gridded_case("profile = \"\"\n"), "case.toml"),
                    Catch::StartsWith("case.toml:18: emissions.gridded[0].profile: expected a profile id"));
}

TEST_CASE("sector tag names: every sector up to industry, whatever the sources", "[gridded][tags]") {
  const Grid grid = small_grid();
  const EulerianEmissions em(Inventory{}, grid, TimeZone{"Asia/Shanghai"}, {file_on_grid(Sector::road_dust, 1)});
  const auto names = em.sector_tag_names();
  REQUIRE(names.size() == static_cast<std::size_t>(Sector::industry) + 1);
  for (std::size_t k = 0; k < names.size(); ++k) CHECK(names[k] == sector_name(static_cast<Sector>(k)));
  CHECK(em.tags_by_sector() == std::vector<int>{static_cast<int>(Sector::road_dust)});
}

TEST_CASE("the power sector: its tag only when a source has it, elevated by default", "[gridded][tags][power]") {
  CHECK(parse_sector("power") == Sector::power);
  CHECK(sector_name(Sector::power) == "power");
  const Grid grid = small_grid();
  const EulerianEmissions em(Inventory{}, grid, TimeZone{"Asia/Shanghai"},
                             {file_on_grid(Sector::industry, 1), file_on_grid(Sector::power, 1)});
  const auto names = em.sector_tag_names();
  REQUIRE(names.size() == static_cast<std::size_t>(kSectorCount));
  CHECK(names.back() == "power");
  CHECK(em.tags_by_sector() == std::vector<int>{static_cast<int>(Sector::industry), static_cast<int>(Sector::power)});
  // {100: 0.05, 200: 0.25, 400: 0.45, 700: 0.25} on 0-50-150-400 m: layer 0 0.05 x 50/100;
  // layer 1 0.05 x 50/100 + 0.25 x 50/100; layer 2 0.25 x 50/100 + 0.45 + 0.25 (clamped above 400 m).
  const auto w = gridded_layer_weights(default_gridded_layers(Sector::power), grid.layer_tops());
  CHECK(w[0] == Approx(0.025).epsilon(1e-15));
  CHECK(w[1] == Approx(0.025 + 0.125).epsilon(1e-15));
  CHECK(w[2] == Approx(0.125 + 0.45 + 0.25).epsilon(1e-15));
  const TemporalProfile p = default_gridded_profile(Sector::power);
  CHECK(p.id == "default:power");
  CHECK(p.month[0] > p.month[3]);  // winter over spring
}
