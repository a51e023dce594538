// The processes of the Eulerian step (solver/process.hpp): transport (horizontal and vertical
// advection, vertical and horizontal diffusion), emissions, chemistry and deposition, each over
// the total and its tags, adding its terms to the hour's budget.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "solver/chemistry.hpp"
#include "solver/deposition.hpp"
#include "solver/emission_step.hpp"
#include "solver/eulerian_model.hpp"
#include "solver/process.hpp"

namespace lantian::solver {

std::string_view process_name(ProcessKind k) noexcept {
  constexpr std::array<std::string_view, 7> names{"horizontal advection", "vertical advection", "vertical diffusion",
                                                  "horizontal diffusion", "emissions",          "chemistry",
                                                  "deposition"};
  return names[static_cast<std::size_t>(k)];
}

std::string describe(const SplitStep& s) {
  std::string out(process_name(s.process));
  if (s.fraction == 0.5) return out + " (dt/2)";
  if (s.fraction == 1.0) return out;
  std::ostringstream o;
  o << out << " (" << s.fraction << " dt)";
  return o.str();
}

void BudgetTally::finish() noexcept {
  for (std::size_t s = 0; s < kSpeciesCount; ++s) {
    // The side terms are the transport's alone: copied, not added.
    for (std::size_t side = 0; side < 5; ++side) {
      record.inflow[side][s] = transport[s].inflow[side];
      record.outflow[side][s] = transport[s].outflow[side];
    }
    // No surface flux is given to the vertical diffusion (emissions and deposition are their own
    // processes), so these stay 0 today.
    record.emitted[s] += transport[s].emitted;
    record.dry_deposited[s] += transport[s].deposited;
  }
}

namespace {

ErrorContext context(const std::string& where) { return ErrorContext{"", 0, where}; }

/// Runs f; a lantian::Error it throws is rethrown with the time of the step in front.
template <class F>
void with_time(const StepTime& time, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw Error(context("eulerian model"), describe_time(time) + ": " + e.what());
  }
}

/// Runs f, the transport of species s alone; a lantian::Error it throws (which names the field
/// by its place in the call, "field 0") is rethrown with the species in front.
template <class F>
void for_species(Species s, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw Error(std::string(species_name(s)) + ": " + e.what());
  }
}

/// Runs f on the tag fields of species s as one vector (the tagged transport functions take a
/// span), moving them back afterwards (also on error).
template <class F>
void on_tags(std::vector<SpeciesFields>& tags, Species s, F&& f) {
  std::vector<Field3D<double>> tg;
  tg.reserve(tags.size());
  for (auto& t : tags) tg.push_back(std::move(t[index(s)]));
  auto give_back = [&] {
    for (std::size_t t = 0; t < tags.size(); ++t) tags[t][index(s)] = std::move(tg[t]);
  };
  try {
    f(tg);
  } catch (...) {
    give_back();
    throw;
  }
  give_back();
}

/// Runs f on the total's fields followed by every tag's ([tag][species] order) as one span,
/// moving them back afterwards (also on error).
template <class F>
void on_all_fields(SpeciesFields& total, std::vector<SpeciesFields>& tags, F&& f) {
  std::vector<Field3D<double>> all;
  all.reserve(kSpeciesCount * (1 + tags.size()));
  for (auto& x : total) all.push_back(std::move(x));
  for (auto& t : tags)
    for (auto& x : t) all.push_back(std::move(x));
  auto give_back = [&] {
    std::size_t n = 0;
    for (auto& x : total) x = std::move(all[n++]);
    for (auto& t : tags)
      for (auto& x : t) x = std::move(all[n++]);
  };
  try {
    f(std::span<Field3D<double>>(all));
  } catch (...) {
    give_back();
    throw;
  }
  give_back();
}

void fill_total(const ProcessState& st, Field3D<double>& c, Species s) {
  fill_boundary_halo(c, s, st.boundary, st.met.u, st.met.v);
}
/// Throws unless the tag fields have the total's shape and the transport's halo (what
/// fill_layer relies on; the total's own shape against the boundary values is checked by
/// fill_total).
void check_tag_shapes(const Field3D<double>& total, std::span<const Field3D<double>> tags) {
  for (const auto& t : tags)
    LANTIAN_CHECK(t.nx() == total.nx() && t.ny() == total.ny() && t.nz() == total.nz() && t.halo() >= kTransportHalo,
                  context("boundary"), "the tag fields do not match the concentration fields' shape");
}

