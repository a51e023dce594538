// End-to-end tests of `lantian report` (the consultation report as one HTML file): the file is
// self-contained (the chart library inlined, no network reference), user strings are escaped,
// errors name what is missing, and, in Debian's headless Chromium, every chart renders with no
// console error and the enterprise named <script>alert(1)</script> shows as text.
// Skipped (exit code 4, ctest SKIP_RETURN_CODE) when report/node_modules (`npm ci`) or chromium
// is absent.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "apps/cli_support.hpp"
#include "forecast/report_fixture.hpp"

using namespace lantian::test;
using Catch::Matchers::Contains;

namespace {

constexpr const char* kEvil = "<script>alert(1)</script>";

bool echarts_installed() {
  const char* env = std::getenv("LANTIAN_REPORT_DIR");
  const std::string dir = env && *env ? env : std::string(LANTIAN_SOURCE_DIR) + "/report";
  return std::filesystem::exists(dir + "/node_modules/echarts/dist/echarts.min.js");
}

void skip_without_echarts() {
  if (!echarts_installed()) {
    WARN("skipped: report/node_modules/echarts is absent: run `npm ci` in report/ (scripts/setup.sh)");
    std::exit(4);
  }
}

std::string chromium_binary() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return {};
}

/// The value of attribute `name` on the <body> of a dumped DOM, empty when absent.
std::string body_attr(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("<body[^>]*\\s" + name + "=\"([^\"]*)\""))) return m[1];
  return {};
}

}  // namespace

TEST_CASE("lantian report writes one self-contained HTML file with the data escaped", "[cli][report]") {
  skip_without_echarts();
  TempDir d;
  const std::string case_file = report::write_fixture(d.path(), 26, kEvil, false);
  const RunResult r = run_lantian("report " + shell_quote(d / "run") + " --case " + shell_quote(case_file) +
                                      " --option half --no-stagnation",
                                  d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("report.html"));
  const std::string html = read_text(d / "run/report.html");
  CHECK(html.size() > 1000000u);  // echarts.min.js is inlined
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);  // no external stylesheet either
  CHECK(html.find(kEvil) == std::string::npos);  // only as \u003cscript\u003e... in the data block
  CHECK_THAT(html, Contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
  CHECK_THAT(html, Contains("<script type=\"application/json\" id=\"report-data\">{"));
}

TEST_CASE("lantian report names what is missing", "[cli][report]") {
  TempDir d;
  const RunResult none = run_lantian("report " + shell_quote(d / "absent"), d);
  CHECK(none.status == 1);
  CHECK_THAT(none.err, Contains("lantian run"));
  const std::string case_file = report::write_fixture(d.path(), 24, "Plain", false);
  const RunResult no_case = run_lantian("report " + shell_quote(d / "run"), d);  // no fields.nc names the case
  CHECK(no_case.status == 1);
  CHECK_THAT(no_case.err, Contains("--case"));
  std::filesystem::remove(d.path() / "run/scenario_series.csv");
  const RunResult no_series = run_lantian("report " + shell_quote(d / "run") + " --case " + shell_quote(case_file), d);
  CHECK(no_series.status == 1);
  CHECK_THAT(no_series.err, Contains("scenario_series.csv"));
}

TEST_CASE("the report renders in headless Chromium: every chart, no console error, names as text",
          "[cli][report][browser]") {
  skip_without_echarts();
  const std::string chromium = chromium_binary();
  if (chromium.empty()) {
    WARN("skipped: Debian's chromium is not installed (scripts/setup.sh installs it)");
    std::exit(4);
  }
  TempDir d;
  const std::string case_file = report::write_fixture(d.path(), 26, kEvil, true);
  const bool has_map = std::filesystem::exists(d.path() / "run/fields.nc");
  // No --case: with fields.nc the case comes from its history attribute.
  const RunResult r = run_lantian("report " + shell_quote(d / "run") + (has_map ? "" : " --case " + shell_quote(case_file)) +
                                      " --out " + shell_quote(d / "report.html"),
                                  d);
  INFO(r.err);
  REQUIRE(r.status == 0);

  const std::string url = "file://" + (d / "report.html");
  const std::string flags = "--headless --disable-gpu --no-sandbox --no-first-run --disable-extensions "
                            "--user-data-dir=" + shell_quote(d / "profile") +
                            " --virtual-time-budget=10000 --enable-logging=stderr --v=0 ";
  const std::string dump = "timeout 180 " + shell_quote(chromium) + " " + flags + "--dump-dom " + shell_quote(url) + " >" +
                           shell_quote(d / "dom.html") + " 2>" + shell_quote(d / "chromium.log");
  REQUIRE(std::system(dump.c_str()) == 0);
  const std::string dom = read_text(d / "dom.html"), log = read_text(d / "chromium.log");
  INFO(log.substr(0, 4000));

  const std::string charts = body_attr(dom, "data-charts"), rendered = body_attr(dom, "data-rendered");
  REQUIRE_FALSE(charts.empty());
  // Station PM2.5, station AQI, options, ranking, and the map when fields.nc exists.
  CHECK(std::stoi(charts) == (has_map ? 5 : 4));
  CHECK(rendered == charts);
  const std::string sizes = body_attr(dom, "data-canvas-sizes");
  CHECK_FALSE(sizes.empty());
  CHECK(sizes.find("0x") == std::string::npos);
  CHECK(sizes.find("x0 ") == std::string::npos);
  CHECK_THAT(dom, Contains("id=\"errors\" data-count=\"0\""));
  CHECK(log.find("Uncaught") == std::string::npos);
  CHECK(log.find(":ERROR:CONSOLE") == std::string::npos);
  // The enterprise name is text in the tables (serialised escaped), never markup.
  CHECK_THAT(dom, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(dom.find(kEvil) == std::string::npos);
  CHECK_THAT(dom, Contains("会商报告"));
  // Issue 13: the task list of each option (collapsible, with its description in words) and
  // seed 004's forms complete: the four sign-off sections, annex 6, the follow-up's day N.
  CHECK_THAT(dom, Contains("红色预警一厂一策：1 家企业 2 条生产线停产或限产，另施工停工"));
  CHECK_THAT(dom, Contains("<details class=\"tasks\""));
  CHECK_THAT(dom, Contains("限产至 50%"));
  CHECK_THAT(dom, Contains("市重污染天气应急指挥部办公室"));
  CHECK_THAT(dom, Contains("专家组会商建议"));
  CHECK_THAT(dom, Contains("应急响应统计表"));
  CHECK_THAT(dom, Contains("第 2 天"));

  // A screenshot beside the build, kept for a person to look at.
  const std::string png = std::string(LANTIAN_BINARY_DIR) + "/test-artifacts/report.png";
  std::filesystem::create_directories(std::string(LANTIAN_BINARY_DIR) + "/test-artifacts");
  const std::string shot = "timeout 180 " + shell_quote(chromium) + " " + flags + "--window-size=1400,4000 --screenshot=" +
                           shell_quote(png) + " " + shell_quote(url) + " >/dev/null 2>&1";
  REQUIRE(std::system(shot.c_str()) == 0);
  REQUIRE(std::filesystem::exists(png));
  CHECK(std::filesystem::file_size(png) > 20000u);
}
