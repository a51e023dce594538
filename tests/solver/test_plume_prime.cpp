// Verification of PRIME building downwash (solver/plume_prime.hpp) against hand-worked values of
// its formulas (wake scales, cavity and wake dimensions for a cube, the transition to ambient
// turbulence), mass conservation of the wake and cavity plumes, the BPIP-style projection
// (solver/building_profile.hpp) of a rotated rectangle and of Case D's buildings against
// BPIPPRM's own output, and its use by the Gaussian plume: no building (or a far one) leaves
// every value bit-identical.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "solver/building_profile.hpp"
#include "solver/gaussian_plume.hpp"
#include "solver/plume_prime.hpp"

using namespace lantian::solver;

namespace {

BuildingSector cube(double h, double xbadj = -5.0) { return BuildingSector{h, h, h, xbadj, 0.0}; }

/// A rectangle of `along` x `across` metres centred at (cx, cy), its long side at azimuth az
/// (degrees clockwise from north).
Building rectangle(double cx, double cy, double along, double across, double az, double height) {
  const double t = az * std::numbers::pi / 180.0;
  const double ax = std::sin(t), ay = std::cos(t), bx = std::cos(t), by = -std::sin(t);
  Building b{"B", height, {}};
  for (const auto& [s, c] : {std::pair{-1.0, -1.0}, {-1.0, 1.0}, {1.0, 1.0}, {1.0, -1.0}})
    b.footprint.outer.push_back({cx + 0.5 * along * s * ax + 0.5 * across * c * bx,
                                 cy + 0.5 * along * s * ay + 0.5 * across * c * by});
  return b;
}

/// Host curves σy = 0.08 x, σz = 0.06 x (Briggs rural D at short range, no x terms).
HostSigma linear_host(double x) { return {0.08 * x, 0.06 * x}; }

PlumeMet neutral_hour() {
  PlumeMet m;
  m.wind_speed = 5.0;
  m.wind_dir_deg = 270.0;  // from the west: flow towards the east, sector 9 (90 degrees)
  m.ref_height = 10.0;
  m.temperature_K = 293.15;
  m.stability = 'D';
  m.mixing_height = 1000.0;
  m.ustar = 0.4;
  m.L = std::numeric_limits<double>::infinity();
  return m;
}

}  // namespace

TEST_CASE("PRIME wake scales and dimensions of a cube, by hand", "[plume][prime]") {
  // A 10 m cube: R = 10^(2/3) 10^(1/3) = 10 m; Hr = H + 0.22 R = 12.2 m; Lc = 0.9 R = 9 m;
  // LR = 1.8 W / ((L/H)^0.3 (1 + 0.24 W/H)) = 18/1.24 = 14.5161 m.
  const WakeScales s = wake_scales(10.0, 10.0, 10.0);
  CHECK(s.R == Approx(10.0));
  CHECK(s.hr == Approx(12.2));
  CHECK(s.lc == Approx(9.0));
  CHECK(s.lr == Approx(14.516129));
  // A wide building (W = 50, H = 10): W/H limited to 8 for R only: R = 10^(2/3) 50^(1/3) = 17.0998.
  CHECK(wake_scales(10.0, 50.0, 10.0).R == Approx(17.099759));
  // Narrow (W = 5 < H = 10): the L/H exponent 0.3 (0.5 - 0.33)/0.67 = 0.076119, L/H = 2:
  // LR = 9 / (2^0.076119 x 1.12) = 7.6329 m.
  CHECK(wake_scales(10.0, 5.0, 20.0).lr == Approx(9.0 / (std::pow(2.0, 0.3 * 0.17 / 0.67) * 1.12)));

  // Wake at x = R from the upwind face: Hw = 1.2 R (1 + (H/1.2R)³)^⅓ = 12 (1.578704)^⅓ = 13.9729 m,
  // half-width W/2 + R/3 = 8.3333 m; at the face the wake height is the building's.
  const WakeDim w = wake_dim(10.0, 10.0, 10.0, 10.0);
  CHECK(w.height == Approx(12.0 * std::cbrt(1.0 + std::pow(10.0 / 12.0, 3))));
  CHECK(w.height == Approx(13.9729).epsilon(1e-4));
  CHECK(w.half_width == Approx(5.0 + 10.0 / 3.0));
  CHECK(wake_dim(1e-9, 10.0, 10.0, 10.0).height == Approx(10.0));
  CHECK(wake_dim(-1.0, 10.0, 10.0, 10.0).height == 0.0);

  // The cube's flow does not reattach on its roof (Lc = 9 < L = 10: it does): the cavity is the
  // building height over the roof and an ellipse of semi-axes LR, H behind it; its end at L + LR.
  const BuildingSector b = cube(10.0);
  CHECK(cavity_dim(b, s, 5.0).height == Approx(10.0));
  CHECK(cavity_dim(b, s, 10.0 + 0.5 * s.lr).height == Approx(10.0 * std::sqrt(0.75)));
  CHECK(cavity_dim(b, s, 10.0 + s.lr + 0.01).height == 0.0);
  // Cavity half-width: W/2 + R/3 at x = R, a parabola through the upwind corner (x = 0: W/2).
  CHECK(cavity_dim(b, s, 10.0).half_width == Approx(5.0 + 10.0 / 3.0));
  CHECK(cavity_dim(b, s, 0.0).half_width == Approx(5.0));
  CHECK(wake_region(b, s, 5.0, 0.0, 5.0) == WakeRegion::building);
  CHECK(wake_region(b, s, 15.0, 0.0, 2.0) == WakeRegion::near_wake);
  CHECK(wake_region(b, s, 40.0, 0.0, 2.0) == WakeRegion::far_wake);
  CHECK(wake_region(b, s, 40.0, 0.0, 30.0) == WakeRegion::outside);
  CHECK(wake_region(b, s, -1.0, 0.0, 2.0) == WakeRegion::outside);
}