/// The halos of layer k of species s: what fill_boundary_halo writes into the total and
/// fill_boundary_halo_tags into the tags, on that layer only (halo.hpp's one fill, HaloExtent
/// k0..k1). Does not throw (check_tag_shapes and fill_total check the shapes before).
void fill_layer(const ProcessState& st, Species s, int boundary_tag, Field3D<double>& total,
                std::span<Field3D<double>> tags, int k) {
  const HaloExtent layer{kTransportHalo, false, k, k + 1};
  const WindInflow inflow(st.met.u, st.met.v, total.nx(), total.ny());
  const auto value = [&](Side side, int along, int kk) { return st.boundary(side, s, along, kk); };
  fill_halo(total, layer, inflow, value);
  for (std::size_t t = 0; t < tags.size(); ++t) {
    const bool is_boundary = static_cast<int>(t) == boundary_tag;
    fill_halo(tags[t], layer, inflow, [&](Side side, int along, int kk) { return is_boundary ? value(side, along, kk) : 0.0; });
  }
}

void fill_tags(const ProcessState& st, std::span<Field3D<double>> tags, int boundary_tag, Species s) {
  fill_boundary_halo_tags(tags, boundary_tag, s, st.boundary, st.met.u, st.met.v);
}

std::vector<BudgetTerm> lateral_terms() {
  std::vector<BudgetTerm> t;
  for (Side s : kAllLateralSides) t.push_back(inflow_term(s));
  for (Side s : kAllLateralSides) t.push_back(outflow_term(s));
  return t;
}

/// The window of a row-local process: the model step's start, dt seconds.
StepTime window(const ProcessState& st, double dt) { return StepTime{st.time.start_h, dt}; }

// ---- Transport ------------------------------------------------------------------------------------

class HorizontalAdvection final : public Process {
 public:
  explicit HorizontalAdvection(const EulerianConfig& c) : boundary_tag_(c.boundary_tag) {
    opt_.courant_limit = c.courant_limit;
  }
  std::string_view name() const noexcept override { return process_name(ProcessKind::horizontal_advection); }
  ProcessFields fields() const override {
    return {{"concentrations", "tags", "met.u", "met.v", "boundary values"}, {"concentrations", "tags"}};
  }
  std::vector<BudgetTerm> budget_terms() const override { return lateral_terms(); }
  void step(ProcessState& st, double h) override {
    with_time(st.time, [&] {
      for (Species s : kAllSpecies) {
        Field3D<double>& total = st.c[index(s)];
        TransportBudget& tb = st.budget.transport[index(s)];
        fill_total(st, total, s);
        for_species(s, [&] {
          if (st.tags.empty()) {
            const HaloFill fill = [&](std::span<Field3D<double>> fs) { fill_total(st, fs[0], s); };
            advect_horizontal({&total, 1}, st.met.u, st.met.v, st.geometry, h, fill, {&tb, 1}, opt_);
            return;
          }
          on_tags(st.tags, s, [&](std::vector<Field3D<double>>& tg) {
            // Layer by layer (the tags of a layer stay in cache through all passes); the halos
            // are those of fill_boundary_halo / fill_boundary_halo_tags, one layer at a time.
            // fill_total above checked the shapes the per-layer fill relies on.
            check_tag_shapes(total, tg);
            const TaggedPlaneHaloFill fill = [&](Field3D<double>& tot, std::span<Field3D<double>> ts, int k) {
              fill_layer(st, s, boundary_tag_, tot, ts, k);
            };
            advect_horizontal_tagged_planes(total, tg, st.met.u, st.met.v, st.geometry, h, fill, &tb, {}, opt_);
          });
        });
      }
    });
  }

 private:
  AdvectionOptions opt_;
  int boundary_tag_;
};

class VerticalAdvection final : public Process {
 public:
  explicit VerticalAdvection(const EulerianConfig& c) {
    opt_.courant_limit = c.courant_limit;
    opt_.open_top = c.open_top;
  }
  std::string_view name() const noexcept override { return process_name(ProcessKind::vertical_advection); }
  ProcessFields fields() const override { return {{"concentrations", "tags", "met.w"}, {"concentrations", "tags"}}; }
  std::vector<BudgetTerm> budget_terms() const override {
    if (!opt_.open_top) return {};
    return {inflow_term(Side::top), outflow_term(Side::top)};
  }
  void step(ProcessState& st, double h) override {
    with_time(st.time, [&] {
      if (st.tags.empty()) {
        advect_vertical(st.c, st.met.w, st.geometry, h, st.budget.transport, opt_);
        return;
      }
      for (Species s : kAllSpecies)
        for_species(s, [&] {
          on_tags(st.tags, s, [&](std::vector<Field3D<double>>& tg) {
            advect_vertical_tagged(st.c[index(s)], tg, st.met.w, st.geometry, h, &st.budget.transport[index(s)], {},
                                   opt_);
          });
        });
    });
  }

