// Bindings of a case and its runs (issue 7): lantian::load_case + assemble_case (CaseHandle),
// run_eulerian (RunHandle), run_forecast (ForecastHandle, ScenarioHandle) and the superposition
// of stored tag contributions (ContributionsHandle). Thin: every figure is the C++ engine's; the
// handles only own the C++ results and hand their vectors to NumPy without copying (the array's
// base is the handle, so the data lives as long as any array of it). The Python classes of
// lantian/_case.py wrap these handles (times as datetime64, to_xarray, plots).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "progress.hpp"
#include "core/case_config.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "forecast/case_inputs.hpp"
#include "forecast/eulerian_run.hpp"
#include "forecast/forecast.hpp"
#include "forecast/forecast_output.hpp"
#include "scenarios/measures.hpp"
#include "forecast/model_output.hpp"
#include "forecast/scenario_file.hpp"
#include "scenarios/superposition.hpp"
#include "core/species.hpp"

namespace lantian::python {

namespace {

using Shape = std::vector<py::ssize_t>;

/// A read-only NumPy view of `data` with `shape` (C order); `owner` (a Python object holding the
/// C++ storage) becomes the array's base and is kept alive by it.
py::array_t<double> view(const double* data, const Shape& shape, py::handle owner) {
  py::array_t<double> a(shape, data, owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

/// A tags override ("none", "sector", "district", "enterprise"), or nullopt for the case's own.
std::optional<TagKind> tags_override(const std::optional<std::string>& tags) {
  if (!tags) return std::nullopt;
  if (const auto kind = enum_from<TagKind>(*tags, kTagKindNames)) return kind;
  std::string msg = "unknown tag kind '" + *tags + "'";
  const std::string hint = nearest_name(*tags, std::span<const std::string_view>(kTagKindNames));
  if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
  throw Error(ErrorContext{"", 0, "tags"}, msg + "; expected \"none\", \"sector\", \"district\" or \"enterprise\"");
}

/// Surface PM2.5 of every hour of a run, [hour][j][i] (recorded through the on_hour hook).
struct SurfaceRecorder {
  int nx = 0, ny = 0;
  std::vector<double> data;
  void record(const solver::EulerianModel& model) {
    nx = model.grid().nx();
    ny = model.grid().ny();
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) data.push_back(model.surface_pm25(i, j));
  }
};

}  // namespace

/// Tag contributions [tag][station][hour] and their superposition.
struct ContributionsHandle {
  Contributions c;
};

/// One Eulerian run and the series copied out of the model once (contiguous, for NumPy).
struct RunHandle {
  std::shared_ptr<const EulerianRun> run;
  std::vector<double> station_pm25;     ///< [station][hour]
  std::vector<double> species;          ///< [species][station][hour]
  std::size_t n_species = 0;
  SurfaceRecorder surface;              ///< [hour][y][x]
  std::shared_ptr<ContributionsHandle> contributions;  ///< null without tags

