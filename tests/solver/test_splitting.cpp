// The Eulerian step as an ordered list of processes (solver/process.hpp, issue 11): the
// splitting sequence as data (default, processes switched off), the processes' declared fields
// and budget terms, the one budget record (closing, the same for 1 and 2 threads), and the one
// halo fill (solver/halo.hpp) behind the transport's, the model's and the boundary's halos.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "solver/eulerian_model.hpp"
#include "solver/halo.hpp"
#include "tests/solver/process_fixture.hpp"

using namespace lantian;
using namespace lantian::solver;
using lantian::emissions::EmissionRates;

namespace {

constexpr UtcHour kStart = 481112;  // 2024-11-19T08:00Z

using Sequence = std::vector<std::string>;

/// A model with these switches on a small grid (the sequence does not depend on the state).
EulerianModel model_of(const EulerianConfig& cfg) {
  const Grid g = test::beijing_grid(6, 5);
  return EulerianModel(g, cfg, zero_species_fields(g.nx(), g.ny(), g.nz()));
}

meteo::MetState windy_met(const Grid& g, UtcHour t, double rain) {
  meteo::MetState m = test::uniform_met(g, t, 278.0, 80.0);
  m.u.fill(3.0);
  m.v.fill(-1.5);
  m.kz.fill(10.0);
  m.precip.fill(rain);
  return m;
}

EmissionRates rates(const Grid& g, double f) {
  EmissionRates e;
  for (auto& r : e.rate) r = Field3D<double>(g.nx(), g.ny(), g.nz());
  for (Species s : {Species::so2, Species::nox, Species::voc, Species::ppm25}) {
    e.rate[index(s)](2, 2, 0) = f * 1.0e6;
    e.rate[index(s)](3, 1, 1) = f * 4.0e5;
  }
  return e;
}

/// Two hours of every process, a regional inflow (tag 0) and one emitting tag.
EulerianModel full_run() {
  const Grid g = test::beijing_grid(8, 6);
  EulerianConfig cfg;
  cfg.kh = 200.0;
  cfg.n_tags = 2;
  cfg.boundary_tag = 0;
  PerSpecies inflow{};
  inflow[index(Species::so2)] = 6.0;
  inflow[index(Species::ppm25)] = 25.0;
  EulerianModel m(g, cfg, test::varied_state(g), {}, std::make_shared<ConstantBoundary>(g, inflow));
  const EmissionRates e = rates(g, 1.0);
  for (int h = 0; h < 2; ++h) m.advance(windy_met(g, kStart + h, h == 1 ? 2.0 : 0.0), e, {EmissionRates{}, e}, kStart + h);
  return m;
}

}  // namespace

TEST_CASE("the default splitting sequence is the Strang-symmetric one", "[splitting]") {
  EulerianConfig cfg;
  cfg.kh = 50.0;  // the case default (EulerianConfig's own is 0: no horizontal diffusion)
  const Sequence expected{"horizontal advection (dt/2)", "vertical advection (dt/2)", "vertical diffusion (dt/2)",
                          "horizontal diffusion (dt/2)", "emissions",                 "chemistry",
                          "deposition",                  "horizontal diffusion (dt/2)", "vertical diffusion (dt/2)",
                          "vertical advection (dt/2)",   "horizontal advection (dt/2)"};
  const EulerianModel m = model_of(cfg);
  CHECK(m.splitting_sequence() == expected);
  CHECK(m.splitting() == cfg.splitting());
  // The transport half steps mirror each other around the local processes (over dt).
  const auto& seq = m.splitting();
  for (std::size_t n = 0; n < 4; ++n) {
    CHECK(seq[n].fraction == 0.5);
    CHECK(seq[n] == seq[seq.size() - 1 - n]);
  }
  for (std::size_t n = 4; n < 7; ++n) CHECK(seq[n].fraction == 1.0);
  // Seven distinct processes, in the order they first run, named as in the sequence.
  std::vector<std::string> names;
  for (const auto& p : m.processes()) names.emplace_back(p->name());
  CHECK(names == Sequence{"horizontal advection", "vertical advection", "vertical diffusion", "horizontal diffusion",
                          "emissions", "chemistry", "deposition"});
  // EulerianConfig's own default, kh = 0: horizontal diffusion drops out, the rest keeps its place.
  CHECK(model_of(EulerianConfig{}).splitting_sequence() ==
        Sequence{"horizontal advection (dt/2)", "vertical advection (dt/2)", "vertical diffusion (dt/2)", "emissions",
                 "chemistry", "deposition", "vertical diffusion (dt/2)", "vertical advection (dt/2)",
                 "horizontal advection (dt/2)"});
}

