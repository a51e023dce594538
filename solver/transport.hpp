#pragma once
// Transport numerics of the Eulerian model (欧拉模式的输送): horizontal and vertical advection
// (flux form, MC-limited, positive, mass conserving), implicit vertical diffusion, explicit
// horizontal diffusion, boundary halos, mass budget and source tagging (CAMx PSAT).
//
// Conventions
// -----------
// * A concentration is a Field3D<double> in µg/m³ on the local block of the case grid (nx × ny ×
//   nz cells) with a horizontal halo of kTransportHalo = 2 cells and no vertical halo. The halo
//   holds the two cells beyond each lateral side; corners are never read. The functions below
//   update the interior only and read the halo: the CALLER fills it (fill_halo_zero_gradient,
//   fill_halo_inflow, or the MPI halo exchange of a later Decomposition). Functions that make
//   several passes (directional splitting, sub-steps) call a HaloFill callback before every pass
//   but the first, so a decomposed run only has to pass its exchange.
// * Winds follow meteo::MetState: u on x-faces (nx+1, ny, nz), v on y-faces (nx, ny+1, nz),
//   w and Kz on z-faces (nx, ny, nz+1); face (i, j, k) of u is the west face of cell i, of v the
//   south face of cell j, of w and Kz the bottom of layer k. Halos on wind fields are allowed and
//   ignored.
// * Geometry: dx, dy in metres (a projected grid), layer thicknesses dz_k from Grid::layer_tops.
//   Masses are concentration × volume: µg.
// * Several fields (species) are passed as a std::span<Field3D<double>>; every field has the same
//   shape. The winds, sub-steps and factorisations are shared by all of them.
//
// Numerics (see transport_advection.cpp and transport_diffusion.cpp for the formulas)
// ----------------------------------------------------------------------------------
// * Advection: 1-D finite-volume sweeps in flux form, c_m ← c_m − (Φ_{m+½} − Φ_{m−½}) / h_m, with
//   Φ = (u Δt) × the upwind face value of a piecewise-linear reconstruction limited by the
//   monotonized-central (MC) limiter (van Leer 1977, J. Comput. Phys. 23, 276; LeVeque 2002,
//   "Finite Volume Methods for Hyperbolic Problems", §6.9-6.12) including the Lax-Wendroff time
//   correction (1 − ν): second order for smooth data, TVD (no new extrema in 1-D), and positive
//   whenever each cell's OUTFLOW Courant number ν_out = Δt (max(u_{m+½}, 0) − min(u_{m−½}, 0)) / h_m
//   is ≤ 1, divergent winds included. Mass is conserved to round-off: what leaves one cell
//   enters its neighbour. The flux form is used as is with divergent winds (no density
//   correction): each sweep solves ∂c/∂t + ∂(uc)/∂x = 0, so a uniform field stays uniform only
//   where the discrete 3-D divergence vanishes (up to the O(Δt²) splitting error).
// * Horizontal splitting: Strang (1968, SIAM J. Numer. Anal. 5, 506) within every step, with
//   n sub-steps of h = Δt/n and consecutive x half steps merged:
//   X(h/2) Y(h) X(h) Y(h) … X(h) Y(h) X(h/2). n is the smallest integer with every sweep's
//   outflow Courant number ≤ courant_limit (default 0.9).
// * Vertical advection: the same limited sweep on the non-uniform layers; zero flux at the
//   ground, zero flux at the top unless open_top.
// * Vertical diffusion: backward Euler, conservative flux form, a tridiagonal system per column
//   solved by the Thomas algorithm; the system is an M-matrix so the solution is positive for
//   any Δt. Optional surface flux: emission E (µg/m²/s) in, deposition velocity v_d out (implicit).
// * Horizontal diffusion: explicit (forward Euler) 5-point flux form, sub-stepped so that each
//   cell's diffusion number Σ_faces K Δt / h² is ≤ diffusion_limit (≤ 1 keeps it positive).
// * Tagging (CAMx PSAT, ENVIRON 2020, "CAMx User's Guide" v7, ch. 7): the *_tagged advection
//   variants move T tags with the total; each tag's face flux is the total's face flux times
//   tag/total in the donor (upwind) cell, so Σ tags = total to round-off although the limiter is
//   nonlinear, and tags stay positive. advect_horizontal_tagged_planes does the same layer by
//   layer (all passes of a layer while its tags are in cache). Diffusion is linear: call
//   diffuse_vertical / diffuse_horizontal on the tags with the same coefficients (per-tag surface
//   emissions; the tags' emissions must add up to the total's); one diffuse_vertical call for
//   the total and all its tags computes each column's factorisation once for all of them.
//
// Parallelism: OpenMP over rows, planes or columns of the block; no reduction depends on the
// thread count (budgets are accumulated per row and summed in row order), so results are
// bitwise identical for any number of threads.
//
// Errors: lantian::Error naming the process ("horizontal advection", "vertical advection",
// "vertical diffusion", "horizontal diffusion"), the field index, the cell (global indices:
// block offset i0, j0 added) and the value, for a concentration that is NaN, infinite or negative
// (halo included), for a NaN or infinite wind or diffusivity, and for a step that would need more
// than max_substeps sub-steps. On error the fields are left partly updated.
#include <array>
#include <functional>
#include <span>
#include <vector>

