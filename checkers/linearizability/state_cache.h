// The search's memo: a set of fixed-length keys (a linearized set and a model state, packed
// into 64-bit words). Open addressing over an arena, so that a key costs its words and a
// slot, not a heap node.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace faultline {

class StateCache {
 public:
  explicit StateCache(std::size_t words_per_key);

  // Inserts `key` (words_per_key words). Returns false when it was already there.
  bool insert(std::span<const std::uint64_t> key) { return find_or_insert(key).second; }
  bool contains(std::span<const std::uint64_t> key) const { return find_entry(key) >= 0; }

  // The entry number of `key` (0, 1, 2, ... in insertion order), and whether it is new.
  std::pair<std::int32_t, bool> find_or_insert(std::span<const std::uint64_t> key);
  // The entry number of `key`, or -1.
  std::int32_t find_entry(std::span<const std::uint64_t> key) const;

  std::size_t size() const { return count_; }
  std::size_t bytes() const;

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t entry_plus_one = 0;  // 0: empty
  };
  static std::uint64_t hash_of(std::span<const std::uint64_t> key);
  std::size_t find(std::span<const std::uint64_t> key, std::uint64_t hash, bool& found) const;
  void grow();

  std::size_t words_per_key_;
  std::vector<std::uint64_t> arena_;
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace faultline
