// The output rule (core/output_folder.hpp): outputs never are, hold or lie inside an input;
// --force replaces only what lantian wrote; failures and leftovers of dead processes leave the
// previous output as it was. And csv_text (core/csv_file.hpp): formula cells neutralised.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/case_config.hpp"
#include "core/csv_file.hpp"
#include "core/error.hpp"
#include "core/output_folder.hpp"
#include "core/temp_dir.hpp"

using namespace lantian;
using lantian::test::TempDir;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Every file under `dir` (relative path -> bytes): "byte-identical" is equality of this map.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? slurp(e.path()) : std::string("<dir>");
  return files;
}

/// A process id that no longer exists: a child that exited and was reaped.
long dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return static_cast<long>(pid);
}

/// A case folder: case.toml, an inventory folder, observations and a rules file.
struct CaseFolder {
  TempDir dir;
  fs::path root = dir.path() / "city";
  CaseFolder() {
    fs::create_directories(root / "inventory");
    std::ofstream(root / "case.toml") << "name = \"x\"\n";
    std::ofstream(root / "inventory" / "enterprises.csv") << "id,name\nE1,Plant\n";
    std::ofstream(root / "observations.csv") << "station,time,PM2.5\n";
    std::ofstream(dir.path() / "national.toml") << "# rules\n";
  }
  InputPaths inputs() const {
    InputPaths in;
    in.add((root / "case.toml").string(), "the case file");
    in.add_container(root.string(), "the case folder");
    in.add((root / "inventory").string(), "the inventory folder");
    in.add((root / "observations.csv").string(), "the observations");
    in.add((dir.path() / "national.toml").string(), "the rules file");
    return in;
  }
};

void write_one(const OutputRequest& req, const std::string& name, const std::string& text) {
  write_output_folder(req, [&](const fs::path& tmp) { std::ofstream(tmp / name) << text; });
}

std::size_t siblings_with(const fs::path& dir, const std::string& part) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(part) != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("an output may not be, hold or lie inside an input", "[core][output]") {
  CaseFolder c;
  const InputPaths in = c.inputs();
  const std::string root = c.root.string();
  CHECK_THROWS_WITH(in.check_clear(root), Contains("it is the case folder") && Contains("--out"));
  CHECK_THROWS_WITH(in.check_clear(root + "/inventory/.."), Contains("it is the case folder"));
  CHECK_THROWS_WITH(in.check_clear(root + "/"), Contains("it is the case folder"));
  CHECK_THROWS_WITH(in.check_clear(root + "/inventory"), Contains("it is the inventory folder"));
  CHECK_THROWS_WITH(in.check_clear(root + "/inventory/out"), Contains("lies inside the inventory folder"));
  CHECK_THROWS_WITH(in.check_clear(c.dir.path().string()), Contains("it holds the case file"));
  CHECK_THROWS_WITH(in.check_clear(root + "/observations.csv"), Contains("it is the observations"));
  CHECK_THROWS_WITH(in.check_clear((c.dir.path() / "national.toml").string()), Contains("it is the rules file"));
  // A new folder inside the case folder (the paths.output convention) or beside it is fine.
  CHECK_NOTHROW(in.check_clear(root + "/out"));
  CHECK_NOTHROW(in.check_clear((c.dir.path() / "out").string()));
  // A symbolic link to the case folder is the case folder.
  fs::create_directory_symlink(c.root, c.dir.path() / "link");
  CHECK_THROWS_WITH(in.check_clear((c.dir.path() / "link").string()), Contains("it is the case folder"));
}

