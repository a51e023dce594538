// Bindings of scenarios/warning.hpp: warning rules, classification, response timeline.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/operators.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "scenarios/warning.hpp"

namespace lantian::python {

namespace {

using namespace pybind11::literals;

/// A decision with the name of its level under the rules it was made with.
struct Decision : WarningDecision {
  std::string level_name;
};

/// A response period with the name of its level.
struct Period : ResponsePeriod {
  std::string level_name;
};

Decision named(WarningDecision d, const WarningRules& rules) {
  Decision out;
  static_cast<WarningDecision&>(out) = std::move(d);
  out.level_name = std::string(rules.level_name(out.level));
  return out;
}

std::string condition_repr(const WarningCondition& c) {
  return "WarningCondition(above=" + std::to_string(c.above) + ", hours=" + std::to_string(c.hours) +
         ", and_block_above=" + std::to_string(c.and_block_above) + ")";
}

std::string level_repr(const WarningLevelRule& l) {
  std::string s = "WarningLevelRule(name='" + l.name + "', name_zh='" + l.name_zh + "', any_of=[";
  for (std::size_t i = 0; i < l.any_of.size(); ++i) s += (i ? ", " : "") + condition_repr(l.any_of[i]);
  return s + "], release_at_or_below=" + std::to_string(l.release_at_or_below) + ")";
}

}  // namespace

void bind_warning(py::module_& m) {
  py::class_<WarningCondition>(m, "WarningCondition",
                               "'daily AQI > above lasting `hours`' (hours/24 consecutive non-overlapping 24-h blocks); "
                               "and_block_above > 0 adds: some 24-h block inside the window > and_block_above.")
      .def(py::init([](int above, int hours, int and_block_above) { return WarningCondition{above, hours, and_block_above}; }),
           "above"_a = 200, "hours"_a = 24, "and_block_above"_a = 0)
      .def_readwrite("above", &WarningCondition::above)
      .def_readwrite("hours", &WarningCondition::hours)
      .def_readwrite("and_block_above", &WarningCondition::and_block_above)
      .def("describe", &WarningCondition::describe)
      .def(py::self == py::self)
      .def("__repr__", &condition_repr);

  py::class_<WarningLevelRule>(m, "WarningLevelRule", "A warning level: holds when any of its conditions holds.")
      .def(py::init([](std::string name, std::string name_zh, std::vector<WarningCondition> any_of, int release) {
             return WarningLevelRule{std::move(name), std::move(name_zh), std::move(any_of), release};
           }),
           "name"_a, "name_zh"_a = "", "any_of"_a = std::vector<WarningCondition>{}, "release_at_or_below"_a = 150)
      .def_readwrite("name", &WarningLevelRule::name)
      .def_readwrite("name_zh", &WarningLevelRule::name_zh)
      .def_readwrite("any_of", &WarningLevelRule::any_of, "(a copy: assign a whole list to change it)")
      .def_readwrite("release_at_or_below", &WarningLevelRule::release_at_or_below)
      .def(py::self == py::self)
      .def("__repr__", &level_repr);

  py::class_<WarningRules>(m, "WarningRules",
                           "Warning levels (low to high), the decision horizon, the local issue hour and the release "
                           "duration. WarningRules.national() is the national rule (DOMAIN.md §3).")
      .def(py::init<>())
      .def_static("national", &WarningRules::national)
      .def_readwrite("levels", &WarningRules::levels, "(a copy: assign a whole list to change it)")
      .def_readwrite("horizon_hours", &WarningRules::horizon_hours)
      .def_readwrite("issue_hour", &WarningRules::issue_hour)
      .def_readwrite("release_hours", &WarningRules::release_hours)
      .def("validate", &WarningRules::validate, "Raises LantianError naming the offending level/field.")
      .def("level_index", &WarningRules::level_index, "name"_a, "1-based level number, 0 for 'none', -1 when unknown.")
      .def(
          "level_name", [](const WarningRules& r, int level) { return std::string(r.level_name(level)); }, "level"_a)
      .def("release_threshold", &WarningRules::release_threshold, "from_level"_a, "to_level"_a)
      .def(py::self == py::self)
      .def("__repr__", [](const WarningRules& r) {
        std::string s = "WarningRules(levels=[";
        for (std::size_t i = 0; i < r.levels.size(); ++i) s += (i ? ", " : "") + level_repr(r.levels[i]);
        return s + "], horizon_hours=" + std::to_string(r.horizon_hours) + ", issue_hour=" +
               std::to_string(r.issue_hour) + ", release_hours=" + std::to_string(r.release_hours) + ")";
      });

  py::class_<WarningDecision>(m, "WarningDecision", "The level decided at an issue index and the window that proves it.")
      .def(py::init([](int level, std::int64_t issue_index, std::string reason) {
             WarningDecision d;
             d.level = level;
             d.issue_index = issue_index;
             d.reason = std::move(reason);
             return d;
           }),
           "level"_a = 0, "issue_index"_a = 0, "reason"_a = "")
      .def_readwrite("level", &WarningDecision::level)
      .def_readwrite("issue_index", &WarningDecision::issue_index)
      .def_readwrite("window_start", &WarningDecision::window_start)
      .def_readwrite("window_hours", &WarningDecision::window_hours)
      .def_readwrite("condition", &WarningDecision::condition)
      .def_readwrite("block_aqis", &WarningDecision::block_aqis)
      .def_readwrite("extra_block_start", &WarningDecision::extra_block_start)
      .def_readwrite("extra_block_aqi", &WarningDecision::extra_block_aqi)
      .def_readwrite("open_level", &WarningDecision::open_level,
                     "the highest level the series' end leaves undecided (0: every higher level decided)")
      .def_readwrite("reason", &WarningDecision::reason);

  py::class_<Decision, WarningDecision>(m, "Decision", "A WarningDecision with its level's name.")
      .def_readonly("level_name", &Decision::level_name)
      .def("__repr__", [](const Decision& d) {
        return "Decision(level=" + std::to_string(d.level) + " '" + d.level_name + "', issue_index=" +
               std::to_string(d.issue_index) + ", window_start=" + std::to_string(d.window_start) + ", reason='" +
               d.reason + "')";
      });

  py::class_<ImposedLevel>(m, "ImposedLevel", "A level imposed by a higher authority (上级预警) over [start, end).")
      .def(py::init([](std::int64_t start, std::int64_t end, int level) { return ImposedLevel{start, end, level}; }),
           "start"_a, "end"_a, "level"_a)
      .def_readwrite("start", &ImposedLevel::start)
      .def_readwrite("end", &ImposedLevel::end)
      .def_readwrite("level", &ImposedLevel::level);

  py::class_<Period>(m, "ResponsePeriod", "A response period (应急响应) [start, end); end == -1 while still active.")
      .def_readonly("level", &Period::level)
      .def_readonly("level_name", &Period::level_name)
      .def_readonly("start", &Period::start)
      .def_readonly("end", &Period::end)
      .def_readonly("start_reason", &Period::start_reason)
      .def_readonly("end_reason", &Period::end_reason)
      .def_readonly("began", &Period::began, "index (<= 0) at which a response in force at the start began; None otherwise")
      .def("__repr__", [](const Period& p) {
        return "ResponsePeriod(level=" + std::to_string(p.level) + " '" + p.level_name + "', start=" +
               std::to_string(p.start) + ", end=" + std::to_string(p.end) + ")";
      });

  m.def(
      "block_aqi_from_trailing",
      [](const IntArray& trailing) {
        const std::span<const int> t = span_1d(trailing, "trailing_aqi");
        std::vector<int> out;
        {
          py::gil_scoped_release nogil;
          out = block_aqi_from_trailing(t);
        }
        return to_numpy(std::move(out));
      },
      "trailing_aqi"_a, "Block AQI [i, i+24) from the trailing daily AQI (trailing[i + 23]); -1 past the end.");

  m.def(
      "classify_warning",
      [](const IntArray& block_aqi, std::int64_t t0, const WarningRules& rules) {
        rules.validate();
        const std::span<const int> b = span_1d(block_aqi, "block_aqi");
        WarningDecision d;
        {
          py::gil_scoped_release nogil;
          d = classify_warning(b, t0, rules);
        }
        return named(std::move(d), rules);
      },
      "block_aqi"_a, "t0"_a, "rules"_a = WarningRules::national(),
      "Highest level whose condition holds on a window inside [t0, t0 + horizon) of the block AQIs.");

  m.def(
      "classify_warnings",
      [](const IntArray& block_aqi, const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& t0s,
         const WarningRules& rules) {
        rules.validate();
        const std::span<const int> b = span_1d(block_aqi, "block_aqi");
        if (t0s.ndim() != 1)
          throw Error(ErrorContext{"", 0, "t0"}, "expected a 1-D array of issue indices, found " +
                                                     std::to_string(t0s.ndim()) + "-D");
        const std::span<const std::int64_t> t(t0s.data(), static_cast<std::size_t>(t0s.size()));
        std::vector<Decision> out;
        {
          py::gil_scoped_release nogil;
          out.reserve(t.size());
          for (const std::int64_t t0 : t) out.push_back(named(classify_warning(b, t0, rules), rules));
        }
        return out;
      },
      "block_aqi"_a, "t0"_a, "rules"_a = WarningRules::national(), "classify_warning at each issue index of t0.");

  m.def(
      "response_timeline",
      [](const IntArray& trailing, const std::vector<WarningDecision>& decisions,
         const std::vector<ImposedLevel>& imposed, const WarningRules& rules, int in_force_level,
         std::int64_t in_force_since) {
        rules.validate();
        const std::span<const int> t = span_1d(trailing, "trailing_aqi");
        std::vector<ResponsePeriod> periods;
        {
          py::gil_scoped_release nogil;
          periods = response_timeline(t, decisions, imposed, rules, {}, ResponseState{in_force_level, in_force_since});
        }
        std::vector<Period> out;
        out.reserve(periods.size());
        for (ResponsePeriod& p : periods) {
          Period q;
          static_cast<ResponsePeriod&>(q) = std::move(p);
          q.level_name = std::string(rules.level_name(q.level));
          out.push_back(std::move(q));
        }
        return out;
      },
      "trailing_aqi"_a, "decisions"_a, "imposed"_a = std::vector<ImposedLevel>{}, "rules"_a = WarningRules::national(),
      "in_force_level"_a = 0, "in_force_since"_a = 0,
      "Response periods from daily decisions: upgrade at once, downgrade/lift after release_hours at or below the "
      "release threshold; imposed levels raise the effective level; in_force_level (since the index "
      "in_force_since <= 0) is the response in force at the start.");
}

}  // namespace lantian::python
