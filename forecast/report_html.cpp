#include "forecast/report_html.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/output_folder.hpp"

#ifndef LANTIAN_REPORT_DIR
#define LANTIAN_REPORT_DIR "report"
#endif

namespace lantian {

namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  LANTIAN_CHECK(in.good(), (ErrorContext{path, 0, ""}), "cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

/// Replaces each marker of the template (each exactly once) in one pass over the template
/// text only, so a replacement that happens to hold a marker is left as it is.
std::string fill_markers(const std::string& text, const std::vector<std::pair<std::string, std::string>>& subs) {
  std::vector<std::pair<std::size_t, std::size_t>> at;  // (position, index in subs)
  for (std::size_t k = 0; k < subs.size(); ++k) {
    const auto pos = text.find(subs[k].first);
    LANTIAN_CHECK(pos != std::string::npos && text.find(subs[k].first, pos + 1) == std::string::npos,
                  (ErrorContext{"report/template.html", 0, subs[k].first}),
                  "expected the marker exactly once in the report template");
    at.emplace_back(pos, k);
  }
  std::sort(at.begin(), at.end());
  std::string out;
  std::size_t from = 0;
  for (const auto& [pos, k] : at) {
    out.append(text, from, pos - from);
    out += subs[k].second;
    from = pos + subs[k].first.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

}  // namespace

ReportAssets ReportAssets::locate() {
  const char* env = std::getenv("LANTIAN_REPORT_DIR");
  const fs::path dir = env && *env ? fs::path(env) : fs::path(LANTIAN_REPORT_DIR);
  return {(dir / "template.html").string(), (dir / "node_modules/echarts/dist/echarts.min.js").string()};
}

void ReportAssets::check() const {
  LANTIAN_CHECK(fs::is_regular_file(template_html), (ErrorContext{template_html, 0, ""}),
                "expected the report template (report/template.html; set LANTIAN_REPORT_DIR to its folder)");
  LANTIAN_CHECK(fs::is_regular_file(echarts_js), (ErrorContext{echarts_js, 0, ""}),
                "expected Apache ECharts: run `npm ci` in report/ (scripts/setup.sh does)");
}

bool ReportAssets::available() const { return fs::is_regular_file(template_html) && fs::is_regular_file(echarts_js); }

std::string escape_json_for_script(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' && (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_report_html(const std::string& template_text, const std::string& echarts_js,
                               const std::string& model_json, const std::string& title) {
  // The library text may hold "</script" only inside strings; split it so the block stays closed.
  std::string js = echarts_js;
  for (std::size_t at = js.find("</script"); at != std::string::npos; at = js.find("</script", at + 3))
    js.replace(at, 2, "<\\/");
  return fill_markers(template_text, {{"@TITLE@", html_escape(title)},
                                      {"@REPORT_DATA@", escape_json_for_script(model_json)},
                                      {"/*@ECHARTS@*/", js}});
}

void write_report_html(const OutputRequest& out, const std::string& model_json, const std::string& title,
                       const ReportAssets& assets) {
  assets.check();
  const std::string html = render_report_html(read_all(assets.template_html), read_all(assets.echarts_js), model_json, title);
  LANTIAN_CHECK(html.find(kReportSignature) != std::string::npos, (ErrorContext{assets.template_html, 0, ""}),
                std::string("expected the template to carry ") + kReportSignature);
  write_output_file(out, kReportSignature, [&](std::ostream& os) { os << html; });
}

}  // namespace lantian
