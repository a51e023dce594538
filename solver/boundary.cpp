// Lateral boundary conditions: see boundary.hpp.
#include "solver/boundary.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "core/plausible.hpp"
#include "core/text.hpp"
#include "meteo/cf_reader.hpp"
#include "solver/halo.hpp"

namespace lantian::solver {

BoundaryValues::BoundaryValues(int nx, int ny, int nz) : nx_(nx), ny_(ny), nz_(nz) {
  LANTIAN_CHECK(nx > 0 && ny > 0 && nz > 0, (ErrorContext{"", 0, "boundary"}), "expected a non-empty grid");
  for (Side s : kAllLateralSides)
    for (Species sp : kAllSpecies)
      values_[slot(s, sp)].assign(static_cast<std::size_t>(along(s)) * static_cast<std::size_t>(nz), 0.0);
}

void BoundaryValues::set(const Side* side, Species sp, int k, double value) {
  for (Side s : kAllLateralSides) {
    if (side && *side != s) continue;
    for (int kk = 0; kk < nz_; ++kk) {
      if (k >= 0 && kk != k) continue;
      for (int a = 0; a < along(s); ++a) (*this)(s, sp, a, kk) = value;
    }
  }
}

namespace {

void check_halo_shape(const Field3D<double>& f, const BoundaryValues& b, int width) {
  LANTIAN_CHECK(f.nx() == b.nx() && f.ny() == b.ny() && f.nz() == b.nz(), (ErrorContext{"", 0, "boundary"}),
                "the boundary values do not match the concentration fields' shape");
  LANTIAN_CHECK(f.halo() >= width, (ErrorContext{"", 0, "boundary"}),
                "expected a horizontal halo of at least " + std::to_string(width) + " cells, found " +
                    std::to_string(f.halo()));
}

}  // namespace

void fill_halos(SpeciesFields& c, const BoundaryValues& b) {
  for (Species sp : kAllSpecies) {
    Field3D<double>& f = c[index(sp)];
    check_halo_shape(f, b, 0);
    fill_halo(f, HaloExtent{f.halo(), true}, AllInflow{},
              [&](Side side, int along, int k) { return b(side, sp, along, k); });
  }
}

void fill_boundary_halo(Field3D<double>& c, Species s, const BoundaryValues& b, const Field3D<double>& u,
                        const Field3D<double>& v) {
  check_halo_shape(c, b, kTransportHalo);
  fill_halo(c, HaloExtent{}, WindInflow(u, v, c.nx(), c.ny()),
            [&](Side side, int along, int k) { return b(side, s, along, k); });
}

void fill_boundary_halo_tags(std::span<Field3D<double>> tags, int boundary_tag, Species s, const BoundaryValues& b,
                             const Field3D<double>& u, const Field3D<double>& v) {
  for (std::size_t t = 0; t < tags.size(); ++t) {
    check_halo_shape(tags[t], b, kTransportHalo);
    const bool is_boundary = static_cast<int>(t) == boundary_tag;
    fill_halo(tags[t], HaloExtent{}, WindInflow(u, v, tags[t].nx(), tags[t].ny()),
              [&](Side side, int along, int k) { return is_boundary ? b(side, s, along, k) : 0.0; });
  }
}

ConstantBoundary::ConstantBoundary(const Grid& grid, const PerSpecies& value) : values_(grid.nx(), grid.ny(), grid.nz()) {
  for (Species sp : kAllSpecies) {
    const double v = value[index(sp)];
    LANTIAN_CHECK(std::isfinite(v) && v >= 0.0, (ErrorContext{"", 0, "boundary." + std::string(species_name(sp))}),
                  "expected a finite, non-negative concentration (µg/m³), found " + std::to_string(v));
    check_plausible(Quantity::boundary_concentration, v, ErrorContext{"", 0, "boundary." + std::string(species_name(sp))});
    values_.set(nullptr, sp, -1, v);
  }
}

ConstantBoundary::ConstantBoundary(const Grid& grid, const std::array<std::vector<double>, kSpeciesCount>& profile)
    : values_(grid.nx(), grid.ny(), grid.nz()) {
  for (Species sp : kAllSpecies) {
    const auto& p = profile[index(sp)];
    const std::string where = "boundary." + std::string(species_name(sp));
    if (p.empty()) continue;
    LANTIAN_CHECK(p.size() == static_cast<std::size_t>(grid.nz()), (ErrorContext{"", 0, where}),
                  "expected " + std::to_string(grid.nz()) + " levels, found " + std::to_string(p.size()));
    for (int k = 0; k < grid.nz(); ++k) {
      const double v = p[static_cast<std::size_t>(k)];
      LANTIAN_CHECK(std::isfinite(v) && v >= 0.0, (ErrorContext{"", 0, where}),
                    "expected a finite, non-negative concentration (µg/m³) at level " + std::to_string(k) +
                        ", found " + std::to_string(v));
      check_plausible(Quantity::boundary_concentration, v, ErrorContext{"", 0, where + " level " + std::to_string(k)});
      values_.set(nullptr, sp, k, v);
    }
  }
}

// ---- time series CSV ----

namespace {

std::optional<Species> parse_species(std::string_view text) noexcept {
  for (Species s : kAllSpecies)
    if (iequals(text, species_name(s))) return s;
  return std::nullopt;
}

std::vector<std::string_view> species_names() {
  std::vector<std::string_view> out;
  for (Species s : kAllSpecies) out.push_back(species_name(s));
  return out;
}

}  // namespace

TimeSeriesBoundary::TimeSeriesBoundary(std::string text, std::string source, const Grid& grid, const TimeZone& zone)
    : source_(std::move(source)), nx_(grid.nx()), ny_(grid.ny()), nz_(grid.nz()) {
  CsvFile csv(std::move(text), source_);
  static constexpr std::array<std::string_view, 5> kColumns{"time", "side", "species", "level", "value"};
  csv.check_columns(kColumns, kColumns);
  const int c_time = csv.column("time"), c_side = csv.column("side"), c_species = csv.column("species"),
            c_level = csv.column("level"), c_value = csv.column("value");
  const auto names = species_names();
  while (csv.next()) {
    UtcHour t = 0;
    try {
      t = parse_time(csv.field(c_time), zone);
    } catch (const Error& e) {
      csv.fail(c_time, e.message());
    }
    int side = -1;
    const std::string_view side_text = csv.field(c_side);
    if (!iequals(side_text, "all")) {
      for (Side s : kAllLateralSides)
        if (iequals(side_text, side_name(s))) side = static_cast<int>(s);
      if (side < 0)
        csv.fail(c_side, "expected west, east, south, north or all, found " + quote_text(side_text) + " (did you mean '" +
                             nearest_name(side_text, {"west", "east", "south", "north", "all"}) + "'?)");
    }
    const auto sp = parse_species(csv.field(c_species));
    if (!sp)
      csv.fail(c_species, "unknown species " + quote_text(csv.field(c_species)) + " (did you mean '" +
                              nearest_name(csv.field(c_species), names) + "'?)");
    int level = -1;
    const std::string_view level_text = csv.field(c_level);
    if (!level_text.empty() && !iequals(level_text, "all")) {
      const double l = csv.number(c_level, "a layer index 0.." + std::to_string(nz_ - 1) + " or all");
      if (l != std::floor(l) || l < 0 || l >= nz_)
        csv.fail(c_level, "expected a layer index 0.." + std::to_string(nz_ - 1) + " or all, found " + quote_text(level_text));
      level = static_cast<int>(l);
    }
    const double value = csv.number(c_value, "a concentration in µg/m³");
    if (value < 0.0) csv.fail(c_value, "expected a non-negative concentration (µg/m³), found " + quote_text(csv.field(c_value)));
    if (!is_plausible(Quantity::boundary_concentration, value))
      csv.fail(c_value, implausible_message(Quantity::boundary_concentration, value, csv.field(c_value)));
    auto it = std::find_if(series_.begin(), series_.end(),
                           [&](const Series& s) { return s.side == side && s.species == *sp && s.level == level; });
    if (it == series_.end()) {
      series_.push_back(Series{side, *sp, level, {}});
      it = series_.end() - 1;
    }
    if (std::any_of(it->points.begin(), it->points.end(), [&](const auto& p) { return p.first == t; }))
      csv.fail(c_time, "a second value for " + format_utc(t) + " of this side, species and level");
    it->points.emplace_back(t, value);
  }
  for (Series& s : series_) std::sort(s.points.begin(), s.points.end());
  // Least specific first: later series overwrite earlier ones.
  std::stable_sort(series_.begin(), series_.end(),
                   [](const Series& a, const Series& b) { return (a.side >= 0) + (a.level >= 0) < (b.side >= 0) + (b.level >= 0); });
}

BoundaryValues TimeSeriesBoundary::at(UtcHour t) const {
  BoundaryValues out(nx_, ny_, nz_);
  for (const Series& s : series_) {
    const auto& p = s.points;
    const auto upper = std::lower_bound(p.begin(), p.end(), t, [](const auto& a, UtcHour x) { return a.first < x; });
    double value = 0.0;
    if (upper != p.end() && upper->first == t) {
      value = upper->second;
    } else if (upper == p.begin() || upper == p.end()) {
      const std::string side = s.side < 0 ? "all" : std::string(side_name(static_cast<Side>(s.side)));
      const std::string level = s.level < 0 ? "all" : std::to_string(s.level);
      throw Error(ErrorContext{source_, 0, std::string(species_name(s.species)) + " side " + side + " level " + level},
                  "no boundary value for " + format_utc(t) + ": the file covers " + format_utc(p.front().first) +
                      " to " + format_utc(p.back().first));
    } else {
      const auto lower = upper - 1;
      const double a = static_cast<double>(t - lower->first) / static_cast<double>(upper->first - lower->first);
      value = (1.0 - a) * lower->second + a * upper->second;
    }
    const Side side = static_cast<Side>(std::max(s.side, 0));
    out.set(s.side < 0 ? nullptr : &side, s.species, s.level, value);
  }
  return out;
}

std::unique_ptr<TimeSeriesBoundary> read_boundary_csv(const std::string& path, const Grid& grid, const TimeZone& zone) {
  LANTIAN_CHECK(std::filesystem::is_regular_file(path), (ErrorContext{path, 0, ""}), "cannot read the boundary file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  LANTIAN_CHECK(in.good() || in.eof(), (ErrorContext{path, 0, ""}), "cannot read the boundary file");
  return std::make_unique<TimeSeriesBoundary>(text.str(), path, grid, zone);
}

bool locate_interval(const std::vector<double>& c, double p, bool clamp, std::size_t& ix, double& w) {
  if (c.size() == 1) {
    ix = 0, w = 0.0;
    return clamp || p == c[0];
  }
  const double tol = 1e-9 * std::max(1.0, std::abs(c.back() - c.front()));
  if (p < c.front() - tol || p > c.back() + tol) {
    if (!clamp) return false;
    ix = p < c.front() ? 0 : c.size() - 2;
    w = p < c.front() ? 0.0 : 1.0;
    return true;
  }
  const auto it = std::upper_bound(c.begin(), c.end(), p);
  ix = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::ptrdiff_t>(it - c.begin() - 1, 0)), c.size() - 2);
  w = std::clamp((p - c[ix]) / (c[ix + 1] - c[ix]), 0.0, 1.0);
  return true;
}

