#pragma once
// TOML configuration at the edge (STYLE.md 12): parse a file once, read it into plain structs
// through TomlSection, which turns every mistake into a lantian::Error naming the file, the
// line, the key path and what was expected versus found. Unknown keys are rejected with the
// nearest valid key suggested.
//
// Typical use (a rules file with [aqi], [warning] and [[warning.levels]]):
//
//   const TomlDocument doc = parse_toml_file(path);
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
// A TomlSection shares the document it was made from, so it stays valid after the TomlDocument
// handle is gone. toml++ stays in config.cpp: no header of lantian includes it.
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lantian {

/// A parsed TOML document (toml++'s table, held in config.cpp). Immutable and cheap to copy:
/// copies, and the TomlSections made from it, share one parsed tree.
class TomlDocument {
 public:
  /// An empty document.
  TomlDocument();

 private:
  friend class TomlSection;
  friend class SourceMap;
  friend TomlDocument parse_toml_string(std::string_view text, const std::string& source);
  struct Parsed;  // the toml::table (config.cpp)
  explicit TomlDocument(std::shared_ptr<const Parsed> parsed) : parsed_(std::move(parsed)) {}
  std::shared_ptr<const Parsed> parsed_;
};

/// Reads and parses a TOML file. An unreadable file throws Error{path}; a syntax error throws
/// Error{path, line, "column N"} with toml++'s description.
TomlDocument parse_toml_file(const std::string& path);

/// Parses TOML text; `source` names it in error messages (a file name or "<string>").
TomlDocument parse_toml_string(std::string_view text, const std::string& source = "<string>");

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

/// The type of a TOML value; `none` for a key that is absent.
enum class TomlKind { none, table, array, string, integer, floating_point, boolean, date, time, date_time };

/// Human name of a TOML value's type: "an integer", "a floating-point number", "a string",
/// "a boolean", "a table", "an array", "a date", "a time", "a date-time" ("nothing" for none).
std::string toml_type_name(TomlKind kind);

/// The line of every key of a parsed document, by the same dotted key paths TomlSection uses
/// ("grid.nx", "stations[2].lat", 0-based array indices), so that a validate() run after
/// loading can still name the file and line of a bad value.
class SourceMap {
 public:
  SourceMap() = default;
  SourceMap(const TomlDocument& doc, std::string file);

  const std::string& file() const noexcept { return file_; }
  /// 1-based line of the value at key_path, 0 when unknown.
  long line(std::string_view key_path) const;
  /// {file, line(key_path), key_path}.
  ErrorContext context(std::string_view key_path) const;

 private:
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
  /// The root table of `doc`. `file` names the source in errors; `path` is the dotted key path
  /// of this table ("" for the document root, "grid", "warning.levels[0]").
  TomlSection(const TomlDocument& doc, std::string file, std::string path = "");

  const std::string& file() const noexcept { return file_; }
  const std::string& path() const noexcept { return path_; }
  /// "[grid]", "[warning.levels[0]]", or "the top level" for the root.
  std::string display_name() const;
  /// 1-based line where this table starts (its [header] or inline '{'), 0 when unknown.
  long line() const noexcept;

  bool contains(std::string_view key) const;
  /// The type of the value at key, TomlKind::none when absent.
  TomlKind kind(std::string_view key) const;
  /// Keys of this table, in document order.
  std::vector<std::string> keys() const;

  /// The value at key; a missing key throws "missing required key 'k' in [section]".
  template <class T>
  T require(std::string_view key) const {
    T out{};
    read_value(key, true, out);
    return out;
  }
  /// The value at key, or `fallback` when absent. A present value of the wrong type throws.
  template <class T>
  T get(std::string_view key, T fallback) const {
    read_value(key, false, fallback);
    return fallback;
  }
  /// The value at key, or nullopt when absent. A present value of the wrong type throws.
  template <class T>
  std::optional<T> get_optional(std::string_view key) const {
    T out{};
    if (!read_value(key, false, out)) return std::nullopt;
    return out;
  }
  /// `std::string get(key, "literal")` without spelling the type.
  std::string get(std::string_view key, const char* fallback) const { return get<std::string>(key, fallback); }

  /// An array of values, e.g. `layer_tops = [50, 100, 200]`. Element errors name "key[i]" and
  /// the element's line. require_array: a missing key throws; get_array: absent -> fallback.
  template <class T>
  std::vector<T> require_array(std::string_view key) const {
    std::vector<T> out;
    read_values(key, true, out);
    return out;
  }
  template <class T>
  std::vector<T> get_array(std::string_view key, std::vector<T> fallback = {}) const {
    std::vector<T> out;
    if (!read_values(key, false, out)) return fallback;
    return out;
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
  /// A sub-table of the same document; `table` points to its toml::table.
  TomlSection(std::shared_ptr<const TomlDocument::Parsed> doc, const void* table, std::string file, std::string path);

  // One overload per supported type: reads the value at key into `out` and returns true, or
  // returns false when the key is absent (throws "missing required key" when `required`).
  bool read_value(std::string_view key, bool required, bool& out) const;
  bool read_value(std::string_view key, bool required, int& out) const;
  bool read_value(std::string_view key, bool required, long& out) const;
  bool read_value(std::string_view key, bool required, long long& out) const;
  bool read_value(std::string_view key, bool required, double& out) const;
  bool read_value(std::string_view key, bool required, std::string& out) const;
  // The same for arrays; element errors name "key[i]".
  bool read_values(std::string_view key, bool required, std::vector<bool>& out) const;
  bool read_values(std::string_view key, bool required, std::vector<int>& out) const;
  bool read_values(std::string_view key, bool required, std::vector<long>& out) const;
  bool read_values(std::string_view key, bool required, std::vector<long long>& out) const;
  bool read_values(std::string_view key, bool required, std::vector<double>& out) const;
  bool read_values(std::string_view key, bool required, std::vector<std::string>& out) const;
  // Their one implementation (config.cpp).
  template <class T>
  bool read_one(std::string_view key, bool required, T& out) const;
  template <class T>
  bool read_many(std::string_view key, bool required, std::vector<T>& out) const;

  std::shared_ptr<const TomlDocument::Parsed> doc_;  // keeps the tree alive
  const void* table_;                               // the toml::table of this section
  std::string file_;
  std::string path_;
};

}  // namespace lantian
