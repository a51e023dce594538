// NetCDF read-only file wrapper. See netcdf_file.hpp.
#include "core/netcdf_file.hpp"

#include <netcdf.h>

#include <utility>

#include "core/error.hpp"

namespace lantian {

static_assert(NetcdfFile::kGlobal == NC_GLOBAL);

NetcdfFile::NetcdfFile(std::string path) : path_(std::move(path)) {
  const int rc = nc_open(path_.c_str(), NC_NOWRITE, &id_);
  LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, ""}), std::string("cannot open as NetCDF: ") + nc_strerror(rc));
}

NetcdfFile::~NetcdfFile() { nc_close(id_); }

std::optional<int> NetcdfFile::var(const std::string& name) const {
  int v = -1;
  if (nc_inq_varid(id_, name.c_str(), &v) != NC_NOERR) return std::nullopt;
  return v;
}

int NetcdfFile::nvars() const {
  int n = 0;
  nc_inq_nvars(id_, &n);
  return n;
}

std::string NetcdfFile::var_name(int v) const {
  char buf[NC_MAX_NAME + 1] = {};
  nc_inq_varname(id_, v, buf);
  return buf;
}

std::vector<int> NetcdfFile::dims(int v) const {
  int nd = 0;
  nc_inq_varndims(id_, v, &nd);
  std::vector<int> d(static_cast<std::size_t>(nd));
  if (nd > 0) nc_inq_vardimid(id_, v, d.data());
  return d;
}

std::vector<std::string> NetcdfFile::dim_names(int v) const {
  std::vector<std::string> out;
  for (int d : dims(v)) out.push_back(dim_name(d));
  return out;
}

std::optional<int> NetcdfFile::dim(const std::string& name) const {
  int d = -1;
  if (nc_inq_dimid(id_, name.c_str(), &d) != NC_NOERR) return std::nullopt;
  return d;
}

std::size_t NetcdfFile::dim_len(int d) const {
  std::size_t n = 0;
  nc_inq_dimlen(id_, d, &n);
  return n;
}

std::string NetcdfFile::dim_name(int d) const {
  char buf[NC_MAX_NAME + 1] = {};
  nc_inq_dimname(id_, d, buf);
  return buf;
}

std::string NetcdfFile::text_att(int v, const char* name) const {
  nc_type type = NC_NAT;
  std::size_t len = 0;
  if (nc_inq_att(id_, v, name, &type, &len) != NC_NOERR || type != NC_CHAR) return {};
  std::string s(len, '\0');
  if (len > 0 && nc_get_att_text(id_, v, name, s.data()) != NC_NOERR) return {};
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

std::optional<double> NetcdfFile::num_att(int v, const char* name) const {
  const std::vector<double> x = numbers(v, name);
  if (x.empty()) return std::nullopt;
  return x.front();
}

std::vector<double> NetcdfFile::numbers(int v, const char* name) const {
  nc_type type = NC_NAT;
  std::size_t len = 0;
  if (nc_inq_att(id_, v, name, &type, &len) != NC_NOERR || type == NC_CHAR || type == NC_STRING) return {};
  std::vector<double> x(len);
  if (len > 0 && nc_get_att_double(id_, v, name, x.data()) != NC_NOERR) return {};
  return x;
}

std::vector<double> NetcdfFile::read(int v) const {
  std::size_t n = 1;
  for (int d : dims(v)) n *= dim_len(d);
  std::vector<double> out(n);
  const int rc = nc_get_var_double(id_, v, out.data());
  LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, var_name(v)}), std::string("cannot read: ") + nc_strerror(rc));
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
  const int rc = nc_get_vara_double(id_, v, start.data(), count.data(), out.data());
  LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, var_name(v)}), std::string("cannot read: ") + nc_strerror(rc));
  return out;
}

std::string NetcdfFile::read_text(int v) const {
  std::size_t n = 1;
  for (int d : dims(v)) n *= dim_len(d);
  std::string out(n, '\0');
  const int rc = nc_get_var_text(id_, v, out.data());
  LANTIAN_CHECK(rc == NC_NOERR, (ErrorContext{path_, 0, var_name(v)}), std::string("cannot read: ") + nc_strerror(rc));
  return out;
}

}  // namespace lantian
