// The faultline binary's own surface: --version, and --help naming every command.
#include <string>

#include "e2e_support.h"

using namespace faultline::e2e;

TEST_CASE("faultline --version prints its version and exits 0") {
  TempStore temp;
  const Run run = run_faultline({"--version"}, temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(run.output.rfind("faultline ", 0) == 0);
  CHECK(run.output.find('.') != std::string::npos);  // a version number such as 0.5.0
}

TEST_CASE("faultline --help names every command") {
  TempStore temp;
  const Run run = run_faultline({"--help"}, temp.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  for (const char* command : {"test", "analyze", "check", "generate", "report", "cleanup", "suite", "serve"})
    CHECK(run.output.find(std::string(command)) != std::string::npos);
}
