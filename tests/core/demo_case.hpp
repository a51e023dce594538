#pragma once
// The embedded demo case (examples/demo-city/case.toml) as TOML text for tests that need a
// variant of it in a temporary folder: its relative paths made absolute, and optionally a shorter
// period, another start, the coarse 4 km grid over the same 80 km square, keys added to its
// [model] table, or its sector tags removed.
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace lantian::test {

struct DemoCaseOptions {
  int hours = 72;
  std::string start;       ///< "" = the demo's (2024-12-12T16:00 local)
  bool coarse = false;     ///< 20 x 20 cells of 4 km instead of 80 x 80 of 1 km
  bool untagged = false;   ///< drop the demo's `tags = "sector"`
  std::string model_keys;  ///< lines added to [model]

  /// A 24-h (or `h`-hour) variant from local midnight of 13 December on the coarse grid.
  static DemoCaseOptions coarse_day(int h = 24) {
    DemoCaseOptions o;
    o.hours = h;
    o.start = "2024-12-13T00:00";
    o.coarse = true;
    return o;
  }
};

/// The demo shortened to `hours`, everything else as in the file.
inline DemoCaseOptions demo_hours(int hours) {
  DemoCaseOptions o;
  o.hours = hours;
  return o;
}

inline std::string demo_case_text(const DemoCaseOptions& o = {}) {
  const std::string dir = std::string(LANTIAN_SOURCE_DIR) + "/examples/demo-city/";
  std::ifstream in(dir + "case.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto sub = [&text](const std::string& pattern, const std::string& by) {
    text = std::regex_replace(text, std::regex(pattern), by);
  };
  if (!o.start.empty()) sub("start = \"2024-12-12T16:00\"", "start = \"" + o.start + "\"");
  sub("hours = 72", "hours = " + std::to_string(o.hours));
  if (o.coarse) {
    sub("nx = 80", "nx = 20");
    sub("ny = 80", "ny = 20");
    sub("dx = 1000.0", "dx = 4000.0");
    sub("dy = 1000.0", "dy = 4000.0");
  }
  sub("folder = \"inventory\"", "folder = \"" + dir + "inventory\"");
  sub("rules_file = \"\\.\\./rules/national.toml\"", "rules_file = \"" + dir + "../rules/national.toml\"");
  sub("observations = \"observations.csv\"", "observations = \"" + dir + "observations.csv\"");
  sub("boundary_file = \"boundary.csv\"", "boundary_file = \"" + dir + "boundary.csv\"\n" + o.model_keys);
  if (o.untagged) sub("\ntags = \"sector\"[^\n]*", "");
  return text;
}

}  // namespace lantian::test
