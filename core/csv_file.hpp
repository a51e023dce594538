#pragma once
// The one CSV reader of the input files (inventory CSVs, station observations): the whole file
// in memory, RFC 4180 quoting (quoted fields may hold commas, doubled quotes and newlines, and
// are unescaped in place, so every field is a view into the buffer: no copy per field), a UTF-8
// byte-order mark skipped, CRLF or LF line ends, blank lines skipped, physical line numbers in
// every error. Optionally '#' lines: "# key: value" directives before the header (e.g.
// "# unit: t/yr") and comment lines after it. Columns are found by name (ASCII case-insensitive).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace lantian {

/// How a CsvFile reads its text.
struct CsvOptions {
  /// '#' at the start of a line: a directive before the header, a comment after it. Off: '#' is
  /// data like any other character (e.g. a station named "#3").
  bool comments = true;
  /// Throw, at the header line, on an empty or a duplicate (ASCII case-insensitive) column name.
  /// Off: the caller checks the names itself.
  bool unique_columns = true;
  /// Completes "empty file: expected ..." when there is no header line.
  std::string_view header_hint = "a header line with column names";
};

class CsvFile {
 public:
  /// Reads `path` and its header. Throws lantian::Error naming the file when it is a folder,
  /// cannot be read, or is empty, and (with options.unique_columns) on an empty or duplicate
  /// column name.
  explicit CsvFile(std::string path, const CsvOptions& options = {});
  /// Parses `text` as if read from a file named `source`.
  CsvFile(std::string text, std::string source, const CsvOptions& options = {});

  const std::string& source() const noexcept { return source_; }
  /// Value of a "# key: value" directive before the header, nullopt when absent.
  std::optional<std::string> directive(std::string_view key) const;
  /// Column names as written in the header, blanks trimmed.
  const std::vector<std::string>& columns() const noexcept { return columns_; }
  /// Index of a column, -1 when absent.
  int column(std::string_view name) const noexcept;
  /// 1-based line of the header.
  long header_line() const noexcept { return header_line_; }
  /// Throws, at the header line, on a column not in `allowed` (suggesting the nearest) and on a
  /// missing column of `required`.
  void check_columns(std::span<const std::string_view> required, std::span<const std::string_view> allowed) const;

  /// Advances to the next record; false at the end. A record whose field count differs from the
  /// header throws, naming the first missing or the first extra column.
  bool next();
  /// Field `col` of the current record, blanks trimmed; "" when col < 0. Inline: the
  /// observations reader calls it for every cell of ~420,000 rows.
  std::string_view field(int col) const noexcept {
    if (col < 0 || static_cast<std::size_t>(col) >= fields_.size()) return {};
    return trim(fields_[static_cast<std::size_t>(col)], kBlanks, kTrailing);
  }
  /// 1-based line where the current record starts.
  long line() const noexcept { return line_; }
  /// {file, line, "column N (name)"} for the current record; {file, line, ""} when col < 0.
  ErrorContext context(int col) const;
  /// Throws Error(context(col), message).
  [[noreturn]] void fail(int col, const std::string& message) const;

  /// The field as a finite number; `blank` when empty (nullopt: a blank is an error).
  /// Errors say "expected <what>, found '...'".
  double number(int col, std::string_view what, std::optional<double> blank = std::nullopt) const;
  /// The field as a boolean: true/false, yes/no, 1/0 (case-insensitive); `blank` when empty.
  bool boolean(int col, bool blank) const;

 private:
  /// Trimmed around fields, header names and directives: blanks, and a '\r' left at a line end.
  static constexpr std::string_view kBlanks = " \t";
  static constexpr std::string_view kTrailing = " \t\r";

  void init();
  bool next_record(std::vector<std::string_view>& fields, long& line);

  std::string buf_;
  std::string source_;
  CsvOptions options_;
  std::size_t pos_ = 0;
  long next_line_ = 1;
  long line_ = 0;
  long header_line_ = 0;
  std::vector<std::string> columns_;
  std::vector<std::pair<std::string, std::string>> directives_;
  std::vector<std::string_view> fields_;
};

/// One text cell of a CSV that lantian writes: quoted per RFC 4180 when it holds a comma, a quote
/// or a line break, and neutralised when a spreadsheet would evaluate it as a formula (OWASP "CSV
/// injection"): a cell starting with '=', '+', '-', '@', a tab or a carriage return gets a leading
/// apostrophe, which spreadsheets show as text, unless the whole cell is a number ("-3.5" is not a
/// formula; "-2+3" is). For names and ids; numbers are written as they are.
std::string csv_text(std::string_view s);

}  // namespace lantian
