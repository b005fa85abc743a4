#include "model.h"

#include <array>

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

std::span<const Model* const> all_models() {
  static const std::array<const Model*, 3> models = {&register_model, &cas_register_model, &mutex_model};
  return models;
}

const Model* find_model(std::string_view name) {
  for (const Model* model : all_models())
    if (model->name == name) return model;
  return nullptr;
}

}  // namespace faultline
