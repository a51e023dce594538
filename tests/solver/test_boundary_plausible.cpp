// Plausible ranges of boundary (inflow) values (core/plausible.hpp, docs/input-ranges.md): the
// issue-18 reproducer (inflow of 1e300 µg/m³) is refused in the boundary CSV with file, line and
// column, and in constant inflow; a dust-storm inflow of coarse PM passes.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "solver/boundary.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using Catch::Contains;

TEST_CASE("plausible: boundary values of 1e300 are refused, a dust-storm inflow is not", "[solver][boundary][plausible]") {
  const Grid g = test::beijing_grid();
  const TimeZone utc("UTC");
  const std::string head = "time,side,species,level,value\n";
  CHECK_THROWS_WITH(TimeSeriesBoundary(head + "2024-12-11T00:00Z,west,SO4,0,5\n2024-12-11T00:00Z,east,SO4,0,1e300\n",
                                       "bc.csv", g, utc),
                    Contains("bc.csv:3: column 5 (value): concentration 1e300 is outside the plausible range") &&
                        Contains("0..10000 µg/m³"));
  CHECK_THROWS_WITH(TimeSeriesBoundary(head + "2024-12-11T00:00Z,all,PPM25,0,99999\n", "bc.csv", g, utc),
                    Contains("bc.csv:2: column 5 (value)") && Contains("99999 is a common missing-value code"));
  CHECK_NOTHROW(TimeSeriesBoundary(head + "2024-12-11T00:00Z,all,PMC,all,6000\n", "bc.csv", g, utc));
  PerSpecies inflow{};
  inflow[index(Species::so4)] = 1e300;
  CHECK_THROWS_WITH(ConstantBoundary(g, inflow), Contains("boundary.SO4: concentration 1e+300"));
  inflow[index(Species::so4)] = 45.0;
  CHECK_NOTHROW(ConstantBoundary(g, inflow));
}
