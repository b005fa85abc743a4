// What a node's proposers carry from one operation on a key to the next (CASPaxos's one-round-
// trip optimization, see proposer.h): a ballot a majority of acceptors promised, with the value
// they all accepted just before. The next operation on the key takes it (once) and goes straight
// to the accept phase; an operation that earns a new one leaves it here. Stale entries are
// harmless: an acceptor that promised a higher ballot since rejects the accept, and the
// operation falls back to a full prepare. Pure; not thread-safe (the caller locks).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ballot.h"

namespace faultline::paxos {

struct FastPath {
  Ballot ballot;          // promised by a majority
  nlohmann::json value;   // the highest accepted value among them
};

class FastPaths {
 public:
  std::optional<FastPath> take(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    FastPath path = std::move(it->second);
    entries_.erase(it);
    return path;
  }
  void remember(const std::string& key, FastPath path) { entries_[key] = std::move(path); }
  void forget_all() { entries_.clear(); }

 private:
  std::map<std::string, FastPath> entries_;
};

}  // namespace faultline::paxos
