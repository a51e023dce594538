#pragma once
// Field2D / Field3D: contiguous storage of a gridded quantity with a halo (ghost cells), and the
// cheap, trivially copyable views that kernels index with (i, j, k) (STYLE.md 8; AMReX Array4).
//
// Layout: i (x) fastest, then j (y), then k (z). With nx cells and halo h the valid i run from
// -h to nx+h-1; likewise j. The interior is 0..nx-1. The element (i, j, k) of a Field3D with
// horizontal halo h and vertical halo hz is stored at
//     data()[(i + h) + (j + h) * sy + (k + hz) * sz],   sy = nx + 2h,  sz = sy * (ny + 2h).
// Views check bounds with LANTIAN_ASSERT, i.e. only when NDEBUG is not defined; they do not own
// memory and are invalidated when their field is destroyed.
#include <algorithm>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace lantian {

/// Where a field's values sit on the grid (STYLE.md 10). Metadata only: the caller chooses the
/// dimensions accordingly (an x-face field over nx cells has nx + 1 points in x).
enum class Stagger { centre, x_face, y_face, z_face };

/// Non-owning view of a 2-D field: `v(i, j)` with i in [-h, nx+h), j in [-h, ny+h).
template <class T>
struct FieldView2D {
  T* origin = nullptr;        ///< address of element (0, 0)
  std::ptrdiff_t sy = 0;      ///< stride of j, in elements (nx + 2h)
  int nx = 0, ny = 0, h = 0;  ///< interior size and halo width

  T& operator()(int i, int j) const noexcept {
    LANTIAN_ASSERT(i >= -h && i < nx + h && j >= -h && j < ny + h);
    return origin[i + j * sy];
  }
  /// A view of const elements.
  operator FieldView2D<const T>() const noexcept { return {origin, sy, nx, ny, h}; }
};

/// Non-owning view of a 3-D field: `v(i, j, k)` with i in [-h, nx+h), j in [-h, ny+h),
/// k in [-hz, nz+hz).
template <class T>
struct FieldView3D {
  T* origin = nullptr;                 ///< address of element (0, 0, 0)
  std::ptrdiff_t sy = 0, sz = 0;       ///< strides of j and k, in elements
  int nx = 0, ny = 0, nz = 0, h = 0, hz = 0;  ///< interior size, horizontal and vertical halo

  T& operator()(int i, int j, int k) const noexcept {
    LANTIAN_ASSERT(i >= -h && i < nx + h && j >= -h && j < ny + h && k >= -hz && k < nz + hz);
    return origin[i + j * sy + k * sz];
  }
  operator FieldView3D<const T>() const noexcept { return {origin, sy, sz, nx, ny, nz, h, hz}; }
};

static_assert(std::is_trivially_copyable_v<FieldView2D<double>>);
static_assert(std::is_trivially_copyable_v<FieldView3D<double>>);

/// A 2-D field owning nx*ny interior values plus a halo of width h on every side.
template <class T>
class Field2D {
  static_assert(!std::is_same_v<T, bool>, "use char or std::uint8_t: std::vector<bool> is not contiguous");

 public:
  using View = FieldView2D<T>;
  using ConstView = FieldView2D<const T>;

  Field2D() = default;
  /// Throws lantian::Error when a dimension is negative or the halo is negative.
  Field2D(int nx, int ny, int halo = 0, T value = T{}, Stagger stagger = Stagger::centre)
      : nx_(nx), ny_(ny), h_(halo), stagger_(stagger) {
    LANTIAN_CHECK(nx >= 0 && ny >= 0 && halo >= 0, (ErrorContext{"", 0, "Field2D"}),
                  "expected non-negative dimensions and halo, found nx=" + std::to_string(nx) +
                      " ny=" + std::to_string(ny) + " halo=" + std::to_string(halo));
    data_.assign(static_cast<std::size_t>(nx + 2 * halo) * static_cast<std::size_t>(ny + 2 * halo), value);
  }

  int nx() const noexcept { return nx_; }
  int ny() const noexcept { return ny_; }
  int halo() const noexcept { return h_; }
  Stagger stagger() const noexcept { return stagger_; }
  /// Stride of j in elements (nx + 2h).
  std::ptrdiff_t stride_y() const noexcept { return nx_ + 2 * h_; }