TEST_CASE("PRIME turbulence, transition and streamlines, by hand", "[plume][prime]") {
  // Class D ambient (σw/u = 0.06): i∞ = 0.06, transition at i = 1.3 i∞ = 0.078;
  // xa/R = L/R - 1 + (0.7 + (1.7 x 0.06 - 0.06 x 0.3)/0.018)^1.5 = 0 + 5.366667^1.5 = 12.4324.
  const WakeTransition xa = wake_transition(0.06, 0.08, 10.0, 10.0, true);
  CHECK(xa.z == Approx(10.0 * std::pow(0.7 + 0.084 / 0.018, 1.5)));
  CHECK(xa.z == Approx(124.324).epsilon(1e-4));
  // σv/u = 0.08: (0.7 + (1.7 x 0.08 - 0.024)/0.024)^1.5 = 5.366667^1.5 as well.
  CHECK(xa.y == Approx(xa.z));
  // Very weak ambient turbulence: capped at 15 R beyond the lee face (L/R + 15 = 16 R).
  CHECK(wake_transition(0.005, 0.005, 10.0, 10.0, true).z == Approx(160.0));
  CHECK(wake_transition(0.005, 0.005, 10.0, 10.0, false).z > 160.0);
  // At the lee face: i = i∞ (1 + (wf i0/i∞ - 1 + 0.7)/(1 - 0.7)) = 0.06 x (1 + 1.4/0.3) = 0.34;
  // half-way over the roof from the ambient value: (0.06 + 0.34)/2 (i_amb = i∞ here).
  CHECK(wake_turbulence(0.06, 0.08, 10.0, 10.0, 10.0).iz == Approx(0.06 * (1.0 + 1.4 / 0.3)));
  CHECK(wake_turbulence(0.06, 0.08, 5.0, 10.0, 10.0).iz == Approx(0.5 * (0.06 + 0.34)));
  // Far downwind the intensity falls back towards i∞.
  CHECK(wake_turbulence(0.06, 0.08, 2000.0, 10.0, 10.0).iz == Approx(0.06).epsilon(0.05));

  const WakeScales s = wake_scales(10.0, 10.0, 10.0);
  const BuildingSector b = cube(10.0);
  // Streamlines: level upwind of -R and beyond W/2 + R/3 across; rising at the roof's upwind
  // edge with slope 4 (Hr - H)/R = 0.88 at the roof height; descending beyond R/2.
  CHECK(streamline_slope(b, s, -11.0, 0.0, 12.0) == 0.0);
  CHECK(streamline_slope(b, s, 5.0, 9.0, 12.0) == 0.0);
  CHECK(streamline_slope(b, s, 0.0, 0.0, 10.0) == Approx(4.0 * 2.2 / 10.0));
  CHECK(streamline_slope(b, s, 8.0, 0.0, 10.0) < 0.0);
  // The wake's wind deficit: 1 outside; at the lee face below the cavity top,
  // 1 - 2 Hw Δu/(Hw + Hcav) with Δu = 0.7.
  CHECK(wake_speed_factor(b, s, 10.0, 0.0, 50.0) == 1.0);
  const double hw = wake_dim(10.0, 10.0, 10.0, 10.0).height;
  CHECK(wake_speed_factor(b, s, 10.0, 0.0, 5.0) == Approx(1.0 - 2.0 * hw * 0.7 / (hw + 10.0)));
}

