#include "state_table.h"

#include <cstring>
#include <functional>

namespace faultline {
namespace {

constexpr std::size_t initial_slots = 64;  // a power of two
static_assert((initial_slots & (initial_slots - 1)) == 0);

std::uint64_t hash_bytes(std::string_view bytes) { return std::hash<std::string_view>{}(bytes) * 0x9E3779B97F4A7C15ull; }

}  // namespace

StateTable::StateTable() : offsets_{0}, slots_(initial_slots) {}

std::string_view StateTable::bytes(ModelState id) const {
  const auto i = static_cast<std::size_t>(id);
  return std::string_view(arena_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
}

std::size_t StateTable::find(std::string_view bytes, std::uint64_t hash, bool& found) const {
  const std::size_t mask = slots_.size() - 1;
  const auto short_hash = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = short_hash & mask;; i = (i + 1) & mask) {  // as in the StateCache: grow reads no bytes
    const Slot& slot = slots_[i];
    if (slot.id_plus_one == 0) {
      found = false;
      return i;
    }
    if (slot.hash == short_hash && this->bytes(slot.id_plus_one - 1) == bytes) {
      found = true;
      return i;
    }
  }
}

ModelState StateTable::intern(std::string_view bytes) {
  const std::uint64_t hash = hash_bytes(bytes);
  bool found = false;
  std::size_t slot = find(bytes, hash, found);
  if (found) return slots_[slot].id_plus_one - 1;
  if ((size() + 1) * 2 > slots_.size()) {
    grow();
    slot = find(bytes, hash, found);
  }
  arena_.append(bytes);
  offsets_.push_back(arena_.size());
  slots_[slot] = Slot{static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(size())};
  return static_cast<ModelState>(size() - 1);
}

void StateTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id_plus_one == 0) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

std::size_t StateTable::memory_bytes() const {
  return arena_.capacity() + offsets_.capacity() * sizeof(std::uint64_t) + slots_.size() * sizeof(Slot);
}

ModelState StateTable::intern_words(std::span<const std::int32_t> words) {
  return intern(std::string_view(reinterpret_cast<const char*>(words.data()), words.size_bytes()));
}

std::vector<std::int32_t> StateTable::words(ModelState id) const {
  const std::string_view raw = bytes(id);
  std::vector<std::int32_t> words(raw.size() / sizeof(std::int32_t));
  std::memcpy(words.data(), raw.data(), words.size() * sizeof(std::int32_t));
  return words;
}

}  // namespace faultline
