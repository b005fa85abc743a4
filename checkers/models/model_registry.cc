// The one list of models. A new model is a file in models/ defining `const Model x_model`
// plus its two lines here (a declaration and a place in the list); find_model and `faultline check --help` read this list.
#include "model.h"

namespace faultline {

extern const Model register_model;
extern const Model cas_register_model;
extern const Model mutex_model;
extern const Model kv_model;
extern const Model multi_register_model;
extern const Model fifo_queue_model;
extern const Model unordered_queue_model;

std::span<const Model* const> all_models() {
  static constexpr const Model* models[] = {
      &register_model,
      &cas_register_model,
      &mutex_model,
      &kv_model,
      &multi_register_model,
      &fifo_queue_model,
      &unordered_queue_model,
  };
  return models;
}

const Model* find_model(std::string_view name) {
  for (const Model* model : all_models())
    if (model->name == name) return model;
  return nullptr;
}

}  // namespace faultline
