// End-to-end: a run whose result would be absurd stops with a named error, exits non-zero,
// publishes nothing (no output folder, no DIR.tmp-* folder) and leaves the case untouched
// (issue 18, "Never destroy what the user gave").
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "apps/cli_support.hpp"
#include "core/demo_case.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

/// Every regular file under `dir` (relative path → content).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read_text(e.path().string());
  return files;
}

}  // namespace

TEST_CASE("lantian run with a 1e300 inflow exits non-zero, names it, and publishes nothing", "[cli][run][checks]") {
  TempDir d;
  // A copy of the demo city folder (and the rules its case refers to), 6 hours on the coarse
  // grid, with a constant inflow of 1e300 µg/m³ PPM25 instead of its boundary file.
  const fs::path src = fs::path(LANTIAN_SOURCE_DIR) / "examples";
  fs::copy(src / "demo-city", d.path() / "demo-city", fs::copy_options::recursive);
  fs::copy(src / "rules", d.path() / "rules", fs::copy_options::recursive);
  const std::string case_file = d / "demo-city/case.toml";
  std::string text = read_text(case_file);
  text = std::regex_replace(text, std::regex("hours = 72"), "hours = 6");
  text = std::regex_replace(text, std::regex("nx = 80"), "nx = 20");
  text = std::regex_replace(text, std::regex("ny = 80"), "ny = 20");
  text = std::regex_replace(text, std::regex("dx = 1000\\.0"), "dx = 4000.0");
  text = std::regex_replace(text, std::regex("dy = 1000\\.0"), "dy = 4000.0");
  text = std::regex_replace(text, std::regex("boundary_file = \"boundary.csv\"\n"), "");
  text += "\n[model.inflow]\nPPM25 = 1e300\n";
  write_text(case_file, text);
  const auto before = snapshot(d.path() / "demo-city");

  for (const std::string flags : {" --no-scenarios", ""}) {
    const RunResult r =
        run_lantian("run " + shell_quote(case_file) + " --out " + shell_quote(d / "out") + " -q" + flags, d);
    INFO(flags << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.status != 0);
    // Refused at reading ([model.inflow] plausibility) or, as the second line of defence, by the
    // model's state check after the pass that carried it in: either way PPM25 is named, and no
    // summary claims a budget.
    CHECK_THAT(r.err, Contains("PPM25"));
    CHECK_THAT(r.out, !Contains("largest hourly residual"));
    CHECK_FALSE(fs::exists(d.path() / "out"));
    for (const auto& e : fs::directory_iterator(d.path()))
      CHECK_FALSE(e.path().filename().string().starts_with("out"));  // no out.tmp-* left behind
  }
  CHECK(snapshot(d.path() / "demo-city") == before);  // the case folder byte for byte
}
