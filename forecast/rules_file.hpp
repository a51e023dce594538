#pragma once
// AQI validity and warning rules from a TOML file (`--rules FILE.toml`): the national rule of
// ../shared/DOMAIN.md §3 is the default, and every threshold, duration, the horizon and the
// issue hour can be changed by a local plan (地方可制定更严格的标准). Worked examples:
// examples/rules/national.toml and examples/rules/blue-level-example.toml.
//
//   [aqi]                      # GB 3095-2012 §8 validity, all optional
//   min_hours_24h = 20
//   min_hours_8h = 6
//   min_windows_o3_8h = 14
//   required = ["PM2.5"]
//
//   [warning]                  # all optional
//   horizon_hours = 72
//   issue_hour = 16
//   release_hours = 36
//
//   [[warning.levels]]         # optional; when given, replaces the national list wholly
//   name = "yellow"            # ordered low to high
//   name_zh = "黄色"
//   release_at_or_below = 150
//   any_of = [{above = 200, hours = 24}, {above = 150, hours = 48}]
//   # red: any_of = [{above = 200, hours = 72, and_block_above = 300}]
#include <string>
#include <string_view>

#include "scenarios/aqi.hpp"
#include "scenarios/warning.hpp"

namespace lantian {

/// Everything a rules file sets.
struct AqiWarningRules {
  ValidityRules validity{};
  WarningRules warning = WarningRules::national();
  bool operator==(const AqiWarningRules&) const = default;
};

/// Reads a rules file. Missing sections and keys keep the national defaults; a
/// [[warning.levels]] list replaces the default levels wholly. The result is validated.
/// Throws lantian::Error naming the file, the line and the key for syntax errors, unknown keys
/// (with the nearest valid key suggested), wrong types, unknown pollutants and invalid values.
AqiWarningRules load_rules(const std::string& toml_path);

/// The same over TOML text in memory; `source` names it in error messages.
AqiWarningRules parse_rules(std::string_view toml_text, const std::string& source = "<string>");

}  // namespace lantian
