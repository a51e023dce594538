#pragma once
// Reader of WRF `wrfout` NetCDF files (one or several files, one or several times each), on the
// WRF grid itself (the native, terrain-following grid). Regridding to a case grid is a separate
// step.
//
// What is read and how it is derived (WRF ARW v3/v4 conventions, Skamarock et al. 2008/2019,
// NCAR/TN-475+STR and NCAR/TN-556+STR):
//   - Times ("YYYY-MM-DD_hh:mm:ss", UTC, whole hours required);
//   - XLAT/XLONG (cell centres), HGT (terrain height);
//   - U (west_east_stag), V (south_north_stag), W (bottom_top_stag), kept on their faces and
//     destaggered to cell centres by averaging the two neighbouring faces;
//   - heights of the w-levels above ground, z_w = (PH + PHB) / g - HGT (g = 9.81 m/s2), and of
//     the mass levels as the mean of the two w-levels around them;
//   - temperature T = theta (p / p0)^(R_d/c_p), theta = T + 300 K, p = P + PB, p0 = 1e5 Pa,
//     R_d/c_p = 2/7 (WRF's module_model_constants: r_d = 287, cp = 7 r_d / 2);
//   - relative humidity from the water-vapour mixing ratio QVAPOR (and Q2 at 2 m):
//     e = w p / (0.622 + w), e_s = 611.2 exp(17.67 (T - 273.15) / (T - 29.65)) Pa (Bolton 1980,
//     eq. 10), RH = 100 e / e_s, limited to 0..100 %;
//   - T2, Q2, U10, V10, PSFC, PBLH, UST, HFX as they are; ZNT (roughness) when present;
//   - RAINC + RAINNC (+ bucket counters I_RAINC/I_RAINNC times the BUCKET_MM attribute when
//     present): accumulations in mm, turned into rates (mm/h) by differencing consecutive
//     times; the first time takes the rate of the first interval (NaN when there is only one
//     time);
//   - the projection from the global attributes MAP_PROJ (1 Lambert conformal, 2 polar
//     stereographic, 3 Mercator), TRUELAT1, TRUELAT2, STAND_LON, MOAD_CEN_LAT (or CEN_LAT) as a
//     PROJ string on WRF's sphere of radius 6370000 m; DX, DY;
//   - the grid origin: the full domain's centre is (CEN_LON, CEN_LAT) and its size is given by
//     WEST-EAST_GRID_DIMENSION - 1 by SOUTH-NORTH_GRID_DIMENSION - 1; a file cropped from it
//     (fewer cells than that) is placed by projecting XLAT/XLONG of its first cell and snapping
//     to the full domain's lattice. Every cell centre is then checked against XLAT/XLONG.
//   - COSALPHA/SINALPHA (rotation from grid to earth-relative winds), computed from the
//     projection when absent.
// Wind components U, V, U10, V10 are grid-relative, as in WRF.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"
#include "core/time_axis.hpp"

namespace lantian::meteo {

/// The map projection of a WRF domain, from the file's global attributes.
struct WrfProjection {
  int map_proj = 0;          ///< 1 Lambert conformal, 2 polar stereographic, 3 Mercator
  double truelat1 = 0.0;     ///< degrees
  double truelat2 = 0.0;     ///< degrees
  double stand_lon = 0.0;    ///< degrees
  double moad_cen_lat = 0.0; ///< latitude of origin of the projection (MOAD_CEN_LAT or CEN_LAT)
  double cen_lat = 0.0;      ///< centre of this domain (before any cropping), degrees
  double cen_lon = 0.0;      ///< degrees

  /// The PROJ string (sphere of radius 6370000 m, as WRF). Throws lantian::Error for other
  /// MAP_PROJ values.
  std::string proj_string() const;
  /// Rotation from grid-relative to earth-relative winds at longitude `lon` (degrees):
  /// {cos alpha, sin alpha}, u_earth = u cos a - v sin a, v_earth = v cos a + u sin a
  /// (WRF's COSALPHA/SINALPHA; for Lambert alpha = cone (STAND_LON - lon) with the cone factor
  /// n = ln(cos t1 / cos t2) / ln(tan(45 - t1/2) / tan(45 - t2/2)), or sin(t1) when t1 = t2;
  /// polar stereographic n = 1; Mercator alpha = 0).
  std::pair<double, double> rotation(double lon) const;
};

/// One output time of a WRF domain. 3-D fields are (i west-east, j south-north, k bottom-top).
struct WrfFrame {
  UtcHour time = 0;
  std::string file;  ///< the file this time came from