 private:
  AdvectionOptions opt_;
};

class VerticalDiffusion final : public Process {
 public:
  std::string_view name() const noexcept override { return process_name(ProcessKind::vertical_diffusion); }
  ProcessFields fields() const override { return {{"concentrations", "tags", "met.kz"}, {"concentrations", "tags"}}; }
  std::vector<BudgetTerm> budget_terms() const override { return {}; }  // no surface flux: closed column
  void step(ProcessState& st, double h) override {
    with_time(st.time, [&] {
      if (st.tags.empty()) {
        diffuse_vertical(st.c, st.met.kz, st.geometry, h, {}, st.budget.transport);
        return;
      }
      // One call for the total and every tag: the columns' Thomas coefficients (which depend
      // only on Kz and the layers) are computed once and serve all fields, instead of once per
      // tag. Each field gets the same operations as in a call of its own: bitwise the same.
      on_all_fields(st.c, st.tags, [&](std::span<Field3D<double>> all) {
        std::vector<TransportBudget> budget(all.size());
        std::copy(st.budget.transport.begin(), st.budget.transport.end(), budget.begin());
        diffuse_vertical(all, st.met.kz, st.geometry, h, {}, budget);
        std::copy(budget.begin(), budget.begin() + static_cast<std::ptrdiff_t>(kSpeciesCount),
                  st.budget.transport.begin());
      });
    });
  }
};

class HorizontalDiffusion final : public Process {
 public:
  explicit HorizontalDiffusion(const EulerianConfig& c) : kh_(c.kh), boundary_tag_(c.boundary_tag) {}
  std::string_view name() const noexcept override { return process_name(ProcessKind::horizontal_diffusion); }
  ProcessFields fields() const override {
    return {{"concentrations", "tags", "kh", "met.u", "met.v", "boundary values"}, {"concentrations", "tags"}};
  }
  std::vector<BudgetTerm> budget_terms() const override { return lateral_terms(); }
  void step(ProcessState& st, double h) override {
    if (kh_ <= 0.0) return;
    const HorizontalDiffusivity kh{kh_, nullptr};
    with_time(st.time, [&] {
      for (Species s : kAllSpecies) {
        Field3D<double>& total = st.c[index(s)];
        for_species(s, [&] {
          fill_total(st, total, s);
          const HaloFill fill = [&](std::span<Field3D<double>> fs) { fill_total(st, fs[0], s); };
          diffuse_horizontal({&total, 1}, kh, st.geometry, h, fill, {&st.budget.transport[index(s)], 1});
          if (st.tags.empty()) return;
          on_tags(st.tags, s, [&](std::vector<Field3D<double>>& tg) {
            fill_tags(st, tg, boundary_tag_, s);
            const HaloFill fill_t = [&](std::span<Field3D<double>> ts) { fill_tags(st, ts, boundary_tag_, s); };
            diffuse_horizontal(tg, kh, st.geometry, h, fill_t);
          });
        });
      }
    });
  }

 private:
  double kh_;
  int boundary_tag_;
};

// ---- Emissions, chemistry, deposition --------------------------------------------------------------

bool has_rates(const emissions::EmissionRates& e) noexcept { return e.rate[0].nx() > 0; }

/// Throws (naming "emissions", the time and the cell) at the first NaN, infinite or negative rate.
void check_rates(const emissions::EmissionRates& e, const Grid& grid, const StepTime& time, const std::string& what) {
  LANTIAN_CHECK(e.rate[0].nx() == grid.nx() && e.rate[0].ny() == grid.ny() && e.rate[0].nz() == grid.nz(),
                context("emissions"), "the " + what + " emission rates are not on the model grid");
  std::vector<BadValue> bad(static_cast<std::size_t>(grid.ny()));
  for (Species s : kAllSpecies) {
    const std::string name = what + " " + std::string(species_name(s)) + " emission rate";
    const auto& r = e.rate[index(s)];
    for (int k = 0; k < grid.nz(); ++k)
      for (int j = 0; j < grid.ny(); ++j)
        for (int i = 0; i < grid.nx(); ++i) flag_bad(bad[static_cast<std::size_t>(j)], r(i, j, k), i, j, k, name);
  }
  throw_first_bad(bad, "emissions", time);
}