TEST_CASE("force replaces only a folder lantian wrote, inputs are never touched", "[core][output]") {
  CaseFolder c;
  const auto before = snapshot(c.dir.path());
  OutputRequest req{c.root.string(), true, c.inputs(), "test"};
  CHECK_THROWS_WITH(write_one(req, "a.csv", "x"), Contains("it is the case folder"));
  req.path = (c.root / "inventory" / "..").string();
  CHECK_THROWS_WITH(write_one(req, "a.csv", "x"), Contains("it is the case folder"));
  // A folder of the user's (not an input) without lantian's marker.
  fs::create_directories(c.root / "notes");
  std::ofstream(c.root / "notes" / "mine.txt") << "keep me";
  const auto with_notes = snapshot(c.dir.path());
  req.path = (c.root / "notes").string();
  CHECK_THROWS_WITH(write_one(req, "a.csv", "x"), Contains("not written by lantian") && Contains(kOutputMarker));
  req.force = false;
  CHECK_THROWS_WITH(write_one(req, "a.csv", "x"), Contains("use --force"));
  CHECK(snapshot(c.dir.path()) == with_notes);
  fs::remove_all(c.root / "notes");
  CHECK(snapshot(c.dir.path()) == before);

  // lantian's own output: written, then replaced with --force; the old files are gone.
  req.path = (c.root / "out").string();
  write_one(req, "a.csv", "first");
  CHECK(slurp(c.root / "out" / "a.csv") == "first");
  CHECK(fs::exists(c.root / "out" / kOutputMarker));
  CHECK_THROWS_WITH(write_one(req, "b.csv", "second"), Contains("use --force"));
  req.force = true;
  write_one(req, "b.csv", "second");
  CHECK_FALSE(fs::exists(c.root / "out" / "a.csv"));
  CHECK(slurp(c.root / "out" / "b.csv") == "second");
  CHECK(siblings_with(c.root, ".tmp-") == 0);
  CHECK(siblings_with(c.root, ".old-") == 0);

  // A writer that fails leaves the previous output as it was and no temporary folder.
  const auto done = snapshot(c.root / "out");
  CHECK_THROWS_WITH(write_output_folder(req,
                                        [](const fs::path& tmp) {
                                          std::ofstream(tmp / "half.csv") << "half";
                                          throw Error("simulated failure");
                                        }),
                    Contains("simulated failure"));
  CHECK(snapshot(c.root / "out") == done);
  CHECK(siblings_with(c.root, ".tmp-") == 0);
}

TEST_CASE("leftovers of a dead process are removed, an old output moved away is restored", "[core][output]") {
  TempDir d;
  const fs::path out = d.path() / "out";
  const long dead = dead_pid();
  const fs::path stale = d.path() / ("out.tmp-" + std::to_string(dead) + "-a1b2c3");
  fs::create_directories(stale);
  std::ofstream(stale / kOutputMarker) << "lantian\n";
  std::ofstream(stale / "fields.nc") << "half";
  // Not lantian's (no marker, a file in it) and a live process's (ours: the parent of this
  // test): both kept.
  const fs::path foreign = d.path() / ("out.tmp-" + std::to_string(dead) + "-zzzzzz");
  fs::create_directories(foreign);
  std::ofstream(foreign / "notes.txt") << "a user's file";
  // Empty, no marker: killed between mkdtemp and the marker (or after the marker, removed last,
  // was gone): nothing to lose, removed.
  const fs::path empty = d.path() / ("out.tmp-" + std::to_string(dead) + "-e5e5e5");
  fs::create_directories(empty);
  const fs::path live = d.path() / ("out.tmp-" + std::to_string(::getppid()) + "-q1w2e3");
  fs::create_directories(live);
  std::ofstream(live / kOutputMarker) << "lantian\n";
  write_one({out.string(), false, {}, "test"}, "a.csv", "new");
  CHECK_FALSE(fs::exists(stale));
  CHECK_FALSE(fs::exists(empty));
  CHECK(fs::exists(foreign / "notes.txt"));
  CHECK(fs::exists(live));

  // kill -9 between "old output moved away" and "new output moved in" (the fallback without an
  // atomic exchange): the next run restores the old output before it checks the folder.
  const fs::path out2 = d.path() / "report";
  const fs::path old = d.path() / ("report.old-" + std::to_string(dead) + "-x9y8z7");
  fs::create_directories(old);
  std::ofstream(old / kOutputMarker) << "lantian\n";
  std::ofstream(old / "a.csv") << "old complete output";
  CHECK_THROWS_WITH(write_one({out2.string(), false, {}, "test"}, "a.csv", "new"), Contains("use --force"));
  CHECK_FALSE(fs::exists(old));
  CHECK(slurp(out2 / "a.csv") == "old complete output");
}

