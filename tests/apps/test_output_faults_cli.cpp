// Issue 17, output safety under faults no handler sees, through the `lantian` executable
// (docs/outputs.md, docs/reliability.md): kill -9 at 20 random points of a run over a complete
// earlier output leaves the old folder or the new one, never a mix, and what the killed run left
// beside it is removed by the next run; a read-only parent folder and a full disk (a file-size
// limit, RLIMIT_FSIZE: no root needed) give a clear error, exit status 1 and nothing written;
// scenario names that look like paths never become paths.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/demo_copy.hpp"
#include "core/demo_case.hpp"

using namespace lantian::test;
using Catch::Contains;

namespace {

using Snapshot = std::map<std::string, std::string>;

/// The coarse demo (20 x 20 x 20 cells of 4 km, sector tags, the 7 scenarios re-run) over `hours`
/// from local midnight of 13 December, written as dir/case-<hours>h.toml: ~1 s of CPU for 3 h.
std::string write_case(const TempDir& dir, int hours, const std::string& extra = "") {
  const std::string path = dir / ("case-" + std::to_string(hours) + "h.toml");
  write_text(path, demo_case_text(DemoCaseOptions::coarse_day(hours)) + extra);
  return path;
}

/// The snapshot with the wall-clock times (scenarios.json's and the report's "wall_s",
/// "rerun_wall_s", "superposition_wall_s") set to 0: the only bytes in which two uninterrupted
/// runs of the same case differ (checked below), so equal normalised snapshots mean the same
/// complete output.
Snapshot normalised(Snapshot s) {
  static const std::regex wall("(\"[a-z_]*wall_s\"): *[-+0-9.eE]+");
  for (auto& [name, bytes] : s)
    if (name.ends_with(".json") || name.ends_with(".html")) bytes = std::regex_replace(bytes, wall, "$1: 0");
  return s;
}

/// Names in `dir` other than those in `keep`.
std::set<std::string> entries_except(const fs::path& dir, const std::set<std::string>& keep) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (!keep.count(e.path().filename().string())) out.insert(e.path().filename().string());
  return out;
}

/// How the child is started: argv after the binary, stderr to `log`, and what it does first.
struct Child {
  std::vector<std::string> args;
  std::string log;
  std::function<void()> before_exec;  ///< in the child, after fork (limits, user)
};

/// Starts `lantian ARGS` (no shell: the pid is the binary's own, so kill reaches it).
pid_t spawn(const Child& c) {
  const std::string bin = lantian_binary();
  std::vector<std::string> argv{bin};
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  std::fflush(nullptr);  // or the child's freopen writes this process's buffered output again
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::FILE* f = std::freopen(c.log.c_str(), "w", stderr);
    std::FILE* g = std::freopen("/dev/null", "w", stdout);
    (void)f;
    (void)g;
    if (c.before_exec) c.before_exec();
    std::vector<char*> p;
    for (std::string& a : argv) p.push_back(a.data());
    p.push_back(nullptr);
    ::execv(bin.c_str(), p.data());
    ::_exit(127);
  }
  return pid;
}

/// Waits for `pid`; the exit status, or 128 + the signal that ended it (as a shell reports it).
int wait_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int run_to_end(const Child& c) {
  const pid_t pid = spawn(c);
  REQUIRE(pid > 0);
  return wait_status(pid);
}

/// "out.tmp-<pid>-XXXXXX" or "out.old-<pid>-XXXXXX" (core/output_folder.cpp's temporary and
/// moved-away folders): the pid, 0 when `name` is not of that form.
long temp_pid(const std::string& name) {
  static const std::regex form("out\\.(tmp|old)-([0-9]+)-[A-Za-z0-9]{6}");
  std::smatch m;
  return std::regex_match(name, m, form) ? std::stol(m[2].str()) : 0;
}

}  // namespace

