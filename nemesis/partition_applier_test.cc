// The partition applier: the link states a partition means, on an in-memory set of links.
#include "partition_applier.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

// Records what the applier asks of the network.
class RecordingLinks final : public proxy::NetworkLinks {
 public:
  std::string set_link_states(const std::vector<proxy::LinkChange>& changes) override {
    for (const auto& change : changes) states[{change.from, change.to}] = change.state;
    ++calls;
    return "";
  }
  void heal_all() override {
    for (auto& [link, state] : states) state = proxy::link_open;
    ++heals;
  }
  std::map<std::pair<std::string, std::string>, proxy::LinkState> states;
  int calls = 0;
  int heals = 0;
};

std::set<std::pair<std::string, std::string>> cut_links(const RecordingLinks& links) {
  std::set<std::pair<std::string, std::string>> cut;
  for (const auto& [link, state] : links.states)
    if (state.cut) cut.insert(link);
  return cut;
}

}  // namespace

TEST_CASE("a partition sets every link between the nodes, cut or open") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3"};
  const auto changes = network_link_changes(nodes, partition_isolate(nodes, "n3"), std::nullopt);
  std::vector<std::string> text;
  for (const auto& change : changes) text.push_back(change.from + "->" + change.to + (change.state.cut ? " cut" : " open"));
  CHECK(text == std::vector<std::string>{"n1->n2 open", "n1->n3 cut", "n2->n1 open", "n2->n3 cut", "n3->n1 cut",
                                         "n3->n2 cut"});
}

TEST_CASE("apply puts a partition in place in one call, a new one replaces it, heal opens all") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3"};
  RecordingLinks links;
  CHECK(apply_network_faults(links, nodes, partition_isolate(nodes, "n1"), std::nullopt) == "");
  CHECK(links.calls == 1);
  CHECK(cut_links(links) == std::set<std::pair<std::string, std::string>>{
                                {"n1", "n2"}, {"n1", "n3"}, {"n2", "n1"}, {"n3", "n1"}});
  CHECK(apply_network_faults(links, nodes, partition_one_way({{"n2", "n3"}}), std::nullopt) == "");
  CHECK(cut_links(links) == std::set<std::pair<std::string, std::string>>{{"n2", "n3"}});
  apply_network_faults(links, nodes, std::nullopt, std::nullopt);
  CHECK(links.heals == 1);
  CHECK(cut_links(links).empty());
}

TEST_CASE("a partition naming a node the network lacks changes nothing") {
  RecordingLinks links;
  const std::string error = apply_network_faults(links, {"n1", "n2"}, partition_one_way({{"n1", "n9"}}), std::nullopt);
  CHECK(error == "partition one-way n1->n9: cuts link n1 -> n9, but the network has no such node");
  CHECK(links.calls == 0);
}
