#include "suite_shard.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

namespace faultline {

namespace {

using nlohmann::json;

// The digits of `text` as a number; nullopt when it is not only digits or is too large.
std::optional<std::size_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  std::size_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  std::string text = "[";
  for (std::size_t i = 0; i < seeds.size(); ++i) text += (i ? ", " : "") + std::to_string(seeds[i]);
  return text + "]";
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator = ", ") {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? separator : "") + parts[i];
  return text;
}

// Groups the shards' directories by `key`, in the order the keys first appear.
template <typename Key>
std::vector<std::pair<std::string, std::vector<std::string>>> directories_by(const std::vector<ShardManifest>& shards,
                                                                            Key key) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const ShardManifest& shard : shards) {
    const std::string value = key(shard);
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == value; });
    if (group == groups.end()) groups.push_back({value, {shard.directory}});
    else group->second.push_back(shard.directory);
  }
  return groups;
}

std::string groups_text(const std::vector<std::pair<std::string, std::vector<std::string>>>& groups) {
  std::vector<std::string> parts;
  for (const auto& [value, directories] : groups) parts.push_back(value + " in " + joined(directories));
  return joined(parts, "; ");
}

}  // namespace

std::expected<SuiteShard, std::string> parse_shard(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return std::unexpected(quoted + " is not I/N (shard I of N, both whole numbers: 2/3 is the second of three)");
  const auto index = whole_number(text.substr(0, slash));
  const auto count = whole_number(text.substr(slash + 1));
  if (!index || !count)
    return std::unexpected(quoted + " is not I/N (shard I of N, both whole numbers: 2/3 is the second of three)");
  if (*count < 1 || *count > suite_shards_max)
    return std::unexpected(quoted + ": N, the number of shards, must be between 1 and " + std::to_string(suite_shards_max));
  if (*index < 1 || *index > *count)
    return std::unexpected(quoted + ": I, the shard's index, must be between 1 and N (" + std::to_string(*count) +
                           "); shards count from 1");
  return SuiteShard{*index, *count};
}

std::string shard_text(const SuiteShard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

double expected_run_s(const TestOptions& options) {
  const RunPlan plan = plan_run(options);
  return plan.warmup_s + plan.faults_s + plan.recovery_s + suite_run_overhead_s;
}

std::vector<PlannedCell> planned_cells(const std::vector<SuiteRun>& runs) {
  std::vector<PlannedCell> cells;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto cell = std::find_if(cells.begin(), cells.end(), [&](const PlannedCell& c) { return c.cell == runs[i].cell; });
    if (cell == cells.end()) {
      cells.push_back({runs[i].cell, {}, 0});
      cell = cells.end() - 1;
    }
    cell->runs.push_back(i);
    cell->expected_ms += std::llround(expected_run_s(runs[i].options) * 1000);
  }
  return cells;
}

std::vector<std::vector<std::size_t>> split_by_weight(const std::vector<std::int64_t>& weights, std::size_t count) {
  std::vector<std::vector<std::size_t>> shards(std::max<std::size_t>(count, 1));
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
  std::vector<std::int64_t> load(shards.size(), 0);
  for (std::size_t item : order) {
    const std::size_t lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    shards[lightest].push_back(item);
    load[lightest] += weights[item];
  }
  for (auto& shard : shards) std::sort(shard.begin(), shard.end());
  return shards;
}

std::vector<PlannedCell> cells_of_shard(const std::vector<PlannedCell>& cells, const SuiteShard& shard) {
  std::vector<std::int64_t> weights;
  for (const PlannedCell& cell : cells) weights.push_back(cell.expected_ms);
  std::vector<PlannedCell> mine;
  const std::vector<std::vector<std::size_t>> shards = split_by_weight(weights, shard.count);
  for (std::size_t i : shards.at(shard.index - 1)) mine.push_back(cells[i]);
  return mine;
}

json shard_manifest_json(const ShardManifest& m) {
  json cells = json::array();
  for (const SuiteCell& cell : m.cells)
    cells.push_back({{"configuration", cell.configuration},
                     {"workload", cell.workload},
                     {"nemesis", cell.nemesis},
                     {"expect", cell.expect}});
  return {{"suite", m.suite},
          {"suite_sha256", m.suite_sha256},
          {"seeds", m.seeds},
          {"shard", {{"index", m.shard.index}, {"count", m.shard.count}}},
          {"cells", cells},
          {"runs", m.runs},
          {"expected_s", m.expected_s},
          {"host", m.host},
          {"started", m.started}};
}

