#include "forecast/plume_screening.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "core/error.hpp"
#include "meteo/boundary_layer.hpp"
#include "solver/building_profile.hpp"
#include "solver/receptor_means.hpp"

namespace lantian {

std::vector<solver::PlumeSource> screening_sources(const emissions::Inventory& inv) {
  std::vector<solver::PlumeSource> out;
  out.reserve(inv.stacks.size() + inv.enterprises.size());
  for (const auto& s : inv.stacks)
    out.push_back(solver::PlumeSource{s.id, s.position.x, s.position.y, s.height, s.diameter, s.exit_velocity,
                                      s.exit_temperature, 1.0});
  for (const auto& e : inv.enterprises)
    out.push_back(solver::PlumeSource{"ground:" + e.id, e.location.x, e.location.y, 0.0, 0.0, 0.0, 0.0, 1.0});
  return out;
}

void attach_buildings(std::vector<solver::PlumeSource>& sources, std::size_t n_stacks,
                      std::span<const solver::Building> buildings) {
  if (buildings.empty()) return;
  for (std::size_t k = 0; k < n_stacks && k < sources.size(); ++k) {
    const solver::BuildingDims d = solver::building_profile(buildings, sources[k].x, sources[k].y);
    if (std::any_of(d.begin(), d.end(), [](const solver::BuildingSector& b) { return b.present(); }))
      sources[k].building = std::make_shared<const solver::BuildingDims>(d);
  }
}

std::vector<solver::PlumeMet> plume_met_at_sources(const CaseInputs& in, const std::vector<solver::PlumeSource>& sources,
                                                   double z0) {
  const auto nh = static_cast<std::size_t>(in.period.size());
  std::vector<solver::PlumeMet> out;
  out.reserve(nh * sources.size());
  std::vector<CellIndex> cells;
  for (const auto& s : sources) {
    const auto c = in.grid.cell_of(s.x, s.y);
    LANTIAN_CHECK(c.has_value(), (ErrorContext{"", 0, "source " + s.id}), "lies outside the case grid");
    cells.push_back(*c);
  }
  for (std::size_t h = 0; h < nh; ++h) {
    const meteo::MetState m = in.met->at(in.period[static_cast<std::int64_t>(h)]);
    for (const CellIndex& c : cells) {
      solver::PlumeMet p;
      const double u = m.u10(c.i, c.j), v = m.v10(c.i, c.j);
      p.wind_speed = std::hypot(u, v);
      // The wind blows towards (u, v); from the direction θ with (u, v) ∝ (-sin θ, -cos θ).
      p.wind_dir_deg = p.wind_speed > 0.0 ? std::atan2(-u, -v) * 180.0 / std::numbers::pi : 0.0;
      p.ref_height = 10.0;
      p.temperature_K = m.t2(c.i, c.j);
      p.mixing_height = m.pblh(c.i, c.j);
      p.ustar = m.ustar(c.i, c.j);
      p.L = m.obukhov(c.i, c.j);
      p.z0 = z0;
      p.stability = meteo::stability_letter(meteo::pasquill_from_obukhov(p.L, z0));
      out.push_back(p);
    }
  }
  return out;
}

PlumeScreening run_plume_screening(const CaseInputs& in, const PlumeScreeningOptions& options) {
  PlumeScreening r;
  const auto nh = static_cast<std::size_t>(in.period.size());
  for (std::size_t h = 0; h < nh; ++h) r.times.push_back(in.period[static_cast<std::int64_t>(h)]);
  for (const auto& st : in.config.stations) {
    const XY p = in.grid.project(st.lon, st.lat);
    r.receptors.push_back(solver::Receptor{st.id, p.x, p.y, 0.0});
  }
  r.n_stations = r.receptors.size();
  if (options.map) {
    auto cells = solver::grid_receptors(in.grid);
    r.receptors.insert(r.receptors.end(), cells.begin(), cells.end());
  }
  auto sources = screening_sources(in.inventory);
  attach_buildings(sources, in.inventory.stacks.size(), in.buildings);  // the case's buildings.csv
  r.n_stacks = in.inventory.stacks.size();
  const auto met = plume_met_at_sources(in, sources, options.z0);
  r.unit = solver::compute_contributions_stack_met(sources, met, nh, r.receptors, options.plume);
  const std::size_t ne = in.inventory.enterprises.size();
  r.temporal.resize(nh * ne);
  for (std::size_t h = 0; h < nh; ++h) {
    const emissions::LocalTime local = emissions::local_time(r.times[h], in.period.zone());
    for (std::size_t e = 0; e < ne; ++e)
      r.temporal[h * ne + e] = emissions::temporal_factor(in.inventory.profile(in.inventory.enterprises[e].profile), local);
  }
  return r;
}

namespace {

/// Annual-mean rate (g/s) of pollutant p of each source: stacks by emissions::stack_emissions,
/// ground points by emissions::ground_releases.
std::vector<double> source_rates(const emissions::Inventory& inv, emissions::EmittedPollutant p) {
  std::vector<double> rates;
  for (const auto& s : emissions::stack_emissions(inv)) rates.push_back(s[emissions::index(p)]);
  rates.resize(inv.stacks.size() + inv.enterprises.size(), 0.0);
  for (const auto& g : emissions::ground_releases(inv)) rates[inv.stacks.size() + g.enterprise] += g.rates[emissions::index(p)];
  return rates;
}

std::size_t source_enterprise(const emissions::Inventory& inv, std::size_t s) {
  return s < inv.stacks.size() ? inv.stacks[s].enterprise : s - inv.stacks.size();
}

}  // namespace

double PlumeScreening::concentration(const emissions::Inventory& inv, emissions::EmittedPollutant p, std::size_t h,
                                     std::size_t r) const {
  const auto rates = source_rates(inv, p);
  const std::size_t ne = inv.enterprises.size();
  std::vector<double> w(rates.size());
  for (std::size_t s = 0; s < rates.size(); ++s) w[s] = rates[s] * temporal[h * ne + source_enterprise(inv, s)];
  return unit.weighted_total(h, r, w);
}

std::vector<double> PlumeScreening::concentrations(const emissions::Inventory& inv, emissions::EmittedPollutant p) const {
  const auto rates = source_rates(inv, p);
  const std::size_t ne = inv.enterprises.size(), nh = unit.n_hours, nr = unit.n_receptors;
  std::vector<double> out(nh * nr);
  std::vector<double> w(rates.size());
  for (std::size_t h = 0; h < nh; ++h) {
    for (std::size_t s = 0; s < rates.size(); ++s) w[s] = rates[s] * temporal[h * ne + source_enterprise(inv, s)];
    for (std::size_t r = 0; r < nr; ++r) out[h * nr + r] = unit.weighted_total(h, r, w);
  }
  return out;
}

std::vector<double> PlumeScreening::enterprise_contributions(const emissions::Inventory& inv,
                                                             emissions::EmittedPollutant p, std::size_t nr) const {
  const auto rates = source_rates(inv, p);
  const std::size_t ne = inv.enterprises.size(), nh = unit.n_hours;
  LANTIAN_CHECK(nr <= unit.n_receptors, (ErrorContext{"", 0, "receptors"}), "more receptors than computed");
  std::vector<double> out(nh * nr * ne, 0.0);
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < nr; ++r) {
      const std::size_t row = h * unit.n_receptors + r;
      double* o = out.data() + (h * nr + r) * ne;
      for (std::size_t k = unit.row_start[row]; k < unit.row_start[row + 1]; ++k) {
        const std::size_t s = unit.source_index[k], e = source_enterprise(inv, s);
        o[e] += static_cast<double>(unit.values[k]) * rates[s] * temporal[h * ne + e];
      }
    }
  return out;
}