TEST_CASE("output files: through a temporary, never over an input, --force only over lantian's", "[core][output]") {
  TempDir d;
  const std::string input = d.write("sources.csv", "id,x,y\n");
  InputPaths in;
  in.add(input, "the sources");
  const std::string sig = "time,receptor,conc\n";
  auto write = [&](const std::string& path, bool force, const std::string& body) {
    write_output_file({path, force, in, "test"}, sig, [&](std::ostream& o) { o << sig << body; });
  };
  CHECK_THROWS_WITH(write(input, true, "x"), Contains("it is the sources"));
  CHECK(slurp(input) == "id,x,y\n");
  const std::string out = (d.path() / "out.csv").string();
  write(out, false, "1\n");
  CHECK(slurp(out) == sig + "1\n");
  CHECK_THROWS_WITH(write(out, false, "2\n"), Contains("use --force"));
  write(out, true, "2\n");
  CHECK(slurp(out) == sig + "2\n");
  const std::string user = d.write("notes.csv", "my own table\n");
  CHECK_THROWS_WITH(write(user, true, "3\n"), Contains("not written by lantian"));
  CHECK(slurp(user) == "my own table\n");
  CHECK_THROWS_WITH(write((d.path() / "no" / "x.csv").string(), false, ""), Contains("does not exist"));
  fs::create_directories(d.path() / "sub");
  CHECK_THROWS_WITH(write((d.path() / "sub").string(), true, ""), Contains("is a folder"));
  // A failing writer leaves the old file and no temporary.
  CHECK_THROWS(write_output_file({out, true, in, "test"}, sig, [](std::ostream&) { throw Error("boom"); }));
  CHECK(slurp(out) == sig + "2\n");
  CHECK(siblings_with(d.path(), ".tmp-") == 0);
}

TEST_CASE("a case's inputs", "[core][output]") {
  TempDir d;
  const std::string file = d.write("case.toml", R"(name = "x"
rules_file = "rules.toml"
[period]
start = "2024-12-12T16:00"
hours = 24
[grid]
crs = "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=32 +lon_0=118.8 +datum=WGS84 +units=m"
nx = 4
ny = 4
dx = 1000.0
dy = 1000.0
x0 = 0.0
y0 = 0.0
layer_tops = [50, 150]
[paths]
observations = "obs.csv"
[emissions]
folder = "inventory"
[model]
boundary_file = "bc.csv"
)");
  const InputPaths in = case_input_paths(load_case(file));
  const std::string root = d.path().string();
  CHECK_THROWS_WITH(in.check_clear(root), Contains("it is the case folder"));
  CHECK_THROWS_WITH(in.check_clear(root + "/inventory/sub"), Contains("lies inside the inventory folder"));
  CHECK_THROWS_WITH(in.check_clear(root + "/obs.csv"), Contains("the observations"));
  CHECK_THROWS_WITH(in.check_clear(root + "/rules.toml"), Contains("the rules file"));
  CHECK_THROWS_WITH(in.check_clear(root + "/bc.csv"), Contains("the boundary file"));
  CHECK_NOTHROW(in.check_clear(root + "/out"));
}

TEST_CASE("csv_text quotes and neutralises spreadsheet formulas", "[core][csv][output]") {
  CHECK(csv_text("Plant 1") == "Plant 1");
  CHECK(csv_text("") == "");
  CHECK(csv_text("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(csv_text("=1+2") == "'=1+2");
  CHECK(csv_text("+1-2+3") == "'+1-2+3");
  CHECK(csv_text("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_text("\tx") == "'\tx");
  CHECK(csv_text("-2+3") == "'-2+3");
  CHECK(csv_text("-3.5") == "-3.5");  // a number is not a formula
  CHECK(csv_text("+12") == "+12");
  CHECK(csv_text("a,b") == "\"a,b\"");
  CHECK(csv_text("钢铁厂 \"一号\"") == "\"钢铁厂 \"\"一号\"\"\"");
}
