#pragma once
// TOML configuration at the edge (STYLE.md 12): parse a file once, read it into plain structs
// through TomlSection, which turns every mistake into a lantian::Error naming the file, the
// line, the key path and what was expected versus found. Unknown keys are rejected with the
// nearest valid key suggested.
//
// Typical use (a rules file with [aqi], [warning] and [[warning.levels]]):
//
//   const toml::table doc = parse_toml_file(path);
//   const TomlSection root(doc, path);
//   root.reject_unknown({"aqi", "warning"});
//   if (const auto w = root.table("warning")) {
//     w->reject_unknown({"issue_hour", "horizon", "levels"});
//     rules.horizon = w->get("horizon", rules.horizon);            // int, default kept if absent
//     for (const TomlSection& level : w->array_of_tables("levels")) {   // [[warning.levels]]
//       level.reject_unknown({"name", "any_of"});
//       const auto name = level.require<std::string>("name");
//       for (const TomlSection& c : level.array_of_tables("any_of")) {   // [{above=200, hours=24}]
//         c.reject_unknown({"above", "hours", "and_block_above"});
//         const int above = c.require<int>("above");
//         const std::optional<int> block = c.get_optional<int>("and_block_above");
//         if (above <= 0) c.fail("above", "expected a positive AQI, found " + std::to_string(above));
//       }
//     }
//   }
//
// A TomlSection refers to the toml::table it was made from: keep the parsed document alive
// while sections are in use.
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"

namespace lantian {

/// Reads and parses a TOML file. An unreadable file throws Error{path}; a syntax error throws
/// Error{path, line, "column N"} with toml++'s description.
toml::table parse_toml_file(const std::string& path);

/// Parses TOML text; `source` names it in error messages (a file name or "<string>").
toml::table parse_toml_string(std::string_view text, const std::string& source = "<string>");

/// Levenshtein edit distance (insertions, deletions, substitutions), ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `name` by edit_distance, or "" when none is close enough to be a
/// plausible typo (distance at most max(2, |name|/3) and less than |name|). Ties go to the
/// earlier candidate. Used for "did you mean ...?" hints on unknown keys, options, columns.
std::string nearest_name(std::string_view name, std::span<const std::string_view> candidates);
/// \overload
std::string nearest_name(std::string_view name, std::span<const std::string> candidates);
/// \overload
std::string nearest_name(std::string_view name, std::initializer_list<std::string_view> candidates);

/// Human name of a TOML node's type: "an integer", "a floating-point number", "a string",
/// "a boolean", "a table", "an array", "a date", "a time", "a date-time".
std::string toml_type_name(const toml::node& node);

/// The line of every key of a parsed document, by the same dotted key paths TomlSection uses
/// ("grid.nx", "stations[2].lat", 0-based array indices), so that a validate() run after
/// loading can still name the file and line of a bad value.
class SourceMap {
 public:
  SourceMap() = default;
  SourceMap(const toml::table& doc, std::string file);

  const std::string& file() const noexcept { return file_; }
  /// 1-based line of the value at key_path, 0 when unknown.
  long line(std::string_view key_path) const;
  /// {file, line(key_path), key_path}.
  ErrorContext context(std::string_view key_path) const;

 private:
  void add(const toml::node& n, const std::string& path);
  std::string file_;
  std::map<std::string, long, std::less<>> lines_;
};

/// A read-only view of one TOML table (the document root, a [section], an inline table or one
/// element of an array of tables) that knows its file and key path for error messages.
///
/// Supported value types T: bool, int, long, long long, double, std::string. Integers are
/// accepted where a double is expected; a floating-point value where an integer is expected
/// is an error, as is an integer outside the range of T.
class TomlSection {
 public:
  /// `file` names the source in errors; `path` is the dotted key path of this table
  /// ("" for the document root, "grid", "warning.levels[0]").
  TomlSection(const toml::table& table, std::string file, std::string path = "");

  const toml::table& raw() const noexcept { return *table_; }
  const std::string& file() const noexcept { return file_; }
  const std::string& path() const noexcept { return path_; }
  /// "[grid]", "[warning.levels[0]]", or "the top level" for the root.
  std::string display_name() const;
  /// 1-based line where this table starts (its [header] or inline '{'), 0 when unknown.
  long line() const noexcept;

