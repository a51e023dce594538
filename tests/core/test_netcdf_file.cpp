// The shared read-only NetCDF wrapper (core/netcdf_file.hpp): variables, dimensions, text and
// numeric attributes, whole and hyperslab reads, and the errors naming the file and variable.
#include <catch2/catch.hpp>

#include <netcdf.h>

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/netcdf_file.hpp"
#include "tests/core/error_message.hpp"
#include "tests/core/temp_dir.hpp"

using namespace lantian;
using lantian::test::message_of;
using lantian::test::TempDir;

namespace {

void ok(int rc) { REQUIRE(rc == NC_NOERR); }

// A tiny file: temp(y=2, x=3) doubles with units, scale_factor and a 2-valued attribute; a text
// variable label(y, len=4); global attributes title (text with a trailing NUL) and version (int).
std::string write_tiny(const TempDir& dir) {
  const std::string path = (dir.path() / "tiny.nc").string();
  int nc = 0, dy = 0, dx = 0, dlen = 0, vt = 0, vl = 0;
  ok(nc_create(path.c_str(), NC_CLOBBER, &nc));
  ok(nc_def_dim(nc, "y", 2, &dy));
  ok(nc_def_dim(nc, "x", 3, &dx));
  ok(nc_def_dim(nc, "len", 4, &dlen));
  const int tdims[2] = {dy, dx};
  ok(nc_def_var(nc, "temp", NC_DOUBLE, 2, tdims, &vt));
  const int ldims[2] = {dy, dlen};
  ok(nc_def_var(nc, "label", NC_CHAR, 2, ldims, &vl));
  ok(nc_put_att_text(nc, vt, "units", 1, "K"));
  const double scale = 0.5;
  ok(nc_put_att_double(nc, vt, "scale_factor", NC_DOUBLE, 1, &scale));
  const double range[2] = {-1.5, 2.5};
  ok(nc_put_att_double(nc, vt, "valid_range", NC_DOUBLE, 2, range));
  ok(nc_put_att_text(nc, NC_GLOBAL, "title", 6, "tiny\0\0"));
  const int version = 3;
  ok(nc_put_att_int(nc, NC_GLOBAL, "version", NC_INT, 1, &version));
  ok(nc_enddef(nc));
  const double values[6] = {1, 2, 3, 4, 5, 6};
  ok(nc_put_var_double(nc, vt, values));
  ok(nc_put_var_text(nc, vl, "ab\0\0cdef"));
  ok(nc_close(nc));
  return path;
}

}  // namespace

TEST_CASE("NetcdfFile reads variables, dimensions and attributes", "[netcdf]") {
  const TempDir dir;
  const NetcdfFile f(write_tiny(dir));
  CHECK(f.nvars() == 2);
  const auto vt = f.var("temp");
  REQUIRE(vt.has_value());
  CHECK_FALSE(f.var("nope").has_value());
  CHECK(f.var_name(*vt) == "temp");
  const std::vector<int> d = f.dims(*vt);
  REQUIRE(d.size() == 2);
  CHECK(f.dim_name(d[0]) == "y");
  CHECK(f.dim_len(d[0]) == 2);
  CHECK(f.dim_len(d[1]) == 3);
  CHECK(f.dim_names(*vt) == std::vector<std::string>{"y", "x"});
  REQUIRE(f.dim("x").has_value());
  CHECK(*f.dim("x") == d[1]);
  CHECK_FALSE(f.dim("z").has_value());

  // Text attributes: trailing NULs trimmed, "" when absent or numeric.
  CHECK(f.text_att(*vt, "units") == "K");
  CHECK(f.text_att(NetcdfFile::kGlobal, "title") == "tiny");
  CHECK(f.text_att(NetcdfFile::kGlobal, "version").empty());
  CHECK(f.text_att(*vt, "missing").empty());
  // Numeric attributes: the first value, or all; none for text.
  CHECK(f.num_att(*vt, "scale_factor") == 0.5);
  CHECK(f.num_att(NetcdfFile::kGlobal, "version") == 3.0);
  CHECK(f.num_att(*vt, "valid_range") == -1.5);
  CHECK_FALSE(f.num_att(*vt, "units").has_value());
  CHECK_FALSE(f.num_att(*vt, "missing").has_value());
  CHECK(f.numbers(*vt, "valid_range") == std::vector<double>{-1.5, 2.5});
  CHECK(f.numbers(*vt, "units").empty());

  // Values as stored (no scale_factor), whole and as a hyperslab.
  CHECK(f.read(*vt) == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(f.read(*vt, {1, 1}, {1, 2}) == std::vector<double>{5, 6});
  const auto vl = f.var("label");
  REQUIRE(vl.has_value());
  CHECK(f.read_text(*vl) == std::string("ab\0\0cdef", 8));
}

TEST_CASE("NetcdfFile errors name the file and the variable", "[netcdf]") {
  const TempDir dir;
  const std::string missing = (dir.path() / "absent.nc").string();
  const std::string open_error = message_of([&] { const NetcdfFile f(missing); });
  CHECK_THAT(open_error, Catch::StartsWith(missing + ": cannot open as NetCDF"));

  const std::string path = write_tiny(dir);
  const NetcdfFile f(path);
  // A text variable read as numbers, and a hyperslab outside the variable.
  CHECK_THAT(message_of([&] { f.read(*f.var("label")); }), Catch::StartsWith(path + ": label: cannot read: "));
  CHECK_THAT(message_of([&] { f.read(*f.var("temp"), {2, 0}, {1, 3}); }),
             Catch::StartsWith(path + ": temp: cannot read: "));
  CHECK_THAT(message_of([&] { f.read(*f.var("temp"), {0}, {1}); }), Catch::StartsWith(path + ": temp: cannot read: "));
}
