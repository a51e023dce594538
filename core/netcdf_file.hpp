#pragma once
// NetcdfFile: a NetCDF file opened read-only (the NetCDF C API), closed on scope exit. The one
// wrapper the readers share (gridded emissions, CF meteorology, wrfout); what the names, units
// and projections mean stays with them. Errors name the file, and the variable where one is
// involved. Variable and dimension ids are plain ints, as in the C API; netcdf.h stays in the .cpp.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lantian {

class NetcdfFile {
 public:
  /// The "variable" id of the file's global attributes (NC_GLOBAL).
  static constexpr int kGlobal = -1;

  /// Opens `path` read-only; throws lantian::Error naming the file when it cannot.
  explicit NetcdfFile(std::string path);
  NetcdfFile(const NetcdfFile&) = delete;
  NetcdfFile& operator=(const NetcdfFile&) = delete;
  ~NetcdfFile();

  const std::string& path() const noexcept { return path_; }

  /// Id of the variable `name`, nullopt when the file has none.
  std::optional<int> var(const std::string& name) const;
  /// Number of variables (ids 0 .. nvars() - 1).
  int nvars() const;
  std::string var_name(int v) const;
  /// Dimension ids of variable `v`, slowest varying first.
  std::vector<int> dims(int v) const;
  /// Dimension names of variable `v`, slowest varying first.
  std::vector<std::string> dim_names(int v) const;

  /// Id of the dimension `name`, nullopt when the file has none.
  std::optional<int> dim(const std::string& name) const;
  std::size_t dim_len(int d) const;
  std::string dim_name(int d) const;

  /// Text attribute `name` of variable `v` (kGlobal for the file), trailing NULs trimmed; "" when
  /// absent or not text.
  std::string text_att(int v, const char* name) const;
  /// The first value of numeric attribute `name` of `v`, nullopt when absent, empty or text.
  std::optional<double> num_att(int v, const char* name) const;
  /// All values of numeric attribute `name` of `v`, empty when absent or text.
  std::vector<double> numbers(int v, const char* name) const;

  /// All values of variable `v` as double, as stored (no scale, offset or fill handling).
  std::vector<double> read(int v) const;
  /// The hyperslab of `v` from `start` with `count` values along each dimension, as double.
  std::vector<double> read(int v, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count) const;
  /// All characters of the text variable `v`, in storage order (NULs kept).
  std::string read_text(int v) const;

 private:
  std::string path_;
  int id_ = -1;
};

}  // namespace lantian
