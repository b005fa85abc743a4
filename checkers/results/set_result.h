// What the set checker found (set/set_checker.h has the terms), as one type: the checker fills
// it, results.json stores it as checkers.set's details, and the terminal headline and the
// report read it back. Its JSON field names are spelled in one place, set_result.cc; reading is
// lenient (a missing field takes its default), so results written by older versions still
// render.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

// A read, named by its completion.
struct SetReadRef {
  std::int64_t read_index = -1;
  std::int64_t time_ns = 0;
};

struct SetAdd {
  std::string type;  // ok, fail, or info (also when it never completed)
  std::int64_t invoke_index = -1;
  std::int64_t invoke_time_ns = 0;
  std::optional<std::int64_t> complete_index;  // none: never completed
  std::optional<std::int64_t> complete_time_ns;
};

// An element that was added: lost, failed but present, late or recovered.
struct SetAddedElement {
  std::int64_t element = 0;
  SetAdd add;
  std::optional<std::int64_t> known_index;  // the op from which it is known to be in the set
  std::optional<SetReadRef> last_seen;
  std::optional<SetReadRef> absent_in;  // lost and late: the read that missed it
};

struct SetUnexpectedElement {
  std::int64_t element = 0;
  SetReadRef first_seen;
};

struct SetDuplicatedElement {
  std::int64_t element = 0;
  std::int64_t count = 0;  // in one read
  std::int64_t read_index = -1;
};

// A result's elements (the first ones, at most set_elements_listed_max) and their full count.
template <typename Element>
struct SetListing {
  std::vector<Element> listed;
  std::size_t count = 0;
};

struct SetResult {
  struct Adds {
    std::int64_t attempted = 0, ok = 0, fail = 0, info = 0;
  } adds;
  std::size_t reads = 0;
  std::size_t final_reads = 0;
  SetListing<SetAddedElement> lost;
  SetListing<SetUnexpectedElement> unexpected;
  SetListing<SetDuplicatedElement> duplicated;
  SetListing<SetAddedElement> failed_but_present;
  SetListing<SetAddedElement> late;
  SetListing<SetAddedElement> recovered;
  std::optional<std::string> reason;  // why the verdict is unknown

  // The anomalies that make the verdict invalid (late and recovered do not).
  std::size_t anomalies() const { return lost.count + unexpected.count + duplicated.count + failed_but_present.count; }
};

void to_json(nlohmann::json& json, const SetResult& result);
void from_json(const nlohmann::json& json, SetResult& result);

}  // namespace faultline
