// The one Catch2 main of every test binary. OpenMP threads that spin while they wait (libgomp's
// default) run ~100x slower when the cores are shared, as under `ctest -j` or on a CI runner;
// libgomp reads OMP_WAIT_POLICY when it is loaded, before main, so it is set by a re-exec of this
// same binary, once and only when unset (as apps/main.cpp does for lantian). ctest's ENVIRONMENT
// property cannot carry it: catch_discover_tests keeps only the first item of a ';' list.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

#include <unistd.h>

int main(int argc, char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    ::setenv("OMP_WAIT_POLICY", "passive", 1);
    ::execv("/proc/self/exe", argv);  // on failure: go on with the default
  }
  return Catch::Session().run(argc, argv);
}