TEST_CASE("processes switched off leave the sequence, the order of the others stays", "[splitting]") {
  EulerianConfig cfg;
  cfg.kh = 50.0;
  cfg.advection = false;
  cfg.chemistry = false;
  CHECK(model_of(cfg).splitting_sequence() ==
        Sequence{"vertical diffusion (dt/2)", "horizontal diffusion (dt/2)", "emissions", "deposition",
                 "horizontal diffusion (dt/2)", "vertical diffusion (dt/2)"});
  cfg = EulerianConfig{};
  cfg.kh = 50.0;
  cfg.vertical_diffusion = cfg.horizontal_diffusion = cfg.advection = false;
  CHECK(model_of(cfg).splitting_sequence() == Sequence{"emissions", "chemistry", "deposition"});
  cfg.emissions = cfg.chemistry = cfg.deposition = false;
  CHECK(model_of(cfg).splitting_sequence().empty());
  CHECK(model_of(cfg).processes().empty());
  // Only transport: the half steps and their mirror.
  cfg = EulerianConfig{};
  cfg.emissions = cfg.chemistry = cfg.deposition = cfg.vertical_diffusion = false;
  CHECK(model_of(cfg).splitting_sequence() ==
        Sequence{"horizontal advection (dt/2)", "vertical advection (dt/2)", "vertical advection (dt/2)",
                 "horizontal advection (dt/2)"});
  CHECK(describe(SplitStep{ProcessKind::chemistry, 0.25}) == "chemistry (0.25 dt)");
}

TEST_CASE("each process says what it reads and writes and adds only to the budget terms it names", "[splitting]") {
  const Grid g = test::beijing_grid(8, 6);
  PerSpecies inflow{};
  inflow[index(Species::ppm25)] = 25.0;
  const auto boundary = std::make_shared<ConstantBoundary>(g, inflow);
  const EmissionRates e = rates(g, 1.0);
  EulerianConfig all;
  all.kh = 200.0;
  all.open_top = true;
  std::set<BudgetTerm> covered;
  for (const SplitStep& only : all.splitting()) {
    EulerianConfig cfg = all;
    cfg.advection = only.process == ProcessKind::horizontal_advection || only.process == ProcessKind::vertical_advection;
    cfg.vertical_diffusion = only.process == ProcessKind::vertical_diffusion;
    cfg.horizontal_diffusion = only.process == ProcessKind::horizontal_diffusion;
    cfg.emissions = only.process == ProcessKind::emissions;
    cfg.chemistry = only.process == ProcessKind::chemistry;
    cfg.deposition = only.process == ProcessKind::deposition;
    EulerianModel m(g, cfg, test::varied_state(g), {}, boundary);
    meteo::MetState met = windy_met(g, kStart, 2.0);
    met.w.fill(0.01);  // through the open top
    m.advance(met, e, {}, kStart);
    std::set<BudgetTerm> named;
    for (const auto& p : m.processes()) {
      INFO(p->name());
      const ProcessFields f = p->fields();
      CHECK(std::find(f.writes.begin(), f.writes.end(), "concentrations") != f.writes.end());
      CHECK(std::find(f.reads.begin(), f.reads.end(), "concentrations") != f.reads.end());
      for (BudgetTerm t : p->budget_terms()) named.insert(t);
    }
    const HourBudget& b = m.budgets().back();
    for (BudgetTerm t : kAllBudgetTerms) {
      INFO(describe(only) << ": " << budget_term_name(t));
      double sum = 0.0;
      for (double v : b.term(t)) sum += std::abs(v);
      if (!named.count(t)) CHECK(sum == 0.0);
    }
    // A process naming terms fills some of them in this wind, rain, sun and state.
    double named_sum = 0.0;
    for (BudgetTerm t : named)
      for (double v : b.term(t)) named_sum += std::abs(v);
    INFO(describe(only));
    CHECK((named.empty() || named_sum > 0.0));
    for (BudgetTerm t : named) covered.insert(t);
    for (Species s : kAllSpecies) CHECK(std::abs(b.residual(s)) <= 1e-10 * (b.mass_before[index(s)] + 1.0));
  }
  // Together the processes fill every term of the record.
  CHECK(covered.size() == kBudgetTermCount);
  // The generic access is the named members.
  HourBudget b;
  b.add(inflow_term(Side::north), PerSpecies{1, 2, 3, 4, 5, 6, 7, 8, 9});
  b.add(BudgetTerm::chemistry, PerSpecies{-1, 0, 0, 0, 0, 0, 1, 0, 0});
  CHECK(b.inflow[static_cast<std::size_t>(Side::north)][2] == 3.0);
  CHECK(&b.term(outflow_term(Side::top)) == &b.outflow[4]);
  CHECK(&b.term(BudgetTerm::wet_deposited) == &b.wet_deposited);
  CHECK(b.chemistry[0] == -1.0);
  CHECK(budget_term_name(outflow_term(Side::south)) == "out_south");
}

