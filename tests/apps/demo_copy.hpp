#pragma once
// A writable copy of the demo city for tests that break one of its inputs: examples/demo-city
// and examples/rules copied side by side into a temporary folder (so the case's relative paths,
// "../rules/national.toml" included, resolve in the copy), text edits of the copied files, and a
// snapshot of every file's bytes to show that a refused command left the inputs as they were.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "apps/cli_support.hpp"

namespace lantian::test {

/// examples/demo-city and examples/rules copied into dir (dir/demo-city, dir/rules); the path of
/// the copied case.toml.
inline std::string copy_demo(const TempDir& dir) {
  const fs::path examples = fs::path(LANTIAN_SOURCE_DIR) / "examples";
  fs::copy(examples / "demo-city", dir.path() / "demo-city", fs::copy_options::recursive);
  fs::copy(examples / "rules", dir.path() / "rules", fs::copy_options::recursive);
  return (dir.path() / "demo-city" / "case.toml").string();
}

/// Replaces the first `from` in the file by `to` (REQUIREs that it is there).
inline void edit_file(const std::string& path, const std::string& from, const std::string& to) {
  std::string s = read_text(path);
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  s.replace(pos, from.size(), to);
  write_text(path, s);
}

/// 1-based line of the first `needle` in the file.
inline long line_in(const std::string& path, const std::string& needle) {
  const std::string s = read_text(path);
  const auto pos = s.find(needle);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<long>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

/// Every regular file under `root` (relative path -> bytes).
inline std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = read_text(e.path().string());
  return out;
}

}  // namespace lantian::test