TEST_CASE("PRIME sector selection follows AERMOD's rule", "[plume][prime]") {
  // AFV = WD - 180, sector int(AFV/10 + 0.4999), 0 -> 36 (README §3: 45 -> 22, 135 -> 31,
  // 315 -> 13, 243 -> 6; the .5 directions round down).
  CHECK(building_sector_index(45.0) == 21);
  CHECK(building_sector_index(135.0) == 30);
  CHECK(building_sector_index(315.0) == 12);
  CHECK(building_sector_index(243.0) == 5);
  CHECK(building_sector_index(180.0) == 35);
  CHECK(building_sector_index(270.0) == 8);
  CHECK(building_sector_index(-90.0) == 8);
}

TEST_CASE("PRIME captures a ground release in the cavity and conserves mass in the wake", "[plume][prime]") {
  // A non-buoyant ground-level release at the lee face of a 10 m cube (wind 5 m/s): the cavity
  // captures nearly all of it.
  PrimeInput in;
  in.building = cube(10.0, -10.0);
  in.release_height = 0.5;
  in.exit_velocity = 0.0;
  in.stack_radius = 0.1;
  in.u_rise = in.u_stack = in.u_building = 5.0;
  in.q = 1.0e6;
  in.lid = 0.0;
  const PrimePlume p(in, linear_host);
  CHECK(p.cavity_fraction() > 0.9);
  CHECK(p.cavity_fraction() <= 1.0);
  // Inside the cavity (ground, on the axis): the cavity source alone, fq Q/(π u σy0 σz0) with
  // σy0 = W/√(2π) (the width scale: min(W, 3H) = 10 m) and σz0 = sqrt(2/π) (ub/us) H/3.
  const double sy0 = 10.0 / std::sqrt(2.0 * std::numbers::pi), sz0 = std::sqrt(2.0 / std::numbers::pi) * 10.0 / 3.0;
  CHECK(p.concentration(5.0, 0.0, 0.0) == Approx(p.cavity_fraction() * in.q / (std::numbers::pi * 5.0 * sy0 * sz0)));
  CHECK(p.gamma(5.0, 0.0, 0.0) == 1.0);
  // γ: 1 in the wake box, a Gaussian roll-off beyond it, 0 upwind of the building.
  CHECK(p.gamma(-20.0, 0.0, 0.0) == 0.0);
  CHECK(p.gamma(50.0, 0.0, 0.0) == 1.0);
  CHECK(p.gamma(50.0, 100.0, 0.0) < 1e-3);
  CHECK(p.gamma(20000.0, 0.0, 0.0) < 1e-6);

  // Mass: a 17 m release 20 m beyond the lee face enters the wake (18.3 m high there) past the
  // cavity's end (L + LR = 24.5 m from the upwind face): nothing captured, the wake σ's; the flux
  // u ∫∫ C dy dz (ground-reflected, no lid) is Q, at 300 m in the wake and at 1500 m beyond it.
  in.building = cube(10.0, -30.0);
  in.release_height = 17.0;
  const PrimePlume w(in, linear_host);
  CHECK(w.wake_entry() == Approx(30.0).margin(1.0));
  CHECK(w.cavity_fraction() == 0.0);
  CHECK(w.wake_sigmas(12.0).z > 1.5 * linear_host(12.0).z);  // enhanced in the near wake (i = 0.12 vs 0.06)
  for (const double x : {300.0, 1500.0}) {
    const HostSigma sg = w.wake_sigmas(x);
    const double dy = sg.y / 10.0, dz = sg.z / 10.0;
    double flux = 0.0;
    for (double y = -8.0 * sg.y; y <= 8.0 * sg.y; y += dy)
      for (double z = 0.5 * dz; z < w.centreline_height(x) + 8.0 * sg.z; z += dz) flux += 5.0 * w.concentration(x, y, z) * dy * dz;
    INFO(x);
    CHECK(flux == Approx(in.q).epsilon(0.01));
  }
}

