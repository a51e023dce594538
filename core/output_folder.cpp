#include "core/output_folder.hpp"

#include <fcntl.h>     // AT_FDCWD
#include <signal.h>    // sigwait, kill (POSIX)
#include <stdio.h>     // renameat2, RENAME_EXCHANGE (glibc, _GNU_SOURCE)
#include <stdlib.h>    // mkdtemp, mkstemp (POSIX)
#include <sys/stat.h>  // fchmod
#include <unistd.h>    // getpid, close, write, _exit

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/case_config.hpp"
#include "core/error.hpp"

namespace lantian {

namespace fs = std::filesystem;

namespace {

// ---- paths ------------------------------------------------------------------------------------

/// The absolute, normalised form of `p` with the symbolic links of its existing part resolved,
/// so that "case/inventory/.." and a link to the case folder compare equal to the case folder.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  fs::path out = fs::weakly_canonical(abs, ec);
  if (ec) out = abs.lexically_normal();
  if (!out.has_filename() && out != out.root_path()) out = out.parent_path();  // "a/b/" -> "a/b"
  return out;
}

/// True when `inner` is `outer` or lies inside it (component-wise prefix).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

fs::path normalized_dir(const std::string& dir) {
  if (dir.empty()) throw Error("output folder: empty path");
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "out/" -> "out"
  if (p.empty() || p == "." || p == ".." || p == p.root_path())
    throw Error({dir, 0, ""}, "refusing to use this folder as the output folder");
  return p;
}

// ---- the unfinished outputs of this process (removed on a signal) ------------------------------

struct Pending {
  fs::path tmp;  ///< temporary folder or file being written
  bool folder = true;
};

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::vector<Pending>& registry() {
  static std::vector<Pending> r;
  return r;
}

void register_pending(const fs::path& tmp, bool folder) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().push_back({tmp, folder});
}
void unregister_pending(const fs::path& tmp) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto& r = registry();
  for (auto it = r.begin(); it != r.end(); ++it)
    if (it->tmp == tmp) {
      r.erase(it);
      return;
    }
}

/// "<name>.tmp-<pid>-" for the target `target`.
std::string temp_prefix(const fs::path& target, const char* kind) {
  return target.filename().string() + kind + std::to_string(::getpid()) + "-";
}

/// The process id in "<name><kind><pid>-XXXXXX", or 0 when `entry` is not of that form.
long leftover_pid(const std::string& entry, const std::string& stem) {
  if (entry.size() < stem.size() + 8 || entry.compare(0, stem.size(), stem) != 0) return 0;
  const std::string rest = entry.substr(stem.size());
  const std::size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string::npos || rest.size() - dash - 1 != 6) return 0;
  long pid = 0;
  for (std::size_t i = 0; i < dash; ++i) {
    if (rest[i] < '0' || rest[i] > '9' || pid > 100000000) return 0;
    pid = pid * 10 + (rest[i] - '0');
  }
  return pid;
}

