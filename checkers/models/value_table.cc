#include <cstring>

#include "model.h"

namespace faultline {

ValueTable::ValueTable() { intern(nullptr); }

ValueId ValueTable::intern(const nlohmann::json& value) {
  const bool fits_int64 = value.is_number_integer() &&
                          !(value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(INT64_MAX));
  if (fits_int64) {
    auto [it, inserted] = integer_ids_.try_emplace(value.get<std::int64_t>(), static_cast<ValueId>(values_.size()));
    if (inserted) values_.push_back(value);
    return it->second;
  }
  // Values are equal when their JSON text is: 1 and 1.0 are different values.
  std::string text = value.dump();
  auto [it, inserted] = ids_.try_emplace(std::move(text), static_cast<ValueId>(values_.size()));
  if (inserted) values_.push_back(value);
  return it->second;
}

std::string ValueTable::show(ValueId id) const {
  const nlohmann::json& v = value(id);
  return v.is_null() ? std::string("nil") : v.dump();
}

ListId ValueTable::intern_list(std::span<const ValueId> list) {
  std::string bytes(list.size_bytes(), '\0');
  if (!list.empty()) std::memcpy(bytes.data(), list.data(), list.size_bytes());
  auto [it, inserted] = list_ids_.try_emplace(std::move(bytes), static_cast<ListId>(list_offsets_.size() - 1));
  if (inserted) {
    list_words_.insert(list_words_.end(), list.begin(), list.end());
    list_offsets_.push_back(list_words_.size());
  }
  return it->second;
}

}  // namespace faultline
