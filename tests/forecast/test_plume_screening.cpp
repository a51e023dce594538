// Gaussian screening of the demo city (forecast/plume_screening.hpp): the per-enterprise and
// per-line contributions are exact re-combinations of the unit transfer coefficients, checked
// against sums, the inventory's own split rule and a direct run at the actual rates. The screen
// folder (forecast/screening_output.hpp) read back by the report model gives the rankings the
// report computes from the screening itself.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "core/demo_case.hpp"
#include "core/temp_dir.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/plume_screening.hpp"
// GCC 12 at -O3 sees an impossible string length in the fixture's string concatenations once
// inlined here (known false positives of -Wstringop-overflow and -Wrestrict).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wrestrict"
#include "forecast/report_fixture.hpp"
#pragma GCC diagnostic pop
#include "forecast/report_model.hpp"
#include "forecast/screening_output.hpp"

using namespace lantian;
using emissions::EmittedPollutant;

namespace {
const std::string kDemoCase = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";
}

TEST_CASE("demo-city screening: enterprises and lines add up, and match a run at actual rates", "[screening]") {
  const CaseInputs in = assemble_case(load_case(kDemoCase));
  PlumeScreeningOptions opt;
  opt.map = true;
  const auto t0 = std::chrono::steady_clock::now();
  const PlumeScreening s = run_plume_screening(in, opt);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t ns = s.n_stations, nh = s.times.size(), ne = in.inventory.enterprises.size();
  std::cout << "screening: " << nh << " h x " << s.unit.n_sources << " sources x " << s.receptors.size()
            << " receptors (" << ns << " stations + map) in " << secs << " s\n";
  REQUIRE(ns == in.config.stations.size());
  REQUIRE(s.receptors.size() == ns + static_cast<std::size_t>(in.grid.nx() * in.grid.ny()));
  REQUIRE(s.unit.n_sources == in.inventory.stacks.size() + ne);

  const auto pm = EmittedPollutant::pm25;
  const auto ent = s.enterprise_contributions(in.inventory, pm, ns);
  const auto lines = s.line_contributions(in.inventory, pm, ns);
  const std::size_t nl = in.inventory.lines.size();
  const auto all = s.concentrations(in.inventory, pm);
  double peak = 0.0;
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < ns; ++r) {
      const double total = s.concentration(in.inventory, pm, h, r);
      CHECK(all[h * s.receptors.size() + r] == total);
      peak = std::max(peak, total);
      const double* e = ent.data() + (h * ns + r) * ne;
      // Σ enterprises = total (the same products summed in another order).
      CHECK(std::accumulate(e, e + ne, 0.0) == Approx(total).epsilon(1e-12).margin(1e-12));
      // Per enterprise: Σ its lines + the unassigned share (1 - Σ shares) through all its stacks
      // (or at ground level) = its contribution (emissions/inventory.hpp's split rule).
      for (std::size_t k = 0; k < ne; ++k) {
        const auto& en = in.inventory.enterprises[k];
        double from_lines = 0.0, share = 0.0;
        for (std::size_t l = 0; l < nl; ++l)
          if (in.inventory.lines[l].enterprise == k) {
            from_lines += lines[(h * ns + r) * nl + l];
            share += in.inventory.lines[l].share[emissions::index(pm)];
          }
        double unit_all = 0.0;
        std::size_t n_stacks = 0;
        for (std::size_t st = 0; st < in.inventory.stacks.size(); ++st)
          if (in.inventory.stacks[st].enterprise == k) {
            unit_all += s.unit.value(h, r, st);
            ++n_stacks;
          }
        const double unit_rest = n_stacks ? unit_all / static_cast<double>(n_stacks) : s.unit.value(h, r, s.n_stacks + k);
        const double rest = (1.0 - share) * en.rates[emissions::index(pm)] * s.temporal[h * ne + k] * unit_rest;
        CHECK(from_lines + rest == Approx(e[k]).epsilon(1e-9).margin(1e-9));
      }
    }
  CHECK(peak > 1.0);  // stacks and factories of a 15 kt/yr PM2.5 city reach its stations

  // A direct run at the actual rates of hour h (rate × temporal factor per source) gives the same
  // station values, to the float storage of the unit coefficients (relative 6e-8 per term).
  const auto sources = screening_sources(in.inventory);
  const auto met = plume_met_at_sources(in, sources, opt.z0);
  const auto annual = emissions::stack_emissions(in.inventory);
  const auto ground = emissions::ground_releases(in.inventory);
  for (const std::size_t h : {std::size_t{3}, nh / 2, nh - 1}) {
    auto scaled = sources;
    for (std::size_t i = 0; i < scaled.size(); ++i) scaled[i].rate_g_s = 0.0;
    for (std::size_t st = 0; st < annual.size(); ++st)
      scaled[st].rate_g_s = annual[st][emissions::index(pm)] * s.temporal[h * ne + in.inventory.stacks[st].enterprise];
    for (const auto& g : ground)
      scaled[s.n_stacks + g.enterprise].rate_g_s += g.rates[emissions::index(pm)] * s.temporal[h * ne + g.enterprise];
    std::vector<solver::PlumeMet> met_h(met.begin() + static_cast<std::ptrdiff_t>(h * sources.size()),
                                        met.begin() + static_cast<std::ptrdiff_t>((h + 1) * sources.size()));
    std::vector<solver::Receptor> stations(s.receptors.begin(), s.receptors.begin() + static_cast<std::ptrdiff_t>(ns));
    const auto direct = solver::compute_contributions_stack_met(scaled, met_h, 1, stations, opt.plume);
    for (std::size_t r = 0; r < ns; ++r)
      CHECK(s.concentration(in.inventory, pm, h, r) == Approx(direct.total(0, r)).epsilon(1e-6).margin(1e-9));
  }
}

