#pragma once
// Output folders written all-or-nothing: every file goes into a fresh DIR.tmp-XXXXXX beside DIR,
// which is renamed to DIR only when all of them are complete. With `force` an existing
// non-empty DIR is moved away first and removed after the new one is in place. On any failure
// the temporary folder is removed and DIR is left as it was (nothing half-written).
#include <filesystem>
#include <functional>
#include <string>

namespace lantian {

/// Throws lantian::Error when `dir` cannot receive outputs: an empty path, ".", "..", a file, or
/// a non-empty folder without `force`. Call it before a long run to fail early.
void check_output_dir(const std::string& dir, bool force);

/// Calls `write(tmp)` to fill a temporary folder, then moves it to `dir` (see the header).
/// Exceptions from `write` propagate after the temporary folder is removed.
void write_output_folder(const std::string& dir, bool force, const std::function<void(const std::filesystem::path&)>& write);

/// Writes `content` to `path` (binary, truncating); throws lantian::Error naming the file.
void write_file(const std::filesystem::path& path, const std::string& content);

}  // namespace lantian
