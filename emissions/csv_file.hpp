#pragma once
// A small CSV reader for the inventory files: the whole file in memory, RFC 4180 quoting
// (quoted fields may hold commas, doubled quotes and newlines), '#' comment lines, directives
// of the form "# key: value" before the header (e.g. "# unit: t/yr"), physical line numbers
// in every error. Columns are found by name (ASCII case-insensitive).
//
// (scenarios/observations.cpp holds a similar splitter; the two are to be merged into core.)
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lantian::emissions {

class CsvFile {
 public:
  /// Reads `path` and its header. Throws lantian::Error naming the file when it cannot be read,
  /// is empty, or has an empty or duplicate column name.
  explicit CsvFile(std::string path);
  /// Parses `text` as if read from a file named `source` (for tests).
  CsvFile(std::string text, std::string source);

  const std::string& source() const noexcept { return source_; }
  /// Value of a "# key: value" directive before the header, nullopt when absent.
  std::optional<std::string> directive(std::string_view key) const;
  /// Column names as written in the header.
  const std::vector<std::string>& columns() const noexcept { return columns_; }
  /// Index of a column, -1 when absent.
  int column(std::string_view name) const noexcept;
  /// Throws, at the header line, on a column not in `allowed` (suggesting the nearest) and on a
  /// missing column of `required`.
  void check_columns(std::span<const std::string_view> required, std::span<const std::string_view> allowed) const;

  /// Advances to the next record; false at the end. A record whose field count differs from the
  /// header throws.
  bool next();
  /// Field `col` of the current record, blanks trimmed; "" when col < 0.
  std::string_view field(int col) const noexcept;
  /// 1-based line where the current record starts.
  long line() const noexcept { return line_; }
  /// {file, line, "column N (name)"} for the current record.
  ErrorContext context(int col) const;
  /// Throws Error(context(col), message).
  [[noreturn]] void fail(int col, const std::string& message) const;

  /// The field as a finite number; `blank` when empty (nullopt: a blank is an error).
  /// Errors say "expected <what>, found '...'".
  double number(int col, std::string_view what, std::optional<double> blank = std::nullopt) const;
  /// The field as a boolean: true/false, yes/no, 1/0 (case-insensitive); `blank` when empty.
  bool boolean(int col, bool blank) const;

 private:
  void init();
  bool next_record(std::vector<std::string_view>& fields, long& line);

  std::string buf_;
  std::string source_;
  std::size_t pos_ = 0;
  long next_line_ = 1;
  long line_ = 0;
  long header_line_ = 0;
  std::vector<std::string> columns_;
  std::vector<std::pair<std::string, std::string>> directives_;
  std::vector<std::string_view> fields_;
};

/// "\"text\"" truncated to 60 characters, for messages.
std::string quote_text(std::string_view text);

}  // namespace lantian::emissions
