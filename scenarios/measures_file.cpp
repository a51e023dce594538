// The measure files (措施文件) of scenarios/measures.hpp: the 一厂一策 line plans (plans.csv) and
// the measures implemented during an episode (成效评估), read as CSV with errors naming the file,
// the line and the column.
#include "scenarios/measures.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>

#include "core/config.hpp"
#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace lantian {

namespace {

/// The whole text of a file; an unreadable file or a folder throws Error{path}.
std::string read_text_file(const std::string& path) {
  LANTIAN_CHECK(!std::filesystem::is_directory(path), (ErrorContext{path, 0, ""}), "expected a file, found a folder");
  std::ifstream in(path, std::ios::binary);
  LANTIAN_CHECK(in.good(), (ErrorContext{path, 0, ""}), "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Line plans (一厂一策, plans.csv)

LinePlans parse_line_plans(std::string text, const std::string& source, const emissions::Inventory& inv) {
  CsvFile csv(std::move(text), source);
  static constexpr std::array<std::string_view, 5> kRequired{"line", "enterprise", "yellow", "orange", "red"};
  static constexpr std::array<std::string_view, 6> kAllowed{"line", "enterprise", "yellow", "orange", "red", "note"};
  csv.check_columns(kRequired, kAllowed);
  const int c_line = csv.column("line"), c_ent = csv.column("enterprise");
  const std::array<int, 3> c_level{csv.column("yellow"), csv.column("orange"), csv.column("red")};
  LinePlans out = LinePlans::none(inv);
  out.file = source;
  std::map<std::string, std::size_t, std::less<>> line_index;
  std::vector<std::string> line_ids;
  for (std::size_t l = 0; l < inv.lines.size(); ++l) {
    line_index.emplace(inv.lines[l].id, l);
    line_ids.push_back(inv.lines[l].id);
  }
  std::vector<long> seen(inv.lines.size(), 0);
  while (csv.next()) {
    const std::string_view id = csv.field(c_line);
    const auto it = line_index.find(id);
    if (it == line_index.end()) {
      const std::string near = nearest_name(id, line_ids);
      csv.fail(c_line, "unknown production line " + quote_text(id) + " (not in lines.csv)" +
                           (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    const std::size_t l = it->second;
    if (seen[l] != 0) csv.fail(c_line, "line " + quote_text(id) + " is planned twice (first at line " + std::to_string(seen[l]) + ")");
    seen[l] = csv.line();
    const auto& owner = inv.enterprises[inv.lines[l].enterprise];
    if (csv.field(c_ent) != owner.id)
      csv.fail(c_ent, "line " + quote_text(id) + " belongs to enterprise '" + owner.id + "', found " + quote_text(csv.field(c_ent)));
    std::array<Action, 3> actions{};
    for (std::size_t k = 0; k < 3; ++k) {
      std::string why;
      const auto a = parse_action(csv.field(c_level[k]), false, why);
      if (!a) csv.fail(c_level[k], why);
      actions[k] = *a;
    }
    out.line[l] = actions;
    out.enterprise_has_plan[inv.lines[l].enterprise] = true;
  }
  return out;
}

LinePlans read_line_plans(const std::string& path, const emissions::Inventory& inv) {
  return parse_line_plans(read_text_file(path), path, inv);
}

// ---------------------------------------------------------------------------------------------
// Implemented measures (成效评估)

std::vector<CustomMeasure> parse_implemented_measures(std::string text, const std::string& source,
                                                      const emissions::Inventory& inv, const TimeZone& zone) {
  CsvFile csv(std::move(text), source);
  static constexpr std::array<std::string_view, 4> kRequired{"enterprise", "start", "end", "load"};
  static constexpr std::array<std::string_view, 6> kAllowed{"enterprise", "line", "start", "end", "load", "note"};
  csv.check_columns(kRequired, kAllowed);
  const int c_ent = csv.column("enterprise"), c_line = csv.column("line"), c_start = csv.column("start"),
            c_end = csv.column("end"), c_load = csv.column("load");
  std::vector<std::string> ent_ids;
  for (const auto& e : inv.enterprises) ent_ids.push_back(e.id);
  std::vector<CustomMeasure> out;
  while (csv.next()) {
    const std::string ent(csv.field(c_ent));
    const auto e = inv.find_enterprise(ent);
    if (!e) {
      const std::string near = nearest_name(ent, ent_ids);
      csv.fail(c_ent, "unknown enterprise " + quote_text(ent) + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    CustomMeasure m;
    const std::string line(csv.field(c_line));
    if (line.empty()) {
      m.target = {TargetKind::enterprise, {ent}};
    } else {
      std::vector<std::string> ids;
      bool found = false;
      for (const auto& l : inv.lines)
        if (l.enterprise == *e) {
          ids.push_back(l.id);
          found = found || l.id == line;
        }
      if (!found) {
        const std::string near = nearest_name(line, ids);
        csv.fail(c_line, "enterprise '" + ent + "' has no production line " + quote_text(line) +
                             (near.empty() ? "" : " (did you mean '" + near + "'?)"));
      }
      m.target = {TargetKind::line, {line}};
    }
    auto time_at = [&](int col) {
      try {
        return parse_time(csv.field(col), zone);
      } catch (const Error& err) {
        csv.fail(col, err.message());
      }
    };
    m.start = time_at(c_start);
    m.end = time_at(c_end);
    if (*m.end <= *m.start)
      csv.fail(c_end, "expected an end after the start (" + std::string(csv.field(c_start)) + "), found " +
                          quote_text(csv.field(c_end)));
    const double load = csv.number(c_load, "a verified load fraction 0-1");
    if (load < 0.0 || load > 1.0)
      csv.fail(c_load, "expected a verified load fraction 0-1 (0 = stopped), found " + quote_text(csv.field(c_load)));
    m.action = {ActionKind::load, load};
    m.include_exempt = true;
    m.name = "implemented " + (line.empty() ? ent : line) + " line " + std::to_string(csv.line());
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<CustomMeasure> read_implemented_measures(const std::string& path, const emissions::Inventory& inv,
                                                     const TimeZone& zone) {
  return parse_implemented_measures(read_text_file(path), path, inv, zone);
}

// ---------------------------------------------------------------------------------------------
// Actions as the measures files write them

std::optional<Action> parse_action(std::string_view text, bool allow_cut, std::string& why) {
  const std::string_view t = trim(text, " \t\r");
  const std::string expected = allow_cut ? "'none', 'stop', 'limit N' or 'cut N' (N in %, 0 < N <= 100)"
                                         : "'none', 'stop' or 'limit N' (N in % of the normal load, 0 < N <= 100)";
  why = "expected " + expected + ", found " + quote_text(text);
  if (iequals(t, "none")) return Action{};
  if (iequals(t, "stop")) return Action{ActionKind::stop, 0.0};
  const std::size_t space = t.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view word = t.substr(0, space);
  std::string_view number = trim(t.substr(space), " \t");
  if (!number.empty() && number.back() == '%') number = trim(number.substr(0, number.size() - 1), " \t");
  ActionKind kind;
  if (iequals(word, "limit"))
    kind = ActionKind::limit;
  else if (iequals(word, "cut") && allow_cut)
    kind = ActionKind::cut;
  else
    return std::nullopt;
  const auto n = parse_finite(number);
  if (!n || *n <= 0.0 || *n > 100.0) return std::nullopt;
  return Action{kind, *n / 100.0};
}

std::string describe(const Action& a) {
  auto pct = [](double v) {
    const double p = v * 100.0;
    std::string s = std::to_string(p);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s + "%";
  };
  switch (a.kind) {
    case ActionKind::none: return "none";
    case ActionKind::stop: return "stop";
    case ActionKind::limit: return "limit " + pct(a.value);
    case ActionKind::cut: return "cut " + pct(a.value);
    case ActionKind::load: return "load " + pct(a.value);
  }
  return "none";
}

}  // namespace lantian
