// One operation at a time per key on this node. CASPaxos proposers on the same key duel:
// each prepare invalidates the other's ballot. Queueing a node's own operations on a key
// leaves at most one proposer per key per node, so contention is between nodes only.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace faultline::node {

class KeyLocks {
 public:
  class Guard {
   public:
    Guard(KeyLocks& locks, const std::string& key) : locks_(locks), key_(key) {
      std::shared_ptr<std::mutex> mutex;
      {
        std::lock_guard lock(locks_.mutex_);
        auto& entry = locks_.entries_[key_];
        if (!entry.mutex) entry.mutex = std::make_shared<std::mutex>();
        ++entry.users;
        mutex = entry.mutex;
      }
      mutex->lock();
      mutex_ = std::move(mutex);
    }
    ~Guard() {
      mutex_->unlock();
      std::lock_guard lock(locks_.mutex_);
      auto it = locks_.entries_.find(key_);
      if (--it->second.users == 0) locks_.entries_.erase(it);
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    KeyLocks& locks_;
    std::string key_;
    std::shared_ptr<std::mutex> mutex_;
  };

 private:
  struct Entry {
    std::shared_ptr<std::mutex> mutex;
    int users = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace faultline::node
