// Station observations reader: the CSV is split by CsvFile (core/csv_file.hpp: one pass over
// the file in memory, fields unescaped in place, physical line numbers in every error), numbers
// by std::from_chars; this file holds the schema and the dense per-station hourly axis.
#include "scenarios/observations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "core/config.hpp"
#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"

namespace lantian {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A concentration cell: NaN for blank / NA / NaN; nullopt when unparseable.
std::optional<double> parse_cell(std::string_view s) noexcept {
  if (s.empty() || iequals(s, "NA") || iequals(s, "NaN")) return kNaN;
  return parse_finite(s);
}

/// How an observations file marks a missing hour (completes the message on a missing-value code).
constexpr std::string_view kMissingHint =
    "write NA or leave the cell blank for a missing hour (lantian does not guess which codes mean missing)";

/// The plausibility row of an observed pollutant (core/plausible.hpp).
Quantity quantity_of(Pollutant p) noexcept {
  switch (p) {
    case Pollutant::SO2: return Quantity::so2;
    case Pollutant::NO2: return Quantity::no2;
    case Pollutant::PM10: return Quantity::pm10;
    case Pollutant::CO: return Quantity::co;
    case Pollutant::O3: return Quantity::o3;
    case Pollutant::PM25: return Quantity::pm25;
  }
  return Quantity::pm25;
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

/// '#' is data here (a station may be named "#3"); the header is checked below, against the
/// schema, with pollutant aliases ("pm25") counted as duplicates of their pollutant.
constexpr CsvOptions kCsvOptions{.comments = false,
                                 .unique_columns = false,
                                 .header_hint = "a header with station, time and pollutant columns"};

std::vector<StationObservations> parse(CsvFile& csv, const TimeZone& tz) {
  const std::string& source = csv.source();
  const long header_line = csv.header_line();
  const std::vector<std::string>& header_names = csv.columns();

  // Header.
  const std::size_t ncols = header_names.size();
  int station_col = -1, time_col = -1;
  std::vector<int> pollutant_of_col(ncols, -1);  // Pollutant index or -1
  std::array<int, kPollutantCount> col_of_pollutant;
  col_of_pollutant.fill(-1);
  const std::vector<std::string> valid = observation_column_names();
  for (std::size_t c = 0; c < ncols; ++c) {
    const std::string_view name = header_names[c];
    const ErrorContext ctx{source, header_line, "column " + std::to_string(c + 1)};
    auto claim = [&](int& slot) {
      if (slot >= 0)
        throw Error(ctx, "duplicate column " + quote_text(name, '"') + " (also column " + std::to_string(slot + 1) + ")");
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
      std::string msg = name.empty() ? std::string("empty column name") : "unknown column " + quote_text(name, '"');
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

  while (csv.next()) {
    // Station.
    const std::string_view name = csv.field(station_col);
    if (name.empty()) csv.fail(station_col, "empty station name");
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
    const std::string_view ttext = csv.field(time_col);
    UtcHour t = 0;
    if (have_last_time && ttext == last_time_text) {
      t = last_time_value;
    } else {
      if (ttext.empty()) csv.fail(time_col, "empty time");
      try {
        t = parse_time(ttext, tz);
      } catch (const Error& e) {
        csv.fail(time_col, e.message());
      }
      last_time_text.assign(ttext);
      last_time_value = t;
      have_last_time = true;
    }
    // Concentrations.
    for (std::size_t c = 0; c < ncols; ++c) {
      const int k = pollutant_of_col[c];
      if (k < 0) continue;
      const int col = static_cast<int>(c);
      const std::string_view cell = csv.field(col);
      const auto v = parse_cell(cell);
      if (!v)
        csv.fail(col, "cannot parse " + quote_text(cell, '"') +
                          " as a concentration (expected a number, blank, NA or NaN)");
      if (!std::isnan(*v)) {
        // A missing-value code (-999, 99999, ...) is refused, never read as data or as missing
        // (docs/input-ranges.md); a plain negative keeps its own message.
        if (*v < 0.0 && !is_missing_code(*v))
          csv.fail(col, "negative concentration " + std::string(cell) + " (expected >= 0)");
        check_plausible(quantity_of(static_cast<Pollutant>(k)), *v, csv.context(col), cell, kMissingHint);
      }
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
        csv.fail(time_col, (t == st.last ? "duplicate time " + quote_text(ttext, '"') + " for station " +
                                               quote_text(s.station, '"') + ": line " + std::to_string(st.last_line) +
                                               " has the same time " + format_local(st.last, tz)
                                         : "time " + quote_text(ttext, '"') + " for station " +
                                               quote_text(s.station, '"') + " is before " +
                                               format_local(st.last, tz) + " on line " + std::to_string(st.last_line)) +
                               "; times must increase strictly within a station");
      const std::int64_t g = t - st.last - 1;
      if (g > kMaxGapHours)
        csv.fail(time_col, "gap of " + std::to_string(g) + " hours for station " + quote_text(s.station, '"') +
                               " after " + format_local(st.last, tz) + " on line " + std::to_string(st.last_line) +
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
    st.last_line = csv.line();
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
  CsvFile csv(std::string(text), source, kCsvOptions);
  return parse(csv, tz);
}

std::vector<StationObservations> read_observations_csv(const std::string& path, const TimeZone& tz) {
  CsvFile csv(path, kCsvOptions);
  return parse(csv, tz);
}

std::vector<double> observed_pm25(const std::vector<StationObservations>& observations,
                                  const std::vector<std::string>& ids, UtcHour start, std::size_t hours) {
  std::vector<double> out(ids.size() * hours, std::numeric_limits<double>::quiet_NaN());
  const auto pm = static_cast<std::size_t>(Pollutant::PM25);
  for (std::size_t s = 0; s < ids.size(); ++s) {
    const auto o = std::find_if(observations.begin(), observations.end(),
                                [&](const StationObservations& x) { return x.station == ids[s]; });
    if (o == observations.end() || !o->present[pm]) continue;
    for (std::size_t h = 0; h < hours; ++h) {
      const UtcHour t = start + static_cast<UtcHour>(h);
      if (t >= o->start && t < o->end()) out[s * hours + h] = o->conc[pm][static_cast<std::size_t>(t - o->start)];
    }
  }
  return out;
}

}  // namespace lantian
