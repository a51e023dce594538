#pragma once
// Lateral boundaries from a CMAQ CONC (or ACONC) file of a coarser regional run (区域 CMAQ 边界):
// the Models-3 I/O API layout that provincial CMAQ forecasts write.
//
// The file ([model.boundary] format = "cmaq", or "auto" when the NetCDF file has the IOAPI global
// attributes GDTYP and VGTYP and a TFLAG variable, is_ioapi_file):
//   - species on (TSTEP, LAY, ROW, COL), ROW south to north, COL west to east; the horizontal grid
//     from the global attributes GDTYP, P_ALP, P_BET, P_GAM, XCENT, YCENT, XORIG, YORIG, XCELL,
//     YCELL, NCOLS, NROWS, NLAYS, read by emissions::read_ioapi_grid (the projection code of the
//     IOAPI emission reader, shared: GDTYP 1, 2, 6, 7 on CMAQ's sphere of 6 370 km);
//   - time: TFLAG (YYYYDDD, HHMMSS, UTC) per step, TSTEP a whole number of hours (CONC: 010000),
//     emissions::read_ioapi_steps; an ACONC step (the mean over [t, t + 1 h), labelled t) is read
//     as the value at t (the half-hour shift is not applied);
//   - vertical (VGTYP, VGTOP in Pa, VGLVLS the NLAYS + 1 layer faces): sigma-P types 1 (VGSGPH3),
//     2 (VGSGPN3) and 7 (VGWRFEM, WRF-ARW's eta): face pressure p = σ (p_s − VGTOP) + VGTOP with
//     p_s = 101 325 Pa, the face height the height of p in the U.S. Standard Atmosphere 1976
//     (StandardAtmosphere: terrain and the day's weather are not known from a CONC file, so the
//     heights are those above a sea-level surface in the standard atmosphere, taken as heights
//     above ground); type 6 (VGHVAL3) gives the face heights above ground in m directly; a layer's
//     height is the mean of its faces'. Other types (3 sigma-Z, 4 pressure, 5 height above sea
//     level, 8 WRF-NMM, ...) are refused by name; a file of one layer (NLAYS = 1, any VGTYP,
//     IMISS3 included) is the surface layer, extended upward by the surface-only profile of
//     regional_boundary.hpp (surface_depth_m, scale_height_m);
//   - units, per variable (IOAPI's 16-character padding ignored): aerosols in a mass
//     concentration (CMAQ: "ug m-3", older "micrograms/m**3"; mass_concentration_factor), gases in
//     a volume mixing ratio "ppmV" (CMAQ) or "ppbV" (or already in a mass concentration, e.g.
//     combine's SO2_UGM3 named in variables), the ratios converted with the air's molar density:
//         c [µg/m³] = x [ppm] · M [g/mol] · p / (R T),   R = 8.314 462 618 J mol⁻¹ K⁻¹,
//     p, T from the file's PRES (Pa) and TA (K) when it has both (on the species' dimensions),
//     else from the standard atmosphere at the file layer's height (CONC files usually have
//     neither: they are in METCRO3D).
//
// Species (the model's from CMAQ AE6/AE7 names; a name the file lacks is skipped, so one table
// serves both; the sums follow the species definitions of CMAQ's combine tool, SpecDef of
// cb6r3_ae7_aq / cb6mp_ae7_aq, CMAQ v5.3: ASO4IJ = ASO4I + ASO4J, ANO3IJ = ANO3I + ANO3J,
// APOMIJ, ASOMIJ, AECIJ, ATOTI, ATOTJ, ATOTK). PM2.5 is taken as the Aitken + accumulation modes
// (I + J, SpecDef's "IJ" sums; SpecDef's PM25_* need the size fractions PM25AT/AC/CO of the
// APMDIAG file, which a CONC file does not have) and the coarse mode K as PMC:
//   SO4   = ASO4I + ASO4J                      (sulfate ion; the model adds ammonium: 1.375 SO4)
//   NO3   = ANO3I + ANO3J                      (nitrate ion; 1.29 NO3 with its ammonium)
//   SOA   = ASOMI + ASOMJ of SpecDef (AE7: ALVOO1I, ALVOO2I, ASVOO1I, ASVOO2I, AISO1J .. AISO3J,
//           AMT1J .. AMT6J, AMTNO3J, AMTHYDJ, AGLYJ, ASQTJ, AORGCJ, AOLGBJ, AOLGAJ, ALVOO1J,
//           ALVOO2J, ASVOO1J .. ASVOO3J, APCSOJ, AAVB1J .. AAVB4J) and AE6's SOA species (AALK1J,
//           AALK2J, AXYL1J .. AXYL3J, ATOL1J .. ATOL3J, ABNZ1J .. ABNZ3J, APAH1J .. APAH3J,
//           ATRP1J, ATRP2J)
//   PPM25 = APOMI + APOMJ of SpecDef (ALVPO1I, ASVPO1I, ASVPO2I, APOCI, APNCOMI, ALVPO1J,
//           ASVPO1J, ASVPO2J, APOCJ, ASVPO3J, AIVPO1J, APNCOMJ) + AECI + AECJ + AOTHRI + AOTHRJ +
//           ANAI + ANAJ + ACLI + ACLJ + AFEJ + ASIJ + ATIJ + ACAJ + AMGJ + AMNJ + AALJ + AKJ
//           (the rest of SpecDef's ATOTI + ATOTJ but ammonium)
//   PMC   = ATOTK = ASOIL + ACORS + ASEACAT + ACLK + ASO4K + ANO3K + ANH4K
//   SO2 = SO2, NOx (as NO2) = NO + NO2, NH3 = NH3 (ppmV, at the model's molar masses,
//   core/species.hpp), VOC = the CB6 lumps of SpecDef's emitted-VOC sum (PAR, ETHA, PRPA, MEOH,
//   ETH, ETOH, OLE, ACET, TOL, XYLMN, BENZENE, FORM, GLY, KET, ETHY, ALD2, IOLE, ALDX, ISOP,
//   TERP, NAPH, APIN) in ppmV, each at its MOLWT of CMAQ's GC_cb6r3_ae7_aq.nml (PAR 14.0 ...).
// Ammonium (ANH4I, ANH4J) is not read: the model's 1.375 and 1.29 carry it as full neutralisation,
// so PM2.5 = PPM25 + 1.375 SO4 + 1.29 NO3 + SOA equals CMAQ's I + J mass without water when
// ANH4 = 0.375 ASO4 + 0.29 ANO3, and overstates it by the difference otherwise. Aerosol water
// (AH2OI/J) is not PM2.5 mass here (as in ATOTIJ). [model.boundary] variables = {SO4 = "A + B"}
// replaces the sum of a species (every name must then be in the file; a gas's ppm converts at
// the species' molar mass, a VOC override only from the CB6 names above). PM25/PM10, units and
// composition are for CF files and refused here.
//
// Sampling as the CF reader (regional_boundary.hpp): each ghost cell's centre projected to the
// file's grid, bilinear between the file's cell centres around it, linear in height between the
// file's layer heights around the layer centre (the end layers' values beyond the ends), linear
// in time between the steps around the hour (bracket_time; an hour outside them is an error).
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/netcdf_file.hpp"
#include "core/species.hpp"
#include "core/time_axis.hpp"
#include "solver/boundary.hpp"

