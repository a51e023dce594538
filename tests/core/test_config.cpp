// TOML helpers: parse errors, typed reads, unknown keys, arrays of tables (core/config.hpp).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/error.hpp"
#include "temp_dir.hpp"

using namespace lantian;

namespace {

/// Runs f, expecting a lantian::Error; returns it (or fails the test).
Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected lantian::Error");
  return Error("unreachable");
}

// A warning-rules file like the one scenarios/ reads. Line numbers are referenced below.
const char* const kRules =
    "[aqi]\n"                                                  // 1
    "required = [\"PM2.5\"]\n"                                 // 2
    "\n"                                                       // 3
    "[warning]\n"                                              // 4
    "issue_hour = 16\n"                                        // 5
    "horizon = 72\n"                                           // 6
    "\n"                                                       // 7
    "[[warning.levels]]\n"                                     // 8
    "name = \"yellow\"\n"                                      // 9
    "any_of = [{above = 200, hours = 24},\n"                   // 10
    "          {above = 150, hours = 48}]\n"                   // 11
    "\n"                                                       // 12
    "[[warning.levels]]\n"                                     // 13
    "name = \"red\"\n"                                         // 14
    "any_of = [\n"                                             // 15
    "  {above = 200, hours = 72, and_block_above = 300},\n"    // 16
    "]\n";                                                     // 17

}  // namespace

TEST_CASE("edit_distance and nearest_name", "[config]") {
  // Classic example: kitten -> sitting = 3 (k->s, e->i, +g).
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("horizn", "horizon") == 1);   // one insertion
  CHECK(edit_distance("PM2.5", "pm2.5") == 0);      // case-insensitive
  CHECK(nearest_name("horizn", {"issue_hour", "horizon", "levels"}) == "horizon");
  CHECK(nearest_name("levles", {"issue_hour", "horizon", "levels"}) == "levels");  // 2 substitutions
  CHECK(nearest_name("temperature", {"issue_hour", "horizon", "levels"}).empty());
  const std::vector<std::string> cols{"station", "time", "PM2.5", "PM10"};
  CHECK(nearest_name("PM25", cols) == "PM2.5");  // one deletion; nearer than PM10 (2)
  CHECK(nearest_name("x", cols).empty());
  const std::vector<std::string_view> views{"nx", "ny"};
  CHECK(nearest_name("nz", views) == "nx");  // tie at distance 1: the earlier candidate
}

TEST_CASE("TOML syntax errors name file, line and column", "[config]") {
  const Error e = error_of([] { parse_toml_string("a = 1\nb = = 2\n", "bad.toml"); });
  CHECK(e.context().file == "bad.toml");
  CHECK(e.context().line == 2);
  CHECK_THAT(e.context().where, Catch::StartsWith("column "));
  CHECK_THAT(std::string(e.what()), Catch::StartsWith("bad.toml:2: column"));

  const test::TempDir dir;
  const std::string path = dir.write("broken.toml", "[grid]\nnx = 4\nny = [1, 2\n");
  const Error f = error_of([&] { parse_toml_file(path); });
  CHECK(f.context().file == path);
  CHECK(f.context().line >= 3);
  const Error g = error_of([&] { parse_toml_file(path + ".missing"); });
  CHECK_THAT(std::string(g.what()), Catch::Contains("cannot open"));
  CHECK_THAT(std::string(g.what()), Catch::Contains("broken.toml.missing"));
  // A good file parses.
  const std::string ok = dir.write("ok.toml", "x = 3\n");
  CHECK(TomlSection(parse_toml_file(ok), ok).require<int>("x") == 3);
}

TEST_CASE("typed reads: defaults, required keys, type mismatches", "[config]") {
  const TomlDocument doc = parse_toml_string(
      "name = \"demo\"\n"        // 1
      "[grid]\n"                 // 2
      "nx = 40\n"                // 3
      "dx = 3000\n"              // 4
      "dy = 2500.5\n"            // 5
      "ny = \"30\"\n"            // 6
      "big = 3000000000\n"       // 7
      "frac = 1.5\n"             // 8
      "flag = true\n"            // 9
      "tops = [50, 100, \"x\"]\n",  // 10
      "case.toml");
  const TomlSection root(doc, "case.toml");
  CHECK(root.require<std::string>("name") == "demo");
  CHECK(root.get("missing", 7) == 7);
  CHECK(root.get("missing", "fallback") == "fallback");
  CHECK_FALSE(root.get_optional<double>("missing").has_value());

  const TomlSection grid = root.require_table("grid");
  CHECK(grid.path() == "grid");
  CHECK(grid.line() == 2);
  CHECK(grid.require<int>("nx") == 40);
  CHECK(grid.require<double>("dx") == 3000.0);  // an integer is accepted as a number
  CHECK(grid.require<double>("dy") == 2500.5);
  CHECK(grid.require<long long>("big") == 3000000000LL);
  CHECK(grid.require<bool>("flag"));
  CHECK(grid.line_of("dy") == 5);

  Error e = error_of([&] { (void)grid.require<int>("ny"); });
  CHECK(e.context().file == "case.toml");
  CHECK(e.context().line == 6);
  CHECK(e.context().where == "grid.ny");
  CHECK(e.message() == "expected an integer, found a string (\"30\")");
  CHECK(std::string(e.what()) == "case.toml:6: grid.ny: expected an integer, found a string (\"30\")");

  e = error_of([&] { (void)grid.require<int>("big"); });
  CHECK(e.context().line == 7);
  CHECK_THAT(e.message(), Catch::Contains("between -2147483648 and 2147483647"));
  e = error_of([&] { (void)grid.get("frac", 1); });
  CHECK(e.context().line == 8);
  CHECK(e.message() == "expected an integer, found a floating-point number (1.5)");
  e = error_of([&] { (void)grid.require<std::string>("flag"); });
  CHECK(e.message() == "expected a string, found a boolean (true)");

  e = error_of([&] { (void)grid.require<double>("x0"); });
  CHECK(e.message() == "missing required key 'x0' in [grid]");
  CHECK(e.context().line == 2);  // the [grid] header
  e = error_of([&] { (void)root.require_table("period"); });
  CHECK(e.message() == "missing required key 'period' in the top level");

  // Arrays: element errors name the index and the element's line.
  e = error_of([&] { (void)grid.require_array<double>("tops"); });
  CHECK(e.context().where == "grid.tops[2]");
  CHECK(e.context().line == 10);
  CHECK(e.message() == "expected a number, found a string (\"x\")");
  CHECK(root.get_array<int>("absent", {1, 2}) == std::vector<int>{1, 2});
  e = error_of([&] { (void)grid.require_array<int>("nx"); });
  CHECK(e.message() == "expected an array, found an integer (40)");
  e = error_of([&] { (void)root.table("name"); });
  CHECK(e.message() == "expected a table, found a string (\"demo\")");
}