std::expected<ShardManifest, std::string> shard_manifest_from_json(const json& j, const std::string& directory) {
  const std::string where = directory + "/shard.json";
  if (!j.is_object()) return std::unexpected(where + ": expected a JSON object");
  ShardManifest m;
  m.directory = directory;
  for (const char* field : {"suite", "suite_sha256"})
    if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty())
      return std::unexpected(where + ": " + field + ": a non-empty string is required");
  m.suite = j["suite"];
  m.suite_sha256 = j["suite_sha256"];
  if (!j.contains("seeds") || !j["seeds"].is_array()) return std::unexpected(where + ": seeds: an array is required");
  for (const json& seed : j["seeds"]) {
    if (!seed.is_number_unsigned()) return std::unexpected(where + ": seeds: non-negative integers are required");
    m.seeds.push_back(seed);
  }
  const json shard = j.value("shard", json());
  const auto whole = [](const json& value) { return value.is_number_integer() && value.get<std::int64_t>() >= 0; };
  if (!shard.is_object() || !whole(shard.value("index", json())) || !whole(shard.value("count", json())))
    return std::unexpected(where + ": shard: {\"index\": I, \"count\": N} is required");
  m.shard = {shard["index"].get<std::size_t>(), shard["count"].get<std::size_t>()};
  if (m.shard.count < 1 || m.shard.index < 1 || m.shard.index > m.shard.count)
    return std::unexpected(where + ": shard: " + shard_text(m.shard) + " is not a shard I of N with 1 <= I <= N");
  if (!j.contains("cells") || !j["cells"].is_array()) return std::unexpected(where + ": cells: an array is required");
  for (const json& cell : j["cells"]) {
    if (!cell.is_object()) return std::unexpected(where + ": cells: objects are required");
    SuiteCell c;
    for (auto [field, value] : {std::pair{"configuration", &c.configuration}, std::pair{"workload", &c.workload},
                                std::pair{"nemesis", &c.nemesis}, std::pair{"expect", &c.expect}}) {
      if (!cell.contains(field) || !cell[field].is_string())
        return std::unexpected(where + ": cells: " + field + ": a string is required");
      *value = cell[field];
    }
    m.cells.push_back(std::move(c));
  }
  m.runs = j.value("runs", json(0)).is_number_unsigned() ? j["runs"].get<std::size_t>() : 0;
  m.expected_s = j.value("expected_s", json(0)).is_number() ? j["expected_s"].get<double>() : 0;
  m.host = j.value("host", json("")).is_string() ? j["host"].get<std::string>() : "";
  m.started = j.value("started", json("")).is_string() ? j["started"].get<std::string>() : "";
  return m;
}

std::expected<std::vector<ShardManifest>, std::string> check_shard_set(std::vector<ShardManifest> shards) {
  if (shards.empty()) return std::unexpected("no shards given");
  const auto seeds = directories_by(shards, [](const ShardManifest& s) { return "seeds " + seeds_text(s.seeds); });
  if (seeds.size() > 1) return std::unexpected("the shards ran different seeds, so they are not one suite: " + groups_text(seeds));
  const auto suites = directories_by(shards, [](const ShardManifest& s) { return s.suite_sha256; });
  if (suites.size() > 1) {
    const auto files = directories_by(shards, [](const ShardManifest& s) {
      return "suite " + s.suite + " (sha256 " + s.suite_sha256.substr(0, 12) + ")";
    });
    return std::unexpected("the shards ran different suite files: " + groups_text(files) +
                           " (the hash is of the suite file's bytes, as sha256sum prints it)");
  }
  const auto counts = directories_by(shards, [](const ShardManifest& s) { return std::to_string(s.shard.count) + " shards"; });
  if (counts.size() > 1)
    return std::unexpected("the shards split the suite into different numbers of shards: " + groups_text(counts));
  const std::size_t count = shards.front().shard.count;
  std::stable_sort(shards.begin(), shards.end(),
                   [](const ShardManifest& a, const ShardManifest& b) { return a.shard.index < b.shard.index; });
  for (std::size_t i = 1; i < shards.size(); ++i)
    if (shards[i].shard.index == shards[i - 1].shard.index) {
      std::vector<std::string> same;
      for (const ShardManifest& s : shards)
        if (s.shard.index == shards[i].shard.index) same.push_back(s.directory);
      return std::unexpected("shard " + shard_text(shards[i].shard) + " is given more than once: " + joined(same, " and "));
    }
  if (shards.size() < count) {
    std::vector<std::string> missing, present;
    std::size_t next = 0;
    for (std::size_t index = 1; index <= count; ++index) {
      if (next < shards.size() && shards[next].shard.index == index) {
        present.push_back(shard_text(shards[next].shard) + " (" + shards[next].directory + ")");
        ++next;
      } else {
        missing.push_back(shard_text({index, count}));
      }
    }
    return std::unexpected(std::string(missing.size() == 1 ? "shard " : "shards ") + joined(missing) + " of suite " +
                           shards.front().suite + " " + (missing.size() == 1 ? "is" : "are") +
                           " missing; given: " + joined(present) +
                           ". Every shard's output is needed to make the whole matrix.");
  }
  return shards;
}

}  // namespace faultline