  Field3D<double> u_face;  ///< U on x-faces (nx+1, ny, nz), grid-relative, m/s
  Field3D<double> v_face;  ///< V on y-faces (nx, ny+1, nz), grid-relative, m/s
  Field3D<double> w_face;  ///< W on z-faces (nx, ny, nz+1), m/s
  Field3D<double> u;       ///< U destaggered to cell centres, m/s
  Field3D<double> v;       ///< V destaggered to cell centres, m/s
  Field3D<double> w;       ///< W destaggered to cell centres, m/s
  Field3D<double> z_w;     ///< height of the w-levels above ground (nx, ny, nz+1), m
  Field3D<double> z;       ///< height of the mass levels above ground, m
  Field3D<double> t;       ///< air temperature, K
  Field3D<double> p;       ///< pressure P + PB, Pa
  Field3D<double> qv;      ///< water-vapour mixing ratio, kg/kg
  Field3D<double> rh;      ///< relative humidity, %

  Field2D<double> t2;      ///< 2-m temperature, K
  Field2D<double> q2;      ///< 2-m mixing ratio, kg/kg
  Field2D<double> rh2;     ///< 2-m relative humidity, %
  Field2D<double> u10;     ///< 10-m wind along x (grid-relative), m/s
  Field2D<double> v10;     ///< 10-m wind along y (grid-relative), m/s
  Field2D<double> psfc;    ///< surface pressure, Pa
  Field2D<double> pblh;    ///< PBL height, m
  Field2D<double> ust;     ///< friction velocity u*, m/s
  Field2D<double> hfx;     ///< upward sensible heat flux, W/m2
  Field2D<double> rain_acc;///< accumulated precipitation RAINC + RAINNC since the run start, mm
  Field2D<double> precip;  ///< precipitation rate, mm/h
};

/// A WRF domain read from one or several wrfout files, times in increasing order. Opened with
/// open_wrf it holds the metadata, the time index and the 2-D precipitation only, and frames are
/// read one at a time with load_frame (bounded memory for long, large runs); read_wrf also loads
/// every frame into `frames`.
struct WrfDataset {
  /// Where one time is: its file (index into `files`) and its position in that file.
  struct TimeRef {
    UtcHour time = 0;
    std::size_t file = 0;
    std::size_t index = 0;
  };
  std::vector<std::string> files;
  WrfProjection projection;
  /// The horizontal grid in the projection (crs, nx, ny, dx, dy, x0, y0). layer_tops holds the
  /// domain-mean heights above ground of the w-levels 1..nz at the first time (nominal only: WRF
  /// levels follow the terrain and vary with time).
  GridSpec grid;
  int nz = 0;                ///< number of mass levels (bottom_top)
  int i_offset = 0;          ///< column of this file's first cell in the full WRF domain
  int j_offset = 0;          ///< row of this file's first cell in the full WRF domain
  Field2D<double> lat;       ///< XLAT, degrees north
  Field2D<double> lon;       ///< XLONG, degrees east
  Field2D<double> hgt;       ///< terrain height, m
  Field2D<double> z0;        ///< roughness length ZNT, m (NaN when the file lacks it)
  Field2D<double> cosalpha;  ///< COSALPHA (computed from the projection when absent)
  Field2D<double> sinalpha;  ///< SINALPHA
  std::vector<TimeRef> index;               ///< every time, increasing
  std::vector<Field2D<double>> rain_acc;    ///< RAINC + RAINNC per time, mm
  std::vector<Field2D<double>> precip;      ///< precipitation rate per time, mm/h
  std::vector<WrfFrame> frames;             ///< all frames (read_wrf), or empty (open_wrf)

  /// Number of times.
  std::size_t size() const noexcept { return index.size(); }
  int nx() const noexcept { return grid.nx; }
  int ny() const noexcept { return grid.ny; }
  /// The horizontal grid as a lantian::Grid (with the nominal layer tops).
  Grid make_grid() const { return Grid(grid); }
};

/// Opens wrfout files: reads the metadata, the projection and grid, the times and the
/// precipitation, not the 3-D fields. All files must hold the same domain (same dimensions,
/// projection and XLAT/XLONG of the first cell); times across files must be strictly increasing
/// once sorted (duplicates are errors). Missing variables, dimensions or attributes throw
/// lantian::Error naming the file, the variable and what was expected.
WrfDataset open_wrf(const std::vector<std::string>& files);

/// Time n (0..size()-1) of a dataset: a copy of frames[n] when loaded, else read from its file.
WrfFrame load_frame(const WrfDataset& ds, std::size_t n);

/// open_wrf, then every frame loaded into `frames` (convenient for small sets).
WrfDataset read_wrf(const std::vector<std::string>& files);

/// Parses a WRF time string "2005-09-21_00:00:00" (UTC). Throws lantian::Error(message) when
/// the string is malformed or not at a whole hour.
UtcHour parse_wrf_time(const std::string& text);

}  // namespace lantian::meteo