namespace lantian::solver {

/// The U.S. Standard Atmosphere 1976 (NOAA/NASA/USAF, 1976) below 20 km: T = 288.15 − 0.0065 z
/// and p = 101 325 (T / 288.15)^5.255 877 up to 11 km, then isothermal at 216.65 K with
/// p = p₁₁ exp(−g₀ M (z − 11 000) / (R* T)); g₀ = 9.806 65 m s⁻², M = 0.028 964 4 kg/mol,
/// R* = 8.314 32 J mol⁻¹ K⁻¹ (the 1976 value). Heights in m above sea level; above 20 km the
/// isothermal layer is continued (CMAQ tops at 50-100 hPa lie below 21 km).
struct StandardAtmosphere {
  static double temperature(double z) noexcept;
  static double pressure(double z) noexcept;
  /// The height of pressure p (Pa, > 0), the inverse of pressure().
  static double height(double p) noexcept;
};

/// The mass concentration (µg/m³) of a gas at x ppm by volume, molar mass m (g/mol), pressure p
/// (Pa) and temperature t (K): x m p / (R t).
double ppm_to_ugm3(double ppm, double molar_mass, double p, double t) noexcept;

/// The heights (m) of the NLAYS + 1 layer faces of an IOAPI file from VGTYP, VGTOP and VGLVLS
/// (see the header comment); throws lantian::Error naming `path` and VGTYP or VGLVLS for an
/// unsupported type or levels that do not make a column (σ from 1 decreasing, heights increasing).
std::vector<double> ioapi_face_heights(int vgtyp, double vgtop, const std::vector<double>& vglvls,
                                       const std::string& path);

/// One term of a model species' sum: a CMAQ variable and, for a gas, its molar mass (g/mol; 0 for
/// an aerosol in a mass concentration).
struct CmaqTerm {
  std::string_view name;
  double molar_mass = 0.0;
};
/// The default CMAQ terms of a model species (the table of the header comment).
std::vector<CmaqTerm> cmaq_default_terms(Species s);

/// True when the open file has the IOAPI layout: global attributes GDTYP and VGTYP and a TFLAG
/// variable.
bool is_ioapi_file(const NetcdfFile& f);

/// How a CMAQ file is read: per model species a "+"-joined list of CONC variables replacing the
/// default sum ("" = the default), and the surface-only profile of one-layer files.
struct CmaqBoundaryOptions {
  std::array<std::string, kSpeciesCount> species;
  double surface_depth_m = 1000.0;
  double scale_height_m = 1000.0;
};

/// A CMAQ CONC/ACONC file as the boundary (see the header comment).
class CmaqBoundary final : public BoundaryProvider {
 public:
  /// Opens and checks the file (IOAPI grid and steps, layers, units, the boundary's coverage);
  /// throws lantian::Error naming the file, the variable or attribute, what was found and expected.
  CmaqBoundary(const std::string& path, const Grid& grid, CmaqBoundaryOptions options = {});
  ~CmaqBoundary() override;
  CmaqBoundary(const CmaqBoundary&) = delete;
  CmaqBoundary& operator=(const CmaqBoundary&) = delete;
  BoundaryValues at(UtcHour t) const override;
  const std::vector<UtcHour>& times() const noexcept { return times_; }
  /// The file layers' heights (m), bottom first.
  const std::vector<double>& layer_heights() const noexcept { return layer_z_; }
  /// The sums read, "SO4=ASO4I+ASO4J", for messages.
  std::vector<std::string> variables() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<UtcHour> times_;
  std::vector<double> layer_z_;
};

}  // namespace lantian::solver
