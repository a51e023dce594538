// NetCDF file wrapper over NetCDF-C++ (netCDF::NcFile). See netcdf_file.hpp.
#include "core/netcdf_file.hpp"

#include <netcdf>

#include <utility>

#ifdef LANTIAN_HAVE_HDF5
#include <hdf5.h>
#endif

#include "core/error.hpp"

namespace lantian {

namespace nc = netCDF;
using NcException = netCDF::exceptions::NcException;

static_assert(NetcdfFile::kGlobal == NC_GLOBAL);
static_assert(NetcdfFile::kUnlimited == NC_UNLIMITED);
static_assert(NetcdfFile::kFillFloat == NC_FILL_FLOAT);

namespace {

/// NcFile, with a way to let go of a file NetCDF has already closed or aborted, so that
/// NcFile's destructor does not close it again (and print its error on stderr).
class File final : public nc::NcFile {
 public:
  void forget() noexcept {
    nullObject = true;
    myId = -1;
  }
};

/// The library's message: NetCDF-C++ puts nc_strerror's text on the first line of what(), the
/// C++ source file and line after it.
std::string reason(const NcException& e) {
  std::string what = e.what();
  if (const std::size_t eol = what.find('\n'); eol != std::string::npos) what.erase(eol);
  return what;
}

nc::NcType nc_type_of(NetcdfFile::Type type) {
  switch (type) {
    case NetcdfFile::Type::text: return nc::ncChar;
    case NetcdfFile::Type::int32: return nc::ncInt;
    case NetcdfFile::Type::float32: return nc::ncFloat;
    case NetcdfFile::Type::float64: return nc::ncDouble;
  }
  return nc::ncDouble;
}

/// body(), turning a NetCDF-C++ exception into lantian::Error naming the file, where() and the
/// NetCDF call ("nc_def_var: NetCDF: ...").
template <class Where, class Body>
auto guarded(const std::string& path, const char* call, Where&& where, Body&& body) {
  try {
    return body();
  } catch (const NcException& e) {
    throw Error(ErrorContext{path, 0, where()}, std::string(call) + ": " + reason(e));
  }
}

}  // namespace

struct NetcdfFile::Impl {
  File file;
};

// ---- Opening and closing --------------------------------------------------------------------

namespace {
/// Before the first NetCDF-4 (HDF5) call: no HDF5 exit handler. On a full disk a file whose
/// nc_close failed stays open inside HDF5, and its handler's close at exit crashed the process
/// (exit 139) after lantian had reported the error and removed its temporary output; the files
/// are closed (or aborted) here anyway.
void hdf5_no_atexit() noexcept {
#ifdef LANTIAN_HAVE_HDF5
  static const bool done = (H5dont_atexit(), true);
  (void)done;
#endif
}
}  // namespace

NetcdfFile::NetcdfFile(std::string path, std::unique_ptr<Impl> impl) : path_(std::move(path)), impl_(std::move(impl)) {}

NetcdfFile::NetcdfFile(std::string path) : path_(std::move(path)), impl_(std::make_unique<Impl>()) {
  hdf5_no_atexit();
  try {
    impl_->file.open(path_, nc::NcFile::read);
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, ""}, "cannot open as NetCDF: " + reason(e));
  }
}

std::optional<NetcdfFile> NetcdfFile::try_open(std::string path, std::string* why) {
  hdf5_no_atexit();
  auto impl = std::make_unique<Impl>();
  try {
    impl->file.open(path, nc::NcFile::read);
  } catch (const NcException& e) {
    if (why != nullptr) *why = reason(e);
    return std::nullopt;
  }
  return NetcdfFile(std::move(path), std::move(impl));
}

NetcdfFile NetcdfFile::create(std::string path) {
  hdf5_no_atexit();
  auto impl = std::make_unique<Impl>();
  try {
    impl->file.create(path, NC_CLOBBER | NC_NETCDF4 | NC_CLASSIC_MODEL);
  } catch (const NcException& e) {
    throw Error(ErrorContext{path, 0, ""}, "nc_create: " + reason(e));
  }
  return NetcdfFile(std::move(path), std::move(impl));
}

NetcdfFile::NetcdfFile(NetcdfFile&&) noexcept = default;

NetcdfFile& NetcdfFile::operator=(NetcdfFile&& other) noexcept {
  if (this != &other) {
    close_quietly();
    path_ = std::move(other.path_);
    impl_ = std::move(other.impl_);
  }
  return *this;
}

NetcdfFile::~NetcdfFile() { close_quietly(); }

void NetcdfFile::close_quietly() noexcept {
  if (!is_open()) return;
  try {
    impl_->file.close();
  } catch (...) {
    impl_->file.forget();
  }
}

bool NetcdfFile::is_open() const noexcept { return impl_ != nullptr && !impl_->file.isNull(); }

