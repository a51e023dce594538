#include "core/csv_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/config.hpp"
#include "core/text.hpp"

namespace lantian {

namespace {

/// The whole of the file at `path`, read in one go.
std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error({path, 0, ""}, "is a folder, expected a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error({path, 0, ""}, std::string("cannot open file: ") + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error({path, 0, ""}, "cannot read file (not a regular file?)");
  in.seekg(0, std::ios::beg);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (size > 0 && !in.read(text.data(), size)) throw Error({path, 0, ""}, "cannot read file");
  return text;
}

}  // namespace

CsvFile::CsvFile(std::string path, const CsvOptions& options)
    : buf_(read_file(path)), source_(std::move(path)), options_(options) {
  init();
}

CsvFile::CsvFile(std::string text, std::string source, const CsvOptions& options)
    : buf_(std::move(text)), source_(std::move(source)), options_(options) {
  init();
}

void CsvFile::init() {
  if (buf_.size() >= 3 && static_cast<unsigned char>(buf_[0]) == 0xEF &&
      static_cast<unsigned char>(buf_[1]) == 0xBB && static_cast<unsigned char>(buf_[2]) == 0xBF)
    pos_ = 3;  // UTF-8 byte-order mark
  // Directives and comments before the header.
  while (options_.comments) {
    while (pos_ < buf_.size() && (buf_[pos_] == '\n' || buf_[pos_] == '\r')) {
      if (buf_[pos_] == '\n') ++next_line_;
      ++pos_;
    }
    if (pos_ >= buf_.size() || buf_[pos_] != '#') break;
    std::size_t end = buf_.find('\n', pos_);
    if (end == std::string::npos) end = buf_.size();
    const std::string_view text = trim(std::string_view(buf_).substr(pos_ + 1, end - pos_ - 1), kBlanks, kTrailing);
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos)
      directives_.emplace_back(std::string(trim(text.substr(0, colon), kBlanks, kTrailing)),
                               std::string(trim(text.substr(colon + 1), kBlanks, kTrailing)));
    pos_ = end;
  }
  std::vector<std::string_view> header;
  if (!next_record(header, header_line_))
    throw Error(ErrorContext{source_, 0, ""}, "empty file: expected " + std::string(options_.header_hint));
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string_view name = trim(header[c], kBlanks, kTrailing);
    if (options_.unique_columns) {
      const ErrorContext ctx{source_, header_line_, "column " + std::to_string(c + 1)};
      if (name.empty()) throw Error(ctx, "empty column name");
      const int prev = column(name);
      if (prev >= 0)
        throw Error(ctx, "duplicate column " + quote_text(name) + " (also column " + std::to_string(prev + 1) + ")");
    }
    columns_.emplace_back(name);
  }
}

std::optional<std::string> CsvFile::directive(std::string_view key) const {
  for (const auto& [k, v] : directives_)
    if (iequals(k, key)) return v;
  return std::nullopt;
}

int CsvFile::column(std::string_view name) const noexcept {
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (iequals(columns_[c], name)) return static_cast<int>(c);
  return -1;
}

void CsvFile::check_columns(std::span<const std::string_view> required,
                            std::span<const std::string_view> allowed) const {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || iequals(a, columns_[c]);
    if (ok) continue;
    std::string msg = "unknown column " + quote_text(columns_[c]);
    const std::string near = nearest_name(columns_[c], allowed);
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
    msg += "; valid columns:";
    for (std::string_view a : allowed) {
      msg += ' ';
      msg.append(a);
    }
    throw Error(ErrorContext{source_, header_line_, "column " + std::to_string(c + 1)}, msg);
  }
  for (std::string_view r : required)
    if (column(r) < 0)
      throw Error(ErrorContext{source_, header_line_, "header"}, "missing required column " + quote_text(r));
}