TEST_CASE("PRIME: a buoyant plume rises out of the wake, a short stack is brought down", "[plume][prime]") {
  PrimeInput in;
  in.building = cube(25.0, -30.0);
  in.release_height = 30.0;
  in.stack_radius = 0.75;
  in.u_rise = in.u_stack = in.u_building = 5.0;
  in.q = 1.0e6;
  in.lid = 1000.0;
  // No exit momentum or buoyancy: the plume follows the streamlines into the wake and the
  // cavity, and comes down (the centreline at 150 m below the release height).
  in.exit_velocity = 0.01;
  const PrimePlume cold(in, linear_host);
  CHECK(std::isfinite(cold.wake_entry()));
  CHECK(cold.centreline_height(150.0) < 30.0);
  // Strong buoyancy (Fb = 200 m⁴/s³, neutral): Briggs' 1.6 Fb^⅓ x^⅔/u = 1.6 x 5.848 x 21.54/5 =
  // 40.3 m at 100 m; the numerical rise in the wake's reduced wind is of that size.
  in.exit_velocity = 15.0;
  in.buoyancy_flux = 200.0;
  in.momentum_flux = 120.0;
  const PrimePlume hot(in, linear_host);
  CHECK(hot.centreline_height(100.0) - 30.0 > 25.0);
  CHECK(hot.centreline_height(100.0) - 30.0 < 70.0);
  CHECK(hot.cavity_fraction() < cold.cavity_fraction());
  CHECK(hot.concentration(100.0, 0.0, 0.0) < cold.concentration(100.0, 0.0, 0.0));
}

TEST_CASE("BPIP projection of a rotated rectangle, by hand", "[plume][prime][bpip]") {
  // 80 m x 20 m, long axis at azimuth 30 degrees, centred 100 m east of the stack.
  const Building b = rectangle(100.0, 0.0, 80.0, 20.0, 30.0, 18.0);
  // Flow towards 30 degrees: along the long axis, W = 20, L = 80.
  BuildingSector s = project_building(b, 0.0, 0.0, 30.0);
  CHECK(s.width == Approx(20.0));
  CHECK(s.length == Approx(80.0));
  // Along f = (sin 30, cos 30) the centre is at 100 sin 30 = 50 m: xbadj = 50 - 40 = 10 m;
  // across l = (-cos 30, sin 30): the centre at 100 x (-cos 30) = -86.60 m (to the right).
  CHECK(s.xbadj == Approx(10.0));
  CHECK(s.ybadj == Approx(-100.0 * std::cos(std::numbers::pi / 6.0)));
  // Flow towards 120 degrees: across the long axis, W = 80, L = 20.
  s = project_building(b, 0.0, 0.0, 120.0);
  CHECK(s.width == Approx(80.0));
  CHECK(s.length == Approx(20.0));
  // Flow towards 75 degrees: W = 80 sin 45 + 20 cos 45 = 70.711 m, L = 80 cos 45 + 20 sin 45.
  s = project_building(b, 0.0, 0.0, 75.0);
  CHECK(s.width == Approx(100.0 / std::sqrt(2.0)));
  CHECK(s.length == Approx(100.0 / std::sqrt(2.0)));
  // A building 5 km away influences no sector; a stack on the roof takes it in every sector.
  const Building far = rectangle(5000.0, 0.0, 80.0, 20.0, 30.0, 18.0);
  for (const BuildingSector& k : building_profile(std::span(&far, 1), 0.0, 0.0)) CHECK_FALSE(k.present());
  for (const BuildingSector& k : building_profile(std::span(&b, 1), 100.0, 0.0)) CHECK(k.height == 18.0);
}

