#pragma once
// Progress of a model job to Python (shared by the case and the job bindings).
#include <memory>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "forecast/run_job.hpp"

namespace lantian::python {

/// Progress to Python: calls `progress(dict)` after each simulated hour (with the GIL) and
/// lets Ctrl-C interrupt a run (KeyboardInterrupt is raised from the next hour).
inline JobProgress progress_callback(py::object progress) {
  auto holder = std::make_shared<py::object>(std::move(progress));
  auto fn = [holder](const std::string& stage, const RunProgress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!holder->is_none()) {
      py::dict d;
      d["stage"] = stage;
      d["hours_done"] = p.hours_done;
      d["hours"] = p.hours;
      d["time"] = p.time;
      d["local_time"] = p.local_time;
      d["elapsed_s"] = p.elapsed_s;
      d["remaining_s"] = p.remaining_s;
      d["max_surface_pm25"] = p.max_surface_pm25;
      (*holder)(d);
    }
  };
  // Every copy of the callback is destroyed with the GIL held (after the run's
  // gil_scoped_release has been undone), so the py::object is released safely.
  return fn;
}

}  // namespace lantian::python
