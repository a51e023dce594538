// Bindings of the tool commands (issue 11): `lantian plume`, `lantian screen` and `lantian plan`
// as lantian.plume(...), lantian.screen(case, out=...) and lantian.plan(case, out=...): the same
// library call the command makes (forecast/plume_job.hpp, forecast/screening_output.hpp,
// forecast/plan_builder.hpp), the same files under the same output rule, the same errors
// (lantian.LantianError with the message the command prints after "lantian: error:"). Each
// returns the job's summary as a read-only object (PlumeSummary, ScreenSummary, PlanSummary;
// `text` is what the command prints). Paths are str or os.PathLike. The GIL is released while
// a job runs; plan's `progress(dict)` is called after each baseline hour, and Ctrl-C
// interrupts it from the next hour.
#include <string>
#include <vector>

#include "bindings.hpp"
#include "forecast/plan_builder.hpp"
#include "forecast/plume_job.hpp"
#include "forecast/screening_output.hpp"
#include "progress.hpp"

namespace lantian::python {

namespace {

/// str, bytes or os.PathLike -> the path as text; None -> "" (not given).
std::string path_arg(const py::object& o) {
  if (o.is_none()) return {};
  return py::module_::import("os").attr("fsdecode")(o).cast<std::string>();
}

/// "X0,Y0,DX,NX,NY" as given, or a sequence of the five numbers joined the same way.
std::string grid_arg(const py::object& o) {
  if (o.is_none()) return {};
  if (py::isinstance<py::str>(o)) return o.cast<std::string>();
  std::string text;
  for (const py::handle v : o) {
    if (!text.empty()) text += ',';
    text += py::str(v).cast<std::string>();
  }
  return text;
}

template <class T>
std::string repr_of(const char* name, const T& s) {
  std::string r = "<lantian.";
  r.append(name).append(": ").append(s.out).append(">");
  return r;
}

}  // namespace

void bind_tools(py::module_& m);  // declared for python/src/module.cpp, which calls it

void bind_tools(py::module_& m) {
  using namespace pybind11::literals;

  py::class_<PlumeCalmHour>(m, "PlumeCalmHour", "A calm hour of `lantian plume`: computed with the wind raised to min_wind")
      .def_readonly("time", &PlumeCalmHour::time)
      .def_readonly("wind_speed", &PlumeCalmHour::wind_speed, "m/s, as given");
  py::class_<PlumeSummary>(m, "PlumeSummary", "What lantian.plume (`lantian plume`) did (forecast/plume_job.hpp)")
      .def_readonly("stacks", &PlumeSummary::stacks)
      .def_readonly("areas", &PlumeSummary::areas)
      .def_readonly("hours", &PlumeSummary::hours)
      .def_readonly("receptors", &PlumeSummary::receptors)
      .def_readonly("dispersion", &PlumeSummary::dispersion)
      .def_readonly("min_wind", &PlumeSummary::min_wind, "m/s")
      .def_readonly("calm", &PlumeSummary::calm, "list of PlumeCalmHour")
      .def_readonly("max_conc", &PlumeSummary::max_conc, "largest hourly concentration, ug/m3")
      .def_readonly("max_receptor", &PlumeSummary::max_receptor)
      .def_readonly("max_time", &PlumeSummary::max_time, "as written in the met file")
      .def_readonly("out", &PlumeSummary::out, "the hourly CSV written")
      .def_readonly("daily", &PlumeSummary::daily, "the daily CSV written ('' for none)")
      .def_readonly("warnings", &PlumeSummary::warnings, "one per calm hour")
      .def_readonly("downwash_stacks", &PlumeSummary::downwash_stacks, "stacks with a building in some direction")
      .def_property_readonly("text", &format_plume_summary, "what `lantian plume` prints")
      .def("__repr__", [](const PlumeSummary& s) { return repr_of("PlumeSummary", s); });
  m.def("plume", [](const py::object& met, const py::object& out, const py::object& sources, const py::object& areas,
                    const py::object& receptors, const py::object& grid, const py::object& daily, const std::string& tz,
                    const std::string& dispersion, double min_wind, double decay, const py::object& building_dims,
                    const py::object& buildings, bool force) {
        PlumeRequest rq;
        rq.met = path_arg(met);
        rq.out = path_arg(out);
        rq.sources = path_arg(sources);
        rq.areas = path_arg(areas);
        rq.receptors = path_arg(receptors);
        rq.grid = grid_arg(grid);
        rq.daily = path_arg(daily);
        rq.tz = tz;
        rq.dispersion = dispersion;
        rq.min_wind = min_wind;
        rq.decay = decay;
        rq.building_dims = path_arg(building_dims);
        rq.buildings = path_arg(buildings);
        rq.force = force;
        py::gil_scoped_release nogil;
        return run_plume_job(rq);
      }, py::kw_only(), "met"_a, "out"_a, "sources"_a = py::none(), "areas"_a = py::none(), "receptors"_a = py::none(),
      "grid"_a = py::none(), "daily"_a = py::none(), "tz"_a = "Asia/Shanghai", "dispersion"_a = "briggs-rural",
      "min_wind"_a = 0.5, "decay"_a = 0.0, "building_dims"_a = py::none(), "buildings"_a = py::none(), "force"_a = false,
      "`lantian plume`: hourly Gaussian-plume concentrations of `sources` (stacks CSV) and/or `areas` (area "
      "sources CSV) at `receptors` (CSV) and/or `grid` (\"X0,Y0,DX,NX,NY\" or 5 numbers) under `met` (hourly CSV), "
      "written to `out` (time,receptor,conc) and optionally `daily` (date,receptor,conc,hours,valid, local days "
      "of `tz`). Building downwash (PRIME): `building_dims` (source,direction,height,width,length,xbadj,ybadj) "
      "or `buildings` (id,height,footprint WKT). Returns a PlumeSummary; raises LantianError naming file:line: column.");

  py::class_<ScreenContributor>(m, "ScreenContributor", "One of the largest contributors at the peak station-hour")
      .def_readonly("enterprise", &ScreenContributor::enterprise)
      .def_readonly("name", &ScreenContributor::name)
      .def_readonly("conc", &ScreenContributor::conc, "ug/m3")
      .def_readonly("share_pct", &ScreenContributor::share_pct, "of the peak, %");
  py::class_<ScreenSummary>(m, "ScreenSummary", "What lantian.screen (`lantian screen`) did (forecast/screening_output.hpp)")
      .def_readonly("case", &ScreenSummary::case_name)
      .def_readonly("out", &ScreenSummary::out)
      .def_readonly("pollutant", &ScreenSummary::pollutant)
      .def_readonly("dispersion", &ScreenSummary::dispersion)
      .def_readonly("stacks", &ScreenSummary::stacks)
      .def_readonly("enterprises", &ScreenSummary::enterprises)
      .def_readonly("lines", &ScreenSummary::lines)
      .def_readonly("sources", &ScreenSummary::sources)
      .def_readonly("stations", &ScreenSummary::stations)
      .def_readonly("receptors", &ScreenSummary::receptors)
      .def_readonly("hours", &ScreenSummary::hours)
      .def_readonly("map", &ScreenSummary::map)
      .def_readonly("wall_s", &ScreenSummary::wall_s)
      .def_readonly("has_peak", &ScreenSummary::has_peak)
      .def_readonly("peak", &ScreenSummary::peak, "ug/m3, highest station hour")
      .def_readonly("peak_station", &ScreenSummary::peak_station)
      .def_readonly("peak_time", &ScreenSummary::peak_time, "local ISO 8601")
      .def_readonly("contributors", &ScreenSummary::contributors, "list of ScreenContributor")
      .def_readonly("files", &ScreenSummary::files)
      .def_property_readonly("text", &format_screen_summary, "what `lantian screen` prints")
      .def("__repr__", [](const ScreenSummary& s) { return repr_of("ScreenSummary", s); });
  m.def("screen", [](const py::object& case_file, const py::object& out, bool map, const std::string& dispersion,
                     const std::string& pollutant, bool force) {
        ScreenRequest rq;
        rq.case_file = path_arg(case_file);
        rq.out = path_arg(out);
        rq.map = map;
        rq.dispersion = dispersion;
        rq.pollutant = pollutant;
        rq.force = force;
        py::gil_scoped_release nogil;
        return run_screen_job(rq);
      }, "case"_a, py::kw_only(), "out"_a, "map"_a = false, "dispersion"_a = "briggs-urban", "pollutant"_a = "PM2.5",
      "force"_a = false,
      "`lantian screen CASE --out OUT`: the Gaussian screening of the case's inventory (stations.csv, "
      "enterprises.csv, lines.csv, with `map` map_daily.csv). Returns a ScreenSummary.");

  py::class_<WindowLine>(m, "WindowLine", "A response window (local times)")
      .def_readonly("level", &WindowLine::level)
      .def_readonly("start", &WindowLine::start)
      .def_readonly("end", &WindowLine::end);
  py::class_<PlanChosenAction>(m, "PlanChosenAction", "An action of the plan")
      .def_readonly("action", &PlanChosenAction::action)
      .def_readonly("kind", &PlanChosenAction::kind, "line-stop, line-limit or sector")
      .def_readonly("enterprise", &PlanChosenAction::enterprise)
      .def_readonly("line", &PlanChosenAction::line)
      .def_readonly("measure", &PlanChosenAction::measure)
      .def_readonly("description", &PlanChosenAction::description)
      .def_readonly("load", &PlanChosenAction::load)
      .def_readonly("cost_yuan", &PlanChosenAction::cost_yuan)
      .def_readonly("removed_t", &PlanChosenAction::removed_t, "SO2, NOx, PM, VOCs, t");
  py::class_<PlanUnreachableDay>(m, "PlanUnreachableDay", "A station-day the target cannot reach")
      .def_readonly("station", &PlanUnreachableDay::station)
      .def_readonly("day", &PlanUnreachableDay::day)
      .def_readonly("baseline", &PlanUnreachableDay::baseline)
      .def_readonly("best", &PlanUnreachableDay::best)
      .def_readonly("limit", &PlanUnreachableDay::limit);
  py::class_<PlanSummary>(m, "PlanSummary", "What lantian.plan (`lantian plan`) did (forecast/plan_builder.hpp)")
      .def_readonly("case", &PlanSummary::case_name)
      .def_readonly("out", &PlanSummary::out)
      .def_readonly("target_aqi", &PlanSummary::target_aqi)
      .def_readonly("limit_pm25", &PlanSummary::limit_pm25, "ug/m3")
      .def_readonly("level", &PlanSummary::level)
      .def_readonly("candidates", &PlanSummary::candidates)
      .def_readonly("exempt_lines", &PlanSummary::exempt_lines)
      .def_readonly("active_hours", &PlanSummary::active_hours)
      .def_readonly("lead_hours", &PlanSummary::lead_hours)
      .def_readonly("whole_period", &PlanSummary::whole_period)
      .def_readonly("windows", &PlanSummary::windows, "list of WindowLine")
      .def_readonly("status", &PlanSummary::status, "optimal, feasible, infeasible or no-solution")
      .def_readonly("have_plan", &PlanSummary::have_plan)
      .def_readonly("message", &PlanSummary::message)
      .def_readonly("cost_yuan", &PlanSummary::cost_yuan)
      .def_readonly("chosen", &PlanSummary::chosen, "list of PlanChosenAction")
      .def_readonly("unreachable", &PlanSummary::unreachable, "list of PlanUnreachableDay")
      .def_readonly("floors_unreachable", &PlanSummary::floors_unreachable)
      .def_readonly("binding_station_days", &PlanSummary::binding_station_days)
      .def_readonly("binding_floors", &PlanSummary::binding_floors)
      .def_readonly("reference_name", &PlanSummary::reference_name)
      .def_readonly("reference_cost_yuan", &PlanSummary::reference_cost_yuan)
      .def_readonly("reference_feasible", &PlanSummary::reference_feasible)
      .def_readonly("reference_over", &PlanSummary::reference_over)
      .def_readonly("files", &PlanSummary::files)
      .def_readonly("warnings", &PlanSummary::warnings)
      .def_property_readonly("text", &format_plan_summary, "what `lantian plan` prints")
      .def("__repr__", [](const PlanSummary& s) { return repr_of("PlanSummary", s); });
  m.def("plan", [](const py::object& case_file, const py::object& out, const std::string& level, int target_aqi,
                   double time_limit, bool floors, bool whole_period, bool force, py::object progress) {
        PlanRequest rq;
        rq.case_file = path_arg(case_file);
        rq.out = path_arg(out);
        rq.level = level;
        rq.target_aqi = target_aqi;
        rq.time_limit_s = time_limit;
        rq.floors = floors;
        rq.whole_period = whole_period;
        rq.force = force;
        rq.progress = progress_callback(std::move(progress));
        PlanSummary s;
        {
          py::gil_scoped_release nogil;
          s = run_plan_job(rq);
        }
        return s;
      }, "case"_a, py::kw_only(), "out"_a, "level"_a = "orange", "target_aqi"_a = 200, "time_limit"_a = 60.0,
      "floors"_a = true, "whole_period"_a = false, "force"_a = false, "progress"_a = py::none(),
      "`lantian plan CASE --out OUT`: the cheapest control plan keeping every station's daily AQI <= target_aqi "
      "(plan.json, plan.csv, plan_report.txt). An infeasible target is a result (status 'infeasible'), not an "
      "error. Returns a PlanSummary.");
}

}  // namespace lantian::python