class Emissions final : public Process {
 public:
  std::string_view name() const noexcept override { return process_name(ProcessKind::emissions); }
  ProcessFields fields() const override {
    return {{"concentrations", "tags", "emission rates"}, {"concentrations", "tags"}};
  }
  std::vector<BudgetTerm> budget_terms() const override { return {BudgetTerm::emitted}; }
  void begin_hour(const ProcessState& st) override {
    check_rates(st.rates, st.grid, st.time, "total");
    LANTIAN_CHECK(st.tag_rates.size() == st.tags.size(), context("emissions"),
                  "expected emission rates for " + std::to_string(st.tags.size()) + " tags, found " +
                      std::to_string(st.tag_rates.size()));
    for (std::size_t t = 0; t < st.tag_rates.size(); ++t)
      if (has_rates(st.tag_rates[t])) check_rates(st.tag_rates[t], st.grid, st.time, "tag " + std::to_string(t));
  }
  void step(ProcessState& st, double dt) override {
    const StepTime time = window(st, dt);
    st.budget.add(BudgetTerm::emitted, apply_emissions(st.c, st.rates, st.grid, time, st.rows));
    for (std::size_t t = 0; t < st.tags.size(); ++t)
      if (has_rates(st.tag_rates[t])) apply_emissions(st.tags[t], st.tag_rates[t], st.grid, time, st.rows);
  }
};

class Chemistry final : public Process {
 public:
  explicit Chemistry(const EulerianConfig& c) : params_(c.chemistry_params) {}
  std::string_view name() const noexcept override { return process_name(ProcessKind::chemistry); }
  ProcessFields fields() const override {
    return {{"concentrations", "tags", "met.t", "met.rh", "sun (time, lon/lat)"}, {"concentrations", "tags"}};
  }
  std::vector<BudgetTerm> budget_terms() const override { return {BudgetTerm::chemistry}; }
  void step(ProcessState& st, double dt) override {
    prepare_chemistry(step_, st.grid, st.met, params_, window(st, dt), st.rows);
    const ChemistryBudget cb = apply_chemistry(st.c, step_, st.grid, st.rows);
    apply_chemistry_tags(st.tags, step_, st.grid, st.rows);  // the step's factors read once for all tags
    PerSpecies change{};
    change[index(Species::so2)] = -cb.so2_lost;
    change[index(Species::so4)] = cb.so4_formed;
    change[index(Species::nox)] = -cb.nox_lost;
    change[index(Species::no3)] = cb.no3_formed;
    change[index(Species::voc)] = -cb.voc_lost;
    change[index(Species::soa)] = cb.soa_formed;
    st.budget.add(BudgetTerm::chemistry, change);
  }

 private:
  ChemistryParams params_;
  ChemistryStep step_;
};

class Deposition final : public Process {
 public:
  explicit Deposition(const EulerianConfig& c) : params_(c.deposition_params) {}
  std::string_view name() const noexcept override { return process_name(ProcessKind::deposition); }
  ProcessFields fields() const override {
    return {{"concentrations", "tags", "met.ustar", "met.obukhov", "met.precip"}, {"concentrations", "tags"}};
  }
  std::vector<BudgetTerm> budget_terms() const override {
    return {BudgetTerm::dry_deposited, BudgetTerm::wet_deposited};
  }
  void step(ProcessState& st, double dt) override {
    prepare_deposition(step_, st.grid, st.met, params_, window(st, dt), st.rows);
    const DepositionBudget db = apply_deposition(st.c, step_, st.grid, st.rows);
    apply_deposition_tags(st.tags, step_, st.grid, st.rows);
    st.budget.add(BudgetTerm::dry_deposited, db.dry);
    st.budget.add(BudgetTerm::wet_deposited, db.wet);
  }

 private:
  DepositionParams params_;
  DepositionStep step_;
};

}  // namespace

std::unique_ptr<Process> make_process(ProcessKind kind, const EulerianConfig& config) {
  switch (kind) {
    case ProcessKind::horizontal_advection: return std::make_unique<HorizontalAdvection>(config);
    case ProcessKind::vertical_advection: return std::make_unique<VerticalAdvection>(config);
    case ProcessKind::vertical_diffusion: return std::make_unique<VerticalDiffusion>();
    case ProcessKind::horizontal_diffusion: return std::make_unique<HorizontalDiffusion>(config);
    case ProcessKind::emissions: return std::make_unique<Emissions>();
    case ProcessKind::chemistry: return std::make_unique<Chemistry>(config);
    case ProcessKind::deposition: return std::make_unique<Deposition>(config);
  }
  throw Error(context("eulerian model"), "unknown process kind " + std::to_string(static_cast<int>(kind)));
}

}  // namespace lantian::solver