#include "core/field.hpp"
#include "core/grid.hpp"

#include "solver/halo.hpp"
#include "solver/side.hpp"

namespace lantian::solver {

/// Geometry of the local block as the transport sees it.
struct TransportGeometry {
  double dx = 0.0;         ///< cell width along x, m
  double dy = 0.0;         ///< cell width along y, m
  std::vector<double> dz;  ///< layer thicknesses, m, bottom up (nz values)
  int i0 = 0, j0 = 0;      ///< global indices of the block's cell (0, 0), for error messages

  /// From a Grid with a projected CRS (throws lantian::Error for a geographic one: dx in degrees).
  static TransportGeometry of(const Grid& grid);
  /// Throws lantian::Error unless dx, dy > 0 and finite and every dz_k > 0 and finite.
  void validate() const;
  int nz() const noexcept { return static_cast<int>(dz.size()); }
};

/// Mass that crossed the block's sides during the calls that accumulated into it (µg, ≥ 0),
/// and the surface exchange of vertical diffusion. Calls ADD to the members.
struct TransportBudget {
  std::array<double, 5> inflow{};   ///< µg entered through each Side
  std::array<double, 5> outflow{};  ///< µg left through each Side
  double emitted = 0.0;             ///< µg entered through the ground (surface emission flux)
  double deposited = 0.0;           ///< µg removed by dry deposition at the ground

  /// Σ outflow − Σ inflow − emitted + deposited: minus the change of the mass in the block.
  double net_loss() const noexcept;
};

/// Numerical settings of the advection.
struct AdvectionOptions {
  double courant_limit = 0.9;  ///< largest outflow Courant number of a sweep, in (0, 1]
  int max_substeps = 1000;     ///< more needed → lantian::Error naming the cell
  int substeps = 0;            ///< > 0: use this many (e.g. the maximum over MPI ranks); 0: from the block
  bool open_top = false;       ///< vertical: let w carry mass through the top (else zero flux)
  /// Vertical, open top: concentration entering from above where w < 0, per field (µg/m³);
  /// empty: the top layer's value (zero gradient).
  std::vector<double> top_values;
  /// Vertical tagged advection with top_values: the tag that receives the inflow from above.
  int top_boundary_tag = -1;