  RunHandle(std::shared_ptr<const EulerianRun> r, SurfaceRecorder s) : run(std::move(r)), surface(std::move(s)) {
    for (const auto& st : run->model->station_series()) station_pm25.insert(station_pm25.end(), st.begin(), st.end());
    n_species = run->species_series.size();
    for (const auto& sp : run->species_series)
      for (const auto& st : sp) species.insert(species.end(), st.begin(), st.end());
    if (!run->tags.empty() && !run->tag_series.empty())
      contributions = std::make_shared<ContributionsHandle>(ContributionsHandle{pollutant_contributions(*run)});
  }
  std::size_t stations() const { return run->station_ids.size(); }
  std::size_t hours() const { return run->times.size(); }
};

/// A case: its inputs assembled once and shared by every run.
struct CaseHandle {
  std::shared_ptr<const CaseInputs> inputs;
  std::string path;
};

struct ForecastHandle {
  std::shared_ptr<const CaseInputs> inputs;
  std::shared_ptr<const ForecastResult> result;
  std::shared_ptr<RunHandle> baseline;
};

/// One scenario of a forecast (index into ForecastResult::outcomes).
struct ScenarioHandle {
  std::shared_ptr<const ForecastHandle> forecast;
  std::size_t index = 0;
  const ScenarioOutcome& outcome() const { return forecast->result->outcomes[index]; }
};

namespace {

py::dict rates_dict(const emissions::Rates& r) {
  py::dict d;
  for (const auto p : emissions::kAllEmittedPollutants)
    d[py::str(std::string(emissions::pollutant_name(p)))] = r[emissions::index(p)];
  return d;
}

py::dict budgets_dict(const RunHandle& h) {
  const auto& b = h.run->model->budgets();
  const auto n = static_cast<py::ssize_t>(b.size());
  constexpr py::ssize_t ns = kSpeciesCount;
  auto make = [&](auto&& get) {
    py::array_t<double> a({n, ns});
    auto m = a.mutable_unchecked<2>();
    for (py::ssize_t t = 0; t < n; ++t)
      for (py::ssize_t s = 0; s < ns; ++s) m(t, s) = get(b[static_cast<std::size_t>(t)], static_cast<std::size_t>(s));
    return a;
  };
  auto sides = [](const std::array<PerSpecies, 5>& x, std::size_t s) {
    double v = 0.0;
    for (const auto& side : x) v += side[s];
    return v;
  };
  py::dict d;
  std::vector<UtcHour> hours;
  for (const auto& x : b) hours.push_back(x.hour);
  d["hour"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(hours.size()), hours.data());
  d["emitted"] = make([](const solver::HourBudget& x, std::size_t s) { return x.emitted[s]; });
  d["chemistry"] = make([](const solver::HourBudget& x, std::size_t s) { return x.chemistry[s]; });
  d["dry_deposited"] = make([](const solver::HourBudget& x, std::size_t s) { return x.dry_deposited[s]; });
  d["wet_deposited"] = make([](const solver::HourBudget& x, std::size_t s) { return x.wet_deposited[s]; });
  d["inflow"] = make([&](const solver::HourBudget& x, std::size_t s) { return sides(x.inflow, s); });
  d["outflow"] = make([&](const solver::HourBudget& x, std::size_t s) { return sides(x.outflow, s); });
  d["mass_before"] = make([](const solver::HourBudget& x, std::size_t s) { return x.mass_before[s]; });
  d["mass_after"] = make([](const solver::HourBudget& x, std::size_t s) { return x.mass_after[s]; });
  d["residual"] = make([](const solver::HourBudget& x, std::size_t s) {
    return x.residual(kAllSpecies[s]);
  });
  return d;
}

std::vector<std::string> species_names() {
  std::vector<std::string> out;
  for (const auto s : kAllSpecies) out.emplace_back(species_name(s));
  return out;
}

}  // namespace

void bind_case(py::module_& m) {
  py::class_<ContributionsHandle, std::shared_ptr<ContributionsHandle>>(
      m, "Contributions",
      "Stored contributions c[tag, station, hour] (µg/m³) of a tagged run, split by source pollutant "
      "(lantian::pollutant_contributions); they sum over tags to the baseline station series.")
      .def_property_readonly("data", [](py::object self) {
        const auto& c = self.cast<const ContributionsHandle&>().c;
        return view(c.data.data(),
                    {static_cast<py::ssize_t>(c.tags), static_cast<py::ssize_t>(c.stations),
                     static_cast<py::ssize_t>(c.hours)},
                    self);
      }, "[tag, station, hour] float64, read-only view of the C++ storage")
      .def_property_readonly("tag_names", [](const ContributionsHandle& h) { return h.c.tag_names; })
      .def_property_readonly("background_tag", [](const ContributionsHandle& h) { return h.c.background_tag; },
                             "index of the background tag (weight must be 1), -1 when none")
      .def_property_readonly("shape", [](const ContributionsHandle& h) {
        return py::make_tuple(h.c.tags, h.c.stations, h.c.hours);
      })
      .def("total", [](const ContributionsHandle& h) {
        auto a = to_numpy(h.c.total());
        return a.reshape({static_cast<py::ssize_t>(h.c.stations), static_cast<py::ssize_t>(h.c.hours)});
      }, "Σ over tags, [station, hour]")
      .def("superpose", [](const ContributionsHandle& h, const DoubleArray& weights, std::optional<DoubleArray> age_hours) {
        SuperpositionOptions opt;
        if (age_hours) {
          const auto s = span_1d(*age_hours, "age_hours");
          opt.age_hours.assign(s.begin(), s.end());
        }
        const auto& c = h.c;
        const std::size_t per = c.tags * c.hours;
        if (weights.ndim() == 2) {
          if (static_cast<std::size_t>(weights.shape(0)) != c.tags || static_cast<std::size_t>(weights.shape(1)) != c.hours)
            throw Error(ErrorContext{"", 0, "weights"},
                        "expected shape (" + std::to_string(c.tags) + ", " + std::to_string(c.hours) + ") [tag, hour]");
          std::vector<double> out;
          {
            py::gil_scoped_release nogil;
            out = superpose(c, span_all(weights), opt);
          }
          return to_numpy(std::move(out)).reshape({static_cast<py::ssize_t>(c.stations), static_cast<py::ssize_t>(c.hours)});
        }
        if (weights.ndim() != 3 || static_cast<std::size_t>(weights.shape(1)) != c.tags ||
            static_cast<std::size_t>(weights.shape(2)) != c.hours)
          throw Error(ErrorContext{"", 0, "weights"},
                      "expected shape (" + std::to_string(c.tags) + ", " + std::to_string(c.hours) +
                          ") [tag, hour] or (n, " + std::to_string(c.tags) + ", " + std::to_string(c.hours) +
                          ") [scenario, tag, hour], found " + std::to_string(weights.ndim()) + "-D");
        const auto n = static_cast<std::size_t>(weights.shape(0));
        std::vector<double> out(n * c.stations * c.hours);
        {
          py::gil_scoped_release nogil;
          superpose_batch(c, std::span<const double>(weights.data(), n * per), out, opt);
        }
        return to_numpy(std::move(out))
            .reshape({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(c.stations), static_cast<py::ssize_t>(c.hours)});
      }, py::arg("weights"), py::arg("age_hours") = py::none(),
      "Superposed station series: weights [tag, hour] -> [station, hour] (lantian::superpose), or a batch "
      "[scenario, tag, hour] -> [scenario, station, hour] (lantian::superpose_batch). age_hours: per tag, "
      "the lag model's age τ in hours (default 0).");

  py::class_<RunHandle, std::shared_ptr<RunHandle>>(m, "RunHandle", "One Eulerian run (lantian::EulerianRun).")
      .def_property_readonly("station_ids", [](const RunHandle& h) { return h.run->station_ids; })
      .def_property_readonly("times", [](const RunHandle& h) {
        return py::array_t<std::int64_t>(static_cast<py::ssize_t>(h.run->times.size()), h.run->times.data());
      }, "UTC hours since 1970 of the hours simulated (their starts)")
      .def_property_readonly("station_pm25", [](py::object self) {
        const auto& h = self.cast<const RunHandle&>();
        return view(h.station_pm25.data(), {static_cast<py::ssize_t>(h.stations()), static_cast<py::ssize_t>(h.hours())}, self);
      })
      .def_property_readonly("species_series", [](py::object self) {
        const auto& h = self.cast<const RunHandle&>();
        return view(h.species.data(),
                    {static_cast<py::ssize_t>(h.n_species), static_cast<py::ssize_t>(h.stations()),
                     static_cast<py::ssize_t>(h.hours())},
                    self);
      })
      .def_property_readonly("surface_pm25", [](py::object self) {
        const auto& h = self.cast<const RunHandle&>();
        const auto per = static_cast<std::size_t>(h.surface.nx) * static_cast<std::size_t>(h.surface.ny);
        const auto nt = per == 0 ? 0 : h.surface.data.size() / per;
        return view(h.surface.data.data(),
                    {static_cast<py::ssize_t>(nt), static_cast<py::ssize_t>(h.surface.ny), static_cast<py::ssize_t>(h.surface.nx)},
                    self);
      })
      .def_property_readonly("budgets", [](const RunHandle& h) { return budgets_dict(h); })
      .def_property_readonly("budget_residual", [](const RunHandle& h) { return h.run->model->budget_residual(); })
      .def_property_readonly("tag_names", [](const RunHandle& h) { return h.run->tags.names; })
      .def_property_readonly("contributions", [](const RunHandle& h) { return h.contributions; })
      .def_property_readonly("wall_s", [](const RunHandle& h) { return h.run->wall_s; });

  py::class_<CaseHandle, std::shared_ptr<CaseHandle>>(m, "CaseHandle", "A case's assembled inputs (lantian::CaseInputs).")
      .def_property_readonly("name", [](const CaseHandle& h) { return h.inputs->config.name; })
      .def_property_readonly("path", [](const CaseHandle& h) { return h.path; })
      .def_property_readonly("time_zone", [](const CaseHandle& h) { return h.inputs->config.time_zone; })
      .def_property_readonly("start", [](const CaseHandle& h) { return h.inputs->period.start(); })
      .def_property_readonly("hours", [](const CaseHandle& h) { return h.inputs->period.size(); })
      .def_property_readonly("tags", [](const CaseHandle& h) { return std::string(name(h.inputs->config.model.tags)); })
      .def_property_readonly("crs", [](const CaseHandle& h) { return h.inputs->grid.crs(); })
      .def_property_readonly("shape", [](const CaseHandle& h) {
        const Grid& g = h.inputs->grid;
        return py::make_tuple(g.nz(), g.ny(), g.nx());
      }, "(nz, ny, nx)")
      .def_property_readonly("x", [](const CaseHandle& h) {
        std::vector<double> v;
        for (int i = 0; i < h.inputs->grid.nx(); ++i) v.push_back(h.inputs->grid.x_centre(i));
        return to_numpy(std::move(v));
      })
      .def_property_readonly("y", [](const CaseHandle& h) {
        std::vector<double> v;
        for (int j = 0; j < h.inputs->grid.ny(); ++j) v.push_back(h.inputs->grid.y_centre(j));
        return to_numpy(std::move(v));
      })
      .def_property_readonly("layer_tops", [](const CaseHandle& h) { return h.inputs->grid.layer_tops(); })
      .def("lonlat", [](const CaseHandle& h) {
        const Grid& g = h.inputs->grid;
        std::vector<double> lon, lat;
        for (int j = 0; j < g.ny(); ++j)
          for (int i = 0; i < g.nx(); ++i) {
            const LonLat p = g.lonlat(i, j);
            lon.push_back(p.lon);
            lat.push_back(p.lat);
          }
        const Shape s{g.ny(), g.nx()};
        return py::make_tuple(to_numpy(std::move(lon)).reshape(s), to_numpy(std::move(lat)).reshape(s));
      }, "(lon, lat) of the cell centres, each [y, x], degrees (WGS 84)")
      .def("grid_mapping", [](const CaseHandle& h) {
        const CfGridMapping g = cf_grid_mapping(h.inputs->grid.crs());
        py::dict d;
        if (!g.grid_mapping_name.empty()) d["grid_mapping_name"] = g.grid_mapping_name;
        for (const auto& [k, v] : g.parameters) {
          if (v.size() == 1) d[py::str(k)] = v[0];
          else d[py::str(k)] = v;
        }
        d["crs_wkt"] = g.crs_wkt;
        d["proj4_params"] = g.proj4_params;
        return d;
      }, "CF grid-mapping attributes of the CRS (lantian::cf_grid_mapping), crs_wkt included")
      .def_property_readonly("stations", [](const CaseHandle& h) {
        py::list out;
        for (const auto& s : h.inputs->config.stations) {
          const XY p = h.inputs->grid.project(s.lon, s.lat);
          py::dict d;
          d["id"] = s.id;
          d["name"] = s.name;
          d["lon"] = s.lon;
          d["lat"] = s.lat;
          d["x"] = p.x;
          d["y"] = p.y;
          d["kind"] = s.kind;
          out.append(d);
        }
        return out;
      })
      .def("scenario_names", [](const CaseHandle& h) {
        const ScenarioSet set = load_scenario_set(h.inputs->config, h.inputs->inventory);
        std::vector<std::string> names;
        for (const auto& s : set.scenarios) names.push_back(s.name);
        return names;
      }, "names of the case's scenarios (declared, then the standard set)")
      .def("run", [](const CaseHandle& h, std::optional<std::string> tags, py::object progress) {
        auto cb = progress_callback(std::move(progress));
        SurfaceRecorder rec;
        auto run = std::make_shared<EulerianRun>();
        {
          EulerianRunOptions o;
          o.tags = tags_override(tags);
          o.record_tag_series = o.tags.value_or(h.inputs->config.model.tags) != TagKind::none;
          o.progress = [&](const RunProgress& p) { cb("baseline", p); };
          o.on_hour = [&](UtcHour, const solver::EulerianModel& model) { rec.record(model); };
          py::gil_scoped_release nogil;
          *run = run_eulerian(*h.inputs, o);
        }
        return std::make_shared<RunHandle>(std::move(run), std::move(rec));
      }, py::arg("tags") = py::none(), py::arg("progress") = py::none())
      .def("forecast", [](const CaseHandle& h, bool reruns, std::optional<std::string> tags, py::object progress) {
        auto cb = progress_callback(std::move(progress));
        SurfaceRecorder rec;
        auto result = std::make_shared<ForecastResult>();
        {
          ForecastOptions o;
          o.tags = tags_override(tags);
          o.reruns = reruns;
          o.progress = [&](const std::string& stage, const RunProgress& p) { cb(stage, p); };
          o.on_baseline_hour = [&](UtcHour, const solver::EulerianModel& model) { rec.record(model); };
          py::gil_scoped_release nogil;
          *result = run_forecast(*h.inputs, o);
        }
        auto f = std::make_shared<ForecastHandle>();
        f->inputs = h.inputs;
        f->result = result;
        f->baseline = std::make_shared<RunHandle>(std::shared_ptr<const EulerianRun>(result, &result->baseline), std::move(rec));
        return f;
      }, py::arg("reruns") = true, py::arg("tags") = py::none(), py::arg("progress") = py::none());

  m.def("load_case", [](const std::string& path, std::optional<int> hours) {
    CaseConfig config = load_case(path);
    if (hours) {
      config.period.hours = *hours;
      config.validate();
    }
    auto h = std::make_shared<CaseHandle>();
    h->path = path;
    py::gil_scoped_release nogil;
    h->inputs = std::make_shared<CaseInputs>(assemble_case(config));
    return h;
  }, py::arg("path"), py::arg("hours") = py::none(),
  "Reads, validates and assembles a case file (lantian::load_case, assemble_case); `hours` overrides "
  "[period] hours (1..240).");

  py::class_<ScenarioHandle, std::shared_ptr<ScenarioHandle>>(m, "ScenarioHandle", "One scenario of a forecast.")
      .def_property_readonly("name", [](const ScenarioHandle& s) { return s.outcome().scenario.name; })
      .def_property_readonly("description", [](const ScenarioHandle& s) { return s.outcome().scenario.description; })
      .def_property_readonly("level", [](const ScenarioHandle& s) {
        return std::string(response_level_name(s.outcome().scenario.level));
      })
      .def_property_readonly("pm25", [](py::object self) {
        const auto& s = self.cast<const ScenarioHandle&>();
        const auto& b = *s.forecast->baseline;
        return view(s.outcome().pm25.data(), {static_cast<py::ssize_t>(b.stations()), static_cast<py::ssize_t>(b.hours())}, self);
      })
      .def_property_readonly("superposed", [](py::object self) -> py::object {
        const auto& s = self.cast<const ScenarioHandle&>();
        const auto& b = *s.forecast->baseline;
        if (s.outcome().superposed.empty()) return py::none();
        return view(s.outcome().superposed.data(),
                    {static_cast<py::ssize_t>(b.stations()), static_cast<py::ssize_t>(b.hours())}, self);
      })
      .def_property_readonly("account", [](const ScenarioHandle& s) {
        const ScenarioAccount& a = s.outcome().account;
        py::dict d;
        d["active_hours"] = a.active_hours;
        d["society_t"] = rates_dict(a.society);
        d["removed_t"] = rates_dict(a.removed);
        d["achieved"] = rates_dict(a.achieved);
        d["floor_level"] = std::string(response_level_name(a.floor_level));
        d["floor"] = rates_dict(a.floor);
        py::dict meets;
        for (const auto p : emissions::kAllEmittedPollutants)
          meets[py::str(std::string(emissions::pollutant_name(p)))] = a.meets_floor[emissions::index(p)];
        d["meets_floor"] = meets;
        d["cost_yuan"] = a.cost;
        return d;
      })
      .def_property_readonly("superposition_error", [](const ScenarioHandle& s) -> py::object {
        const ScenarioOutcome& o = s.outcome();
        if (!o.has_superposition_error) return py::none();
        py::dict d;
        d["max_abs"] = o.superposition_error.max_abs;
        d["max_rel"] = o.superposition_error.max_rel;
        d["max_abs_hourly"] = o.superposition_error.max_abs_hourly;
        d["summary"] = o.superposition_error.summary(s.forecast->baseline->run->station_ids);
        return d;
      })
      .def("weights", [](const ScenarioHandle& s) {
        const ForecastResult& r = *s.forecast->result;
        const CaseInputs& in = *s.forecast->inputs;
        const MeasureInputs mi = r.scenarios.inputs(in.inventory);
        const Scenario& sc = s.outcome().scenario;
        const ScenarioFactors f = eulerian_factors(sc, mi, r.baseline.sources, in.period, r.windows);
        const auto& c = s.forecast->baseline->contributions;
        if (!c) throw Error(ErrorContext{"", 0, "tags"}, "the forecast has no source tags; run it with tags=\"sector\"");
        // A regional cut scales the background tag (inflow_factors), as run_forecast does.
        const std::vector<double> inflow =
            sc.regional_cut > 0.0 ? inflow_factors(sc, in.period, r.windows, mi.settings) : std::vector<double>{};
        return to_numpy(superposition_weights(r.baseline, r.baseline.annual_rates, f, inflow))
            .reshape({static_cast<py::ssize_t>(c->c.tags), static_cast<py::ssize_t>(c->c.hours)});
      }, "the scenario's superposition weights [tag, hour] for the forecast's contributions")
      .def_property_readonly("wall_s", [](const ScenarioHandle& s) { return s.outcome().wall_s; });

  py::class_<ForecastHandle, std::shared_ptr<ForecastHandle>>(m, "ForecastHandle", "A forecast with scenarios (lantian::ForecastResult).")
      .def_property_readonly("baseline", [](const ForecastHandle& f) { return f.baseline; })
      .def_property_readonly("scenario_count", [](const ForecastHandle& f) { return f.result->outcomes.size(); })
      .def("scenario", [](std::shared_ptr<ForecastHandle> f, std::size_t i) {
        if (i >= f->result->outcomes.size())
          throw py::index_error("scenario index " + std::to_string(i) + " out of range");
        return std::make_shared<ScenarioHandle>(ScenarioHandle{f, i});
      })
      .def_property_readonly("superposition_s", [](const ForecastHandle& f) { return f.result->superposition_s; })
      .def("scenarios_csv", [](const ForecastHandle& f) { return scenarios_csv(*f.result); })
      .def("scenario_series_csv", [](const ForecastHandle& f) { return scenario_series_csv(*f.result); })
      .def("scenarios_json", [](const ForecastHandle& f) { return scenarios_json(*f.result, *f.inputs); });

  m.attr("SPECIES") = species_names();
}

}  // namespace lantian::python
