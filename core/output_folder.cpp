#include "core/output_folder.hpp"

#include <stdlib.h>  // mkdtemp (POSIX)

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/error.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

fs::path normalized_dir(const std::string& dir) {
  if (dir.empty()) throw Error("output folder: empty path");
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "out/" -> "out"
  if (p.empty() || p == "." || p == "..") throw Error({dir, 0, ""}, "refusing to use this folder as the output folder");
  return p;
}

/// mkdtemp on "<base>XXXXXX".
fs::path make_temp_dir(const std::string& base) {
  std::string templ = base + "XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr)
    throw Error({templ, 0, ""}, std::string("cannot create a temporary folder: ") + std::strerror(errno));
  return fs::path(templ);
}

}  // namespace

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error({path.string(), 0, ""}, std::string("cannot create file: ") + std::strerror(errno));
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error({path.string(), 0, ""}, "cannot write file (disk full?)");
}

void check_output_dir(const std::string& dir, bool force) {
  const fs::path target = normalized_dir(dir);
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st)) throw Error({dir, 0, ""}, "the output path exists and is not a folder");
  const bool empty = fs::is_empty(target, ec);
  if (ec) throw Error({dir, 0, ""}, "cannot read the output folder: " + ec.message());
  if (!empty && !force)
    throw Error({dir, 0, ""}, "the output folder exists and is not empty (use --force to replace it)");
}

void write_output_folder(const std::string& dir, bool force, const std::function<void(const fs::path&)>& write) {
  check_output_dir(dir, force);
  const fs::path target = normalized_dir(dir);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error({target.parent_path().string(), 0, ""}, "cannot create the folder: " + ec.message());
  }
  const fs::path tmp = make_temp_dir(target.string() + ".tmp-");
  try {
    // mkdtemp makes it private (0700); the outputs are an ordinary folder (0755).
    fs::permissions(tmp,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                        fs::perms::others_exec,
                    fs::perm_options::replace);
    write(tmp);

    std::error_code ec;
    const bool exists = fs::exists(target, ec);
    if (exists && !fs::is_empty(target, ec)) {
      // --force: move the old folder away, move the new one in, then remove the old one.
      const fs::path old = make_temp_dir(target.string() + ".old-");
      fs::rename(target, old, ec);  // rename(2) replaces the empty folder
      if (ec) {
        fs::remove(old);
        throw Error({dir, 0, ""}, "cannot move the existing output folder away: " + ec.message());
      }
      fs::rename(tmp, target, ec);
      if (ec) {
        std::error_code ec2;
        fs::rename(old, target, ec2);
        throw Error({dir, 0, ""}, "cannot move the new outputs into place: " + ec.message());
      }
      fs::remove_all(old, ec);
    } else {
      fs::rename(tmp, target, ec);  // replaces an empty folder
      if (ec) throw Error({dir, 0, ""}, "cannot move the outputs into place: " + ec.message());
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace lantian