TimeBracket bracket_time(const std::vector<UtcHour>& times, UtcHour t, const std::string& path) {
  const auto upper = std::lower_bound(times.begin(), times.end(), t);
  if (upper != times.end() && *upper == t) {
    const auto n = static_cast<std::size_t>(upper - times.begin());
    return {n, n, 0.0};
  }
  if (upper == times.begin() || upper == times.end())
    throw Error(ErrorContext{path, 0, "time"}, "no boundary values for " + format_utc(t) + ": the file covers " +
                                                   format_utc(times.front()) + " to " + format_utc(times.back()));
  const auto n1 = static_cast<std::size_t>(upper - times.begin());
  return {n1 - 1, n1, static_cast<double>(t - times[n1 - 1]) / static_cast<double>(times[n1] - times[n1 - 1])};
}

// ---- NetCDF ----

std::vector<UtcHour> record_instants(const NetcdfFile& f, const std::string& path) {
  const auto vt = f.var("time");
  LANTIAN_CHECK(vt.has_value(), (ErrorContext{path, 0, "time"}), "missing coordinate variable");
  const std::string units = f.text_att(*vt, "units");
  auto to_utc = [&](double v, const std::string& u, const char* where) {
    try {
      return meteo::cf_time_to_utc(v, u);
    } catch (const Error& e) {
      throw Error(ErrorContext{path, 0, where}, e.message());
    }
  };
  const std::vector<double> labels = f.read(*vt);
  std::vector<UtcHour> out;
  const std::string bounds = f.text_att(*vt, "bounds");
  if (bounds.empty()) {
    // Before issue 12 lantian labelled each record by its valid instant: the time itself.
    for (double v : labels) out.push_back(to_utc(v, units, "time"));
    return out;
  }
  // Hour-beginning labels: the record covers [lower, upper] and holds the state at its end.
  const auto vb = f.var(bounds);
  LANTIAN_CHECK(vb.has_value(), (ErrorContext{path, 0, "time"}),
                "the attribute bounds names '" + bounds + "', which is not a variable of the file");
  const auto dims = f.dims(*vb);
  LANTIAN_CHECK(dims.size() == 2 && f.dim_len(dims[0]) == labels.size() && f.dim_len(dims[1]) == 2,
                (ErrorContext{path, 0, bounds}), "expected the dimensions (time, 2) of time bounds");
  const std::string bounds_units = f.text_att(*vb, "units");
  const std::vector<double> b = f.read(*vb);
  for (std::size_t n = 0; n < labels.size(); ++n) {
    const UtcHour lower = to_utc(b[2 * n], bounds_units.empty() ? units : bounds_units, bounds.c_str());
    const UtcHour upper = to_utc(b[2 * n + 1], bounds_units.empty() ? units : bounds_units, bounds.c_str());
    LANTIAN_CHECK(upper > lower && (out.empty() || upper > out.back()), (ErrorContext{path, 0, bounds}),
                  "expected increasing intervals [start, end], found [" + format_utc(lower) + ", " + format_utc(upper) +
                      "] at record " + std::to_string(n));
    out.push_back(upper);
  }
  return out;
}

