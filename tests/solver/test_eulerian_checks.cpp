// The state and budget checks of the Eulerian model (solver/eulerian_model.hpp "Errors",
// process_step.hpp check_state): a value that a process makes non-finite, negative or beyond the
// physical ceiling stops the run with the process, the species (and tag), the global cell, the
// value and the time named; a budget that is not a number stops it too. The inputs are built
// in code (a BoundaryProvider, emission rates), bypassing the readers' own range checks, as a
// process bug or an overflow inside the computation would.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "solver/eulerian_model.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using lantian::emissions::EmissionRates;
using Catch::Matchers::Contains;

namespace {

constexpr UtcHour kStart = 481112;  // 2024-11-19T08:00Z

/// 8 x 6 cells of 3 km, layers 0-50, 50-200, 200-600 m.
Grid check_grid() {
  GridSpec s;
  s.crs = "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=39.9 +lon_0=116.4 +datum=WGS84 +units=m";
  s.nx = 8, s.ny = 6, s.dx = 3000.0, s.dy = 3000.0, s.x0 = -12000.0, s.y0 = -9000.0;
  s.layer_tops = {50.0, 200.0, 600.0};
  return Grid(s);
}

/// Lateral inflow of `value` µg/m³ of PPM25 on every side and layer, built in code (no reader).
class PpmInflow final : public BoundaryProvider {
 public:
  PpmInflow(const Grid& g, double value) : nx_(g.nx()), ny_(g.ny()), nz_(g.nz()), value_(value) {}
  BoundaryValues at(UtcHour) const override {
    BoundaryValues b(nx_, ny_, nz_);
    for (Side side : kAllLateralSides)
      for (int k = 0; k < nz_; ++k)
        for (int n = 0; n < b.along(side); ++n) b(side, Species::ppm25, n, k) = value_;
    return b;
  }

 private:
  int nx_, ny_, nz_;
  double value_;
};

/// West wind of 5 m/s, Kz 10 m²/s, 275 K, 85 %.
meteo::MetState west_wind(const Grid& g, UtcHour t) {
  meteo::MetState m = test::uniform_met(g, t, 275.0, 85.0);
  m.u.fill(5.0);
  m.kz.fill(10.0);
  return m;
}

EmissionRates zero_rates(const Grid& g) {
  EmissionRates e;
  for (auto& r : e.rate) r = Field3D<double>(g.nx(), g.ny(), g.nz());
  return e;
}

/// The message of the lantian::Error that f throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a boundary of 1e300 stops the run at the pass that carried it in", "[eulerian-checks]") {
  const Grid g = check_grid();
  EulerianModel m(g, EulerianConfig{}, zero_species_fields(g.nx(), g.ny(), g.nz()), {},
                  std::make_shared<PpmInflow>(g, 1e300));
  const std::string what = error_of([&] { m.advance(west_wind(g, kStart), zero_rates(g), {}, kStart); });
  INFO(what);
  // The first pass of the first step: the x half sweep fills column 0 from the west halo; the
  // first bad value in row order is row 0, layer 0.
  CHECK_THAT(what, Contains("horizontal advection at 2024-11-19T08:00:00Z") && Contains("PPM25") &&
                       Contains("at cell (i=0, j=0, k=0)") && Contains("above the ceiling of 1e+06 ug/m3"));
  CHECK(m.budgets().empty());  // the hour was not completed
}

TEST_CASE("a boundary that overflows to infinity is named as not finite", "[eulerian-checks]") {
  const Grid g = check_grid();
  EulerianConfig cfg;
  cfg.max_concentration = std::numeric_limits<double>::max();  // only the finite check is left
  EulerianModel m(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()), {},
                  std::make_shared<PpmInflow>(g, 1.5e308));
  const std::string what = error_of([&] { m.advance(west_wind(g, kStart), zero_rates(g), {}, kStart); });
  INFO(what);
  // The flux u dt c through the west face overflows to inf in column 0. The advection's own
  // check before its y sweep meets it first (in the halo copied from row 0: cell (0, -2, 0));
  // the model puts the species and the time in front.
  CHECK_THAT(what, Contains("2024-11-19T08:00:00Z") && Contains("PPM25: horizontal advection") &&
                       Contains("concentration inf at cell (i, j, k) = (0, -2, 0)"));
}

TEST_CASE("a budget that overflows is an error, never a zero residual", "[eulerian-checks]") {
  const Grid g = check_grid();
  EulerianConfig cfg;
  cfg.max_concentration = std::numeric_limits<double>::max();
  // 1e300 µg/m³ is a finite concentration, but a 3 km x 3 km x 50 m cell of it holds 4.5e308 µg.
  EulerianModel m(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()), {}, std::make_shared<PpmInflow>(g, 1e300));
  const std::string what = error_of([&] { m.advance(west_wind(g, kStart), zero_rates(g), {}, kStart); });
  INFO(what);
  CHECK_THAT(what, Contains("mass budget of the hour starting 2024-11-19T08:00:00Z") && Contains("PPM25") &&
                       Contains("not a finite number"));
  CHECK(m.budgets().empty());

  HourBudget b;
  CHECK(b.max_residual() == 0.0);
  b.inflow[0][index(Species::so4)] = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(b.max_residual()));  // not max(0, NaN) = 0
  CHECK_THROWS_WITH(check_budget(b), Contains("SO4 in_west is nan"));
  b.inflow[0][index(Species::so4)] = 0.0;
  b.mass_after[index(Species::nox)] = std::numeric_limits<double>::infinity();
  CHECK(std::isinf(b.max_residual()));
  CHECK_THROWS_WITH(check_budget(b), Contains("NOx mass_after is inf"));
}