void NetcdfFile::close() {
  if (!is_open()) return;
  try {
    impl_->file.close();
  } catch (const NcException& e) {
    impl_->file.forget();
    throw Error(ErrorContext{path_, 0, ""}, "nc_close: " + reason(e));
  }
}

void NetcdfFile::abort() noexcept {
  if (!is_open()) return;
  const int id = impl_->file.getId();
  impl_->file.forget();
  nc_abort(id);  // NetCDF-C++ has no abort: the C call, on the id NcFile let go of
}

const NetcdfFile::Impl& NetcdfFile::open() const {
  LANTIAN_CHECK(is_open(), (ErrorContext{path_, 0, ""}), "the NetCDF file is closed");
  return *impl_;
}

// ---- Reading --------------------------------------------------------------------------------

std::optional<int> NetcdfFile::var(const std::string& name) const {
  try {
    const nc::NcVar v = open().file.getVar(name);
    if (v.isNull()) return std::nullopt;
    return v.getId();
  } catch (const NcException&) {
    return std::nullopt;
  }
}

int NetcdfFile::nvars() const {
  try {
    return open().file.getVarCount();
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, ""}, "cannot list the variables: " + reason(e));
  }
}

std::string NetcdfFile::var_name(int v) const {
  if (v == kGlobal) return "global";
  try {
    return nc::NcVar(open().file, v).getName();
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, "variable " + std::to_string(v)}, "cannot read the name: " + reason(e));
  }
}

std::vector<int> NetcdfFile::dims(int v) const {
  try {
    std::vector<int> out;
    for (const nc::NcDim& d : nc::NcVar(open().file, v).getDims()) out.push_back(d.getId());
    return out;
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, var_name(v)}, "cannot read the dimensions: " + reason(e));
  }
}

std::vector<std::string> NetcdfFile::dim_names(int v) const {
  std::vector<std::string> out;
  for (int d : dims(v)) out.push_back(dim_name(d));
  return out;
}

std::optional<int> NetcdfFile::dim(const std::string& name) const {
  try {
    const nc::NcDim d = open().file.getDim(name);
    if (d.isNull()) return std::nullopt;
    return d.getId();
  } catch (const NcException&) {
    return std::nullopt;
  }
}

std::size_t NetcdfFile::dim_len(int d) const {
  try {
    return nc::NcDim(open().file, d).getSize();
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, "dimension " + std::to_string(d)}, "cannot read the length: " + reason(e));
  }
}

std::string NetcdfFile::dim_name(int d) const {
  try {
    return nc::NcDim(open().file, d).getName();
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, "dimension " + std::to_string(d)}, "cannot read the name: " + reason(e));
  }
}

namespace {

/// `use(attribute)` for attribute `name` of variable `v` (NC_GLOBAL: the file's), or R{} when
/// there is none or NetCDF fails.
template <class R, class Use>
R with_att(const nc::NcFile& file, int v, const char* name, Use&& use) {
  try {
    if (v == NC_GLOBAL) {
      const auto atts = file.getAtts();
      const auto it = atts.find(name);
      return it == atts.end() ? R{} : use(it->second);
    }
    const auto atts = nc::NcVar(file, v).getAtts();
    const auto it = atts.find(name);
    return it == atts.end() ? R{} : use(it->second);
  } catch (const NcException&) {
    return R{};
  }
}

}  // namespace

bool NetcdfFile::has_att(int v, const char* name) const {
  return with_att<bool>(open().file, v, name, [](const nc::NcAtt&) { return true; });
}

std::string NetcdfFile::text_att(int v, const char* name) const {
  return with_att<std::string>(open().file, v, name, [](const nc::NcAtt& a) {
    if (a.getType().getId() != NC_CHAR) return std::string();
    std::string s(a.getAttLength(), '\0');
    if (!s.empty()) a.getValues(s.data());
    while (!s.empty() && s.back() == '\0') s.pop_back();
    return s;
  });
}

std::optional<double> NetcdfFile::num_att(int v, const char* name) const {
  const std::vector<double> x = numbers(v, name);
  if (x.empty()) return std::nullopt;
  return x.front();
}

std::vector<double> NetcdfFile::numbers(int v, const char* name) const {
  return with_att<std::vector<double>>(open().file, v, name, [](const nc::NcAtt& a) {
    const nc_type type = a.getType().getId();
    if (type == NC_CHAR || type == NC_STRING) return std::vector<double>();
    std::vector<double> x(a.getAttLength());
    if (!x.empty()) a.getValues(x.data());
    return x;
  });
}

std::vector<double> NetcdfFile::read(int v) const {
  std::size_t n = 1;
  for (int d : dims(v)) n *= dim_len(d);
  std::vector<double> out(n);
  try {
    nc::NcVar(open().file, v).getVar(out.data());
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, var_name(v)}, "cannot read: " + reason(e));
  }
  return out;
}

