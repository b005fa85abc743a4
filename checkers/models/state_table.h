// Interned model states, for models whose state is more than one value: a string (kv), a
// list (fifo-queue), a multiset (unordered-queue), a small map (multi-register). A state is
// written as bytes in the model's own canonical encoding (equal states, equal bytes) and
// interned here, so that a ModelState stays one small integer: the search's memo keeps one
// word per state however big the state is, and compares states by id.
//
// Each search owns its table (a key's search runs on one thread); the initial state is
// interned before the search starts, and a copy of that table is each key's starting point.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

using ModelState = std::int64_t;

class StateTable {
 public:
  StateTable();

  // The id of the state written as `bytes` (0, 1, 2, ... in order of first appearance).
  ModelState intern(std::string_view bytes);
  // The bytes of state `id`. The view is valid until the next intern.
  std::string_view bytes(ModelState id) const;

  std::size_t size() const { return offsets_.size() - 1; }
  std::size_t memory_bytes() const;

  // States that are lists of 32-bit numbers (value ids), written as their bytes in order.
  ModelState intern_words(std::span<const std::int32_t> words);
  std::vector<std::int32_t> words(ModelState id) const;

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t id_plus_one = 0;  // 0: empty
  };
  std::size_t find(std::string_view bytes, std::uint64_t hash, bool& found) const;
  void grow();

  std::string arena_;                    // every state's bytes, one after another
  std::vector<std::uint64_t> offsets_;   // state i is arena_[offsets_[i], offsets_[i + 1])
  std::vector<Slot> slots_;              // open addressing, a power of two
};

}  // namespace faultline