TEST_CASE("BPIP profile of Case D against BPIPPRM's output", "[plume][prime][bpip][realdata]") {
  const char* root = std::getenv("LANTIAN_REAL_DATA");
  const std::filesystem::path dir = std::filesystem::path(root ? root : "") / "aermod-prime-downwash" / "inputs";
  if (!root || !std::filesystem::exists(dir / "caseD_bpip_dirs.csv")) std::exit(4);
  auto rows = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::vector<std::string>> out;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      std::string cell;
      while (std::getline(ss, cell, ',')) f.push_back(cell);
      out.push_back(f);
    }
    return out;
  };
  // caseD_buildings.csv: building,tier,height_m,base_elev_m,corner,x_m,y_m,...
  std::map<std::string, Building> buildings;
  for (const auto& r : rows(dir / "caseD_buildings.csv")) {
    Building& b = buildings[r[0]];
    b.id = r[0];
    b.height = std::stod(r[2]);
    b.footprint.outer.push_back({std::stod(r[5]), std::stod(r[6])});
  }
  std::vector<Building> list;
  for (const auto& [id, b] : buildings) list.push_back(b);
  // caseD_sources.csv: id,x_m,y_m,...; caseD_bpip_dirs.csv: source,sector,flow,hgt,wid,len,xbadj,ybadj.
  std::map<std::string, BuildingDims> dims;
  for (const auto& r : rows(dir / "caseD_sources.csv")) dims[r[0]] = building_profile(list, std::stod(r[1]), std::stod(r[2]));
  int compared = 0, present = 0;
  for (const auto& r : rows(dir / "caseD_bpip_dirs.csv")) {
    const BuildingSector& s = dims.at(r[0])[static_cast<std::size_t>(std::stoi(r[1]) - 1)];
    INFO(r[0] << " sector " << r[1]);
    // BPIPPRM writes F8.2: within 0.01 m.
    CHECK(s.height == Approx(std::stod(r[3])).margin(0.01));
    CHECK(s.width == Approx(std::stod(r[4])).margin(0.01));
    CHECK(s.length == Approx(std::stod(r[5])).margin(0.01));
    CHECK(s.xbadj == Approx(std::stod(r[6])).margin(0.01));
    CHECK(s.ybadj == Approx(std::stod(r[7])).margin(0.01));
    ++compared;
    if (std::stod(r[3]) > 0.0) ++present;
  }
  CHECK(compared == 6 * 36);
  // S1ROOF, S2BOIL, S3TALL: 36 each; S4DNWD: sectors 7-11; S5CTRL: none; S6ROTB: 34 (README §3).
  CHECK(present == 36 * 3 + 5 + 34);
}

TEST_CASE("PRIME in the plume: no building, or one out of reach, changes nothing", "[plume][prime]") {
  PlumeSource src{"S", 0.0, 0.0, 30.0, 1.5, 12.0, 420.0, 1.0};
  std::vector<Receptor> rec;
  for (double x : {-100.0, 50.0, 100.0, 300.0, 1000.0})
    for (double y : {-40.0, 0.0, 25.0}) rec.push_back({"r", x, y, 0.0});
  std::vector<PlumeMet> met{neutral_hour(), neutral_hour()};
  met[1].wind_dir_deg = 90.0;  // from the east: the building east of the stack is downwind... of nothing
  for (const Dispersion d : {Dispersion::BriggsRural, Dispersion::Turbulence}) {
    PlumeOptions opt;
    opt.dispersion = d;
    const Contributions base = compute_contributions(std::span(&src, 1), met, rec, opt);
    // All sectors zero (BPIP's "no building"), and a building 5 km away.
    PlumeSource zeros = src;
    zeros.building = std::make_shared<const BuildingDims>();
    const Building far = rectangle(5000.0, 0.0, 60.0, 40.0, 0.0, 25.0);
    PlumeSource distant = src;
    distant.building = std::make_shared<const BuildingDims>(building_profile(std::span(&far, 1), src.x, src.y));
    for (const PlumeSource& s : {zeros, distant}) {
      const Contributions c = compute_contributions(std::span(&s, 1), met, rec, opt);
      REQUIRE(c.values.size() == base.values.size());
      for (std::size_t i = 0; i < c.values.size(); ++i) CHECK(c.values[i] == base.values[i]);  // bitwise
    }
    // The stack on a 25 m roof (a 60 x 40 m block centred 10 m west of it): downwash raises the
    // ground value 100 m downwind in the neutral westerly hour; upwind receptors keep theirs.
    const Building roof = rectangle(-10.0, 0.0, 40.0, 60.0, 0.0, 25.0);
    PlumeSource on_roof = src;
    on_roof.building = std::make_shared<const BuildingDims>(building_profile(std::span(&roof, 1), src.x, src.y));
    CHECK((*on_roof.building)[8].present());
    const Contributions c = compute_contributions(std::span(&on_roof, 1), met, rec, opt);
    INFO(dispersion_name(d));
    CHECK(c.value(0, 7, 0) > 1.5 * base.value(0, 7, 0));   // (100, 0), hour 1
    CHECK(c.value(0, 0, 0) == base.value(0, 0, 0));          // (-100, -40): upwind
  }
}