std::vector<double> NetcdfFile::read(int v, const std::vector<std::size_t>& start,
                                     const std::vector<std::size_t>& count) const {
  LANTIAN_CHECK(start.size() == count.size() && start.size() == dims(v).size(), (ErrorContext{path_, 0, var_name(v)}),
                "cannot read: expected a start and a count for each of the " + std::to_string(dims(v).size()) +
                    " dimensions, found " + std::to_string(start.size()) + " and " + std::to_string(count.size()));
  std::size_t n = 1;
  for (std::size_t c : count) n *= c;
  std::vector<double> out(n);
  try {
    nc::NcVar(open().file, v).getVar(start, count, out.data());
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, var_name(v)}, "cannot read: " + reason(e));
  }
  return out;
}

std::string NetcdfFile::read_text(int v) const {
  std::size_t n = 1;
  for (int d : dims(v)) n *= dim_len(d);
  std::string out(n, '\0');
  try {
    nc::NcVar(open().file, v).getVar(out.data());
  } catch (const NcException& e) {
    throw Error(ErrorContext{path_, 0, var_name(v)}, "cannot read: " + reason(e));
  }
  return out;
}

// ---- Writing --------------------------------------------------------------------------------

int NetcdfFile::def_dim(const std::string& name, std::size_t len) {
  const nc::NcFile& f = open().file;
  return guarded(path_, "nc_def_dim", [&] { return name; },
                 [&] { return (len == kUnlimited ? f.addDim(name) : f.addDim(name, len)).getId(); });
}

int NetcdfFile::def_var(const std::string& name, Type type, const std::vector<int>& dims) {
  const nc::NcFile& f = open().file;
  return guarded(path_, "nc_def_var", [&] { return name; }, [&] {
    if (dims.empty()) return f.addVar(name, nc_type_of(type)).getId();
    std::vector<nc::NcDim> d;
    d.reserve(dims.size());
    for (int id : dims) d.emplace_back(f, id);
    return f.addVar(name, nc_type_of(type), d).getId();
  });
}

void NetcdfFile::def_chunking(int v, const std::vector<std::size_t>& chunks) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_def_var_chunking", [&] { return var_name(v); }, [&] {
    std::vector<std::size_t> sizes = chunks;  // NcVar::setChunking takes a non-const reference
    nc::NcVar(f, v).setChunking(nc::NcVar::nc_CHUNKED, sizes);
  });
}

void NetcdfFile::def_deflate(int v, bool shuffle, int level) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_def_var_deflate", [&] { return var_name(v); },
          [&] { nc::NcVar(f, v).setCompression(shuffle, true, level); });
}

void NetcdfFile::set_chunk_cache(int v, std::size_t bytes, std::size_t slots, float preemption) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_set_var_chunk_cache", [&] { return var_name(v); },
          [&] { nc::NcVar(f, v).setChunkCache(bytes, slots, preemption); });
}

void NetcdfFile::def_fill(int v, float fill) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_def_var_fill", [&] { return var_name(v); }, [&] { nc::NcVar(f, v).setFill(true, fill); });
}

void NetcdfFile::put_att(int v, const std::string& name, const std::string& text) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_att_text", [&] { return var_name(v) + ":" + name; }, [&] {
    if (v == kGlobal) {
      f.putAtt(name, text);
    } else {
      nc::NcVar(f, v).putAtt(name, text);
    }
  });
}

void NetcdfFile::put_att(int v, const std::string& name, const std::vector<double>& values) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_att_double", [&] { return var_name(v) + ":" + name; }, [&] {
    if (v == kGlobal) {
      f.putAtt(name, nc::ncDouble, values.size(), values.data());
    } else {
      nc::NcVar(f, v).putAtt(name, nc::ncDouble, values.size(), values.data());
    }
  });
}

void NetcdfFile::end_def() {
  (void)open();  // throws when closed
  guarded(path_, "nc_enddef", [] { return std::string(); }, [&] { impl_->file.enddef(); });
}

void NetcdfFile::write(int v, std::span<const double> values) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_var_double", [&] { return var_name(v); }, [&] { nc::NcVar(f, v).putVar(values.data()); });
}

void NetcdfFile::write(int v, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
                       std::span<const float> values) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_vara_float", [&] { return var_name(v); }, [&] { nc::NcVar(f, v).putVar(start, count, values.data()); });
}

void NetcdfFile::write(int v, const std::vector<std::size_t>& index, double value) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_var1_double", [&] { return var_name(v); }, [&] { nc::NcVar(f, v).putVar(index, value); });
}

void NetcdfFile::write_text(int v, std::string_view text) {
  const nc::NcFile& f = open().file;
  guarded(path_, "nc_put_var_text", [&] { return var_name(v); }, [&] { nc::NcVar(f, v).putVar(text.data()); });
}

}  // namespace lantian
