// KvClient's defaults for what only some targets serve (the lock defaults, built on read and
// cas, are in cas_lock.cc).
#include "kv_client.h"

namespace faultline {

ClientOutcome KvClient::transact(const nlohmann::json&) {
  return {OpType::fail, nullptr, "this target's clients do not serve transactions; nothing was sent"};
}

}  // namespace faultline
