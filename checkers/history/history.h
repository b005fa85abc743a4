// A history: operations in the order they happened, validated when built.
//
// Validity (Jepsen's rules): every completion matches an earlier invocation of the same
// process and function; no process invokes twice without completing; no process invokes
// after one of its operations ended in `info`. Nemesis operations are recorded but not paired.
// Errors are InputError values naming the source, the line and what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "input_error.h"
#include "op.h"

namespace faultline {

class History {
 public:
  History() = default;

  // Validates `ops` (line numbers are positions + 1) and builds a history from them.
  static Expected<History> build(std::vector<Op> ops, std::string source = "");

  const std::vector<Op>& ops() const { return ops_; }
  std::size_t size() const { return ops_.size(); }
  const Op& operator[](std::size_t i) const { return ops_[i]; }

  // For an invocation: the position of its completion, or -1 when it never completed.
  // For a completion: the position of its invocation. For nemesis ops: -1.
  std::int64_t partner(std::size_t i) const { return partner_[i]; }

  // The line of the source the op was read from (1-based), for error messages.
  std::int64_t line(std::size_t i) const { return lines_[i]; }
  const std::string& source() const { return source_; }

 private:
  friend class HistoryBuilder;
  std::string source_;
  std::vector<Op> ops_;
  std::vector<std::int64_t> partner_;
  std::vector<std::int64_t> lines_;
};

// Builds a History one op at a time, as readers stream them, checking each as it arrives.
class HistoryBuilder {
 public:
  explicit HistoryBuilder(std::string source) : source_(source) { history_.source_ = std::move(source); }

  // Appends `op`, read from `line` of the source. Assigns op.index when it is -1.
  Expected<void> add(Op op, std::int64_t line);

  // The history so far. Invocations still pending have partner -1.
  History finish() &&;

  std::size_t size() const { return history_.ops_.size(); }

 private:
  struct Pending {
    std::size_t position;
    std::int64_t line;
  };
  std::string source_;
  History history_;
  std::unordered_map<std::int64_t, Pending> pending_;          // process -> open invocation
  std::unordered_map<std::int64_t, std::int64_t> retired_at_;  // process -> line of its info
};

}  // namespace faultline