std::vector<double> PlumeScreening::line_contributions(const emissions::Inventory& inv, emissions::EmittedPollutant p,
                                                       std::size_t nr) const {
  const std::size_t ne = inv.enterprises.size(), nl = inv.lines.size(), nh = unit.n_hours;
  const std::size_t pi = emissions::index(p);
  LANTIAN_CHECK(nr <= unit.n_receptors, (ErrorContext{"", 0, "receptors"}), "more receptors than computed");
  std::vector<double> out(nh * nr * nl, 0.0);
  for (std::size_t h = 0; h < nh; ++h)
    for (std::size_t r = 0; r < nr; ++r)
      for (std::size_t l = 0; l < nl; ++l) {
        const auto& line = inv.lines[l];
        const auto& ent = inv.enterprises[line.enterprise];
        const double rate = line.share[pi] * ent.rates[pi] * temporal[h * ne + line.enterprise];
        if (rate == 0.0) continue;
        double mean_unit = 0.0;
        if (line.stacks.empty()) {
          mean_unit = unit.value(h, r, n_stacks + line.enterprise);
        } else {
          for (const std::size_t s : line.stacks) mean_unit += unit.value(h, r, s);
          mean_unit /= static_cast<double>(line.stacks.size());
        }
        out[(h * nr + r) * nl + l] = rate * mean_unit;
      }
  return out;
}

}  // namespace lantian
