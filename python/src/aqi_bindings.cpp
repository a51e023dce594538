// Bindings of scenarios/aqi.hpp (HJ 633-2012 AQI), vectorised over NumPy arrays.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/operators.h>

#include "bindings.hpp"
#include "core/error.hpp"

namespace lantian::python {

namespace {

using namespace pybind11::literals;

/// One pollutant column per pollutant, read from a {name: array} dict; each kept alive in
/// `arrays` while the views are used.
struct Columns {
  std::array<std::optional<DoubleArray>, kPollutantCount> arrays{};
  std::vector<py::ssize_t> shape;
  std::size_t size = 0;
  bool empty = true;
};

Columns read_columns(const py::dict& columns, bool one_d) {
  Columns c;
  for (const auto& [key, value] : columns) {
    const std::string name = py::str(key);
    const Pollutant p = pollutant_arg(name, "columns");
    auto& slot = c.arrays[static_cast<int>(p)];
    if (slot)
      throw Error(ErrorContext{"", 0, name},
                  "pollutant " + std::string(pollutant_name(p)) + " given twice (names are case-insensitive; PM25 is PM2.5)");
    DoubleArray a = DoubleArray::ensure(value);
    if (!a) throw py::error_already_set();
    if (one_d) span_1d(a, name);
    const std::vector<py::ssize_t> shape(a.shape(), a.shape() + a.ndim());
    if (c.empty) {
      c.shape = shape;
      c.size = static_cast<std::size_t>(a.size());
      c.empty = false;
    } else if (shape != c.shape) {
      throw Error(ErrorContext{"", 0, name}, "expected " + std::to_string(c.size) +
                                                 " values (the shape of the first column), found an array of " +
                                                 std::to_string(a.size()) + " values of another shape");
    }
    slot = std::move(a);
  }
  if (c.empty) throw Error(ErrorContext{"", 0, "columns"}, "expected at least one pollutant column");
  return c;
}

StationSeries series_of(const Columns& c) {
  StationSeries s;
  s.hours = c.size;
  for (int p = 0; p < kPollutantCount; ++p)
    if (const auto& a = c.arrays[static_cast<std::size_t>(p)]) s.conc[static_cast<std::size_t>(p)] = span_all(*a);
  return s;
}

/// AqiResult per element -> {"aqi": int32, "primary_mask": uint8, "above_scale": bool,
/// "category_code": uint8 (AqiCategory)} arrays of `shape`.
py::dict to_arrays(const std::vector<AqiResult>& r, const std::vector<py::ssize_t>& shape) {
  py::array_t<std::int32_t> aqi(shape);
  py::array_t<std::uint8_t> mask(shape), category(shape);
  py::array_t<bool> above(shape);
  std::int32_t* a = aqi.mutable_data();
  std::uint8_t* m = mask.mutable_data();
  std::uint8_t* c = category.mutable_data();
  bool* s = above.mutable_data();
  {
    py::gil_scoped_release nogil;
    for (std::size_t i = 0; i < r.size(); ++i) {
      a[i] = r[i].aqi;
      m[i] = r[i].primary_mask;
      s[i] = r[i].above_scale;
      c[i] = static_cast<std::uint8_t>(r[i].category());
    }
  }
  return py::dict("aqi"_a = aqi, "primary_mask"_a = mask, "above_scale"_a = above, "category_code"_a = category);
}

py::array_t<std::int32_t> iaqi_array(const std::string& pollutant, const DoubleArray& conc, const std::string& averaging,
                                     const std::optional<DoubleArray>& fallback) {
  const Pollutant p = pollutant_arg(pollutant);
  const Averaging a = averaging_arg(averaging);
  py::array_t<std::int32_t> out(std::vector<py::ssize_t>(conc.shape(), conc.shape() + conc.ndim()));
  const std::span<const double> in = span_all(conc);
  const std::span<int> o(out.mutable_data(), in.size());
  if (!fallback) {
    {
      py::gil_scoped_release nogil;
      iaqi_many(p, a, in, o);
    }
    return out;
  }
  const std::span<const double> fb = span_all(*fallback);
  if (fb.size() != 1 && fb.size() != in.size())
    throw Error(ErrorContext{"", 0, "fallback"}, "expected a scalar or " + std::to_string(in.size()) +
                                                     " values (one per concentration), found " + std::to_string(fb.size()));
  (void)iaqi(p, a, std::numeric_limits<double>::quiet_NaN());  // rejects a pair without a table, even for no values
  {
    py::gil_scoped_release nogil;
    for (std::size_t i = 0; i < in.size(); ++i) o[i] = iaqi(p, a, in[i], fb[fb.size() == 1 ? 0 : i]).value;
  }
  return out;
}

py::dict aqi_of_columns(const py::dict& columns, const py::dict& averaging, const py::dict& fallbacks) {
  const Columns c = read_columns(columns, false);
  std::array<Averaging, kPollutantCount> avg{};
  avg.fill(Averaging::Hour24);
  for (const auto& [key, value] : averaging)
    avg[static_cast<int>(pollutant_arg(py::str(key).cast<std::string>(), "averaging"))] =
        averaging_arg(value.cast<std::string>(), "averaging[" + py::str(key).cast<std::string>() + "]");
  std::array<std::optional<DoubleArray>, kPollutantCount> fb_arrays{};
  for (const auto& [key, value] : fallbacks) {
    const std::string name = py::str(key);
    DoubleArray a = DoubleArray::ensure(value);
    if (!a) throw py::error_already_set();
    if (static_cast<std::size_t>(a.size()) != c.size && a.size() != 1)
      throw Error(ErrorContext{"", 0, "fallbacks[" + name + "]"}, "expected a scalar or " + std::to_string(c.size) +
                                                                      " values, found " + std::to_string(a.size()));
    fb_arrays[static_cast<int>(pollutant_arg(name, "fallbacks"))] = std::move(a);
  }
  // Every used pollutant/averaging pair must have an HJ 633 table (throws otherwise).
  for (int p = 0; p < kPollutantCount; ++p)
    if (c.arrays[static_cast<std::size_t>(p)])
      (void)iaqi(kAllPollutants[static_cast<std::size_t>(p)], avg[static_cast<std::size_t>(p)],
                 std::numeric_limits<double>::quiet_NaN());

  std::array<std::span<const double>, kPollutantCount> conc{}, fb{};
  for (std::size_t p = 0; p < kPollutantCount; ++p) {
    if (c.arrays[p]) conc[p] = span_all(*c.arrays[p]);
    if (fb_arrays[p]) fb[p] = span_all(*fb_arrays[p]);
  }
  std::vector<AqiResult> r(c.size);
  {
    py::gil_scoped_release nogil;
    for (std::size_t i = 0; i < c.size; ++i) {
      std::array<int, kPollutantCount> iq{};
      iq.fill(kMissingIndex);
      bool above = false;
      for (std::size_t p = 0; p < kPollutantCount; ++p) {
        if (conc[p].empty()) continue;
        const double f = fb[p].empty() ? std::numeric_limits<double>::quiet_NaN() : fb[p][fb[p].size() == 1 ? 0 : i];
        const IaqiResult x = iaqi(kAllPollutants[p], avg[p], conc[p][i], f);
        iq[p] = x.value;
        above = above || x.above_scale;
      }
      r[i] = combine_iaqi(iq, above);
    }
  }
  return to_arrays(r, c.shape);
}

template <class F>
py::dict series_aqi(const py::dict& columns, const ValidityRules& validity, F&& compute) {
  validity.validate();
  const Columns c = read_columns(columns, true);
  const StationSeries s = series_of(c);
  std::vector<AqiResult> r;
  {
    py::gil_scoped_release nogil;
    r = compute(s, validity);
  }
  return to_arrays(r, c.shape);
}

}  // namespace

void bind_aqi(py::module_& m) {
  py::list pollutants;
  for (Pollutant p : kAllPollutants) pollutants.append(std::string(pollutant_name(p)));
  m.attr("POLLUTANTS") = py::tuple(pollutants);
  m.attr("MISSING") = kMissingIndex;

  py::list cats, cats_zh;
  for (int c = 0; c <= static_cast<int>(AqiCategory::Severe); ++c) {
    cats.append(std::string(category_name(static_cast<AqiCategory>(c))));
    cats_zh.append(std::string(category_name_zh(static_cast<AqiCategory>(c))));
  }
  m.attr("CATEGORIES") = py::tuple(cats);
  m.attr("CATEGORIES_ZH") = py::tuple(cats_zh);

  py::class_<ValidityRules>(m, "ValidityRules",
                            "Validity of means (GB 3095-2012 §8): valid hours needed per 24-h and 8-h mean, valid "
                            "8-h means per daily O3, and the pollutants that must be valid.")
      .def(py::init<>())
      .def_readwrite("min_hours_24h", &ValidityRules::min_hours_24h)
      .def_readwrite("min_hours_8h", &ValidityRules::min_hours_8h)
      .def_readwrite("min_windows_o3_8h", &ValidityRules::min_windows_o3_8h)
      .def_property(
          "required",
          [](const ValidityRules& v) {
            std::vector<std::string> out;
            for (Pollutant p : v.required) out.emplace_back(pollutant_name(p));
            return out;
          },
          [](ValidityRules& v, const std::vector<std::string>& names) {
            std::vector<Pollutant> ps;
            for (const std::string& n : names) ps.push_back(pollutant_arg(n, "required"));
            v.required = std::move(ps);
          },
          "Pollutant names that must be valid (where present) for an hour or block to be valid.")
      .def("validate", &ValidityRules::validate, "Raises LantianError naming the field when a value is out of range.")
      .def(py::self == py::self)
      .def("__repr__", [](const ValidityRules& v) {
        std::string req;
        for (Pollutant p : v.required) req += (req.empty() ? "'" : ", '") + std::string(pollutant_name(p)) + "'";
        return "ValidityRules(min_hours_24h=" + std::to_string(v.min_hours_24h) + ", min_hours_8h=" +
               std::to_string(v.min_hours_8h) + ", min_windows_o3_8h=" + std::to_string(v.min_windows_o3_8h) +
               ", required=[" + req + "])";
      });

  m.def("iaqi", &iaqi_array, "pollutant"_a, "conc"_a, "averaging"_a = "24h", "fallback"_a = py::none(),
        "IAQI (HJ 633-2012) of every concentration, rounded up; int32 array of conc's shape, -1 where missing.\n"
        "fallback: the substitute concentration where a table ends (SO2 1h > 800: the 24-h SO2; O3 8h > 800: "
        "the 1-h O3), a scalar or one per value; without it those values are -1.");
  m.def("aqi_of_columns", &aqi_of_columns, "columns"_a, "averaging"_a = py::dict(), "fallbacks"_a = py::dict(),
        "Element-wise AQI of same-shaped concentration arrays {pollutant: array}; averaging {pollutant: '1h'|'8h'|"
        "'24h'} (default 24h). Returns a dict of arrays: aqi, primary_mask, above_scale, category_code.");
  m.def(
      "hourly_aqi",
      [](const py::dict& columns, const ValidityRules& validity) {
        return series_aqi(columns, validity, [](const StationSeries& s, const ValidityRules& v) { return hourly_aqi(s, v); });
      },
      "columns"_a, "validity"_a = ValidityRules{},
      "Real-time hourly AQI (实时报) of one station's hourly 1-D columns {pollutant: array}.");
  m.def(
      "daily_aqi",
      [](const py::dict& columns, const ValidityRules& validity) {
        return series_aqi(columns, validity,
                          [](const StationSeries& s, const ValidityRules& v) { return daily_aqi_trailing(s, v); });
      },
      "columns"_a, "validity"_a = ValidityRules{},
      "Daily AQI of the 24-h block ENDING at each hour [h-23, h] (日AQI over any continuous 24 h).");
  m.def(
      "rolling_mean",
      [](const DoubleArray& x, int window, int min_valid) {
        const std::span<const double> in = span_1d(x, "x");
        std::vector<double> out;
        {
          py::gil_scoped_release nogil;
          out = rolling_mean(in, window, min_valid);
        }
        return to_numpy(std::move(out));
      },
      "x"_a, "window"_a, "min_valid"_a,
      "Trailing rolling mean (window ending at each hour), NaN with fewer than min_valid valid hours.");
  m.def(
      "primary_names", [](std::uint8_t mask) { return primary_names(mask); }, "primary_mask"_a,
      "'PM2.5', 'PM2.5;PM10', ... for a primary-pollutant bit mask (bit i = POLLUTANTS[i]).");
  m.def(
      "category_code", [](int aqi) { return static_cast<int>(aqi_category(aqi)); }, "aqi"_a,
      "Index into CATEGORIES of an AQI (0 = missing).");
}

}  // namespace lantian::python
