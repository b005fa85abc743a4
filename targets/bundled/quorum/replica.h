// A quorum replica: a pure state machine holding the newest version of every key. The caller
// persists `to_persist` before the reply leaves the node.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "versioned.h"

namespace faultline::quorum {

struct ReplicaStep {
  ReplicaReply reply;
  std::optional<std::pair<std::string, Versioned>> to_persist;
};

class Replica {
 public:
  Replica() = default;
  explicit Replica(std::map<std::string, Versioned> records) : records_(std::move(records)) {}

  ReplicaStep step(const ReplicaRequest& request) {
    if (const auto* read = std::get_if<ReadRequest>(&request)) {
      auto it = records_.find(read->key);
      return ReplicaStep{ReadReply{read->key, it == records_.end() ? Versioned{} : it->second}, std::nullopt};
    }
    const auto& write = std::get<WriteRequest>(request);
    Versioned& current = records_[write.key];
    std::optional<std::pair<std::string, Versioned>> to_persist;
    if (write.versioned.timestamp > current.timestamp) {
      current = write.versioned;
      to_persist.emplace(write.key, current);
    }
    return ReplicaStep{WriteAck{write.key, current.timestamp}, std::move(to_persist)};
  }

  const std::map<std::string, Versioned>& records() const { return records_; }

 private:
  std::map<std::string, Versioned> records_;
};

}  // namespace faultline::quorum
