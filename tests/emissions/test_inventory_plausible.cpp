// Plausible ranges in the inventory CSV readers (core/plausible.hpp, docs/input-ranges.md): the
// issue-18 reproducer (stack exit velocity 4e9 m/s) and its kin are refused with file, line,
// column and the value as written; real stacks (a 240-m chimney, a flue-gas cooling tower) pass.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "emissions/inventory.hpp"
#include "emissions/inventory_csv.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using namespace lantian::emissions;
using Catch::Contains;
using lantian::test::TempDir;

namespace {

const std::string kEnterprises =
    "# unit: g/s\n"
    "id,name,industry,grade,district,x,y,so2,nox\n"
    "E1,Plant one,power,A,North,0,0,100,50\n";
const std::string kStackHeader = "id,enterprise,x,y,height,diameter,velocity,temperature\n";
const std::string kLines = "id,enterprise,name,share_so2\n";

std::string error_of(const TempDir& d, const std::string& enterprises, const std::string& stacks) {
  InventoryFiles f;
  f.enterprises = d.write("enterprises.csv", enterprises);
  f.stacks = d.write("stacks.csv", stacks);
  f.lines = d.write("lines.csv", kLines);
  try {
    (void)read_inventory(f);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("plausible: stacks.csv refuses an exit velocity of 4e9 m/s and other impossible stacks",
          "[emissions][csv][plausible]") {
  const TempDir d;
  auto stack = [&](const std::string& row) { return error_of(d, kEnterprises, kStackHeader + row + "\n"); };
  CHECK_THAT(stack("S1,E1,0,0,180,6,4e9,400"),
             Contains("stacks.csv:2: column 7 (velocity): exit velocity 4e9 is outside the plausible range") &&
                 Contains("0..100 m/s"));
  CHECK_THAT(stack("S1,E1,0,0,1e300,6,20,400"), Contains("stacks.csv:2: column 5 (height): release height 1e300"));
  CHECK_THAT(stack("S1,E1,0,0,180,500,20,400"), Contains("stacks.csv:2: column 6 (diameter): stack diameter 500"));
  CHECK_THAT(stack("S1,E1,0,0,180,6,20,99999"),
             Contains("stacks.csv:2: column 8 (temperature)") && Contains("exit temperature 99999"));
  CHECK_THAT(stack("S1,E1,0,0,180,6,20,170"), Contains("column 8 (temperature)") && Contains("Celsius"));
  // Real stacks: a 240-m chimney at 20 m/s and 320 K, a cooling tower (烟塔合一) 80 m across.
  CHECK(stack("S1,E1,0,0,240,8,20,320") == "");
  CHECK(stack("S1,E1,0,0,150,80,4,325") == "");
  CHECK(stack("S1,E1,0,0,60,1.5,45,1200") == "");
}

TEST_CASE("plausible: emission rates must be finite and below 1e7 g/s after unit conversion",
          "[emissions][csv][plausible]") {
  const TempDir d;
  const std::string head = "id,name,industry,grade,district,x,y,unit,so2,nox\n";
  auto ent = [&](const std::string& row) { return error_of(d, head + row + "\n", kStackHeader); };
  CHECK_THAT(ent("E1,a,steel,B,N,0,0,t/yr,1e300,2"),
             Contains("enterprises.csv:2: column 9 (so2): emission rate 1e300 t/yr (") &&
                 Contains("g/s) is outside the plausible range"));
  CHECK_THAT(ent("E1,a,steel,B,N,0,0,g/s,1,2e7"), Contains("enterprises.csv:2: column 10 (nox)"));
  // The largest single sources (Norilsk, ~2 Mt SO2/yr) pass.
  CHECK(ent("E1,a,steel,B,N,0,0,t/yr,2000000,2") == "");
}