TEST_CASE("unknown keys are rejected with the nearest valid key and the line", "[config]") {
  const TomlDocument doc = parse_toml_string("[warning]\nissue_hour = 16\nhorizn = 72\n", "rules.toml");
  const auto warning = TomlSection(doc, "rules.toml").require_table("warning");
  const Error e = error_of([&] { warning.reject_unknown({"issue_hour", "horizon", "levels"}); });
  CHECK(e.context().line == 3);
  CHECK_THAT(std::string(e.what()),
             Catch::StartsWith("rules.toml:3: unknown key 'horizn' in [warning] (did you mean 'horizon'?)"));
  CHECK_THAT(e.message(), Catch::EndsWith("valid keys: issue_hour, horizon, levels"));
  CHECK_NOTHROW(warning.reject_unknown({"issue_hour", "horizn"}));

  // No plausible suggestion: no "did you mean".
  const TomlDocument d2 = parse_toml_string("a = 1\nzzzzzz = 2\n", "x.toml");
  const Error f = error_of([&] { TomlSection(d2, "x.toml").reject_unknown({"a", "horizon"}); });
  CHECK(f.message() == "unknown key 'zzzzzz' in the top level; valid keys: a, horizon");
  CHECK(f.context().line == 2);
}

TEST_CASE("arrays of tables and inline tables keep paths and line numbers", "[config]") {
  const TomlDocument doc = parse_toml_string(kRules, "rules.toml");
  const TomlSection root(doc, "rules.toml");
  root.reject_unknown({"aqi", "warning"});
  CHECK(root.require_table("aqi").require_array<std::string>("required") == std::vector<std::string>{"PM2.5"});
  const TomlSection warning = *root.table("warning");
  CHECK(warning.keys() == std::vector<std::string>{"issue_hour", "horizon", "levels"});  // document order
  const std::vector<TomlSection> levels = warning.array_of_tables("levels");
  REQUIRE(levels.size() == 2);
  CHECK(levels[0].path() == "warning.levels[0]");
  CHECK(levels[0].line() == 8);
  CHECK(levels[1].line() == 13);
  CHECK(levels[1].require<std::string>("name") == "red");

  const std::vector<TomlSection> yellow = levels[0].array_of_tables("any_of");
  REQUIRE(yellow.size() == 2);
  CHECK(yellow[1].path() == "warning.levels[0].any_of[1]");
  CHECK(yellow[0].line() == 10);
  CHECK(yellow[1].line() == 11);
  CHECK(yellow[1].require<int>("above") == 150);
  CHECK(yellow[1].require<int>("hours") == 48);
  CHECK_FALSE(yellow[1].get_optional<int>("and_block_above").has_value());

  const std::vector<TomlSection> red = levels[1].array_of_tables("any_of");
  REQUIRE(red.size() == 1);
  CHECK(red[0].get_optional<int>("and_block_above") == 300);
  const Error e = error_of([&] { red[0].fail("and_block_above", "expected at most 500, found 300"); });
  CHECK(std::string(e.what()) ==
        "rules.toml:16: warning.levels[1].any_of[0].and_block_above: expected at most 500, found 300");
  const Error u = error_of([&] { red[0].reject_unknown({"above", "hours", "and_block_abov"}); });
  CHECK(u.context().line == 16);
  CHECK_THAT(u.message(), Catch::Contains("in [warning.levels[1].any_of[0]] (did you mean 'and_block_abov'?)"));

  // An element that is not a table is named with its index.
  const TomlDocument bad = parse_toml_string("any_of = [{above = 1}, 5]\n", "r.toml");
  const Error b = error_of([&] { (void)TomlSection(bad, "r.toml").array_of_tables("any_of"); });
  CHECK(b.context().where == "any_of[1]");
  CHECK(b.message() == "expected a table, found an integer (5)");
  CHECK(TomlSection(bad, "r.toml").array_of_tables("nothing").empty());
}

TEST_CASE("SourceMap records the line of every key path", "[config]") {
  const TomlDocument doc = parse_toml_string(kRules, "rules.toml");
  const SourceMap src(doc, "rules.toml");
  CHECK(src.line("warning.horizon") == 6);
  CHECK(src.line("warning.levels[1].name") == 14);
  CHECK(src.line("warning.levels[0].any_of[1].hours") == 11);
  CHECK(src.line("no.such.key") == 0);
  const ErrorContext c = src.context("warning.issue_hour");
  CHECK(c.file == "rules.toml");
  CHECK(c.line == 5);
  CHECK(c.where == "warning.issue_hour");
}