  void validate() const;  ///< throws lantian::Error for a limit outside (0, 1] or max_substeps < 1
};

/// Numerical settings of the explicit horizontal diffusion.
struct DiffusionOptions {
  double diffusion_limit = 0.9;  ///< largest Σ_faces K Δt / h² of a sub-step, in (0, 1]
  int max_substeps = 1000;
  int substeps = 0;  ///< > 0: use this many; 0: from the block
  void validate() const;
};

/// Largest Courant (or diffusion) number of a sweep and where it occurs.
struct CourantMax {
  double value = 0.0;      ///< for the whole Δt (the sub-steps divide it)
  int i = 0, j = 0, k = 0; ///< cell, local indices
};

/// What an advection or diffusion call did.
struct StepReport {
  int substeps = 1;        ///< sub-steps taken
  double max_number = 0.0; ///< largest Courant (diffusion) number for the whole Δt, before sub-stepping
};

/// Fills the halos of the given fields before a pass (boundary conditions or halo exchange).
using HaloFill = std::function<void(std::span<Field3D<double>>)>;
/// Fills the halos of a total and its tags before a pass.
using TaggedHaloFill = std::function<void(Field3D<double>& total, std::span<Field3D<double>> tags)>;

/// Inflow concentrations per lateral side (Side::west..north) and level, µg/m³: values[side][k].
using LateralValues = std::array<std::vector<double>, kLateralSides>;

// ---- Boundaries -------------------------------------------------------------------------------
// All three go through solver/halo.hpp's fill_halo (the one halo fill), on kTransportHalo cells.

/// Outflow ("free") boundaries: both halo cells of each side take the value of the adjacent
/// interior cell (zero gradient). Throws lantian::Error when the halo is narrower than 2.
void fill_halo_zero_gradient(Field3D<double>& c);
/// A HaloFill applying fill_halo_zero_gradient to every field.
HaloFill zero_gradient_halo();

/// Inflow boundaries: on each side, halo cells where the normal wind at the boundary face enters
/// the block (u > 0 on the west face, u < 0 east, v > 0 south, v < 0 north) take values[side][k];
/// where it leaves or is calm they take the interior value (zero gradient). The limited scheme
/// then brings exactly u × value in. Throws lantian::Error for a short halo, wrong wind shapes
/// or a side without nz values.
void fill_halo_inflow(Field3D<double>& c, const LateralValues& values, const Field3D<double>& u,
                      const Field3D<double>& v);
/// The same for a total and its tags: the total as fill_halo_inflow; at inflow cells the tag
/// `boundary_tag` takes the inflow value and the other tags 0; elsewhere zero gradient.
void fill_halo_inflow_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, int boundary_tag,
                             const LateralValues& values, const Field3D<double>& u, const Field3D<double>& v);

// ---- Diagnostics ------------------------------------------------------------------------------

/// Mass in the block's interior, µg: Σ c dx dy dz_k (compensated summation, fixed order).
double field_mass(const Field3D<double>& c, const TransportGeometry& g);

/// Largest outflow Courant numbers of the x and y sweeps over the block for a step dt (for the
/// whole dt). Throws lantian::Error ("horizontal advection") naming a NaN or infinite wind face.
std::array<CourantMax, 2> horizontal_courant(const Field3D<double>& u, const Field3D<double>& v,
                                             const TransportGeometry& g, double dt);

// ---- Advection --------------------------------------------------------------------------------

/// Horizontal advection of every field over dt (s): Strang-split, sub-stepped MC sweeps (see
/// above). The halos must be filled on entry; `fill_halo` refills them between passes. Adds the
/// mass through the four sides of each field to budget[f] (budget empty: not accounted; else one
/// per field). Returns the number of sub-steps.
StepReport advect_horizontal(std::span<Field3D<double>> fields, const Field3D<double>& u, const Field3D<double>& v,
                             const TransportGeometry& g, double dt, const HaloFill& fill_halo,
                             std::span<TransportBudget> budget = {}, const AdvectionOptions& opt = {});

/// Horizontal advection of a total and its tags (PSAT flux apportionment, see above): the total
/// is advected exactly as by advect_horizontal. budget: the total's; tag_budget: empty, or one
/// per tag.
StepReport advect_horizontal_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, const Field3D<double>& u,
                                    const Field3D<double>& v, const TransportGeometry& g, double dt,
                                    const TaggedHaloFill& fill_halo, TransportBudget* budget = nullptr,
                                    std::span<TransportBudget> tag_budget = {}, const AdvectionOptions& opt = {});