  /// All stored elements, halo included, starting at (-h, -h).
  T* data() noexcept { return data_.data(); }
  const T* data() const noexcept { return data_.data(); }
  /// Number of stored elements, halo included: (nx + 2h)(ny + 2h).
  std::size_t size() const noexcept { return data_.size(); }
  /// Position of (i, j) in data().
  std::ptrdiff_t index(int i, int j) const noexcept { return (i + h_) + (j + h_) * stride_y(); }

  View view() noexcept { return {origin(), stride_y(), nx_, ny_, h_}; }
  ConstView view() const noexcept { return {origin(), stride_y(), nx_, ny_, h_}; }

  T& operator()(int i, int j) noexcept { return view()(i, j); }
  const T& operator()(int i, int j) const noexcept { return view()(i, j); }

  /// Sets every element, halo included.
  void fill(const T& value) { std::fill(data_.begin(), data_.end(), value); }

 private:
  T* origin() noexcept { return data_.data() + h_ + h_ * stride_y(); }
  const T* origin() const noexcept { return data_.data() + h_ + h_ * stride_y(); }

  int nx_ = 0, ny_ = 0, h_ = 0;
  Stagger stagger_ = Stagger::centre;
  std::vector<T> data_;
};

/// A 3-D field owning nx*ny*nz interior values, a horizontal halo of width h (x and y) and a
/// vertical halo of width hz (z, default none).
template <class T>
class Field3D {
  static_assert(!std::is_same_v<T, bool>, "use char or std::uint8_t: std::vector<bool> is not contiguous");

 public:
  using View = FieldView3D<T>;
  using ConstView = FieldView3D<const T>;

  Field3D() = default;
  /// Throws lantian::Error when a dimension or halo is negative.
  Field3D(int nx, int ny, int nz, int halo = 0, int halo_z = 0, T value = T{}, Stagger stagger = Stagger::centre)
      : nx_(nx), ny_(ny), nz_(nz), h_(halo), hz_(halo_z), stagger_(stagger) {
    LANTIAN_CHECK(nx >= 0 && ny >= 0 && nz >= 0 && halo >= 0 && halo_z >= 0, (ErrorContext{"", 0, "Field3D"}),
                  "expected non-negative dimensions and halos, found nx=" + std::to_string(nx) +
                      " ny=" + std::to_string(ny) + " nz=" + std::to_string(nz) + " halo=" + std::to_string(halo) +
                      " halo_z=" + std::to_string(halo_z));
    data_.assign(static_cast<std::size_t>(stride_z()) * static_cast<std::size_t>(nz + 2 * halo_z), value);
  }

  int nx() const noexcept { return nx_; }
  int ny() const noexcept { return ny_; }
  int nz() const noexcept { return nz_; }
  int halo() const noexcept { return h_; }
  int halo_z() const noexcept { return hz_; }
  Stagger stagger() const noexcept { return stagger_; }
  /// Stride of j in elements (nx + 2h).
  std::ptrdiff_t stride_y() const noexcept { return nx_ + 2 * h_; }
  /// Stride of k in elements ((nx + 2h)(ny + 2h)).
  std::ptrdiff_t stride_z() const noexcept { return stride_y() * (ny_ + 2 * h_); }

  /// All stored elements, halos included, starting at (-h, -h, -hz).
  T* data() noexcept { return data_.data(); }
  const T* data() const noexcept { return data_.data(); }
  /// Number of stored elements: (nx + 2h)(ny + 2h)(nz + 2hz).
  std::size_t size() const noexcept { return data_.size(); }
  /// Position of (i, j, k) in data().
  std::ptrdiff_t index(int i, int j, int k) const noexcept {
    return (i + h_) + (j + h_) * stride_y() + (k + hz_) * stride_z();
  }

  View view() noexcept { return {origin(), stride_y(), stride_z(), nx_, ny_, nz_, h_, hz_}; }
  ConstView view() const noexcept { return {origin(), stride_y(), stride_z(), nx_, ny_, nz_, h_, hz_}; }

  T& operator()(int i, int j, int k) noexcept { return view()(i, j, k); }
  const T& operator()(int i, int j, int k) const noexcept { return view()(i, j, k); }

  /// Sets every element, halos included.
  void fill(const T& value) { std::fill(data_.begin(), data_.end(), value); }

 private:
  T* origin() noexcept { return data_.data() + index(0, 0, 0); }
  const T* origin() const noexcept { return data_.data() + index(0, 0, 0); }

  int nx_ = 0, ny_ = 0, nz_ = 0, h_ = 0, hz_ = 0;
  Stagger stagger_ = Stagger::centre;
  std::vector<T> data_;
};

}  // namespace lantian