TEST_CASE("one budget record: it closes, and is the same for 1 and 2 threads", "[splitting]") {
  std::unique_ptr<EulerianModel> a, b;
  test::with_threads(1, [&] { a = std::make_unique<EulerianModel>(full_run()); });
  test::with_threads(2, [&] { b = std::make_unique<EulerianModel>(full_run()); });
  REQUIRE(a->budgets().size() == 2);
  REQUIRE(b->budgets().size() == 2);
  for (std::size_t h = 0; h < 2; ++h) {
    const HourBudget& r = a->budgets()[h];
    CHECK(std::memcmp(&r, &b->budgets()[h], sizeof(HourBudget)) == 0);
    for (Species s : kAllSpecies) {
      // mass in = mass out + change: emitted + Σ in + chemistry = Σ out + dry + wet + (after − before)
      const std::size_t n = index(s);
      double in = r.emitted[n] + std::max(r.chemistry[n], 0.0);
      double out = r.dry_deposited[n] + r.wet_deposited[n] - std::min(r.chemistry[n], 0.0);
      for (std::size_t side = 0; side < 5; ++side) {
        in += r.inflow[side][n];
        out += r.outflow[side][n];
      }
      const double change = r.mass_after[n] - r.mass_before[n];
      INFO("hour " << h << " " << species_name(s) << ": in " << in << ", out " << out << ", change " << change);
      CHECK(std::abs(in - out - change) <= 1e-10 * (r.mass_before[n] + in));
      CHECK(std::abs(r.residual(s)) <= 1e-10 * (r.mass_before[n] + in));
    }
    CHECK(r.inflow[static_cast<std::size_t>(Side::west)][index(Species::ppm25)] > 0.0);
    CHECK(r.emitted[index(Species::so2)] > 0.0);
    CHECK(r.chemistry[index(Species::so2)] < 0.0);
    CHECK(r.chemistry[index(Species::so4)] > 0.0);
  }
  CHECK(a->budgets()[1].wet_deposited[index(Species::ppm25)] > 0.0);
}

TEST_CASE("one halo fill: the transport's, the model's and the boundary's halos agree", "[splitting][halo]") {
  const Grid g = test::beijing_grid(6, 5);
  const int nx = g.nx(), ny = g.ny(), nz = g.nz();
  meteo::MetState met = windy_met(g, kStart, 0.0);
  // Inflow on the west (u > 0) and north (v < 0) faces, except layer 1 of the west, calm.
  for (int j = 0; j < ny; ++j) met.u(0, j, 1) = 0.0;
  BoundaryValues bv(nx, ny, nz);
  LateralValues lateral;
  for (Side s : kAllLateralSides) {
    for (int k = 0; k < nz; ++k) {
      const double v = 10.0 * (1 + static_cast<int>(s)) + k;
      lateral[static_cast<std::size_t>(s)].push_back(v);
      for (int a = 0; a < bv.along(s); ++a) bv(s, Species::nox, a, k) = v;
    }
  }
  const SpeciesFields start = test::varied_state(g);
  Field3D<double> model = start[index(Species::nox)], transport = model, zero = model;
  fill_boundary_halo(model, Species::nox, bv, met.u, met.v);
  fill_halo_inflow(transport, lateral, met.u, met.v);
  fill_halo_zero_gradient(zero);
  CHECK(std::memcmp(model.data(), transport.data(), model.size() * sizeof(double)) == 0);
  const auto& c = start[index(Species::nox)];
  for (int l = 1; l <= kTransportHalo; ++l) {
    CHECK(model(-l, 2, 0) == 10.0);               // west inflow, layer 0
    CHECK(model(-l, 2, 1) == c(0, 2, 1));         // calm: zero gradient
    CHECK(model(nx - 1 + l, 3, 2) == c(nx - 1, 3, 2));  // east outflow
    CHECK(model(4, ny - 1 + l, 2) == 42.0);       // north inflow
    CHECK(model(4, -l, 2) == c(4, 0, 2));         // south outflow
    CHECK(zero(-l, 2, 0) == c(0, 2, 0));
    CHECK(zero(4, ny - 1 + l, 1) == c(4, ny - 1, 1));
  }
  // Tags: the boundary tag takes the inflow, the others 0; outflow sides zero gradient.
  std::vector<Field3D<double>> tags{c, c, c};
  std::vector<Field3D<double>> tags_t = tags;
  Field3D<double> total = c;
  fill_boundary_halo_tags(tags, 1, Species::nox, bv, met.u, met.v);
  fill_halo_inflow_tagged(total, tags_t, 1, lateral, met.u, met.v);
  for (std::size_t t = 0; t < tags.size(); ++t) {
    CHECK(std::memcmp(tags[t].data(), tags_t[t].data(), tags[t].size() * sizeof(double)) == 0);
    CHECK(tags[t](-1, 2, 0) == (t == 1 ? 10.0 : 0.0));
    CHECK(tags[t](nx, 2, 0) == c(nx - 1, 2, 0));
  }
  // Inflow everywhere with the corners: fill_halos.
  SpeciesFields all = start;
  fill_halos(all, bv);
  CHECK(all[index(Species::nox)](-2, -2, 1) == 11.0);  // corner: west at the nearest row
  CHECK(all[index(Species::nox)](nx + 1, ny + 1, 0) == 20.0);
  CHECK(all[index(Species::nox)](2, -1, 0) == 30.0);
}
