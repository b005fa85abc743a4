// Which client operations a node's proposers run, and when: one proposer per key at a time,
// and the operations that arrive meanwhile wait and then go together, as one batch, into the
// key's next consensus instance (register_command.h: a batch is one function). A key's
// operations are thus never serialized one round each behind each other, and proposers on
// one node never duel. Pure (STYLE principle 1): operations are ids, the caller runs batches.
// Not thread-safe (the caller locks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace faultline::paxos {

class KeyQueues {
 public:
  // `batch_max`: the most operations one batch takes (1: one operation per instance).
  explicit KeyQueues(std::size_t batch_max) : batch_max_(std::max<std::size_t>(1, batch_max)) {}

  // Operation `id` arrives for `key`. Returns the batch to start now ({id} when nothing runs on
  // the key), or nothing: it waits for a later batch.
  std::vector<std::uint64_t> arrive(const std::string& key, std::uint64_t id) {
    Key& entry = keys_[key];
    if (entry.running) {
      entry.waiting.push_back(id);
      return {};
    }
    entry.running = true;
    return {id};
  }

  // The batch running on `key` finished. Returns the next batch to start: the oldest waiting
  // operations, at most batch_max; nothing when none waits (the key is then idle).
  std::vector<std::uint64_t> finish(const std::string& key) {
    auto it = keys_.find(key);
    if (it == keys_.end()) return {};
    Key& entry = it->second;
    if (entry.waiting.empty()) {
      keys_.erase(it);
      return {};
    }
    const std::size_t count = std::min(batch_max_, entry.waiting.size());
    std::vector<std::uint64_t> batch(entry.waiting.begin(), entry.waiting.begin() + static_cast<std::ptrdiff_t>(count));
    entry.waiting.erase(entry.waiting.begin(), entry.waiting.begin() + static_cast<std::ptrdiff_t>(count));
    return batch;
  }

  // Everything is forgotten (the node crashed).
  void forget_all() { keys_.clear(); }
  std::size_t busy_keys() const { return keys_.size(); }

 private:
  struct Key {
    bool running = false;
    std::deque<std::uint64_t> waiting;
  };
  std::size_t batch_max_;
  std::map<std::string, Key> keys_;
};

}  // namespace faultline::paxos
