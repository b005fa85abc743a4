#include "state_cache.h"

#include <cassert>
#include <cstring>

namespace faultline {
namespace {

constexpr std::size_t initial_slots = 1024;  // a power of two
static_assert((initial_slots & (initial_slots - 1)) == 0);

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

}  // namespace

StateCache::StateCache(std::size_t words_per_key) : words_per_key_(words_per_key), slots_(initial_slots) {
  assert(words_per_key_ > 0);
}

std::uint64_t StateCache::hash_of(std::span<const std::uint64_t> key) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  for (std::uint64_t word : key) h = mix(h ^ word) + 0x632BE59BD9B4E019ull;
  return h;
}

// The slot's 32-bit hash both places and filters an entry, so that growing the table never
// reads the keys back (which, for a memo of millions of entries, is a cache miss each).
std::size_t StateCache::find(std::span<const std::uint64_t> key, std::uint64_t hash, bool& found) const {
  const std::size_t mask = slots_.size() - 1;
  const auto short_hash = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = short_hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.entry_plus_one == 0) {
      found = false;
      return i;
    }
    if (slot.hash == short_hash &&
        std::memcmp(&arena_[(slot.entry_plus_one - 1) * words_per_key_], key.data(),
                    words_per_key_ * sizeof(std::uint64_t)) == 0) {
      found = true;
      return i;
    }
  }
}

std::int32_t StateCache::find_entry(std::span<const std::uint64_t> key) const {
  bool found = false;
  const std::size_t slot = find(key, hash_of(key), found);
  return found ? static_cast<std::int32_t>(slots_[slot].entry_plus_one - 1) : -1;
}

std::pair<std::int32_t, bool> StateCache::find_or_insert(std::span<const std::uint64_t> key) {
  assert(key.size() == words_per_key_);
  const std::uint64_t hash = hash_of(key);
  bool found = false;
  std::size_t slot = find(key, hash, found);
  if (found) return {static_cast<std::int32_t>(slots_[slot].entry_plus_one - 1), false};
  if ((count_ + 1) * 2 > slots_.size()) {
    grow();
    slot = find(key, hash, found);
  }
  arena_.insert(arena_.end(), key.begin(), key.end());
  ++count_;
  slots_[slot] = Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(count_)};
  return {static_cast<std::int32_t>(count_ - 1), true};
}

void StateCache::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.entry_plus_one == 0) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].entry_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

std::size_t StateCache::bytes() const {
  return arena_.capacity() * sizeof(std::uint64_t) + slots_.size() * sizeof(Slot);
}

}  // namespace faultline
