// lantian._lantian: the compiled half of the `lantian` Python package (pybind11).
// The package python/lantian/ re-exports it; see python/lantian/__init__.py.
#include <algorithm>
#include <array>
#include <exception>
#include <string>

#include "bindings.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace lantian::python {

namespace {

/// The Python class of lantian::Error (a ValueError subclass). The module object holds the
/// reference; a raw handle here avoids a static destructor running after the interpreter.
PyObject* g_error_type = nullptr;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

}  // namespace

Pollutant pollutant_arg(std::string_view name, const std::string& where) {
  if (const std::optional<Pollutant> p = parse_pollutant(name)) return *p;
  std::array<std::string_view, kPollutantCount> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = pollutant_name(kAllPollutants[i]);
  std::string msg = "unknown pollutant '" + std::string(name) + "'";
  const std::string hint = nearest_name(name, std::span<const std::string_view>(names));
  if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
  msg += "; expected one of SO2, NO2, PM10, CO, O3, PM2.5";
  throw Error(ErrorContext{"", 0, where}, msg);
}

Averaging averaging_arg(std::string_view name, const std::string& where) {
  const std::string s = lower_ascii(name);
  if (s == "1h" || s == "1-h") return Averaging::Hour1;
  if (s == "8h" || s == "8-h") return Averaging::Hour8;
  if (s == "24h" || s == "24-h") return Averaging::Hour24;
  throw Error(ErrorContext{"", 0, where}, "unknown averaging period '" + std::string(name) + "'; expected \"1h\", \"8h\" or \"24h\"");
}

namespace {
template <class T>
std::span<const T> checked_span_1d(const py::array_t<T, py::array::c_style | py::array::forcecast>& a,
                                   const std::string& where) {
  if (a.ndim() != 1)
    throw Error(ErrorContext{"", 0, where}, "expected a 1-D array, found " + std::to_string(a.ndim()) + "-D");
  return {a.data(), static_cast<std::size_t>(a.size())};
}
}  // namespace

std::span<const double> span_1d(const DoubleArray& a, const std::string& where) { return checked_span_1d(a, where); }
std::span<const std::int32_t> span_1d(const IntArray& a, const std::string& where) { return checked_span_1d(a, where); }

}  // namespace lantian::python

PYBIND11_MODULE(_lantian, m) {
  namespace py = pybind11;
  using namespace lantian::python;
  m.doc() = "lantian (蓝天) PM2.5 forecast engine: compiled bindings. Use the `lantian` package.";

  py::exception<lantian::Error> error(m, "LantianError", PyExc_ValueError);
  error.attr("__doc__") =
      "Bad input or I/O failure reported by the lantian engine (lantian::Error). A ValueError; "
      "`message` is the text without context, `file`, `line` and `where` the context (may be empty/0).";
  g_error_type = error.ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const lantian::Error& e) {
      py::object inst = py::handle(g_error_type)(e.what());
      inst.attr("message") = e.message();
      inst.attr("file") = e.context().file;
      inst.attr("line") = e.context().line;
      inst.attr("where") = e.context().where;
      PyErr_SetObject(g_error_type, inst.ptr());
    }
  });

  m.attr("__version__") = LANTIAN_VERSION;
  bind_aqi(m);
  bind_warning(m);
  bind_rules_file(m);
  bind_case(m);
  bind_jobs(m);
  bind_tools(m);
}
