#include "cas_lock.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace faultline {
namespace {

using nlohmann::json;

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A distinct owner for every client of this process.
std::string next_owner() {
  static std::atomic<std::int64_t> next{0};
  return "client-" + std::to_string(next++);
}

// A value that is not a lock of ours (a user's system may hold anything there) counts as free.
bool lock_is_free(const json& value, std::int64_t now_ms) {
  if (!value.is_object() || !value.contains("owner") || value["owner"].is_null()) return true;
  const auto expires = value.find("expires_ms");
  return expires == value.end() || !expires->is_number_integer() || expires->get<std::int64_t>() <= now_ms;
}

std::int64_t fence_of(const json& value) {
  if (!value.is_object()) return 0;
  const auto fence = value.find("fence");
  return fence != value.end() && fence->is_number_integer() ? fence->get<std::int64_t>() : 0;
}

}  // namespace

std::string cas_lock_key(const std::string& name) { return "lock-" + name; }

ClientOutcome acquire_cas_lock(KvClient& client, const std::string& name, std::int64_t lease_ms,
                               const std::string& owner, const std::function<std::int64_t()>& now_ms) {
  const std::string key = cas_lock_key(name);
  const std::int64_t deadline_ms = now_ms() + cas_lock_wait_ms_max;
  while (true) {
    const ClientOutcome read = client.read(key);
    if (read.type != OpType::ok) return {OpType::fail, nullptr, "reading " + key + ": " + read.error, read.answer};
    const std::int64_t now = now_ms();
    if (lock_is_free(read.value, now)) {
      const std::int64_t fence = fence_of(read.value) + 1;
      const json mine = {{"owner", owner}, {"fence", fence}, {"expires_ms", now + lease_ms}};
      const ClientOutcome taken = client.cas(key, read.value, mine);
      if (taken.type == OpType::ok) return {OpType::ok, {{"key", key}, {"fence", fence}, {"value", mine}}, ""};
      if (taken.type == OpType::info) return {OpType::info, nullptr, "taking " + key + ": " + taken.error, taken.answer};
      // Someone else took or changed it first: look again.
    }
    if (now >= deadline_ms)
      return {OpType::fail, nullptr, key + " stayed held for " + std::to_string(cas_lock_wait_ms_max) + " ms", "answered"};
    std::this_thread::sleep_for(std::chrono::milliseconds(cas_lock_poll_ms));  // polling a store that cannot notify
  }
}

ClientOutcome release_cas_lock(KvClient& client, const json& grant) {
  const json& held = grant.at("value");
  const json free = {{"owner", nullptr}, {"fence", held.at("fence")}, {"expires_ms", 0}};
  const ClientOutcome released = client.cas(grant.at("key").get<std::string>(), held, free);
  if (released.type == OpType::fail)  // the lease expired and another holder took it: nothing to release
    return {OpType::fail, nullptr, "the lock was not released: " + released.error, released.answer};
  return released;
}

ClientOutcome write_cas_fenced(KvClient& client, const std::string& key, const json& value, const json& grant,
                               const json& read_value) {
  const std::int64_t fence = grant.at("fence").get<std::int64_t>();
  if (fence_of(read_value) > fence)
    return {OpType::fail, nullptr, "a holder with a higher fence wrote " + key + " first", "answered"};
  return client.cas(key, read_value, value);
}

ClientOutcome KvClient::acquire_lock(const std::string& name, std::int64_t lease_ms) {
  return acquire_cas_lock(*this, name, lease_ms, next_owner(), steady_now_ms);
}

ClientOutcome KvClient::release_lock(const json& grant) { return release_cas_lock(*this, grant); }

ClientOutcome KvClient::write_fenced(const std::string& key, const json& value, const json& grant,
                                     const json& read_value) {
  return write_cas_fenced(*this, key, value, grant, read_value);
}

}  // namespace faultline
