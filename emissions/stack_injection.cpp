// Hourly stack injection at the Briggs effective height: see stack_injection.hpp.
#include "emissions/stack_injection.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace lantian::emissions {

std::vector<LayerShare> layer_shares(double bottom, double top, const std::vector<double>& tops) {
  LANTIAN_ASSERT(!tops.empty());
  const double grid_top = tops.back();
  const double b = std::clamp(bottom, 0.0, grid_top);
  const double t = std::clamp(top, b, grid_top);
  const int nz = static_cast<int>(tops.size());
  const auto layer_bottom = [&](int k) { return k == 0 ? 0.0 : tops[static_cast<std::size_t>(k) - 1]; };
  std::vector<LayerShare> out;
  if (!(t > b)) {
    // Zero depth: the layer holding b (a height on a face belongs to the layer below it).
    int k = 0;
    while (k < nz - 1 && b > tops[static_cast<std::size_t>(k)]) ++k;
    out.push_back({k, 1.0});
    return out;
  }
  const double depth = t - b;
  for (int k = 0; k < nz; ++k) {
    const double overlap = std::min(t, tops[static_cast<std::size_t>(k)]) - std::max(b, layer_bottom(k));
    if (overlap > 0.0) out.push_back({k, overlap / depth});
  }
  // The last share closes the sum to 1 exactly (see the header).
  double others = 0.0;
  for (std::size_t n = 0; n + 1 < out.size(); ++n) others += out[n].fraction;
  out.back().fraction = 1.0 - others;
  return out;
}

PlumeInjection inject_plume(const Stack& stack, const StackAmbient& ambient, const std::vector<double>& layer_tops) {
  PlumeRiseInput in;
  in.stack_height = stack.height;
  in.diameter = stack.diameter;
  in.exit_velocity = stack.exit_velocity;
  in.exit_temperature = stack.exit_temperature;
  in.wind_speed = ambient.wind_speed;
  in.ambient_temperature = ambient.temperature;
  in.dtheta_dz = ambient.dtheta_dz;
  PlumeInjection p;
  p.rise = briggs_plume_rise(in);
  if (in.dtheta_dz > 0.0) {
    // Stable: never more rise than the neutral formulas give (SMOKE/CMAQ PLMRIS).
    PlumeRiseInput neutral = in;
    neutral.dtheta_dz = 0.0;
    const PlumeRise n = briggs_plume_rise(neutral);
    if (n.final_rise < p.rise.final_rise) p.rise = n;
  }
  const double he = p.rise.effective_height, half = 0.5 * p.rise.final_rise;
  p.bottom = he - half;
  p.top = he + half;
  if (p.rise.release_height < ambient.mixing_height) {
    // Released inside the mixed layer: its capping inversion is a lid.
    p.top = std::min(p.top, ambient.mixing_height);
    p.bottom = std::min(p.bottom, p.top);
  }
  p.layers = layer_shares(p.bottom, p.top, layer_tops);
  return p;
}

StackEmissions3D inject_stacks(const Inventory& inv, const std::vector<Rates>& stack_rates,
                               const std::vector<StackAmbient>& ambient, const Grid& grid, const LocalTime* local) {
  const std::size_t n = inv.stacks.size();
  LANTIAN_CHECK(stack_rates.size() == n && ambient.size() == n, (ErrorContext{"", 0, "inject_stacks"}),
                "expected one rate and one ambient state per stack (" + std::to_string(n) + "), found " +
                    std::to_string(stack_rates.size()) + " and " + std::to_string(ambient.size()));
  StackEmissions3D out;
  for (auto& f : out.rate) f = Field3D<double>(grid.nx(), grid.ny(), grid.nz());
  out.plumes.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    const Stack& st = inv.stacks[s];
    out.plumes.push_back(inject_plume(st, ambient[s], grid.layer_tops()));
    const PlumeInjection& plume = out.plumes.back();
    double factor = 1.0;
    const int profile = inv.enterprises[st.enterprise].profile;
    if (local && profile >= 0) factor = temporal_factor(inv.profile(profile), *local);
    const auto cell = grid.cell_of(st.position.x, st.position.y);
    for (std::size_t p = 0; p < kEmittedPollutantCount; ++p) {
      const double rate = stack_rates[s][p] * factor;
      if (rate == 0.0) continue;
      if (!cell) {
        out.outside[p] += rate;
        continue;
      }
      auto v = out.rate[p].view();
      for (const LayerShare& l : plume.layers) v(cell->i, cell->j, l.k) += rate * l.fraction;
    }
  }
  return out;
}

}  // namespace lantian::emissions