bool process_alive(long pid) {
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// Removes a folder lantian wrote (a temporary or an old output) with its marker LAST, so that
/// a kill -9 in the middle leaves a folder clean_leftovers still recognises (marker or empty)
/// rather than a partial folder without the marker that no later run would remove.
void remove_output_folder(const fs::path& dir) noexcept {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  std::vector<fs::path> entries;
  for (; !ec && it != end; it.increment(ec))
    if (it->path().filename() != kOutputMarker) entries.push_back(it->path());
  for (const fs::path& e : entries) fs::remove_all(e, ec);
  fs::remove(dir / kOutputMarker, ec);
  fs::remove_all(dir, ec);
}

/// fsync(2) of one file or folder; throws naming it (EIO, ENOSPC, EDQUOT: the data did not
/// reach the disk).
void sync_path(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw Error({p.string(), 0, ""}, std::string("cannot open to flush it: ") + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL && err != EROFS)  // EINVAL: a file system without fsync (e.g. some FUSE)
    throw Error({p.string(), 0, ""}, std::string("cannot flush to disk (disk full?): ") + std::strerror(err));
}

/// Flushes every file and folder of the complete temporary `tmp` to the disk before it replaces
/// the old output, so that after a power cut the exchanged folder holds complete files, not
/// names whose data was still in the page cache (ext4's delayed allocation does not flush on a
/// folder rename).
void sync_folder_tree(const fs::path& tmp) {
  std::vector<fs::path> folders{tmp};
  for (const auto& e : fs::recursive_directory_iterator(tmp)) {
    if (e.is_symlink()) continue;
    if (e.is_directory()) folders.push_back(e.path());
    else if (e.is_regular_file()) sync_path(e.path(), false);
  }
  for (auto f = folders.rbegin(); f != folders.rend(); ++f) sync_path(*f, true);
}

/// The nearest existing folder at or above `p` ("." for a relative path with none).
fs::path existing_ancestor(const fs::path& p) {
  std::error_code ec;
  fs::path a = p;
  while (!a.empty() && !fs::exists(a, ec)) a = a.parent_path();
  return a.empty() ? fs::path(".") : a;
}

/// Throws lantian::Error naming `out` when lantian could not create `out` (or its temporary)
/// in the folder that will hold it: checked before a long run rather than after it.
void require_writable_parent(const fs::path& target, const std::string& out) {
  const fs::path parent = existing_ancestor(target.has_parent_path() ? target.parent_path() : fs::path("."));
  if (::access(parent.c_str(), W_OK | X_OK) == 0) return;
  const int err = errno;
  throw Error({out, 0, ""}, "cannot write in the folder " + parent.string() + " (" + std::strerror(err) +
                                "): choose another output path or make the folder writable");
}

/// Removes what a dead lantian process left beside `target` while writing it (after kill -9 or
/// a power cut): its temporary folders or files, and restores an old output folder that had been
/// moved away (the pre-exchange fallback) when `target` itself is missing.
void clean_leftovers(const fs::path& target, bool folder) {
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string name = target.filename().string();
  std::error_code ec;
  fs::directory_iterator it(parent, ec), end;
  if (ec) return;
  std::vector<fs::path> tmps, olds;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string entry = it->path().filename().string();
    for (const char* kind : {".tmp-", ".old-"}) {
      const long pid = leftover_pid(entry, name + kind);
      if (pid <= 0 || process_alive(pid)) continue;
      const bool is_dir = it->is_directory(ec);
      // Folders are recognised by lantian's marker (written first thing, removed last:
      // remove_output_folder) or by being empty (killed between mkdtemp and the marker, or
      // after the marker was removed: nothing to lose); files by their name.
      if (folder != is_dir) continue;
      if (folder && !fs::exists(it->path() / kOutputMarker, ec) && !fs::is_empty(it->path(), ec)) continue;
      (kind[1] == 't' ? tmps : olds).push_back(it->path());
    }
  }
  for (const fs::path& old : olds) {
    if (!fs::exists(target, ec)) {
      fs::rename(old, target, ec);
      if (!ec) continue;
    }
    remove_output_folder(old);
  }
  for (const fs::path& tmp : tmps) remove_output_folder(tmp);
}

/// Swaps the complete new folder `tmp` with the existing `target`: an atomic exchange where the
/// file system has one (Linux renameat2), so `target` is never missing; afterwards `tmp` holds
/// the old output, which the caller removes.
void exchange_folders(const fs::path& tmp, const fs::path& target, const std::string& dir) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EOPNOTSUPP)
    throw Error({dir, 0, ""}, std::string("cannot move the new outputs into place: ") + std::strerror(errno));
  // No exchange here: move the old folder away, the new one in, then the old one to `tmp`'s name.
  std::string templ = target.string() + ".old-" + std::to_string(::getpid()) + "-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr)
    throw Error({templ, 0, ""}, std::string("cannot create a temporary folder: ") + std::strerror(errno));
  const fs::path old(templ);
  std::error_code ec;
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
  fs::rename(old, tmp, ec);
  if (ec) remove_output_folder(old);
}

}  // namespace

// ---- InputPaths ---------------------------------------------------------------------------------

void InputPaths::add(const std::string& path, std::string what) {
  if (!path.empty()) entries_.push_back({fs::path(path), std::move(what), false});
}

void InputPaths::add_container(const std::string& path, std::string what) {
  if (!path.empty()) entries_.push_back({fs::path(path), std::move(what), true});
}

