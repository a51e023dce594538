#pragma once
// Progress of a long job to Python (shared by the case and the job bindings).
#include <memory>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "forecast/run_job.hpp"

namespace lantian::python {

/// A Python progress function called from a job's thread: `(*this)(make)` takes the GIL, lets
/// Ctrl-C interrupt the job (KeyboardInterrupt is raised from the next call) and, unless the
/// function is None, calls it with the dict that `make()` builds. Copies share the function;
/// every copy is destroyed with the GIL held (after the job's gil_scoped_release has been
/// undone), so the py::object is released safely.
class PythonProgress {
 public:
  explicit PythonProgress(py::object function) : function_(std::make_shared<py::object>(std::move(function))) {}
  template <class MakeDict>
  void operator()(const MakeDict& make) const {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!function_->is_none()) (*function_)(make());
  }

 private:
  std::shared_ptr<py::object> function_;
};

/// Progress of a model run to Python: `progress(dict)` after each simulated hour.
inline JobProgress progress_callback(py::object progress) {
  return [call = PythonProgress(std::move(progress))](const std::string& stage, const RunProgress& p) {
    call([&] {
      py::dict d;
      d["stage"] = stage;
      d["hours_done"] = p.hours_done;
      d["hours"] = p.hours;
      d["time"] = p.time;
      d["local_time"] = p.local_time;
      d["elapsed_s"] = p.elapsed_s;
      d["remaining_s"] = p.remaining_s;
      d["max_surface_pm25"] = p.max_surface_pm25;
      return d;
    });
  };
}

}  // namespace lantian::python
