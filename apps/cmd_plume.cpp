// `lantian plume --sources S.csv --met M.csv --receptors R.csv --out C.csv [--dispersion ...]`:
// hourly Gaussian-plume concentrations at receptors (screening). Parses the arguments, makes
// one library call (forecast/plume_job: the readers, the run, the files), prints its summary.
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "forecast/plume_job.hpp"

void add_plume_command(CLI::App& app);

namespace {

constexpr const char* kPlumeFooter = R"(Inputs (CSV with a header; x/y in metres on one plane, wind_dir meteorological, from):
  sources    id,x,y,height,diameter,velocity,temperature,rate   (m, m, m, m, m/s, K, g/s)
  met        time,wind_speed,wind_dir,ref_height,temperature,stability,mixing_height,ustar,L
             and optionally z0,vptg,wstar
             (m/s, deg, m, K, A-F, m, m/s, m, m, K/m). briggs-rural/urban need stability
             (mixing_height optional: no lid when blank); turbulence needs ustar, L and
             mixing_height. L is the Monin-Obukhov length: < 0 convective (turbulence: AERMOD's
             bi-Gaussian CBL plume), > 0 stable, inf (or -inf, neutral) a neutral hour; 0 is
             refused.
             z0: roughness length (default 0.1 m); vptg: potential temperature gradient above
             the mixing height (default 0.005 K/m; penetration of buoyant plumes); wstar: the
             convective velocity w* (m/s) as AERMET writes it (from the convective mixing
             height; blank or negative: u* (-h/(k L))^(1/3) from mixing_height). Blank cells
             are allowed where the option does not need them.
  receptors  id,x,y,z   (m; z above ground, blank = 0)
  areas      id,height,rate,polygon   (m, g/s over the whole polygon, WKT POLYGON/MULTIPOLYGON in m)
  building dims (--building-dims)  source,direction,height,width,length,xbadj,ybadj
             AERMOD's BPIP values per stack for the 36 flow vectors direction = 10, 20, ..., 360
             degrees (where the wind blows towards; an hour takes sector int((wind_dir - 180)/10
             + 0.4999)); height, projected width and length, xbadj (stack to upwind face, along
             the flow), ybadj (to the face's centre, across it), m; height or width 0: none.
  buildings (--buildings)  id,height,footprint   (m; WKT POLYGON in the sources' x/y metres, one
             tier per row): each stack's dims computed as BPIP does (the GEP 5L area, within
             Lb/2 across and 2 Lb upwind, the largest GEP height; Lb = min(height, width)).
             With either, hours in a sector with a building take PRIME building downwash
             (wake, cavity, streamline deflection; stable hours, or convective ones with the
             stack below the mixing height), merged with the plume outside the wake.
At least one of --sources/--areas and one of --receptors/--grid. --grid X0,Y0,DX,NX,NY adds the
centres of an NX x NY grid of DX-metre cells from the south-west corner (X0,Y0), ids g<i>_<j>.
Output: time,receptor,conc (ug/m3, hourly means), written to a temporary file renamed into place.
--daily D.csv: date,receptor,conc,hours,valid: means by local calendar day of --tz (met times
are then parsed as ISO 8601, local unless they carry an offset); valid = at least 20 hours
(GB 3095-2012 Table 4).
Hours with wind below --min-wind are calm: computed with the wind raised to it, and listed.

Example:
  lantian plume --sources stacks.csv --met met.csv --receptors stations.csv --out conc.csv)";

}  // namespace

/// Registers the `plume` subcommand on `app`; on bad input its callback prints
/// "lantian: error: ..." and throws CLI::RuntimeError(1).
void add_plume_command(CLI::App& app) {
  auto args = std::make_shared<lantian::PlumeRequest>();
  CLI::App* cmd = app.add_subcommand(
      "plume", "Hourly Gaussian-plume concentrations of stacks at receptors (Briggs rise, lid reflections)");
  cmd->add_option("--sources", args->sources, "stacks CSV: id,x,y,height,diameter,velocity,temperature,rate")
      ->check(CLI::ExistingFile);
  cmd->add_option("--areas", args->areas, "area sources CSV: id,height,rate,polygon (WKT)")->check(CLI::ExistingFile);
  cmd->add_option("--met", args->met, "hourly met CSV: time,wind_speed,wind_dir,ref_height,temperature[,stability,mixing_height,ustar,L,z0,vptg,wstar]")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--receptors", args->receptors, "receptors CSV: id,x,y,z")->check(CLI::ExistingFile);
  cmd->add_option("--building-dims", args->building_dims,
                  "BPIP building dims CSV: source,direction,height,width,length,xbadj,ybadj (PRIME downwash)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--buildings", args->buildings, "buildings CSV: id,height,footprint (WKT; dims computed as BPIP)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--grid", args->grid, "grid receptors X0,Y0,DX,NX,NY (m; cell centres)");
  cmd->add_option("--daily", args->daily, "daily means CSV: date,receptor,conc,hours,valid");
  cmd->add_option("--tz", args->tz, "time zone of local days (--daily)")->capture_default_str();
  cmd->add_option("--out,-o", args->out, "output CSV: time,receptor,conc (ug/m3)")->required();
  cmd->add_flag("--force", args->force, "replace existing output files (only ones `lantian plume` wrote)");
  cmd->add_option("--dispersion", args->dispersion, "sigma_y, sigma_z scheme")
      ->capture_default_str()
      ->check(CLI::IsMember({"briggs-rural", "briggs-urban", "turbulence"}));
  cmd->add_option("--min-wind", args->min_wind, "minimum wind speed (m/s); slower hours are calm")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--decay", args->decay, "first-order loss rate (1/s), applied with travel time")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->footer(kPlumeFooter);
  cmd->callback([args] {
    try {
      const lantian::PlumeSummary s = lantian::run_plume_job(*args);
      for (const std::string& w : s.warnings) std::cerr << "lantian: warning: " << w << "\n";
      std::cout << lantian::format_plume_summary(s);
    } catch (const std::exception& e) {
      std::cerr << "lantian: error: " << e.what() << "\n";
      throw CLI::RuntimeError(1);
    }
  });
}
