// The set checker. It works on positions in the history (the order things happened) and names
// ops by their index only in the details, so a history with gaps in its indices still works.
#include "set/set_checker.h"

#include "results/set_result.h"

#include <algorithm>
#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faultline {
namespace {

using nlohmann::json;
using Element = std::int64_t;

struct AddRecord {
  std::size_t invoke = 0;
  std::optional<std::size_t> complete;  // nullopt: never completed
  OpType type = OpType::info;           // info also when never completed: the outcome is unknown
};

struct ReadRecord {
  std::size_t invoke = 0;
  std::size_t complete = 0;
  std::vector<Element> elements;  // sorted, duplicates kept
  bool contains(Element element) const { return std::binary_search(elements.begin(), elements.end(), element); }
};

struct SetHistory {
  std::map<Element, AddRecord> adds;
  std::vector<ReadRecord> reads;  // ok reads, in the order they were invoked
  std::int64_t attempted = 0;
  // Every add ended at or before this position; -1 when there were no adds.
  std::int64_t last_add_end = -1;
};

std::string at(const History& history, std::size_t position) {
  return "op " + std::to_string(history[position].index) + ": ";
}

std::expected<SetHistory, std::string> collect(const History& history) {
  SetHistory set;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (op.is_nemesis() || op.type != OpType::invoke) continue;
    const std::int64_t partner = history.partner(i);
    const Op* completion = partner >= 0 ? &history[static_cast<std::size_t>(partner)] : nullptr;
    if (op.f == "add") {
      if (!op.value.is_number_integer())
        return std::unexpected(at(history, i) + "add expects an integer, got " + op.value.dump());
      ++set.attempted;
      AddRecord record{i, std::nullopt, OpType::info};
      if (completion != nullptr) {
        record.complete = static_cast<std::size_t>(partner);
        record.type = completion->type;
      }
      set.last_add_end = std::max(set.last_add_end, static_cast<std::int64_t>(record.complete.value_or(i)));
      // An element added twice (not by faultline's workload, which adds each once): the ok
      // add is the one that says the element must be there.
      auto [it, inserted] = set.adds.emplace(op.value.get<Element>(), record);
      if (!inserted && it->second.type != OpType::ok && record.type == OpType::ok) it->second = record;
    } else if (op.f == "read" && completion != nullptr && completion->type == OpType::ok) {
      const json& value = completion->value;
      if (!value.is_array())
        return std::unexpected(at(history, static_cast<std::size_t>(partner)) +
                               "read expects an array of integers, got " + value.dump());
      ReadRecord read{i, static_cast<std::size_t>(partner), {}};
      for (const json& element : value) {
        if (!element.is_number_integer()) {
          return std::unexpected(at(history, read.complete) + "read expects an array of integers, got the element " +
                                 element.dump());
        }
        read.elements.push_back(element.get<Element>());
      }
      std::sort(read.elements.begin(), read.elements.end());
      set.reads.push_back(std::move(read));
    }
  }
  return set;
}

template <typename Element>
void list(SetListing<Element>& listing, Element element) {
  ++listing.count;
  if (listing.listed.size() < set_elements_listed_max) listing.listed.push_back(std::move(element));
}

SetReadRef read_ref(const History& history, const ReadRecord& read) {
  return {history[read.complete].index, history[read.complete].time_ns};
}

SetAdd add_of(const History& history, const AddRecord& add) {
  SetAdd out{std::string(to_string(add.type)), history[add.invoke].index, history[add.invoke].time_ns, std::nullopt,
             std::nullopt};
  if (add.complete) {
    out.complete_index = history[*add.complete].index;
    out.complete_time_ns = history[*add.complete].time_ns;
  }
  return out;
}

// What the reads say about one added element.
struct ElementFate {
  std::optional<std::size_t> known;          // position from which it must be present
  const ReadRecord* last_seen = nullptr;     // the read that saw it and completed last
  const ReadRecord* first_absent = nullptr;  // the first read begun after `known` that missed it
  const ReadRecord* lost_in = nullptr;       // the first final read begun after `known` that missed it
  bool seen_after_absent = false;            // a read begun after first_absent saw it
  bool in_final_read = false;
};

