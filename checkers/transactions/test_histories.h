// For tests: transactional histories written as events, e.g.
//   Events h; h.invoke(1, R"([["append","x",1]])").ok(1, R"([["append","x",1]])");
// or one whole transaction at once: h.txn(1, R"([["append","x",1],["r","y",[1]]])") (its
// invocation carries null for each read, as Jepsen's do).
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "history/history.h"

namespace faultline::test {

class Events {
 public:
  Events& invoke(std::int64_t process, const std::string& value) { return add(process, OpType::invoke, invocation_of(value)); }
  Events& ok(std::int64_t process, const std::string& value) { return add(process, OpType::ok, nlohmann::json::parse(value)); }
  Events& fail(std::int64_t process, const std::string& value) { return add(process, OpType::fail, nlohmann::json::parse(value)); }
  Events& info(std::int64_t process, const std::string& value) { return add(process, OpType::info, invocation_of(value)); }
  // An invocation directly followed by its ok completion.
  Events& txn(std::int64_t process, const std::string& value) { return invoke(process, value).ok(process, value); }

  History build() const {
    auto history = History::build(ops_, "events");
    if (!history) FAIL(history.error().to_string());
    return std::move(*history);
  }

 private:
  static nlohmann::json invocation_of(const std::string& value) {
    nlohmann::json txn = nlohmann::json::parse(value);
    for (auto& micro_op : txn)
      if (micro_op[0] == "r") micro_op[2] = nullptr;
    return txn;
  }
  Events& add(std::int64_t process, OpType type, nlohmann::json value) {
    Op op;
    op.process = process;
    op.type = type;
    op.f = "txn";
    op.value = std::move(value);
    op.time_ns = static_cast<std::int64_t>(ops_.size()) * 1000;
    ops_.push_back(std::move(op));
    return *this;
  }
  std::vector<Op> ops_;
};

}  // namespace faultline::test
