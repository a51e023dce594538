#pragma once
// The one output rule of every command (issue 18): nothing the user gave is deleted or
// overwritten.
//
// - An output path must not be an input (the case file, the inventory folder, the observations,
//   the met files, the rules, ...), must not contain one, and must not lie inside an input folder.
//   A folder that only holds inputs (the case folder, a run folder read by `lantian report`) may
//   receive outputs in new subfolders or files, but may not itself be the output.
// - Output folders are written all-or-nothing: every file goes into a fresh DIR.tmp-PID-XXXXXX
//   beside DIR, which replaces DIR only when all of them are complete (an atomic exchange where
//   the file system has one). Every folder lantian writes holds a marker file (.lantian-output);
//   `--force` replaces an existing non-empty folder only when it carries that marker, never a
//   folder lantian did not write.
// - Output files (report, met, plume, validate) are written to FILE.tmp-PID-XXXXXX in the same
//   folder and renamed; an existing file is replaced only with `force` and only when it is
//   recognisably lantian's (a signature its first bytes carry, e.g. the report's generator tag).
// - On SIGINT, SIGTERM or SIGHUP (install_output_cleanup_on_signals) the temporary folders and
//   files are removed and the old complete output is left in place; after kill -9 the next run
//   for the same output removes what a dead process left (and restores an old folder that was
//   moved away but not yet replaced).
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lantian {

struct CaseConfig;

/// The paths a command reads, which its outputs must keep clear of.
class InputPaths {
 public:
  /// A file or folder the command reads, described for messages ("the inventory folder"). An
  /// output may not be it, contain it, or lie inside it. Empty paths are ignored.
  void add(const std::string& path, std::string what);
  /// A folder that holds inputs but may receive outputs inside it (the case folder, a run
  /// folder): an output may not be it or contain it.
  void add_container(const std::string& path, std::string what);
  /// Every path of `other`.
  void add(const InputPaths& other);

  /// Throws lantian::Error naming `option` (e.g. "--out"), the output and the input it collides
  /// with when `out` is, contains or lies inside an input.
  void check_clear(const std::string& out, std::string_view option = "--out") const;

  struct Entry {
    std::filesystem::path path;  ///< as given
    std::string what;
    bool container = false;
  };
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
};

/// Every input of a case: the case file and its folder (a container), the observations, the met
/// files, the inventory folder and files, the gridded files, the rules and the boundary file.
InputPaths case_input_paths(const CaseConfig& config);

/// Where and how a command writes its output.
struct OutputRequest {
  std::string path;     ///< the output folder or file (--out)
  bool force = false;   ///< replace an existing output that lantian wrote
  InputPaths inputs;    ///< what the command reads
  std::string command;  ///< the command's name, recorded in the marker ("run", "aqi")
};

/// The marker file in every output folder lantian writes.
inline constexpr const char* kOutputMarker = ".lantian-output";

/// Throws lantian::Error when the folder `req.path` cannot receive outputs: an empty path, ".",
/// "..", a file, a collision with an input, a non-empty folder without `force`, or (with
/// `force`) a non-empty folder without lantian's marker. Call it before a long run to fail early.
void check_output_dir(const OutputRequest& req);

/// Calls `write(tmp)` to fill a temporary folder, then puts it in place of `req.path` (see the
/// header). Exceptions from `write` propagate after the temporary folder is removed; the previous
/// output, if any, is then untouched.
void write_output_folder(const OutputRequest& req, const std::function<void(const std::filesystem::path&)>& write);

/// Throws lantian::Error when the file `req.path` cannot be written: a folder, a missing parent
/// folder (not created: a mistyped path should not make a tree), a collision with
/// an input, an existing file without `force`, or (with `force`) an existing file whose first
/// 4 KiB do not contain `signature` (the mark of lantian's files of this kind).
void check_output_file(const OutputRequest& req, std::string_view signature);

/// Writes `req.path` through a temporary file in the same folder, renamed into place when
/// `write` returned and the stream is good (after check_output_file). On any failure the
/// temporary file is removed and the old file, if any, is untouched.
void write_output_file(const OutputRequest& req, std::string_view signature,
                       const std::function<void(std::ostream&)>& write);

/// Writes `content` to `path` (binary, truncating); throws lantian::Error naming the file. For
/// files inside a temporary output folder of write_output_folder.
void write_file(const std::filesystem::path& path, const std::string& content);

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and the threads it starts later, and
/// starts one thread that waits for them: it removes every unfinished output of this process,
/// says so on stderr and exits with 128 + the signal number. Call it first thing in main(),
/// before any other thread exists. Idempotent.
void install_output_cleanup_on_signals();

}  // namespace lantian