namespace {


struct Sample {
  std::size_t ix = 0, iy = 0;
  double wx = 0.0, wy = 0.0;
};

}  // namespace

struct NetcdfBoundary::Impl {
  NetcdfFile file;
  std::array<int, kSpeciesCount> vars{};
  std::vector<double> x, y, z;
  int nx = 0, ny = 0, nz = 0;
  std::array<std::vector<Sample>, kLateralSides> samples;  ///< per side, per boundary cell
  std::vector<std::pair<std::size_t, double>> levels;   ///< per layer: iz, wz
  explicit Impl(const std::string& path) : file(path) {}
};

NetcdfBoundary::NetcdfBoundary(const std::string& path, const Grid& grid) : impl_(std::make_unique<Impl>(path)) {
  Impl& m = *impl_;
  const NetcdfFile& f = m.file;
  m.nx = grid.nx(), m.ny = grid.ny(), m.nz = grid.nz();
  auto coordinate = [&](const char* name) {
    const auto v = f.var(name);
    LANTIAN_CHECK(v.has_value(), (ErrorContext{path, 0, name}), "missing coordinate variable");
    std::vector<double> c = f.read(*v);
    LANTIAN_CHECK(!c.empty(), (ErrorContext{path, 0, name}), "empty coordinate");
    for (std::size_t i = 0; i + 1 < c.size(); ++i)
      LANTIAN_CHECK(c[i + 1] > c[i], (ErrorContext{path, 0, name}), "expected strictly increasing values");
    return c;
  };
  m.x = coordinate("x"), m.y = coordinate("y"), m.z = coordinate("z");
  (void)coordinate("time");  // present, non-empty and increasing
  times_ = record_instants(f, path);
  for (Species sp : kAllSpecies) {
    const std::string name(species_name(sp));
    const auto v = f.var(name);
    LANTIAN_CHECK(v.has_value(), (ErrorContext{path, 0, name}), "missing boundary variable (one per species is needed)");
    const auto dims = f.dim_names(*v);
    LANTIAN_CHECK(dims == (std::vector<std::string>{"time", "z", "y", "x"}), (ErrorContext{path, 0, name}),
                  "expected dimensions (time, z, y, x)");
    m.vars[index(sp)] = *v;
  }
  // Boundary cell centres: the first ghost cell outside each side.
  for (Side s : kAllLateralSides) {
    const int n = (s == Side::west || s == Side::east) ? m.ny : m.nx;
    for (int a = 0; a < n; ++a) {
      const auto [px, py] = ghost_cell_centre(grid, s, a);
      Sample smp;
      const bool inside = locate_interval(m.x, px, false, smp.ix, smp.wx) && locate_interval(m.y, py, false, smp.iy, smp.wy);
      if (!inside) {
        std::ostringstream msg;
        msg << "the file does not cover the " << side_name(s) << " boundary: cell " << a << " at (x=" << px
            << ", y=" << py << ") m is outside x " << m.x.front() << ".." << m.x.back() << ", y " << m.y.front() << ".."
            << m.y.back();
        throw Error(ErrorContext{path, 0, "x/y"}, msg.str());
      }
      m.samples[static_cast<std::size_t>(s)].push_back(smp);
    }
  }
  for (int k = 0; k < m.nz; ++k) {
    std::size_t iz = 0;
    double wz = 0.0;
    locate_interval(m.z, grid.z_centre(k), true, iz, wz);
    m.levels.emplace_back(iz, wz);
  }
}

