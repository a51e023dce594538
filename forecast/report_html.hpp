#pragma once
// The consultation report as one self-contained HTML file: report/template.html with the
// vendored Apache ECharts (report/node_modules/echarts/dist/echarts.min.js, installed by
// `npm ci` from report/package-lock.json) and the report model (forecast/report_model.hpp)
// inlined, so that the file opens offline. The model goes into a
// <script type="application/json" id="report-data"> block with '<', '>' and '&' written as
// \u003c, \u003e, \u0026 (it can never close the block); the template renders every string
// with textContent, never as HTML.
#include <string>

#include "core/output_folder.hpp"

namespace lantian {

/// Where the template and the chart library are found.
struct ReportAssets {
  std::string template_html;  ///< report/template.html
  std::string echarts_js;     ///< echarts.min.js
  /// Default: $LANTIAN_REPORT_DIR when set, else the source tree's report/ folder (compiled in).
  static ReportAssets locate();
  /// Throws lantian::Error naming the missing file (and `npm ci` for the chart library).
  void check() const;
  /// Whether both files exist.
  bool available() const;
};

/// `json` with '<', '>', '&' (and U+2028/U+2029) replaced by their \u escapes: valid JSON with
/// the same value, safe inside a <script> block.
std::string escape_json_for_script(const std::string& json);

/// The HTML text: `template_text` with the markers /*@ECHARTS@*/ and @REPORT_DATA@ replaced by
/// the library and the escaped model, and @TITLE@ by the HTML-escaped title. Throws
/// lantian::Error when a marker is missing.
std::string render_report_html(const std::string& template_text, const std::string& echarts_js,
                               const std::string& model_json, const std::string& title);

/// What every report carries in its <head> (report/template.html): how `--force` recognises a
/// report lantian wrote.
inline constexpr const char* kReportSignature = "<meta name=\"generator\" content=\"lantian report\">";

/// Reads the assets and writes the report to `out.path` under the output rule of
/// core/output_folder.hpp (a temporary file renamed into place; an existing file only with
/// `force` and only when it is a lantian report; never an input).
void write_report_html(const OutputRequest& out, const std::string& model_json, const std::string& title,
                       const ReportAssets& assets = ReportAssets::locate());

}  // namespace lantian