TEST_CASE("an emission that makes a cell absurd is named, for the total and for a tag", "[eulerian-checks]") {
  const Grid g = check_grid();
  const meteo::MetState met = west_wind(g, kStart);
  EmissionRates huge = zero_rates(g);
  huge.rate[index(Species::so2)](3, 2, 1) = 1e300;  // µg/s: finite, so the rate check lets it through
  {
    EulerianModel m(g, EulerianConfig{}, test::varied_state(g));
    CHECK_THROWS_WITH(m.advance(met, huge, {}, kStart),
                      Contains("emissions at 2024-11-19T08:00:00Z") && Contains("SO2 at cell (i=3, j=2, k=1)") &&
                          Contains("above the ceiling"));
  }
  // The tags never feed back into the total: a tag's own emissions blowing up is caught on the
  // tag (here the total's rates are sane) by the hourly tag check. Vertical diffusion has spread
  // it down the column, so the first bad cell in row order is in the surface layer.
  EulerianConfig cfg;
  cfg.n_tags = 2;
  EulerianModel m(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()));
  const std::vector<EmissionRates> per_tag{zero_rates(g), huge};
  CHECK_THROWS_WITH(m.advance(met, zero_rates(g), per_tag, kStart),
                    Contains("the source tags at the end of the hour at 2024-11-19T08:00:00Z") &&
                        Contains("tag 1 SO2 at cell (i=3, j=2, k=0)") && Contains("above the ceiling"));
  CHECK(m.budgets().empty());
}

TEST_CASE("the first bad cell is the same with 1 and 2 threads", "[eulerian-checks]") {
  const Grid g = check_grid();
  auto run = [&] {
    EulerianModel m(g, EulerianConfig{}, zero_species_fields(g.nx(), g.ny(), g.nz()), {},
                    std::make_shared<PpmInflow>(g, 1e300));
    return error_of([&] { m.advance(west_wind(g, kStart), zero_rates(g), {}, kStart); });
  };
  std::string one, two;
  test::with_threads(1, [&] { one = run(); });
  test::with_threads(2, [&] { two = run(); });
  CHECK(!one.empty());
  CHECK(one == two);
}

TEST_CASE("check_state: NaN, negative and beyond the ceiling, global cell, tag named", "[eulerian-checks]") {
  const Grid g = check_grid();
  const StepTime t{static_cast<double>(kStart) + 0.5, 600.0};
  SpeciesFields c = test::varied_state(g);
  std::vector<SpeciesFields> tags{test::varied_state(g), test::varied_state(g)};
  CHECK_NOTHROW(check_state(c, tags, "chemistry", t, 1e6));
  c[index(Species::no3)](5, 4, 2) = std::numeric_limits<double>::quiet_NaN();
  c[index(Species::soa)](1, 5, 0) = -1.0;  // a later row: the NaN (row 4) comes first
  CHECK_THROWS_WITH(check_state(c, tags, "chemistry", t, 1e6, 100, 200),
                    Contains("chemistry at 2024-11-19T08:00:00Z + 1800 s") &&
                        Contains("NO3 at cell (i=105, j=204, k=2) is nan") && Contains("not a finite number"));
  c[index(Species::no3)](5, 4, 2) = 1.0;
  CHECK_THROWS_WITH(check_state(c, tags, "deposition", t, 1e6), Contains("SOA at cell (i=1, j=5, k=0) is -1") &&
                                                                     Contains("negative"));
  c[index(Species::soa)](1, 5, 0) = 1.0;
  tags[1][index(Species::nh3)](7, 0, 1) = 2e6;
  CHECK_THROWS_WITH(check_state(c, tags, "vertical diffusion", t, 1e6),
                    Contains("vertical diffusion at") && Contains("tag 1 NH3 at cell (i=7, j=0, k=1) is 2e+06") &&
                        Contains("above the ceiling of 1e+06"));
  CHECK_NOTHROW(check_state(c, {}, "vertical diffusion", t, 1e6));  // the totals alone are fine
  CHECK_NOTHROW(check_state(c, tags, "vertical diffusion", t, 3e6));
}

TEST_CASE("the ceiling is a setting: finite and > 0", "[eulerian-checks]") {
  const Grid g = check_grid();
  EulerianConfig cfg;
  CHECK(cfg.max_concentration == 1e6);
  for (const double bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    cfg.max_concentration = bad;
    CHECK_THROWS_WITH(EulerianModel(g, cfg, test::varied_state(g)), Contains("eulerian.max_concentration"));
  }
}
