// Hand-written CSV reader for station observations: one pass over the file in memory,
// RFC 4180 quoting (quoted fields may hold commas, doubled quotes and newlines), numbers by
// std::from_chars, physical line numbers in every error.
#include "scenarios/observations.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <unordered_map>

#include "core/config.hpp"
#include "core/error.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// Splits CSV records in a mutable buffer; quoted fields are unescaped in place, so every
/// field is a view into the buffer.
class CsvRecords {
 public:
  CsvRecords(std::string& buf, const std::string& source) : buf_(buf), source_(source) {
    if (buf_.size() >= 3 && static_cast<unsigned char>(buf_[0]) == 0xEF &&
        static_cast<unsigned char>(buf_[1]) == 0xBB && static_cast<unsigned char>(buf_[2]) == 0xBF)
      pos_ = 3;  // UTF-8 byte-order mark
  }

  /// Next non-empty record into `fields`; false at the end. `line` = its first line.
  bool next(std::vector<std::string_view>& fields, long& line) {
    const std::size_t n = buf_.size();
    char* b = buf_.data();
    // Skip empty lines.
    while (pos_ < n && (b[pos_] == '\n' || b[pos_] == '\r')) {
      if (b[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= n) return false;
    line = line_;
    fields.clear();
    for (;;) {
      std::size_t start = pos_;
      // Leading blanks before an opening quote are allowed.
      std::size_t q = pos_;
      while (q < n && (b[q] == ' ' || b[q] == '\t')) ++q;
      if (q < n && b[q] == '"') {
        pos_ = q + 1;
        start = pos_;
        std::size_t w = pos_;
        for (;;) {
          if (pos_ >= n)
            throw Error({source_, line, "column " + std::to_string(fields.size() + 1)},
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
          if (c == '\n') ++line_;
          b[w++] = c;
          ++pos_;
        }
        fields.emplace_back(b + start, w - start);
        while (pos_ < n && (b[pos_] == ' ' || b[pos_] == '\t')) ++pos_;
        if (pos_ < n && b[pos_] != ',' && b[pos_] != '\n' && b[pos_] != '\r')
          throw Error({source_, line_, "column " + std::to_string(fields.size())},
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
        ++line_;
      }
      return true;
    }
  }

 private:
  std::string& buf_;
  const std::string& source_;
  std::size_t pos_ = 0;
  long line_ = 1;
};

/// A concentration cell: NaN for blank / NA / NaN; nullopt when unparseable.
std::optional<double> parse_cell(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty() || iequals(s, "NA") || iequals(s, "NaN")) return kNaN;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string quote_text(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 60));
  if (s.size() > 60) out += "...";
  out += '"';
  return out;
}

struct StationState {
  UtcHour last = 0;
  long last_line = 0;
};

}  // namespace

double StationObservations::missing_share(Pollutant p) const noexcept {
  const int k = static_cast<int>(p);
  if (!present[k] || hours == 0) return kNaN;
  return static_cast<double>(missing[k]) / static_cast<double>(hours);
}

StationSeries StationObservations::series() const noexcept {
  StationSeries s;
  s.hours = hours;
  for (int k = 0; k < kPollutantCount; ++k)
    if (present[k]) s.conc[k] = std::span<const double>(conc[k]);
  return s;
}

std::vector<std::string> observation_column_names() {
  std::vector<std::string> names{"station", "time"};
  for (Pollutant p : {Pollutant::PM25, Pollutant::PM10, Pollutant::SO2, Pollutant::NO2, Pollutant::CO,
                      Pollutant::O3})
    names.emplace_back(pollutant_name(p));
  return names;
}

namespace {

std::vector<StationObservations> parse_in_place(std::string& buf, const std::string& source, const TimeZone& tz) {
  CsvRecords records(buf, source);
  std::vector<std::string_view> fields;
  fields.reserve(16);
  long line = 0;

  if (!records.next(fields, line))
    throw Error({source, 0, ""}, "empty file: expected a header with station, time and pollutant columns");

  // Header.
  const long header_line = line;
  const std::size_t ncols = fields.size();
  int station_col = -1, time_col = -1;
  std::vector<int> pollutant_of_col(ncols, -1);  // Pollutant index or -1
  std::array<int, kPollutantCount> col_of_pollutant;
  col_of_pollutant.fill(-1);
  std::vector<std::string> header_names(ncols);
  const std::vector<std::string> valid = observation_column_names();
  for (std::size_t c = 0; c < ncols; ++c) {
    const std::string_view name = trim(fields[c]);
    header_names[c] = std::string(name);
    const ErrorContext ctx{source, header_line, "column " + std::to_string(c + 1)};
    auto claim = [&](int& slot) {
      if (slot >= 0)
        throw Error(ctx, "duplicate column " + quote_text(name) + " (also column " + std::to_string(slot + 1) + ")");
      slot = static_cast<int>(c);
    };
    if (iequals(name, "station")) {
      claim(station_col);
    } else if (iequals(name, "time")) {
      claim(time_col);
    } else if (const auto p = parse_pollutant(name)) {
      claim(col_of_pollutant[static_cast<int>(*p)]);
      pollutant_of_col[c] = static_cast<int>(*p);
    } else {
      std::string msg = name.empty() ? std::string("empty column name") : "unknown column " + quote_text(name);
      const std::string suggestion = nearest_name(name, valid);
      if (!suggestion.empty()) msg += " (did you mean \"" + suggestion + "\"?)";
      msg += "; valid columns: station, time, PM2.5, PM10, SO2, NO2, CO, O3";
      throw Error(ctx, msg);
    }
  }
  if (station_col < 0) throw Error({source, header_line, "header"}, "missing column \"station\"");
  if (time_col < 0) throw Error({source, header_line, "header"}, "missing column \"time\"");
  if (std::all_of(col_of_pollutant.begin(), col_of_pollutant.end(), [](int c) { return c < 0; }))
    throw Error({source, header_line, "header"},
                "no pollutant column: expected at least one of PM2.5, PM10, SO2, NO2, CO, O3");

  // Data rows.
  std::vector<StationObservations> out;
  std::vector<StationState> state;
  std::unordered_map<std::string, std::size_t> index_of;
  std::size_t cached = std::numeric_limits<std::size_t>::max();
  std::string last_time_text;
  UtcHour last_time_value = 0;
  bool have_last_time = false;
  std::array<double, kPollutantCount> values{};
  auto where = [&](std::size_t c) { return "column " + std::to_string(c + 1) + " (" + header_names[c] + ")"; };

  while (records.next(fields, line)) {
    if (fields.size() != ncols) {
      // Name the first column that is missing, or the first extra one.
      const std::size_t c = std::min(fields.size(), ncols);
      throw Error({source, line, c < ncols ? where(c) : "column " + std::to_string(c + 1)},
                  "expected " + std::to_string(ncols) + " fields as in the header, found " +
                      std::to_string(fields.size()));
    }
    // Station.
    const std::string_view name = trim(fields[static_cast<std::size_t>(station_col)]);
    if (name.empty())
      throw Error({source, line, where(static_cast<std::size_t>(station_col))}, "empty station name");
    std::size_t si = cached;
    if (si >= out.size() || out[si].station != name) {
      auto it = index_of.find(std::string(name));
      if (it == index_of.end()) {
        si = out.size();
        index_of.emplace(std::string(name), si);
        out.emplace_back();
        out.back().station = std::string(name);
        for (int k = 0; k < kPollutantCount; ++k) out.back().present[k] = col_of_pollutant[k] >= 0;
        state.emplace_back();
      } else {
        si = it->second;
      }
      cached = si;
    }
    // Time (interleaved stations repeat the same text: parse it once).
    const std::string_view ttext = trim(fields[static_cast<std::size_t>(time_col)]);
    UtcHour t = 0;
    if (have_last_time && ttext == last_time_text) {
      t = last_time_value;
    } else {
      if (ttext.empty())
        throw Error({source, line, where(static_cast<std::size_t>(time_col))}, "empty time");
      try {
        t = parse_time(ttext, tz);
      } catch (const Error& e) {
        throw Error({source, line, where(static_cast<std::size_t>(time_col))}, e.message());
      }
      last_time_text.assign(ttext);
      last_time_value = t;
      have_last_time = true;
    }
    // Concentrations.
    for (std::size_t c = 0; c < ncols; ++c) {
      const int k = pollutant_of_col[c];
      if (k < 0) continue;
      const auto v = parse_cell(fields[c]);
      if (!v)
        throw Error({source, line, where(c)},
                    "cannot parse " + quote_text(trim(fields[c])) + " as a concentration (expected a number, blank, NA or NaN)");
      if (*v < 0.0)
        throw Error({source, line, where(c)},
                    "negative concentration " + std::string(trim(fields[c])) + " (expected >= 0)");
      values[k] = *v;
    }
    // Append to the station's dense axis.
    StationObservations& s = out[si];
    StationState& st = state[si];
    std::size_t gap = 0;
    if (s.rows == 0) {
      s.start = t;
    } else {
      if (t <= st.last)
        throw Error({source, line, where(static_cast<std::size_t>(time_col))},
                    (t == st.last ? "duplicate time " + quote_text(ttext) + " for station " + quote_text(s.station) +
                                        ": line " + std::to_string(st.last_line) + " has the same time " +
                                        format_local(st.last, tz)
                                  : "time " + quote_text(ttext) + " for station " + quote_text(s.station) +
                                        " is before " + format_local(st.last, tz) + " on line " +
                                        std::to_string(st.last_line)) +
                        "; times must increase strictly within a station");
      const std::int64_t g = t - st.last - 1;
      if (g > kMaxGapHours)
        throw Error({source, line, where(static_cast<std::size_t>(time_col))},
                    "gap of " + std::to_string(g) + " hours for station " + quote_text(s.station) + " after " +
                        format_local(st.last, tz) + " on line " + std::to_string(st.last_line) +
                        " (more than " + std::to_string(kMaxGapHours) + " hours: is the year right?)");
      gap = static_cast<std::size_t>(g);
    }
    for (int k = 0; k < kPollutantCount; ++k) {
      if (!s.present[k]) continue;
      auto& col = s.conc[k];
      if (gap > 0) col.insert(col.end(), gap, kNaN);
      col.push_back(values[k]);
    }
    s.gap_hours += gap;
    s.hours += gap + 1;
    ++s.rows;
    st.last = t;
    st.last_line = line;
  }

  if (out.empty()) throw Error({source, header_line, ""}, "no data rows after the header");
  for (auto& s : out)
    for (int k = 0; k < kPollutantCount; ++k)
      if (s.present[k])
        s.missing[k] = static_cast<std::size_t>(
            std::count_if(s.conc[k].begin(), s.conc[k].end(), [](double v) { return std::isnan(v); }));
  return out;
}

}  // namespace

std::vector<StationObservations> parse_observations_csv(std::string_view text, const std::string& source,
                                                        const TimeZone& tz) {
  std::string buf(text);
  return parse_in_place(buf, source, tz);
}

std::vector<StationObservations> read_observations_csv(const std::string& path, const TimeZone& tz) {
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
  return parse_in_place(text, path, tz);
}

}  // namespace lantian