TEST_CASE("kill -9 at 20 random points of a run leaves the old complete output or the new one, never a mix",
          "[apps][output][kill]") {
  TempDir d;
  // Two variants whose data files differ (1 h and 2 h), so that a folder mixing their files
  // matches neither.
  const std::string case_a = write_case(d, 1), case_b = write_case(d, 2);
  const fs::path out = d.path() / "out";
  const std::string log = d / "stderr.txt";
  auto run_of = [&](const std::string& c) { return Child{{"run", c, "--out", out.string(), "--force", "-q"}, log, {}}; };
  const std::set<std::string> ours{"out", "case-1h.toml", "case-2h.toml", "stderr.txt"};

  // The reference outputs, and the length of a run of each variant (the kill times are spread
  // over it): B's the shorter of two (the first one starts cold), A's after them.
  auto timed = [&](const std::string& c) {
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run_to_end(run_of(c)) == 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  double run_b = timed(case_b);
  const Snapshot raw_b = snapshot(out);
  run_b = std::min(run_b, timed(case_b));
  // Two runs of one case differ only in the wall-clock figures.
  CHECK(normalised(snapshot(out)) == normalised(raw_b));
  const Snapshot ref_b = normalised(raw_b);
  const double run_a = timed(case_a);
  Snapshot current = snapshot(out);  // out holds A
  const Snapshot ref_a = normalised(current);
  REQUIRE(ref_a.size() == ref_b.size());
  // A mix would show in any data file (the marker is the same, tasks.csv is its header alone:
  // no response starts in these hours).
  for (const auto& [name, bytes] : ref_a)
    if (name != ".lantian-output" && name != "tasks.csv") CHECK(bytes != ref_b.at(name));
  bool holds_a = true;

  // The kill times, as fractions of the run's length, from a fixed seed (the same 20 every
  // time): 10 over the whole run, 10 over its last part [0.85, 1.15) where the files are
  // written, the folders exchanged and the old output removed (a run's length varies with the
  // load).
  std::mt19937 gen(17);
  int kept_old = 0, replaced = 0, leftovers = 0;
  std::set<long> killed;
  for (int k = 0; k < 20; ++k) {
    const double u = static_cast<double>(gen() % 1000) / 1000.0;
    const double run_s = holds_a ? run_b : run_a;  // the variant started now
    const double at = run_s * (k < 10 ? u : 0.85 + 0.3 * u);
    const pid_t pid = spawn(run_of(holds_a ? case_b : case_a));
    REQUIRE(pid > 0);  // never kill(0 or -1, ...): that would reach the test's own process group
    std::this_thread::sleep_for(std::chrono::duration<double>(at));
    ::kill(pid, SIGKILL);  // a run that already finished is a zombie until waited for: still ours
    const int status = wait_status(pid);
    killed.insert(static_cast<long>(pid));
    INFO("kill " << k << " at " << at << " s of " << run_s << " s, exit status " << status);
    CHECK((status == 128 + SIGKILL || status == 0));
    const Snapshot now = snapshot(out);
    if (now == current) {
      ++kept_old;  // the old output, byte for byte
    } else {
      CHECK(normalised(now) == (holds_a ? ref_b : ref_a));  // else the new one, complete
      replaced += normalised(now) == (holds_a ? ref_b : ref_a) ? 1 : 0;
      current = now;
      holds_a = !holds_a;
    }
    // Beside it only what a killed run may leave (no handler runs on SIGKILL): its temporary
    // folder, or the old output after the exchange, named after a killed process.
    const std::set<std::string> left = entries_except(d.path(), ours);
    for (const std::string& e : left) {
      INFO("left beside the output: " << e);
      CHECK(killed.count(temp_pid(e)) == 1);
    }
    leftovers += left.empty() ? 0 : 1;
  }
  WARN(kept_old << " kills left the old output, " << replaced << " the new one, " << leftovers
                 << " a temporary folder beside it (runs of " << run_a << " and " << run_b << " s)");
  CHECK(kept_old + replaced == 20);
  // Most of the first 10 land before the end of the run (not all: under load a run's length
  // varies), so the kills do interrupt runs.
  CHECK(kept_old >= 5);

  CHECK(leftovers > 0);  // some kills did leave a temporary folder (the run streams fields.nc into it)
  // The next run removes what the dead ones left and writes its output.
  REQUIRE(run_to_end(run_of(holds_a ? case_b : case_a)) == 0);
  CHECK(normalised(snapshot(out)) == (holds_a ? ref_b : ref_a));
  CHECK(entries_except(d.path(), ours).empty());
}

TEST_CASE("a read-only parent folder: a clear error before the run, exit status 1, nothing written",
          "[apps][output]") {
  TempDir d;
  const std::string c = write_case(d, 1);
  const fs::path ro = d.path() / "ro";
  fs::create_directories(ro);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
  // Root writes anywhere: the run then drops to the unprivileged user "nobody" (65534).
  const bool root = ::geteuid() == 0;
  Child child{{"run", c, "--out", (ro / "out").string(), "-q"}, d / "stderr.txt", [root] {
                if (root && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
              }};
  const auto t0 = std::chrono::steady_clock::now();
  const int status = run_to_end(child);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (status == 126) {
    WARN("cannot drop to an unprivileged user here: the read-only case is not run");
    return;
  }
  const std::string err = read_text(d / "stderr.txt");
  INFO(err);
  CHECK(status == 1);
  CHECK_THAT(err, Contains("cannot write in the folder " + ro.string()) && Contains("Permission denied"));
  CHECK(fs::is_empty(ro));
  CHECK(seconds < 5.0);  // refused before the run (a 1-h coarse run with its scenarios takes ~1 s)
  // An output file (the report) in a read-only folder: the same, before anything is read.
  child.args = {"report", d.path().string(), "--case", c, "--out", (ro / "report.html").string()};
  CHECK(run_to_end(child) == 1);
  CHECK_THAT(read_text(d / "stderr.txt"), Contains("cannot write in the folder " + ro.string()));
  CHECK(fs::is_empty(ro));
}

TEST_CASE("a full disk (a file-size limit) fails the run with exit status 1 and leaves the old output",
          "[apps][output]") {
  TempDir d;
  const std::string c = write_case(d, 2);
  const fs::path out = d.path() / "out";
  const std::string log = d / "stderr.txt";
  REQUIRE(run_to_end(Child{{"run", c, "--out", out.string(), "-q"}, log, {}}) == 0);
  const Snapshot old = snapshot(out);
  // The sizes of this output: fields.nc ~100 KiB, scenarios.json ~150 KiB, report.html ~1.2 MiB.
  REQUIRE(fs::file_size(out / "report.html") > (600u << 10));
  REQUIRE(fs::file_size(out / "fields.nc") < (600u << 10));
  REQUIRE(fs::file_size(out / "scenarios.json") < (600u << 10));
  // A write past the limit fails with EFBIG, as a full disk fails with ENOSPC (SIGXFSZ ignored,
  // which exec keeps): report.html is the file that does not fit.
  const rlim_t limit = 600u << 10;
  Child child{{"run", c, "--out", out.string(), "--force", "-q"}, log, [limit] {
                ::signal(SIGXFSZ, SIG_IGN);
                struct rlimit r {limit, limit};
                ::setrlimit(RLIMIT_FSIZE, &r);
              }};
  CHECK(run_to_end(child) == 1);
  const std::string err = read_text(log);
  INFO(err);
  CHECK_THAT(err, Contains("report.html: cannot write the file (disk full?)"));
  CHECK(snapshot(out) == old);
  CHECK(entries_except(d.path(), {"out", "case-2h.toml", "stderr.txt"}).empty());
  // fields.nc (~100 KiB) past a 50 KiB limit: NetCDF's write fails; exit 1, not a crash in
  // HDF5's exit handler (139 before core/netcdf_file.cpp turned it off).
  const rlim_t small = 50u << 10;
  Child nc{{"run", c, "--out", out.string(), "--force", "-q"}, log, [small] {
             ::signal(SIGXFSZ, SIG_IGN);
             struct rlimit r {small, small};
             ::setrlimit(RLIMIT_FSIZE, &r);
           }};
  CHECK(run_to_end(nc) == 1);
  INFO(read_text(log));
  CHECK_THAT(read_text(log), Contains("fields.nc"));
  CHECK(snapshot(out) == old);
  CHECK(entries_except(d.path(), {"out", "case-2h.toml", "stderr.txt"}).empty());
}

TEST_CASE("scenario names that look like paths stay names: nothing is written outside --out", "[apps][output]") {
  TempDir d;
  // Two scenarios named like paths beside the demo's own (the names are only ever written into
  // the files' contents: docs/reliability.md).
  const std::string extra =
      "\n[[scenarios]]\nname = \"../escaped\"\nlevel = \"red\"\nuniform = true\n"
      "\n[[scenarios]]\nname = \"/tmp/lantian-escaped\"\nlevel = \"red\"\nuniform = true\n";
  const std::string c = write_case(d, 1, extra);
  const fs::path out = d.path() / "runs" / "out";
  fs::create_directories(out.parent_path());
  const int status = run_to_end(Child{{"run", c, "--out", out.string(), "--no-reruns", "-q"}, d / "stderr.txt", {}});
  INFO(read_text(d / "stderr.txt"));
  REQUIRE(status == 0);
  CHECK(entries_except(d.path(), {"runs", "case-1h.toml", "stderr.txt"}).empty());
  CHECK(entries_except(out.parent_path(), {"out"}).empty());
  CHECK_FALSE(fs::exists("/tmp/lantian-escaped"));
  const std::set<std::string> expected{".lantian-output", "budget.csv",   "fields.nc",    "report.html",
                                       "scenario_series.csv", "scenarios.csv", "scenarios.json", "stations.csv",
                                       "tasks.csv"};
  CHECK(entries_except(out, {}) == expected);
  CHECK_THAT(read_text((out / "scenarios.csv").string()), Contains("../escaped") && Contains("/tmp/lantian-escaped"));
}