  bool contains(std::string_view key) const;
  /// Keys of this table, in document order.
  std::vector<std::string> keys() const;
  /// The node at key, nullptr when absent.
  const toml::node* node(std::string_view key) const;

  /// The value at key; a missing key throws "missing required key 'k' in [section]".
  template <class T>
  T require(std::string_view key) const {
    T out{};
    read(require_node(key), key, out);
    return out;
  }
  /// The value at key, or `fallback` when absent. A present value of the wrong type throws.
  template <class T>
  T get(std::string_view key, T fallback) const {
    if (const toml::node* n = node(key)) read(*n, key, fallback);
    return fallback;
  }
  /// The value at key, or nullopt when absent. A present value of the wrong type throws.
  template <class T>
  std::optional<T> get_optional(std::string_view key) const {
    const toml::node* n = node(key);
    if (!n) return std::nullopt;
    T out{};
    read(*n, key, out);
    return out;
  }
  /// `std::string get(key, "literal")` without spelling the type.
  std::string get(std::string_view key, const char* fallback) const { return get<std::string>(key, fallback); }

  /// An array of values, e.g. `layer_tops = [50, 100, 200]`. Element errors name "key[i]" and
  /// the element's line. require_array: a missing key throws; get_array: absent -> fallback.
  template <class T>
  std::vector<T> require_array(std::string_view key) const {
    return read_array<T>(require_node(key), key);
  }
  template <class T>
  std::vector<T> get_array(std::string_view key, std::vector<T> fallback = {}) const {
    const toml::node* n = node(key);
    return n ? read_array<T>(*n, key) : fallback;
  }

  /// A sub-table ([section.key] or key = {inline}); nullopt when absent; other types throw.
  std::optional<TomlSection> table(std::string_view key) const;
  /// A sub-table that must be present.
  TomlSection require_table(std::string_view key) const;
  /// An array of tables: [[section.key]] blocks or an array of inline tables
  /// (`any_of = [{above = 200, hours = 24}, ...]`). Absent -> empty. Each element's path is
  /// "section.key[i]" (0-based) and its line() is where the element starts.
  std::vector<TomlSection> array_of_tables(std::string_view key) const;

  /// Throws on the first key not in `allowed` (in document order), e.g.
  /// "case.toml:12: unknown key 'horizn' in [warning] (did you mean 'horizon'?)".
  void reject_unknown(std::initializer_list<std::string_view> allowed) const;
  void reject_unknown(std::span<const std::string_view> allowed) const;

  /// Dotted path of a key in this table ("grid.nx").
  std::string key_path(std::string_view key) const;
  /// Line of the value at key (or of this table when the key is absent), 0 when unknown.
  long line_of(std::string_view key) const;
  /// Error context for a key: {file, line_of(key), key_path(key)}.
  ErrorContext context(std::string_view key) const;
  /// Throws Error(context(key), message): for range checks made while reading.
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const toml::node& require_node(std::string_view key) const;
  [[noreturn]] void type_error(const toml::node& n, const std::string& where, const char* expected) const;

  // One overload per supported type; `where` is the key, or "key[i]" for array elements.
  void read(const toml::node& n, std::string_view where, bool& out) const;
  void read(const toml::node& n, std::string_view where, int& out) const;
  void read(const toml::node& n, std::string_view where, long& out) const;
  void read(const toml::node& n, std::string_view where, long long& out) const;
  void read(const toml::node& n, std::string_view where, double& out) const;
  void read(const toml::node& n, std::string_view where, std::string& out) const;

  const toml::array& as_array(const toml::node& n, std::string_view key) const;

  template <class T>
  std::vector<T> read_array(const toml::node& n, std::string_view key) const {
    const toml::array& a = as_array(n, key);
    std::vector<T> out;
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      T v{};
      read(a[i], std::string(key) + "[" + std::to_string(i) + "]", v);
      out.push_back(std::move(v));
    }
    return out;
  }

  const toml::table* table_;
  std::string file_;
  std::string path_;
};

}  // namespace lantian
