// Real histories recorded by Jepsen and Knossos, with their known verdicts. The corpus is
// read from ../shared/corpus (FAULTLINE_CORPUS), never copied into the project.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "history/history_format.h"
#include "history/test_corpus.h"
#include "linearizability/linearizability.h"

using namespace faultline;
namespace fs = std::filesystem;

namespace {

const Model& cas_register_model = *find_model("cas-register");

Verdict check_file(const fs::path& file, nlohmann::json initial, ModelConventions conventions = {}) {
  auto history = read_history_file(file.string(), HistoryFormat::auto_detect);
  INFO(file.string());
  if (!history) FAIL(history.error().to_string());
  LinearizabilityOptions options;
  options.model = &cas_register_model;
  options.initial = std::move(initial);
  options.conventions = conventions;
  auto result = check_linearizability(*history, options);
  if (!result) FAIL(result.error().to_string());
  return result->verdict;
}

}  // namespace

TEST_CASE("every jepsen-etcd history gets the verdict in EXPECTED.tsv") {
  const fs::path dir = test::corpus_folder("jepsen-etcd");
  std::ifstream expected(dir / "EXPECTED.tsv");
  REQUIRE(expected.good());
  std::string line;
  std::getline(expected, line);  // header
  int files = 0, linearizable = 0;
  while (std::getline(expected, line)) {
    std::istringstream fields(line);
    std::string file, operations, indeterminate, verdict;
    fields >> file >> operations >> indeterminate >> verdict;
    INFO(file);
    const Verdict want = verdict == "true" ? Verdict::valid : Verdict::invalid;
    CHECK(check_file(dir / file, nullptr) == want);
    ++files;
    linearizable += verdict == "true";
  }
  CHECK(files == 102);
  CHECK(linearizable == 23);
}

TEST_CASE("every knossos-memstress history is linearizable, under Knossos' convention for nil reads") {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(test::corpus_folder("knossos-memstress"))) {
    if (entry.path().extension() != ".edn") continue;
    CHECK(check_file(entry.path(), 0, ModelConventions{.nil_read_matches_any = true}) == Verdict::valid);
    ++files;
  }
  CHECK(files == 100);
}
