#include "list_txn.h"

#include <algorithm>

namespace faultline {

using nlohmann::json;

std::expected<std::vector<std::int64_t>, std::string> list_txn_keys(const json& micro_ops) {
  if (!micro_ops.is_array() || micro_ops.empty()) return std::unexpected("a transaction is a non-empty list of micro-operations");
  std::vector<std::int64_t> keys;
  for (const json& micro : micro_ops) {
    const bool shaped = micro.is_array() && micro.size() == 3 && micro[0].is_string() && micro[1].is_number_integer();
    const bool append = shaped && micro[0] == "append" && micro[2].is_number_integer();
    const bool read = shaped && micro[0] == "r";
    if (!append && !read)
      return std::unexpected("expected [\"append\", key, value] or [\"r\", key, null] with integers, got " + micro.dump());
    const std::int64_t key = micro[1].get<std::int64_t>();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

std::expected<ListTxnPlan, std::string> plan_list_txn(const json& micro_ops, const std::map<std::int64_t, json>& stored) {
  std::map<std::int64_t, json> lists = stored;
  ListTxnPlan plan;
  plan.completed = json::array();
  for (const json& micro : micro_ops) {
    const std::int64_t key = micro[1].get<std::int64_t>();
    json& list = lists[key];
    if (!list.is_null() && !list.is_array())
      return std::unexpected("key " + std::to_string(key) + " holds " + list.dump() + ", not a list");
    if (micro[0] == "r") {
      plan.completed.push_back(json::array({"r", key, list}));
      continue;
    }
    if (list.is_null()) list = json::array();
    list.push_back(micro[2]);
    plan.writes[key] = list;
    plan.completed.push_back(micro);
  }
  return plan;
}

}  // namespace faultline