void InputPaths::add(const InputPaths& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

void InputPaths::check_clear(const std::string& out, std::string_view option) const {
  if (out.empty()) return;
  const fs::path o = resolved(out);
  const ErrorContext where{out, 0, std::string(option)};
  // The most precise reason first: "is the case folder" rather than "holds the case file".
  std::vector<fs::path> in(entries_.size());
  for (std::size_t n = 0; n < entries_.size(); ++n) in[n] = resolved(entries_[n].path);
  auto refuse = [&](const char* how, const Entry& e) {
    throw Error(where, std::string("refusing to write here: it ") + how + " " + e.what + " (" + e.path.string() +
                           "), an input of this command");
  };
  for (std::size_t n = 0; n < in.size(); ++n)
    if (o == in[n]) refuse("is", entries_[n]);
  for (std::size_t n = 0; n < in.size(); ++n)
    if (within(in[n], o)) refuse("holds", entries_[n]);
  for (std::size_t n = 0; n < in.size(); ++n)
    if (!entries_[n].container && within(o, in[n])) refuse("lies inside", entries_[n]);
}

InputPaths case_input_paths(const CaseConfig& c) {
  InputPaths in;
  const std::string& file = c.source.file();
  in.add(file, "the case file");
  if (!file.empty()) {
    const fs::path folder = fs::path(file).parent_path();
    in.add_container(folder.empty() ? "." : folder.string(), "the case folder");
  }
  in.add(c.paths.observations, "the observations");
  in.add(c.paths.meteorology, "the meteorology");
  in.add(c.paths.emissions, "the inventory");
  for (const std::string& f : c.meteo.files) in.add(f, "a met file");
  const EmissionsConfig& e = c.emissions;
  in.add(e.folder, "the inventory folder");
  for (const std::string* f : {&e.enterprises, &e.stacks, &e.lines, &e.area_sources, &e.roads, &e.profiles})
    in.add(*f, "an inventory file");
  for (const GriddedEmissionsConfig& g : e.gridded) in.add(g.file, "a gridded inventory");
  in.add(c.rules_file, "the rules file");
  in.add(c.model.boundary_file, "the boundary file");
  return in;
}

// ---- output folders ------------------------------------------------------------------------------

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error({path.string(), 0, ""}, std::string("cannot create file: ") + std::strerror(errno));
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error({path.string(), 0, ""}, "cannot write file (disk full?)");
}

void check_output_dir(const OutputRequest& req) {
  const std::string& dir = req.path;
  const fs::path target = normalized_dir(dir);
  req.inputs.check_clear(dir);
  require_writable_parent(target, dir);
  clean_leftovers(target, true);  // may restore an old output moved away by a killed run
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st)) throw Error({dir, 0, ""}, "the output path exists and is not a folder");
  const bool empty = fs::is_empty(target, ec);
  if (ec) throw Error({dir, 0, ""}, "cannot read the output folder: " + ec.message());
  if (empty) return;
  if (!req.force) throw Error({dir, 0, ""}, "the output folder exists and is not empty (use --force to replace it)");
  if (!fs::exists(target / kOutputMarker, ec))
    throw Error({dir, 0, ""}, std::string("the folder was not written by lantian (it has no ") + kOutputMarker +
                                  "): --force replaces only lantian's own output folders; choose another --out "
                                  "or remove the folder yourself");
}

void write_output_folder(const OutputRequest& req, const std::function<void(const fs::path&)>& write) {
  check_output_dir(req);
  const std::string& dir = req.path;
  const fs::path target = normalized_dir(dir);
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw Error({target.parent_path().string(), 0, ""}, "cannot create the folder: " + ec.message());
  }
  std::string templ = (target.parent_path() / temp_prefix(target, ".tmp-")).string() + "XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr)
    throw Error({templ, 0, ""}, std::string("cannot create a temporary folder: ") + std::strerror(errno));
  const fs::path tmp(templ);
  register_pending(tmp, true);
  try {
    // mkdtemp makes it private (0700); the outputs are an ordinary folder (0755).
    fs::permissions(tmp,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                        fs::perms::others_exec,
                    fs::perm_options::replace);
    write_file(tmp / kOutputMarker, std::string("lantian ") + LANTIAN_VERSION + " " +
                                        (req.command.empty() ? "output" : req.command) + "\n");
    write(tmp);
    sync_folder_tree(tmp);
    {
      // Under the registry lock: a signal arriving now waits until the folder is in place.
      std::lock_guard<std::mutex> lock(registry_mutex());
      const bool replace = fs::exists(target, ec) && !fs::is_empty(target, ec);
      if (replace && !req.force)
        throw Error({dir, 0, ""}, "the output folder appeared while this run was writing (use --force to replace it)");
      if (replace) {
        exchange_folders(tmp, target, dir);
      } else {
        fs::rename(tmp, target, ec);  // replaces an empty folder
        if (ec) throw Error({dir, 0, ""}, "cannot move the outputs into place: " + ec.message());
      }
    }
    // The rename is durable once the parent folder is flushed (a failure here is no reason to
    // fail a run whose output is in place).
    try {
      sync_path(target.has_parent_path() ? target.parent_path() : fs::path("."), true);
    } catch (const Error&) {
    }
    remove_output_folder(tmp);  // the old output after an exchange; nothing otherwise
    unregister_pending(tmp);
  } catch (...) {
    remove_output_folder(tmp);
    unregister_pending(tmp);
    throw;
  }
}

