#pragma once
// NetcdfFile: the one place lantian talks to NetCDF (over the NetCDF-C++ library, netCDF::NcFile;
// <netcdf> stays in the .cpp). A file opened read-only for the readers (gridded emissions, CF
// meteorology, wrfout, boundary files), or created for the writers (the hourly fields); closed on
// scope exit. What the names, units and projections mean stays with the callers. Errors name the
// file, and the variable (or "variable:attribute") where one is involved. Variable and dimension
// ids are plain ints, as in NetCDF itself.
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lantian {

class NetcdfFile {
 public:
  /// The "variable" id of the file's global attributes (NC_GLOBAL).
  static constexpr int kGlobal = -1;
  /// def_dim's length of the unlimited (record) dimension.
  static constexpr std::size_t kUnlimited = 0;
  /// NetCDF's default fill value of a float variable (NC_FILL_FLOAT).
  static constexpr float kFillFloat = 9.9692099683868690e+36f;

  /// The storage types the writers use (NC_CHAR, NC_INT, NC_FLOAT, NC_DOUBLE).
  enum class Type { text, int32, float32, float64 };

  /// Opens `path` read-only; throws lantian::Error naming the file when it cannot
  /// ("cannot open as NetCDF: <the library's reason>").
  explicit NetcdfFile(std::string path);
  /// Opens `path` read-only, or nullopt with the library's reason in `*why` (when given).
  static std::optional<NetcdfFile> try_open(std::string path, std::string* why = nullptr);
  /// Creates `path` (overwriting it) as a NetCDF-4 file in the classic model, in define mode.
  /// Throws lantian::Error naming the file ("nc_create: <reason>").
  static NetcdfFile create(std::string path);

  NetcdfFile(NetcdfFile&&) noexcept;
  NetcdfFile& operator=(NetcdfFile&&) noexcept;
  NetcdfFile(const NetcdfFile&) = delete;
  NetcdfFile& operator=(const NetcdfFile&) = delete;
  /// Closes the file if still open, ignoring errors (close() reports them).
  ~NetcdfFile();

  const std::string& path() const noexcept { return path_; }
  bool is_open() const noexcept;

  // ---- Reading --------------------------------------------------------------------------------

  /// Id of the variable `name`, nullopt when the file has none.
  std::optional<int> var(const std::string& name) const;
  /// Number of variables (ids 0 .. nvars() - 1).
  int nvars() const;
  /// Name of variable `v` ("global" for kGlobal).
  std::string var_name(int v) const;
  /// Dimension ids of variable `v`, slowest varying first.
  std::vector<int> dims(int v) const;
  /// Dimension names of variable `v`, slowest varying first.
  std::vector<std::string> dim_names(int v) const;

  /// Id of the dimension `name`, nullopt when the file has none.
  std::optional<int> dim(const std::string& name) const;
  std::size_t dim_len(int d) const;
  std::string dim_name(int d) const;

  /// True when variable `v` (kGlobal for the file) has an attribute `name`, of any type.
  bool has_att(int v, const char* name) const;
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

  // ---- Writing (a file from create()) ---------------------------------------------------------
  // Each throws lantian::Error naming the file, the dimension, variable or "variable:attribute"
  // ("global:title"), and the NetCDF call with its message ("nc_def_var: NetCDF: ...").

  /// Defines a dimension of `len` values (kUnlimited: the record dimension); returns its id.
  int def_dim(const std::string& name, std::size_t len);
  /// Defines a variable over `dims` (slowest varying first; none for a scalar); returns its id.
  int def_var(const std::string& name, Type type, const std::vector<int>& dims);
  /// Chunked storage with one chunk of `chunks` values along each dimension.
  void def_chunking(int v, const std::vector<std::size_t>& chunks);
  /// Deflate compression at `level` (1..9), with the shuffle filter when `shuffle`.
  void def_deflate(int v, bool shuffle, int level);
  /// The HDF5 chunk cache of `v`: `bytes` in `slots` hash slots, preemption 0..1.
  void set_chunk_cache(int v, std::size_t bytes, std::size_t slots, float preemption);
  /// Fill mode on with `fill` as the fill value of the float variable `v` (its _FillValue).
  void def_fill(int v, float fill);
  /// A text attribute of variable `v` (kGlobal for the file), written without a trailing NUL.
  void put_att(int v, const std::string& name, const std::string& text);
  /// A double attribute of variable `v` (kGlobal for the file).
  void put_att(int v, const std::string& name, const std::vector<double>& values);
  /// Leaves define mode.
  void end_def();

  /// All values of the double variable `v` (values.size() = its size).
  void write(int v, std::span<const double> values);
  /// The hyperslab of `v` from `start` with `count` values along each dimension.
  void write(int v, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             std::span<const float> values);
  /// One value of `v` at `index`.
  void write(int v, const std::vector<std::size_t>& index, double value);
  /// All characters of the text variable `v` (text.size() = its size).
  void write_text(int v, std::string_view text);

  /// Flushes and closes the file; throws lantian::Error ("nc_close: ...") when NetCDF fails.
  /// Calling it on a closed file does nothing.
  void close();
  /// Closes a file still in define mode without writing it (nc_abort; a file being created is
  /// removed), ignoring errors. Calling it on a closed file does nothing.
  void abort() noexcept;

 private:
  struct Impl;  // the netCDF::NcFile
  explicit NetcdfFile(std::string path, std::unique_ptr<Impl> impl);
  /// The open file; throws lantian::Error naming the file when it is closed.
  const Impl& open() const;
  void close_quietly() noexcept;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lantian
