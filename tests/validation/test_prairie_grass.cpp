// The Prairie Grass readers on small hand-written files (the real files' layout), their errors,
// and, with the real data (LANTIAN_REAL_DATA/prairie-grass, SOURCE.txt there), the counts, one
// arc maximum read by hand, and the validation of the Gaussian plume on the arc maxima.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/temp_dir.hpp"
#include "validation/prairie_grass.hpp"

using namespace lantian;
using namespace lantian::solver;
using namespace lantian::validation;

namespace {

// Two arcs of run 5 (CRLF ends as in the real file), the second with a missing sampler, and one
// arc of run 2 that has no met line.
constexpr const char* kArcs =
    "  5,  1,'07/06/56','1400-1410',    50.0\r\n"
    "  3,  1,  3,   1,     1.000,    0.0,    0.0,  77.80000,  0.46,  1.50,     1.000\r\n"
    "       354        86        50   197.000\r\n"
    "       356        88        50   203.000\r\n"
    "       358        90        50   174.000\r\n"
    "  5,  2,'07/06/56','1400-1410',   100.0\r\n"
    "  2,  1,  2,   1,     1.000,    0.0,    0.0,  77.80000,  0.46,  1.50,     1.000\r\n"
    "       356        88       100    -9.000\r\n"
    "         2        91       100    55.700\r\n"
    "  2,  1,'07/03/56','1500-1510',    50.0\r\n"
    "  1,  1,  1,   1,     1.000,    0.0,    0.0,  81.50000,  0.46,  1.50,     1.000\r\n"
    "         0        90        50     1.000\r\n";

constexpr const char* kMet =
    "5\t-28.0\t0.39\t782\t176\t0.0000\t0.0000\t0.0000\t9.50\t5.93\n"
    "17\t 48.0\t0.21\t-999\t184\t0.0000\t0.0000\t0.0000\t5.60\t3.41\n";

constexpr const char* kSo2 =
    "/*\r\nAugust 9, 2010\r\n   Table of SO2 Correction Factors (Table 5.4 )\r\n*/\r\n"
    "    Exp        50      100      200      400      800\r\n"
    "       5     0.93     0.93     0.90     0.91     0.91\r\n"
    "      12     0.95     0.95     0.09     0.93     0.92\r\n";

std::string real_folder() {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path p = std::filesystem::path(root ? root : "") / "prairie-grass";
  if (!root || !std::filesystem::exists(p / "PGARCS.txt")) {
    std::printf("SKIP: real data not found (LANTIAN_REAL_DATA=%s)\n", root ? root : "unset");
    std::exit(4);  // ctest SKIP_RETURN_CODE
  }
  return p.string();
}

}  // namespace

TEST_CASE("Prairie Grass readers on a small sample", "[solver][prairie-grass]") {
  test::TempDir dir;
  dir.write("PGARCS.txt", kArcs);
  dir.write("modelParamList.txt", kMet);
  dir.write("PGrassEvapLossTABLE_5_4.txt", kSo2);
  const PgDataset d = read_prairie_grass(dir.path().string());

  REQUIRE(d.arcs.size() == 3);
  const PgArc& a = d.arcs[0];
  CHECK(a.run == 5);
  CHECK(a.arc == 1);
  CHECK(a.date == "07/06/56");
  CHECK(a.period == "1400-1410");
  CHECK(a.distance_m == 50.0);
  CHECK(a.emission_g_s == 77.8);
  CHECK(a.release_height_m == 0.46);
  CHECK(a.sampler_height_m == 1.5);
  REQUIRE(a.samplers.size() == 3);
  CHECK(a.samplers[1].azimuth_deg == 356.0);
  CHECK(a.samplers[1].number == 88);
  CHECK(a.max_observed_mg_m3() == Approx(203.0));
  CHECK(a.line == 1);
  CHECK(d.arcs[1].line == 6);
  CHECK_FALSE(d.arcs[1].samplers[0].concentration_mg_m3.has_value());  // -9
  CHECK(d.arcs[1].max_observed_mg_m3() == Approx(55.7));

  REQUIRE(d.met.size() == 2);
  const PgMet& m = d.met.at(5);
  CHECK(m.obukhov_length_m == -28.0);
  CHECK(m.ustar_m_s == 0.39);
  CHECK(m.mixing_height_m == 782.0);
  CHECK(m.wind_dir_deg == 176.0);
  CHECK(m.sigma_azimuth_deg == 9.5);
  CHECK(m.wind_speed_m_s == 5.93);
  CHECK_FALSE(d.met.at(17).mixing_height_m.has_value());  // -999: stable

  REQUIRE(d.so2_factors.size() == 2);
  CHECK(d.so2_factors.at(5)[2] == 0.90);
  CHECK(d.so2_factors.at(12)[2] == 0.09);

  // Run 2 has no met: only run 5's two arcs are usable.
  const PgRunArcs plain = usable_run_arcs(d);
  CHECK(plain.usable_runs == std::vector<int>{5});
  CHECK(plain.runs_without_met == std::vector<int>{2});
  REQUIRE(plain.run_arcs.size() == 2);
  CHECK(plain.run_arcs[0].observed_max_mg_m3 == Approx(203.0));
  CHECK(plain.run_arcs[0].so2_factor == 1.0);

  PgObservationOptions with;
  with.apply_so2_factors = true;
  const PgRunArcs corrected = usable_run_arcs(d, with);
  CHECK(corrected.run_arcs[0].observed_max_mg_m3 == Approx(203.0 * 0.93));
  CHECK(corrected.run_arcs[1].observed_max_mg_m3 == Approx(55.7 * 0.93));
}