TEST_CASE("a `lantian screen` folder read back by the report gives the report's own rankings", "[screening][report]") {
  test::TempDir tmp;
  const std::string case_file = test::report::write_fixture(tmp.path(), 24, "Plain", false);
  ScreenRequest q;
  q.case_file = case_file;
  q.out = (tmp.path() / "screen").string();
  q.map = true;
  const ScreenSummary s = run_screen_job(q);
  CHECK(s.hours == 24u);
  CHECK(s.map);
  CHECK(s.files == std::vector<std::string>{"stations.csv", "enterprises.csv", "lines.csv", "map_daily.csv"});
  // The headers, from the one definition of the columns.
  auto first_line = [&](const char* name) {
    std::ifstream in(tmp.path() / "screen" / name);
    std::string line;
    std::getline(in, line);
    return line + "\n";
  };
  CHECK(first_line("stations.csv") == "time,station,conc\n");
  CHECK(first_line("enterprises.csv") == "station,rank,enterprise,name,district,mean,peak\n");
  CHECK(first_line("lines.csv") == "station,rank,enterprise,line,name,mean,peak\n");
  CHECK(first_line("map_daily.csv") == "date,i,j,x,y,conc,hours\n");
  CHECK(first_line("lines.csv") == screening_csv::header(screening_csv::kLinesColumns));

  const CaseInputs in = assemble_case(load_case(case_file));
  ReportOptions opt;
  opt.run_dir = (tmp.path() / "run").string();
  opt.stagnation = false;
  const auto here = nlohmann::json::parse(report_model_json(in, opt))["rankings"];
  opt.screen_dir = q.out;
  const auto read = nlohmann::json::parse(report_model_json(in, opt))["rankings"];
  for (const char* kind : {"enterprise", "line"}) {
    INFO(kind);
    std::map<std::string, double> a, b;
    for (const auto& r : here[kind]) a[r["key"].get<std::string>()] = r["mean"].get<double>();
    for (const auto& r : read[kind]) b[r["key"].get<std::string>()] = r["mean"].get<double>();
    REQUIRE(a.size() > 3u);
    REQUIRE(a.size() == b.size());
    // The files hold 6 significant digits; the report rounds to 0.001.
    for (const auto& [key, mean] : a) CHECK(b[key] == Approx(mean).margin(2e-3));
  }
}

TEST_CASE("the case's buildings.csv gives the screening's stacks their downwash, only where a building stands",
          "[screening][prime]") {
  // The demo on its coarse grid (6 h), its inventory copied so that a buildings.csv can sit
  // beside it: a block 0.8 x the first stack's height, 40 m square, just west of that stack
  // (within BPIP's 5L of it), and a second block 30 km from every stack (out of any reach).
  // The shortest stack is taken: a tall one's buoyant plume rises far above any wake.
  test::TempDir tmp;
  const std::string src = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/";
  std::filesystem::copy(src + "inventory", tmp.path() / "inventory", std::filesystem::copy_options::recursive);
  test::DemoCaseOptions o;
  o.hours = 6;
  o.coarse = true;
  o.untagged = true;
  std::string text = test::demo_case_text(o);
  const std::string from = "folder = \"" + src + "inventory\"";
  text.replace(text.find(from), from.size(), "folder = \"" + (tmp.path() / "inventory").string() + "\"");
  const std::string case_file = tmp.write("case.toml", text);
  const CaseInputs plain = assemble_case(load_case(case_file));
  REQUIRE(plain.buildings.empty());
  // The shortest stack (a boiler house's): a tall one's plume rises far above any wake.
  std::size_t k = 0;
  for (std::size_t i = 1; i < plain.inventory.stacks.size(); ++i)
    if (plain.inventory.stacks[i].height < plain.inventory.stacks[k].height) k = i;
  const auto& st = plain.inventory.stacks[k];
  const double x = st.position.x, y = st.position.y, h = 0.8 * st.height;
  char row[256];
  std::snprintf(row, sizeof row, "B1,%.1f,\"POLYGON ((%.1f %.1f, %.1f %.1f, %.1f %.1f, %.1f %.1f, %.1f %.1f))\"\n", h,
                x - 45, y - 20, x - 45, y + 20, x - 5, y + 20, x - 5, y - 20, x - 45, y - 20);
  tmp.write("inventory/buildings.csv", std::string("id,height,footprint\n") + row +
                                           "B2,20,\"POLYGON ((-39000 39000, -39000 39040, -38960 39040, -38960 39000, "
                                           "-39000 39000))\"\n");
  const CaseInputs with = assemble_case(load_case(case_file));
  REQUIRE(with.buildings.size() == 2u);
  // The stack beside B1 takes its dims; every other stack and the ground points none (B2 is
  // 30 km from all of them).
  std::vector<solver::PlumeSource> sources = screening_sources(with.inventory);
  attach_buildings(sources, with.inventory.stacks.size(), with.buildings);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    INFO(sources[i].id);
    CHECK(static_cast<bool>(sources[i].building) == (i == k));
  }
  REQUIRE(sources[k].building);
  // Flow towards the east (sector 9): B1 is 40 m x 40 m, its west face 45 m upwind of the stack.
  const solver::BuildingSector& east = (*sources[k].building)[8];
  CHECK(east.height == Approx(h).epsilon(1e-9));
  CHECK(east.width == Approx(40.0).margin(0.01));
  CHECK(east.length == Approx(40.0).margin(0.01));
  CHECK(east.xbadj == Approx(-45.0).margin(0.01));
  // The screening still runs with them (the wake's effect is tested in solver/test_plume_prime).
  PlumeScreeningOptions opt;
  CHECK(run_plume_screening(with, opt).unit.n_sources == sources.size());
}
