#pragma once
// Shared helpers of the pybind11 module lantian._lantian: argument conversion only
// (STYLE.md 21: the bindings hold no logic; every rule lives in the C++ library).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/aqi.hpp"

namespace lantian::python {

namespace py = pybind11;

static_assert(sizeof(int) == sizeof(std::int32_t), "AQI arrays are handed to NumPy as int32");

/// Any float array-like, converted (copied only when needed) to C-contiguous doubles.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
/// Any integer array-like (AQI series), converted to C-contiguous int32.
using IntArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

/// Pollutant from its name ("PM2.5", "pm25", "SO2", ...); unknown names throw lantian::Error
/// naming the argument, the name given and the nearest valid one.
Pollutant pollutant_arg(std::string_view name, const std::string& where = "pollutant");
/// Averaging period from "1h", "8h", "24h" (also "1-h", "8-h", "24-h"); throws lantian::Error.
Averaging averaging_arg(std::string_view name, const std::string& where = "averaging");

/// A view of a 1-D array; throws lantian::Error naming `where` when it has another rank.
std::span<const double> span_1d(const DoubleArray& a, const std::string& where);
std::span<const std::int32_t> span_1d(const IntArray& a, const std::string& where);
/// A view of an array of any rank, flattened (C order).
inline std::span<const double> span_all(const DoubleArray& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

/// Hands a vector to NumPy without copying: the array owns the vector through a capsule.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule base(owner, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owner->size()), owner->data(), base);
}

void bind_aqi(py::module_& m);
void bind_warning(py::module_& m);
void bind_rules_file(py::module_& m);
/// Case, runs, forecasts and superposition (case_bindings.cpp).
void bind_case(py::module_& m);
/// check, run, evaluate, report, aqi as one call each (job_bindings.cpp).
void bind_jobs(py::module_& m);
/// plume, screen, plan (tools_bindings.cpp).
void bind_tools(py::module_& m);

}  // namespace lantian::python