TEST_CASE("Prairie Grass readers name the file and line of bad input", "[solver][prairie-grass]") {
  test::TempDir dir;
  // Sampler count says 3, only 2 follow before the next header.
  const std::string short_arc = dir.write("short.txt",
                                          "  5,  1,'07/06/56','1400-1410',    50.0\n"
                                          "  3,  1,  3,   1,  1.0,  0.0,  0.0,  77.8,  0.46,  1.50,  1.0\n"
                                          "       354        86        50   197.000\n"
                                          "       356        88        50   203.000\n");
  CHECK_THROWS_WITH(read_pg_arcs(short_arc), Catch::Contains("short.txt:5") && Catch::Contains("end of the file"));
  const std::string bad_conc = dir.write("conc.txt",
                                         "  5,  1,'07/06/56','1400-1410',    50.0\n"
                                         "  1,  1,  1,   1,  1.0,  0.0,  0.0,  77.8,  0.46,  1.50,  1.0\n"
                                         "       354        86        50   -2.0\n");
  CHECK_THROWS_WITH(read_pg_arcs(bad_conc), Catch::Contains("conc.txt:3: concentration"));
  const std::string bad_dist = dir.write("dist.txt",
                                         "  5,  1,'07/06/56','1400-1410',    60.0\n"
                                         "  1,  1,  1,   1,  1.0,  0.0,  0.0,  77.8,  0.46,  1.50,  1.0\n");
  CHECK_THROWS_WITH(read_pg_arcs(bad_dist), Catch::Contains("dist.txt:1: arc distance"));
  const std::string bad_q = dir.write("q.txt",
                                      "  5,  1,'07/06/56','1400-1410',    50.0\n"
                                      "  1,  1,  1,   1,  1.0,  0.0,  0.0,  abc,  0.46,  1.50,  1.0\n");
  CHECK_THROWS_WITH(read_pg_arcs(bad_q), Catch::Contains("q.txt:2: Q") && Catch::Contains("'abc'"));

  const std::string met_fields = dir.write("met.txt", "5\t-28.0\t0.39\t782\t176\n");
  CHECK_THROWS_WITH(read_pg_met(met_fields), Catch::Contains("met.txt:1") && Catch::Contains("found 5 fields"));
  const std::string met_dup = dir.write("dup.txt", std::string(kMet) + "\n5\t-28\t0.39\t782\t176\t0\t0\t0\t9.5\t5.9\n");
  CHECK_THROWS_WITH(read_pg_met(met_dup), Catch::Contains("dup.txt:4: run"));
  const std::string met_u = dir.write("ustar.txt", "5\t-28.0\t0\t782\t176\t0\t0\t0\t9.5\t5.93\n");
  CHECK_THROWS_WITH(read_pg_met(met_u), Catch::Contains("ustar.txt:1: u*"));

  const std::string so2 = dir.write("so2.txt", "    Exp        50      100      200      400      800\n"
                                                "       5     0.93     0.93     0.90\n");
  CHECK_THROWS_WITH(read_pg_so2_factors(so2), Catch::Contains("so2.txt:2"));
  CHECK_THROWS_WITH(read_pg_arcs((dir.path() / "none.txt").string()), Catch::Contains("none.txt"));
}

