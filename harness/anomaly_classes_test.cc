// The anomaly classes of results.json: invalid checkers only, refined by the kinds they name.
#include "anomaly_classes.h"

#include <catch2/catch.hpp>

using namespace faultline;
using nlohmann::json;

TEST_CASE("anomaly classes: invalid checkers, refined by set kinds and transaction anomaly types") {
  const json results = {{"valid", false},
                        {"checkers",
                         {{"linearizability", {{"valid", false}, {"invalid_key_count", 2}}},
                          {"set", {{"valid", false}, {"lost_count", 3}, {"unexpected_count", 0}}},
                          {"list-append", {{"valid", false}, {"anomaly-types", {"G0", "G1c"}}}},
                          {"convergence", {{"valid", "unknown"}}},
                          {"stats", {{"valid", true}}}}}};
  CHECK(anomaly_classes(results) == std::set<std::string>{"linearizability", "set: lost", "list-append: G0", "list-append: G1c"});
  CHECK(classes_text(anomaly_classes(results)) == "linearizability, list-append: G0, list-append: G1c, set: lost");
  CHECK(anomaly_classes(json{{"valid", true}, {"checkers", {{"stats", {{"valid", true}}}}}}).empty());
  CHECK(anomaly_classes(json(nullptr)).empty());
  CHECK(classes_text({}) == "none");
}
