// Issue 18's reproducers through the `lantian` executable: --out and --force never delete or
// overwrite what the user gave; a signal leaves no temporary folder and the old output intact.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "apps/cli_support.hpp"
#include "apps/demo_copy.hpp"

using namespace lantian::test;
using Catch::Contains;

namespace {

/// The demo city copied as a user would (dir/demo-city, dir/rules): its folder.
fs::path copy_demo_folder(const TempDir& d) { return fs::path(copy_demo(d)).parent_path(); }

std::size_t entries_with(const fs::path& dir, const std::string& part) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(part) != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("run --force never replaces the case folder or a folder lantian did not write", "[apps][output]") {
  TempDir d;
  const fs::path x = copy_demo_folder(d);
  std::ofstream(x / "unrelated.txt") << "a user's note";
  fs::create_directories(x / "notes");
  std::ofstream(x / "notes" / "mine.txt") << "keep me";
  const auto before = snapshot(d.path());
  const std::string c = shell_quote((x / "case.toml").string());
  RunResult r = run_lantian("run " + c + " --out " + shell_quote(x.string()) + " --force --no-scenarios -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is the case folder"));
  r = run_lantian("run " + c + " --out " + shell_quote((x / "inventory" / "..").string()) + " --force --no-scenarios -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is the case folder"));
  r = run_lantian("run " + c + " --out " + shell_quote((x / "inventory").string()) + " --force -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is the inventory folder"));
  r = run_lantian("run " + c + " --out " + shell_quote(d.path().string()) + " --force -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it holds the case file"));
  r = run_lantian("run " + c + " --out " + shell_quote((x / "notes").string()) + " --force -q", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("not written by lantian"));
  for (const char* cmd : {"screen", "plan", "evaluate"}) {
    const std::string extra = std::string(cmd) == "evaluate" ? " --measures " + shell_quote((x / "case.toml").string()) : "";
    r = run_lantian(std::string(cmd) + " " + c + " --out " + shell_quote(x.string()) + " --force" + extra, d);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("it is the case folder"));
  }
  r = run_lantian("aqi " + shell_quote((x / "observations.csv").string()) + " --out " + shell_quote(x.string()) + " --force", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("holds the observations"));
  fs::remove(d.path() / "stdout.txt");
  fs::remove(d.path() / "stderr.txt");
  CHECK(snapshot(d.path()) == before);
}

TEST_CASE("report, met, plume and validate never overwrite an input or a file lantian did not write", "[apps][output]") {
  TempDir d;
  const fs::path x = copy_demo_folder(d);
  fs::create_directories(d.path() / "run");
  write_text(d / "mine.csv", "a user's table\n");
  const auto before = snapshot(d.path());
  const std::string c = shell_quote((x / "case.toml").string());
  // `lantian report RUN --case c.toml --out c.toml` used to turn the case into HTML.
  RunResult r = run_lantian("report " + shell_quote(d / "run") + " --case " + c + " --out " + c + " --force", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is the case file"));
  r = run_lantian("report " + shell_quote(d / "run") + " --case " + c + " --out " + shell_quote(d / "mine.csv") + " --force", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("not written by lantian"));
  r = run_lantian("report " + shell_quote(d / "run") + " --case " + c + " --out " + shell_quote(d / "mine.csv"), d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("use --force"));
  // met: the output is checked before the met is read.
  const std::string obs = shell_quote((x / "observations.csv").string());
  r = run_lantian("met " + obs + " --format station --at 32,118.8 --out " + obs + " --force", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is a met file"));
  r = run_lantian("met " + obs + " --format station --at 32,118.8 --out " + shell_quote(d / "mine.csv") + " --force", d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("not written by lantian"));
  // plume: --out naming one of its inputs.
  r = run_lantian("plume --sources " + obs + " --met " + shell_quote(d / "mine.csv") + " --receptors " + obs +
                      " --out " + shell_quote(d / "mine.csv") + " --force",
                  d);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("it is an input CSV"));
  fs::remove(d.path() / "stdout.txt");
  fs::remove(d.path() / "stderr.txt");
  CHECK(snapshot(d.path()) == before);
}

TEST_CASE("SIGTERM and SIGINT during a run leave no temporary folder and the old output intact", "[apps][output][signal]") {
  for (const int sig : {SIGTERM, SIGINT}) {
    TempDir d;
    const fs::path x = copy_demo_folder(d);
    const fs::path out = d.path() / "out";
    // A previous complete output, written by lantian (it carries the marker).
    fs::create_directories(out);
    write_text((out / ".lantian-output").string(), "lantian 0.1.0 run\n");
    write_text((out / "stations.csv").string(), "previous forecast\n");
    const auto old = snapshot(out);
    const std::string bin = lantian_binary(), c = (x / "case.toml").string(), o = out.string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string log = (d.path() / "stderr.txt").string();
      std::FILE* f = std::freopen(log.c_str(), "w", stderr);
      (void)f;
      ::execl(bin.c_str(), bin.c_str(), "run", c.c_str(), "--out", o.c_str(), "--force", "-q", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    REQUIRE(pid > 0);  // never kill(0 or -1, ...): that would reach the test's own process group
    // Wait until the run writes into its temporary folder, then interrupt it.
    bool started = false;
    for (int i = 0; i < 600 && !started; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      started = entries_with(d.path(), "out.tmp-") > 0;
    }
    REQUIRE(started);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + sig);
    CHECK_THAT(read_text(d / "stderr.txt"), Contains("removed the unfinished output") && Contains("interrupted"));
    CHECK(entries_with(d.path(), "out.tmp-") == 0);
    CHECK(entries_with(d.path(), "out.old-") == 0);
    CHECK(snapshot(out) == old);
  }
}