TEST_CASE("Prairie Grass: the real files", "[solver][prairie-grass][realdata]") {
  const PgDataset d = read_prairie_grass(real_folder());
  // SOURCE.txt: 340 arc records of 68 runs; modelParamList.txt has 53 runs (SOURCE.txt says 52;
  // counted: 53 lines, runs 5..70), every one with all five arcs.
  CHECK(d.arcs.size() == 340);
  CHECK(d.met.size() == 53);
  CHECK(d.so2_factors.size() == 70);  // runs 1-68, 70, 71
  const PgRunArcs sel = usable_run_arcs(d);
  CHECK(sel.usable_runs.size() == 53);
  CHECK(sel.runs_without_met == std::vector<int>{1, 2, 3, 4, 13, 14, 35, 36, 47, 52, 65, 66, 67, 68, 71});
  CHECK(sel.arcs_all_missing == 0);
  CHECK(sel.run_arcs.size() == 265);
  // Run 5, 50-m arc (PGARCS.txt lines 1198-1233, read by hand): the largest of its 34 samplers is
  // 203.000 mg/m3 at azimuth 356 deg, sampler 88 (line 1219); Q = 77.8 g/s.
  const PgRunArc& r = sel.run_arcs.front();
  REQUIRE(r.arc->run == 5);
  REQUIRE(r.arc->arc == 1);
  CHECK(r.arc->line == 1198);
  CHECK(r.arc->samplers.size() == 34);
  CHECK(r.observed_max_mg_m3 == 203.0);
  CHECK(r.arc->emission_g_s == 77.8);
}

TEST_CASE("Prairie Grass plume meteorology", "[solver][prairie-grass]") {
  // 2300 u*^1.5 at u* = 0.25 m/s: 2300 * 0.125 = 287.5 m.
  CHECK(pg_stable_mixing_height(0.25) == Approx(287.5));
  PgMet stable;
  stable.obukhov_length_m = 48.0;
  stable.ustar_m_s = 0.25;
  stable.wind_dir_deg = 184.0;
  stable.wind_speed_m_s = 3.41;
  const PlumeMet m = pg_plume_met(stable, PgValidationOptions{});
  CHECK(m.mixing_height == Approx(287.5));
  CHECK(m.ref_height == 2.0);
  CHECK(m.temperature_K == 298.0);
  CHECK(m.z0 == 0.006);
  CHECK(m.wind_speed == 3.41);
  CHECK(m.L == 48.0);
  PgMet unstable = stable;
  unstable.obukhov_length_m = -28.0;
  unstable.mixing_height_m = 782.0;
  CHECK(pg_plume_met(unstable, PgValidationOptions{}).mixing_height == 782.0);
}

TEST_CASE("Prairie Grass: the Gaussian plume on the arc maxima", "[solver][prairie-grass][realdata]") {
  const PgDataset d = read_prairie_grass(real_folder());

  // Briggs rural sigmas with the class from L and z0 (Golder): meets the acceptance
  // criteria overall (measured: FAC2 0.792, FB +0.005, NMSE 0.58, MG 1.12, VG 1.45 on 265
  // run-arcs; AERMOD on the same: FAC2 0.830, FB +0.290).
  PgValidationOptions briggs;
  briggs.plume.dispersion = Dispersion::BriggsRural;
  const PgValidation b = validate_prairie_grass(d, briggs);
  CHECK(b.rows.size() == 265);
  for (const ValidationStats& s : b.by_arc) CHECK(s.n == 53);
  CHECK(b.overall.fac2 >= 0.5);
  CHECK(std::abs(b.overall.fb) <= 0.3);

  // The turbulence option (the default here), with AERMOD's surface-release formulation (0-5 m
  // mean transport wind, MFD eqs. 77-78 lateral spread, Venkatram's stable surface term) and, in
  // the 29 convective runs, AERMOD's bi-Gaussian CBL plume with the 0-5 m mean sigma_w
  // (solver/plume_cbl.hpp; issue 14). Measured: FAC2 0.868, FB +0.223, NMSE 0.614, MG 1.11,
  // VG 1.31 on the 265 run-arcs: ahead of AERMOD v23132 on the same (0.830, +0.290, 0.738) in
  // all three; the bounds are AERMOD's figures.
  const PgValidation t = validate_prairie_grass(d, PgValidationOptions{});
  CHECK(t.rows.size() == 265);
  CHECK(t.overall.fac2 >= kAermodPrairieGrass.fac2);
  CHECK(std::abs(t.overall.fb) <= kAermodPrairieGrass.fb);
  CHECK(t.overall.nmse <= kAermodPrairieGrass.nmse);
  CHECK(t.overall.fac2 == Approx(0.868).margin(0.0005));
  CHECK(t.overall.fb == Approx(0.223).margin(0.0005));
  // The convective runs with one Gaussian of the total sigma_w at 0.1 zi (the model before issue
  // 14; PlumeOptions::convective_pdf = false): FAC2 0.728, FB +0.303, NMSE 0.80 — under-predicted
  // in unstable air (geometric mean P/O 0.63 over the 145 unstable run-arcs).
  PgValidationOptions single;
  single.plume.convective_pdf = false;
  const PgValidation s1 = validate_prairie_grass(d, single);
  CHECK(s1.overall.fac2 == Approx(0.728).margin(0.0005));
  CHECK(s1.overall.fb == Approx(0.303).margin(0.0005));
  // Every prediction is a positive concentration (the centreline is never upwind or empty).
  for (const PgComparison& c : t.rows) CHECK(c.predicted_ug_m3 > 0.0);
}