// ---- output files --------------------------------------------------------------------------------

void check_output_file(const OutputRequest& req, std::string_view signature) {
  const std::string& file = req.path;
  if (file.empty()) throw Error("output file: empty path");
  req.inputs.check_clear(file);
  std::error_code ec;
  const fs::path parent = fs::path(file).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw Error({file, 0, ""}, "the folder " + parent.string() + " does not exist");
  require_writable_parent(fs::path(file), file);
  const fs::file_status st = fs::status(file, ec);
  if (!fs::exists(st)) return;
  if (fs::is_directory(st)) throw Error({file, 0, ""}, "the output path is a folder; expected a file name");
  if (!req.force) throw Error({file, 0, ""}, "the output file exists (use --force to replace it)");
  std::ifstream in(file, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (signature.empty() || head.find(signature) == std::string::npos)
    throw Error({file, 0, ""}, "the file was not written by lantian (it lacks \"" + std::string(signature) +
                                   "\"): --force replaces only lantian's own files; choose another --out "
                                   "or remove the file yourself");
}

void write_output_file(const OutputRequest& req, std::string_view signature,
                       const std::function<void(std::ostream&)>& write) {
  check_output_file(req, signature);
  const fs::path target(req.path);
  std::error_code ec;
  clean_leftovers(target, false);
  std::string templ = (target.parent_path() / temp_prefix(target, ".tmp-")).string() + "XXXXXX";
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) throw Error({req.path, 0, ""}, std::string("cannot create a temporary file: ") + std::strerror(errno));
  ::fchmod(fd, 0644);  // mkstemp makes it private; outputs are ordinary files
  ::close(fd);
  const fs::path tmp(templ);
  register_pending(tmp, false);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw Error({req.path, 0, ""}, std::string("cannot write the file: ") + std::strerror(errno));
      write(out);
      out.close();
      if (!out) throw Error({req.path, 0, ""}, "cannot write the file (disk full?)");
    }
    sync_path(tmp, false);  // complete on the disk before its name replaces the old file
    std::lock_guard<std::mutex> lock(registry_mutex());
    fs::rename(tmp, target, ec);
    if (ec) throw Error({req.path, 0, ""}, "cannot rename the temporary file into place: " + ec.message());
  } catch (...) {
    fs::remove(tmp, ec);
    unregister_pending(tmp);
    throw;
  }
  unregister_pending(tmp);
}

// ---- signals -------------------------------------------------------------------------------------

namespace {

void say(const std::string& s) {
  const ssize_t n = ::write(2, s.data(), s.size());
  (void)n;
}

[[noreturn]] void clean_up_and_exit(int sig) {
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    for (const Pending& p : registry()) {
      std::error_code ec;
      if (p.folder)
        remove_output_folder(p.tmp);
      else
        fs::remove(p.tmp, ec);
      say("\nlantian: removed the unfinished output " + p.tmp.string() + "\n");
    }
    const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
    say(std::string("lantian: interrupted by ") + name + "; earlier outputs are as they were\n");
  }
  ::_exit(128 + sig);
}

}  // namespace

void install_output_cleanup_on_signals() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
      int sig = 0;
      while (::sigwait(&set, &sig) != 0) {
      }
      clean_up_and_exit(sig);
    }).detach();
  });
}

}  // namespace lantian
