// Bindings of forecast/rules_file.hpp: AQI validity and warning rules from TOML.
#include <string>

#include <pybind11/operators.h>

#include "bindings.hpp"
#include "forecast/rules_file.hpp"

namespace lantian::python {

void bind_rules_file(py::module_& m) {
  using namespace pybind11::literals;
  py::class_<AqiWarningRules>(m, "AqiWarningRules", "Everything a rules file sets: `validity` and `warning`.")
      .def(py::init<>())
      .def_readwrite("validity", &AqiWarningRules::validity)
      .def_readwrite("warning", &AqiWarningRules::warning)
      .def(py::self == py::self);
  m.def("load_rules", &load_rules, "path"_a,
        "Reads a rules TOML file (national defaults for what it omits); raises LantianError naming the file, line "
        "and key.");
  m.def(
      "parse_rules", [](const std::string& text, const std::string& source) { return parse_rules(text, source); },
      "text"_a, "source"_a = "<string>", "The same over TOML text.");
}

}  // namespace lantian::python