/// Fills the halos of layer k of a total and its tags before a pass (halo.hpp HaloExtent k0, k1).
/// Called for different layers at once from the OpenMP threads: it must write layer k only and
/// must not throw (check the shapes before the call).
using TaggedPlaneHaloFill = std::function<void(Field3D<double>& total, std::span<Field3D<double>> tags, int k)>;

/// advect_horizontal_tagged layer by layer: each layer k of the total and its tags goes through
/// every pass of the step (the x and y sweeps of the sub-steps) while it is in cache, the layers
/// in parallel, instead of every field streaming through memory once per pass. fill_plane(k)
/// fills layer k's halos before every pass, the first included (no filled halo is needed on
/// entry). Fields and budgets are bitwise those of advect_horizontal_tagged with a fill doing on
/// every layer what fill_plane does on one, and a bad value throws the same error (all passes
/// run before the check; the fields are then partly updated either way).
StepReport advect_horizontal_tagged_planes(Field3D<double>& total, std::span<Field3D<double>> tags,
                                           const Field3D<double>& u, const Field3D<double>& v,
                                           const TransportGeometry& g, double dt,
                                           const TaggedPlaneHaloFill& fill_plane, TransportBudget* budget = nullptr,
                                           std::span<TransportBudget> tag_budget = {},
                                           const AdvectionOptions& opt = {});

/// Vertical advection by w over dt, sub-stepped column by column with the block's (or the given)
/// number of sub-steps; no halo is needed. Mass leaving or entering through an open top is added
/// to budget[f] at Side::top.
StepReport advect_vertical(std::span<Field3D<double>> fields, const Field3D<double>& w, const TransportGeometry& g,
                           double dt, std::span<TransportBudget> budget = {}, const AdvectionOptions& opt = {});

/// Vertical advection of a total and its tags (PSAT flux apportionment).
StepReport advect_vertical_tagged(Field3D<double>& total, std::span<Field3D<double>> tags, const Field3D<double>& w,
                                  const TransportGeometry& g, double dt, TransportBudget* budget = nullptr,
                                  std::span<TransportBudget> tag_budget = {}, const AdvectionOptions& opt = {});

// ---- Diffusion --------------------------------------------------------------------------------

/// Surface boundary condition of the vertical diffusion for one field (cell-centre 2-D fields of
/// the block, nx × ny; null: none).
struct SurfaceFlux {
  const Field2D<double>* emission = nullptr;             ///< upward flux into layer 0, µg/m²/s, ≥ 0
  const Field2D<double>* deposition_velocity = nullptr;  ///< dry deposition velocity, m/s, ≥ 0
};

/// Implicit (backward Euler) vertical diffusion with Kz on z-faces (Kz at the ground and top
/// faces is not used: the ground exchanges only the surface flux, the top none). surface: empty
/// (no surface flux) or one per field. Adds emitted and deposited mass to budget[f].
void diffuse_vertical(std::span<Field3D<double>> fields, const Field3D<double>& kz, const TransportGeometry& g,
                      double dt, std::span<const SurfaceFlux> surface = {}, std::span<TransportBudget> budget = {});

/// Horizontal eddy diffusivity: a constant, or a cell-centre field (nx × ny × nz with a halo ≥ 1,
/// filled by the caller; face values are the mean of the two cells).
struct HorizontalDiffusivity {
  double constant = 0.0;                  ///< m²/s, used when field is null
  const Field3D<double>* field = nullptr; ///< m²/s at cell centres
};

/// Explicit horizontal diffusion over dt, sub-stepped (DiffusionOptions). The halos must be filled
/// on entry; `fill_halo` refills them between sub-steps. Diffusive mass through the sides is
/// added to budget[f].
StepReport diffuse_horizontal(std::span<Field3D<double>> fields, const HorizontalDiffusivity& kh,
                              const TransportGeometry& g, double dt, const HaloFill& fill_halo,
                              std::span<TransportBudget> budget = {}, const DiffusionOptions& opt = {});

}  // namespace lantian::solver