NetcdfBoundary::~NetcdfBoundary() = default;

BoundaryValues NetcdfBoundary::at(UtcHour t) const {
  const Impl& m = *impl_;
  const std::string& path = m.file.path();
  const auto [n0, n1, a] = bracket_time(times_, t, path);
  const std::size_t cx = m.x.size(), cy = m.y.size(), cz = m.z.size();
  BoundaryValues out(m.nx, m.ny, m.nz);
  for (Species sp : kAllSpecies) {
    const int var = m.vars[index(sp)];
    auto slice = [&](std::size_t n) {
      std::vector<double> s = m.file.read(var, {n, 0, 0, 0}, {1, cz, cy, cx});
      for (std::size_t q = 0; q < s.size(); ++q)
        if (!(std::isfinite(s[q]) && s[q] >= 0.0))
          throw Error(ErrorContext{path, 0, std::string(species_name(sp))},
                      "expected finite, non-negative concentrations, found " + std::to_string(s[q]) + " at " +
                          format_utc(times_[n]) + " (x index " + std::to_string(q % cx) + ", y index " +
                          std::to_string(q / cx % cy) + ", z index " + std::to_string(q / (cx * cy)) + ")");
      for (std::size_t q = 0; q < s.size(); ++q)
        if (!is_plausible(Quantity::boundary_concentration, s[q]))
          throw Error(ErrorContext{path, 0,
                                   std::string(species_name(sp)) + "[time " + std::to_string(n) + ", z " +
                                       std::to_string(q / (cx * cy)) + ", y " + std::to_string(q / cx % cy) + ", x " +
                                       std::to_string(q % cx) + "]"},
                      implausible_message(Quantity::boundary_concentration, s[q]) + " at " + format_utc(times_[n]));
      return s;
    };
    const std::vector<double> s0 = slice(n0);
    const std::vector<double> s1 = n1 == n0 ? std::vector<double>{} : slice(n1);
    auto value = [&](const std::vector<double>& s, const Sample& p, std::size_t iz) {
      const std::size_t ix1 = std::min(p.ix + 1, cx - 1), iy1 = std::min(p.iy + 1, cy - 1);
      auto at = [&](std::size_t i, std::size_t j) { return s[i + cx * (j + cy * iz)]; };
      return (1.0 - p.wy) * ((1.0 - p.wx) * at(p.ix, p.iy) + p.wx * at(ix1, p.iy)) +
             p.wy * ((1.0 - p.wx) * at(p.ix, iy1) + p.wx * at(ix1, iy1));
    };
    auto column = [&](const std::vector<double>& s, const Sample& p, int k) {
      const auto [iz, wz] = m.levels[static_cast<std::size_t>(k)];
      const std::size_t iz1 = std::min(iz + 1, cz - 1);
      return (1.0 - wz) * value(s, p, iz) + wz * value(s, p, iz1);
    };
    for (Side side : kAllLateralSides) {
      const auto& samples = m.samples[static_cast<std::size_t>(side)];
      for (int k = 0; k < m.nz; ++k)
        for (std::size_t q = 0; q < samples.size(); ++q) {
          const double v0 = column(s0, samples[q], k);
          out(side, sp, static_cast<int>(q), k) = s1.empty() ? v0 : (1.0 - a) * v0 + a * column(s1, samples[q], k);
        }
    }
  }
  return out;
}

}  // namespace lantian::solver
