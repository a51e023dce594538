// Field2D / Field3D storage layout and halo addressing (core/field.hpp).
#include <catch2/catch.hpp>

#include <numeric>
#include <type_traits>

#include "core/error.hpp"
#include "core/field.hpp"

using namespace lantian;

TEST_CASE("Field2D layout: i fastest, halo on every side", "[field]") {
  // nx = 3, ny = 2, h = 2: stored rows of 3 + 2*2 = 7 elements, 2 + 2*2 = 6 rows -> 42.
  Field2D<double> f(3, 2, 2);
  CHECK(f.stride_y() == 7);
  CHECK(f.size() == 42u);
  CHECK(f.index(-2, -2) == 0);              // first stored element
  CHECK(f.index(0, 0) == 2 + 2 * 7);        // = 16
  CHECK(f.index(1, 0) - f.index(0, 0) == 1);  // i is contiguous
  CHECK(f.index(0, 1) - f.index(0, 0) == 7);  // j jumps a row
  CHECK(f.index(4, 3) == 41);               // last stored element: (4+2) + (3+2)*7
  f(1, 1) = 5.0;
  CHECK(f.data()[f.index(1, 1)] == 5.0);
  CHECK(f.data()[3 + 3 * 7] == 5.0);        // (1+2) + (1+2)*7 = 24, by hand
  f(-2, 3) = 7.0;                            // halo corner
  CHECK(f.data()[0 + 5 * 7] == 7.0);
}

TEST_CASE("Field3D layout with horizontal and vertical halos", "[field]") {
  // nx = 4, ny = 3, nz = 2, h = 1, hz = 0: sy = 6, sz = 6 * 5 = 30, size = 30 * 2 = 60.
  Field3D<float> a(4, 3, 2, 1);
  CHECK(a.stride_y() == 6);
  CHECK(a.stride_z() == 30);
  CHECK(a.size() == 60u);
  CHECK(a.index(0, 0, 0) == 7);                 // 1 + 1*6
  CHECK(a.index(2, 1, 1) == 3 + 2 * 6 + 1 * 30);  // = 45
  a(2, 1, 1) = 3.5f;
  CHECK(a.data()[45] == 3.5f);

  // The same with hz = 1: size = 30 * 4 = 120; (-1,-1,-1) is first, (4,3,2) is last.
  Field3D<double> b(4, 3, 2, 1, 1);
  CHECK(b.size() == 120u);
  CHECK(b.index(-1, -1, -1) == 0);
  CHECK(b.index(4, 3, 2) == 5 + 4 * 6 + 3 * 30);  // = 119
  CHECK(b.index(0, 0, 0) == 1 + 6 + 30);          // = 37
}

TEST_CASE("views alias the field's storage and are trivially copyable", "[field]") {
  static_assert(std::is_trivially_copyable_v<Field3D<double>::View>);
  static_assert(std::is_trivially_copyable_v<Field2D<double>::ConstView>);
  Field3D<double> f(5, 4, 3, 2);
  // Fill with the linear index so any stride mistake shows up as a wrong value.
  std::iota(f.data(), f.data() + f.size(), 0.0);
  const auto v = f.view();
  const Field3D<double>::ConstView cv = v;
  for (int k = 0; k < 3; ++k)
    for (int j = -2; j < 6; ++j)
      for (int i = -2; i < 7; ++i) {
        // (i+2) + (j+2)*9 + k*9*8, with sy = 5 + 4 = 9 and sz = 9 * (4 + 4) = 72.
        const double expected = (i + 2) + (j + 2) * 9 + k * 72;
        REQUIRE(v(i, j, k) == expected);
        REQUIRE(&cv(i, j, k) == &f(i, j, k));
      }
}

TEST_CASE("fill sets halo and interior, bad dimensions throw", "[field]") {
  Field2D<double> f(10, 10, 1, 1.0);
  CHECK(std::accumulate(f.data(), f.data() + f.size(), 0.0) == 144.0);  // 12 * 12 elements of 1
  f.fill(0.5);
  CHECK(std::accumulate(f.data(), f.data() + f.size(), 0.0) == 72.0);
  CHECK(f(-1, 10) == 0.5);
  CHECK_THROWS_AS(Field2D<double>(-1, 3), Error);
  CHECK_THROWS_AS(Field3D<double>(3, 3, 3, -1), Error);
  const Field3D<int> x_face(5, 4, 2, 0, 0, 0, Stagger::x_face);
  CHECK(x_face.stagger() == Stagger::x_face);
  CHECK(x_face.size() == 40u);
}