TEST_CASE("turbulence option: stable rise within AERMOD's neutral limit, w* as given", "[plume][prime]") {
  // Case D's S5CTRL stack (30 m, 1.5 m, 12 m/s, 420 K) in a windy near-neutral stable hour
  // (L = +2356 m, u* = 0.692 m/s), the wind measured at the stack top (u = 9.9 m/s there):
  //   Fb = g w d² (Ts - Ta)/(4 Ts) = 9.80665 x 12 x 2.25 x 130/1680 = 20.4889 m⁴/s³
  //   lm = Fb/(u u*²) = 4.32186 m;  1.2 lm^0.6 (hs + 1.2 lm)^0.4 = 11.9987 m,
  // below Briggs's neutral final rise 21.425 Fb^0.75/u = 20.84 m (reached by x = 5 km).
  const PlumeSource s{"S", 0.0, 0.0, 30.0, 1.5, 12.0, 420.0, 1.0};
  PlumeMet m = neutral_hour();
  m.wind_speed = 9.9;
  m.ref_height = 30.0;
  m.temperature_K = 290.0;
  m.ustar = 0.692;
  m.L = 2356.0;
  m.mixing_height = 1324.0;
  PlumeOptions opt;
  opt.dispersion = Dispersion::Turbulence;
  const double fb = 9.80665 * 12.0 * 2.25 * 130.0 / (4.0 * 420.0);
  const double lm = fb / (9.9 * 0.692 * 0.692);
  const double limit = 1.2 * std::pow(lm, 0.6) * std::pow(30.0 + 1.2 * lm, 0.4);
  CHECK(limit == Approx(11.9987).epsilon(1e-5));
  // Stack-tip downwash first: h' = hs + 2 D (w/u - 1.5) = 30 + 3 (12/9.9 - 1.5) = 29.1364 m.
  const double hp = 30.0 + 2.0 * 1.5 * (12.0 / 9.9 - 1.5);
  CHECK(plume_at(s, m, 5000.0, opt).effective_height == Approx(hp + limit).epsilon(1e-9));
  // The Briggs options keep Briggs's rise (21.425 Fb^0.75/u = 20.1 m, above the limit).
  opt.dispersion = Dispersion::BriggsRural;
  m.stability = 'D';
  CHECK(plume_at(s, m, 5000.0, opt).effective_height == Approx(hp + 21.425 * std::pow(fb, 0.75) / 9.9).epsilon(1e-9));

  // w* as given: the value u* (-h/(k L))^⅓ gives the same plume as leaving it out; another differs.
  PlumeMet c = neutral_hour();
  c.L = -30.0;
  opt.dispersion = Dispersion::Turbulence;
  const Receptor r{"r", 500.0, 0.0, 0.0};
  const double derived = plume_concentration(s, c, r, opt);
  c.wstar = c.ustar * std::cbrt(c.mixing_height / (0.4 * 30.0));
  CHECK(plume_concentration(s, c, r, opt) == Approx(derived).epsilon(1e-12));
  c.wstar *= 0.8;
  CHECK(plume_concentration(s, c, r, opt) != Approx(derived).epsilon(1e-3));
}