ElementFate fate_of(Element element, const AddRecord& add, const SetHistory& set) {
  ElementFate fate;
  if (add.type == OpType::ok) fate.known = add.complete;
  for (const ReadRecord& read : set.reads) {
    if (!read.contains(element)) continue;
    if (fate.last_seen == nullptr || read.complete > fate.last_seen->complete) fate.last_seen = &read;
    if (add.type != OpType::ok && add.type != OpType::fail && (!fate.known || read.complete < *fate.known)) {
      fate.known = read.complete;
    }
  }
  for (const ReadRecord& read : set.reads) {
    const bool final_read = static_cast<std::int64_t>(read.invoke) > set.last_add_end;
    const bool present = read.contains(element);
    if (final_read && present) fate.in_final_read = true;
    if (!fate.known || read.invoke <= *fate.known) continue;
    if (!present) {
      if (fate.first_absent == nullptr) fate.first_absent = &read;
      if (final_read && fate.lost_in == nullptr) fate.lost_in = &read;
    } else if (fate.first_absent != nullptr && read.invoke > fate.first_absent->invoke) {
      fate.seen_after_absent = true;
    }
  }
  return fate;
}

SetAddedElement added_element(const History& history, Element element, const AddRecord& add, const ElementFate& fate) {
  SetAddedElement item{element, add_of(history, add), std::nullopt, std::nullopt, std::nullopt};
  if (fate.known) item.known_index = history[*fate.known].index;
  if (fate.last_seen != nullptr) item.last_seen = read_ref(history, *fate.last_seen);
  return item;
}

}  // namespace

CheckResult check_set(const History& history) {
  CheckResult result;
  SetResult found;
  auto collected = collect(history);
  if (!collected) {
    result.verdict = Verdict::unknown;
    result.details["reason"] = "the history does not fit the set checker: " + collected.error();
    return result;
  }
  const SetHistory& set = *collected;

  for (const ReadRecord& read : set.reads) found.final_reads += static_cast<std::int64_t>(read.invoke) > set.last_add_end;
  found.reads = set.reads.size();
  found.adds.attempted = set.attempted;
  for (const auto& [element, add] : set.adds) {
    found.adds.ok += add.type == OpType::ok;
    found.adds.fail += add.type == OpType::fail;
    found.adds.info += add.type == OpType::info;
    const ElementFate fate = fate_of(element, add, set);
    auto item = [&] { return added_element(history, element, add, fate); };
    if (add.type == OpType::fail && fate.last_seen != nullptr) list(found.failed_but_present, item());
    if (fate.lost_in != nullptr) {
      SetAddedElement entry = item();
      entry.absent_in = read_ref(history, *fate.lost_in);
      list(found.lost, std::move(entry));
    } else if (fate.first_absent != nullptr && fate.seen_after_absent) {
      SetAddedElement entry = item();
      entry.absent_in = read_ref(history, *fate.first_absent);
      list(found.late, std::move(entry));
    }
    if (add.type == OpType::info && fate.in_final_read) list(found.recovered, item());
  }

  std::set<Element> unexpected_seen;
  for (const ReadRecord& read : set.reads) {
    for (auto run = read.elements.begin(); run != read.elements.end();) {
      const auto run_end = std::upper_bound(run, read.elements.end(), *run);
      const Element element = *run;
      if (run_end - run > 1)
        list(found.duplicated, SetDuplicatedElement{element, run_end - run, history[read.complete].index});
      if (!set.adds.contains(element) && unexpected_seen.insert(element).second)
        list(found.unexpected, SetUnexpectedElement{element, read_ref(history, read)});
      run = run_end;
    }
  }

  if (found.anomalies() > 0) {
    result.verdict = Verdict::invalid;
  } else if (found.final_reads == 0) {
    result.verdict = Verdict::unknown;
    found.reason = "no read completed after the last add ended, so nothing says whether the adds survived";
  }
  result.details = found;
  return result;
}

}  // namespace faultline
