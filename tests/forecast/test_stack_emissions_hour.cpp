// The hourly stack glue (stack_ambient, stack_emissions_at) on the demo city with its synthetic
// winter episode: mass per hour against the sum over stacks of rate x temporal factor, effective
// heights above the stacks, and the physical check that a power-plant plume sits lower in the
// stable, shallow night than in the afternoon.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/case_config.hpp"
#include "forecast/case_inputs.hpp"

using namespace lantian;

namespace {

const std::string kDemoCase = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/case.toml";

double field_sum(const Field3D<double>& f) {
  double s = 0.0;
  for (int k = 0; k < f.nz(); ++k)
    for (int j = 0; j < f.ny(); ++j)
      for (int i = 0; i < f.nx(); ++i) s += f(i, j, k);
  return s;
}

}  // namespace

TEST_CASE("hourly stack emissions of the demo city conserve mass and rise above the stacks", "[scenarios][plume]") {
  const CaseInputs in = assemble_case(load_case(kDemoCase));
  const emissions::Inventory& inv = in.inventory;
  REQUIRE(inv.stacks.size() > 50);
  const TimeZone tz = in.config.zone();
  const std::vector<emissions::Rates> rates = emissions::stack_emissions(inv);

  for (std::int64_t h = 0; h < in.period.size(); h += 5) {
    const UtcHour t = in.period[h];
    const emissions::StackEmissions3D e = stack_emissions_at(inv, in.grid, *in.met, t, tz);
    const emissions::LocalTime lt = emissions::local_time(t, tz);
    // Reference: sum over stacks of annual-mean rate x the enterprise's temporal factor.
    emissions::Rates expected{};
    for (std::size_t s = 0; s < inv.stacks.size(); ++s) {
      const int prof = inv.enterprises[inv.stacks[s].enterprise].profile;
      const double f = prof >= 0 ? emissions::temporal_factor(inv.profile(prof), lt) : 1.0;
      for (std::size_t p = 0; p < emissions::kEmittedPollutantCount; ++p) expected[p] += rates[s][p] * f;
    }
    for (std::size_t p = 0; p < emissions::kEmittedPollutantCount; ++p) {
      INFO(format_local(t, tz) << " pollutant " << p);
      CHECK(e.outside[p] == 0.0);  // the reader keeps stacks inside the domain
      CHECK(field_sum(e.rate[p]) == Approx(expected[p]).epsilon(1e-12));
    }
    for (std::size_t s = 0; s < inv.stacks.size(); ++s) {
      INFO(inv.stacks[s].id << " at " << format_local(t, tz));
      CHECK(e.plumes[s].rise.effective_height > inv.stacks[s].height);
      CHECK(e.plumes[s].top >= e.plumes[s].bottom);
    }
  }
}

TEST_CASE("a power-plant plume is lower in the stable night than in the afternoon", "[scenarios][plume]") {
  // Physical check: at 02:00 local the synthetic episode has a 120 m mixing layer under a surface
  // inversion (dθ/dz > 0 at a 200 m stack top) and 0.8 m/s 10-m wind; at 14:00 a 650 m neutral
  // mixed layer (dθ/dz = 0 in it, T(z) falls at the dry adiabatic rate) and 2.2 m/s. Stable
  // stratification limits buoyant rise (Briggs: Δh = 2.6 (Fb/(u s))^(1/3) instead of
  // 38.71 Fb^0.6 / u), so the night effective height must be the lower one, although its wind
  // is weaker.
  const CaseInputs in = assemble_case(load_case(kDemoCase));
  const emissions::Inventory& inv = in.inventory;
  const TimeZone tz = in.config.zone();
  // The tallest stack of a power plant.
  std::size_t best = inv.stacks.size();
  for (std::size_t s = 0; s < inv.stacks.size(); ++s)
    if (inv.enterprises[inv.stacks[s].enterprise].industry == "power" &&
        (best == inv.stacks.size() || inv.stacks[s].height > inv.stacks[best].height))
      best = s;
  REQUIRE(best < inv.stacks.size());
  const UtcHour night = parse_time("2024-12-13T02:00", tz), afternoon = parse_time("2024-12-13T14:00", tz);
  const auto amb_night = stack_ambient(inv, in.grid, in.met->at(night))[best];
  const auto amb_day = stack_ambient(inv, in.grid, in.met->at(afternoon))[best];
  INFO("stack " << inv.stacks[best].id << " height " << inv.stacks[best].height);
  // The sampled ambient state is what the episode prescribes (meteo/synthetic.hpp).
  CHECK(amb_night.mixing_height == Approx(120.0).epsilon(1e-9));
  CHECK(amb_day.mixing_height == Approx(650.0).epsilon(1e-9));
  CHECK(amb_night.dtheta_dz > 0.0);
  CHECK(std::abs(amb_day.dtheta_dz) < 1e-3);  // dry-adiabatic mixed layer: dθ/dz ≈ 0 (g/cp vs 9.8 K/km)
  CHECK(amb_night.wind_speed < amb_day.wind_speed);
  const auto he_night = stack_emissions_at(inv, in.grid, *in.met, night, tz).plumes[best];
  const auto he_day = stack_emissions_at(inv, in.grid, *in.met, afternoon, tz).plumes[best];
  INFO("night he " << he_night.rise.effective_height << " afternoon he " << he_day.rise.effective_height);
  CHECK(he_night.rise.effective_height < he_day.rise.effective_height);
  CHECK(he_night.rise.regime == emissions::PlumeRiseRegime::buoyant_stable);
  CHECK(he_day.rise.regime == emissions::PlumeRiseRegime::buoyant_unstable);
}