bool CsvFile::next_record(std::vector<std::string_view>& fields, long& line) {
  const std::size_t n = buf_.size();
  char* b = buf_.data();
  for (;;) {  // skip empty lines, and comment lines after the header
    while (pos_ < n && (b[pos_] == '\n' || b[pos_] == '\r')) {
      if (b[pos_] == '\n') ++next_line_;
      ++pos_;
    }
    if (options_.comments && pos_ < n && b[pos_] == '#' && !columns_.empty()) {
      while (pos_ < n && b[pos_] != '\n') ++pos_;
      continue;
    }
    break;
  }
  if (pos_ >= n) return false;
  line = next_line_;
  fields.clear();
  for (;;) {
    std::size_t start = pos_;
    // Leading blanks before an opening quote are allowed.
    std::size_t q = pos_;
    while (q < n && (b[q] == ' ' || b[q] == '\t')) ++q;
    if (q < n && b[q] == '"') {
      // Unescape in place: w writes behind pos_ reads.
      pos_ = q + 1;
      start = pos_;
      std::size_t w = pos_;
      for (;;) {
        if (pos_ >= n)
          throw Error(ErrorContext{source_, line, "column " + std::to_string(fields.size() + 1)},
                      "unterminated quoted field (a '\"' opens it and none closes it)");
        const char c = b[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && b[pos_ + 1] == '"') {
            b[w++] = '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') ++next_line_;
        b[w++] = c;
        ++pos_;
      }
      fields.emplace_back(b + start, w - start);
      while (pos_ < n && (b[pos_] == ' ' || b[pos_] == '\t')) ++pos_;
      if (pos_ < n && b[pos_] != ',' && b[pos_] != '\n' && b[pos_] != '\r')
        throw Error(ErrorContext{source_, next_line_, "column " + std::to_string(fields.size())},
                    std::string("unexpected character '") + b[pos_] +
                        "' after a closing quote (expected ',' or the end of the line)");
    } else {
      while (pos_ < n && b[pos_] != ',' && b[pos_] != '\n') ++pos_;
      std::size_t end = pos_;
      if (end > start && b[end - 1] == '\r') --end;
      fields.emplace_back(b + start, end - start);
    }
    if (pos_ < n && b[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < n && b[pos_] == '\r') ++pos_;
    if (pos_ < n && b[pos_] == '\n') {
      ++pos_;
      ++next_line_;
    }
    return true;
  }
}

bool CsvFile::next() {
  if (!next_record(fields_, line_)) return false;
  if (fields_.size() != columns_.size()) {
    // Name the first column that is missing, or the first extra one.
    const std::size_t c = std::min(fields_.size(), columns_.size());
    throw Error(c < columns_.size() ? context(static_cast<int>(c))
                                    : ErrorContext{source_, line_, "column " + std::to_string(c + 1)},
                "expected " + std::to_string(columns_.size()) + " fields as in the header, found " +
                    std::to_string(fields_.size()));
  }
  return true;
}

ErrorContext CsvFile::context(int col) const {
  if (col < 0) return ErrorContext{source_, line_, ""};
  return ErrorContext{source_, line_,
                      "column " + std::to_string(col + 1) + " (" + columns_[static_cast<std::size_t>(col)] + ")"};
}

void CsvFile::fail(int col, const std::string& message) const { throw Error(context(col), message); }

double CsvFile::number(int col, std::string_view what, std::optional<double> blank) const {
  const std::string_view s = field(col);
  if (s.empty()) {
    if (blank) return *blank;
    fail(col, "expected " + std::string(what) + ", found an empty field");
  }
  if (iequals(s, "nan") || iequals(s, "na"))
    fail(col, "expected " + std::string(what) + ", found " + quote_text(s) + " (not a number)");
  const std::optional<double> v = parse_finite(s);
  if (!v) fail(col, "expected " + std::string(what) + ", found " + quote_text(s));
  return *v;
}

bool CsvFile::boolean(int col, bool blank) const {
  const std::string_view s = field(col);
  if (s.empty()) return blank;
  if (iequals(s, "true") || iequals(s, "yes") || s == "1") return true;
  if (iequals(s, "false") || iequals(s, "no") || s == "0") return false;
  fail(col, "expected true/false (or yes/no, 1/0), found " + quote_text(s));
}

std::string csv_text(std::string_view s) {
  std::string cell;
  cell.reserve(s.size() + 3);
  if (!s.empty() && is_one_of(s.front(), "=+-@\t\r") && !parse_finite(s)) cell += '\'';
  cell.append(s);
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string q = "\"";
  for (const char c : cell) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace lantian
