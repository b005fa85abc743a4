#include "zookeeper_kv_client.h"

#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <array>
#include <deque>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "adapter/cas_lock.h"
#include "adapter/in_network_namespace.h"
#include "adapter/list_txn.h"
#include "zookeeper_outcome.h"

namespace faultline {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// One request's completion, shared by the waiting client and the C client's completion thread
// (which may run after the client gave up waiting).
struct Pending {
  std::mutex mutex;
  std::condition_variable done_signal;
  bool done = false;
  int code = 0;
  std::string data;
  bool has_data = false;
  std::int32_t version = -1;
  std::vector<std::string> children;  // get_children's answer
  // What the C client writes into or reads from until the completion (a multi's ops, their
  // results and buffers): kept alive with the request, even after the client stopped waiting.
  std::shared_ptr<void> buffers;
};
using Token = std::shared_ptr<Pending>;

void complete(const void* token, int code, const char* data, int length, const Stat* stat) {
  auto* held = static_cast<Token*>(const_cast<void*>(token));
  {
    Pending& pending = **held;
    std::lock_guard lock(pending.mutex);
    pending.done = true;
    pending.code = code;
    if (data != nullptr && length >= 0) {
      pending.data.assign(data, static_cast<std::size_t>(length));
      pending.has_data = true;
    }
    if (stat != nullptr) pending.version = stat->version;
    pending.done_signal.notify_all();
  }
  delete held;
}

void on_data(int code, const char* value, int length, const Stat* stat, const void* token) {
  complete(token, code, value, length, stat);
}
void on_stat(int code, const Stat* stat, const void* token) { complete(token, code, nullptr, -1, stat); }
// A create's answer: the path made (with a sequence number, for sequential nodes).
void on_string(int code, const char* path, const void* token) {
  complete(token, code, path, path != nullptr ? static_cast<int>(std::strlen(path)) : -1, nullptr);
}
void on_void(int code, const void* token) { complete(token, code, nullptr, -1, nullptr); }
void on_children(int code, const String_vector* names, const void* token) {
  if (names != nullptr) {
    auto* held = static_cast<const Token*>(token);
    std::lock_guard lock((*held)->mutex);
    for (std::int32_t i = 0; i < names->count; ++i) (*held)->children.emplace_back(names->data[i]);
  }
  complete(token, code, nullptr, -1, nullptr);
}

void silence_client_log() {
  static std::once_flag once;
  std::call_once(once, [] { zoo_set_debug_level(static_cast<ZooLogLevel>(0)); });
}

}  // namespace

struct ZooKeeperKvClient::Session {
  zhandle_t* handle = nullptr;
  std::mutex mutex;
  std::condition_variable connected_signal;
  bool parent_created = false;

  static void watch(zhandle_t*, int type, int, const char*, void* context) {
    if (type != ZOO_SESSION_EVENT) return;
    auto* session = static_cast<Session*>(context);
    std::lock_guard lock(session->mutex);
    session->connected_signal.notify_all();
  }

  Session(const ZooKeeperClientOptions& options) {
    silence_client_log();
    auto open = [&] {
      handle = zookeeper_init(options.address.c_str(), &Session::watch, static_cast<int>(options.session_timeout_ms),
                              nullptr, this, 0);
    };
    if (options.network_namespace.empty()) {
      open();
    } else {
      // The C client's threads start here and stay in the namespace: its sockets are made there.
      const int fd = open_network_namespace(options.network_namespace);
      if (fd < 0) throw std::runtime_error("cannot open network namespace " + options.network_namespace + ": " + std::strerror(errno));
      in_network_namespace(fd, open);
      close(fd);
    }
    if (handle == nullptr) throw std::runtime_error("zookeeper_init failed for " + options.address + ": " + std::strerror(errno));
    // Give the first connection the time of one request; requests before it fail, unsent.
    std::unique_lock lock(mutex);
    connected_signal.wait_for(lock, std::chrono::milliseconds(options.request_timeout_ms),
                              [&] { return zoo_state(handle) == ZOO_CONNECTED_STATE; });
  }
  ~Session() {
    if (handle != nullptr) zookeeper_close(handle);
  }

  bool connected() const { return zoo_state(handle) == ZOO_CONNECTED_STATE; }
  bool expired() const { return zoo_state(handle) == ZOO_EXPIRED_SESSION_STATE; }

  // Issues a request through `issue` (which passes the token to the C client) and waits for its
  // completion until `deadline`.
  template <typename Issue>
  ZooKeeperAnswer call(Issue issue, Clock::time_point deadline, Pending** result, Token& keep) {
    if (!connected()) return {false, false, ZOK};
    keep = std::make_shared<Pending>();
    auto* held = new Token(keep);
    const int issued = issue(static_cast<const void*>(held));
    if (issued != ZOK) {
      delete held;
      return {false, false, issued};
    }
    std::unique_lock lock(keep->mutex);
    const bool answered = keep->done_signal.wait_until(lock, deadline, [&] { return keep->done; });
    *result = keep.get();
    return {true, answered, answered ? keep->code : ZOK};
  }

  // Creates the znode `path` holding `data` (open to all; persistent unless `mode` says), as
  // call() does a request; the path made is the result's data.
  ZooKeeperAnswer create(const std::string& path, const std::string& data, Clock::time_point deadline, Pending** result,
                         Token& keep, int mode = 0) {
    return call(
        [&](const void* token) {
          return zoo_acreate(handle, path.c_str(), data.data(), static_cast<int>(data.size()), &ZOO_OPEN_ACL_UNSAFE, mode,
                             on_string, token);
        },
        deadline, result, keep);
  }
};

ZooKeeperKvClient::ZooKeeperKvClient(ZooKeeperClientOptions options) : options_(std::move(options)) {}
ZooKeeperKvClient::~ZooKeeperKvClient() = default;

ZooKeeperKvClient::Session* ZooKeeperKvClient::session() {
  if (session_ && session_->expired()) session_.reset();
  if (!session_) session_ = std::make_unique<Session>(options_);
  if (!session_->parent_created && session_->connected()) {
    Pending* result = nullptr;
    Token keep;
    const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    const ZooKeeperAnswer made = session_->create("/faultline", "", deadline, &result, keep);
    session_->parent_created = made.answered && (made.code == ZOK || made.code == ZNODEEXISTS);
  }
  return session_.get();
}

ClientOutcome ZooKeeperKvClient::read(const std::string& key) {
  Session* s = session();
  const std::string path = zookeeper_path_of(key);
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  if (options_.sync_reads) {
    const ZooKeeperAnswer synced = s->call(
        [&](const void* token) { return zoo_async(s->handle, "/faultline", on_string, token); }, deadline, &result, keep);
    if (!synced.sent || !synced.answered || synced.code != ZOK)
      return zookeeper_outcome(KvRequestKind::read, synced, "sync before get " + path);
  }
  const ZooKeeperAnswer got = s->call(
      [&](const void* token) { return zoo_aget(s->handle, path.c_str(), 0, on_data, token); }, deadline, &result, keep);
  if (got.sent && got.answered && got.code == ZNONODE) return {OpType::ok, nullptr, "", ""};
  ClientOutcome outcome = zookeeper_outcome(KvRequestKind::read, got, "get " + path);
  if (outcome.type != OpType::ok) return outcome;
  const json value = json::parse(result->data, nullptr, false);
  if (value.is_discarded()) return {OpType::fail, nullptr, "get " + path + ": the znode does not hold JSON", "answered"};
  outcome.value = value;
  return outcome;
}

ClientOutcome ZooKeeperKvClient::write(const std::string& key, const json& value) {
  Session* s = session();
  const std::string path = zookeeper_path_of(key), data = value.dump();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const ZooKeeperAnswer set = s->call(
        [&](const void* token) {
          return zoo_aset(s->handle, path.c_str(), data.data(), static_cast<int>(data.size()), -1, on_stat, token);
        },
        deadline, &result, keep);
    if (!(set.sent && set.answered && set.code == ZNONODE)) return zookeeper_outcome(KvRequestKind::write, set, "set " + path);
    const ZooKeeperAnswer created = s->create(path, data, deadline, &result, keep);
    // Created by another client in between: set it again.
    if (!(created.sent && created.answered && created.code == ZNODEEXISTS))
      return zookeeper_outcome(KvRequestKind::write, created, "create " + path);
  }
  return {OpType::info, nullptr, "set " + path + ": the znode was created and deleted meanwhile", "answered"};
}

ClientOutcome ZooKeeperKvClient::cas(const std::string& key, const json& from, const json& to) {
  Session* s = session();
  const std::string path = zookeeper_path_of(key), data = to.dump();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  const ZooKeeperAnswer got = s->call(
      [&](const void* token) { return zoo_aget(s->handle, path.c_str(), 0, on_data, token); }, deadline, &result, keep);
  if (got.sent && got.answered && got.code == ZNONODE) {
    if (!from.is_null()) return {OpType::fail, nullptr, "cas " + path + ": the znode does not exist (the value is null)", "answered"};
    const ZooKeeperAnswer created = s->create(path, data, deadline, &result, keep);
    if (created.sent && created.answered && created.code == ZNODEEXISTS)
      return {OpType::fail, nullptr, "cas " + path + ": created by another client first", "answered"};
    return zookeeper_outcome(KvRequestKind::cas, created, "create " + path);
  }
  // The get changed nothing: its failure is the cas's, definitely.
  if (ClientOutcome read = zookeeper_outcome(KvRequestKind::read, got, "get " + path + " (cas)"); read.type != OpType::ok)
    return read;
  const json current = json::parse(result->data, nullptr, false);
  if (current != from)
    return {OpType::fail, nullptr, "cas " + path + ": the value is " + result->data + ", not " + from.dump(), "answered"};
  const std::int32_t version = result->version;
  const ZooKeeperAnswer set = s->call(
      [&](const void* token) {
        return zoo_aset(s->handle, path.c_str(), data.data(), static_cast<int>(data.size()), version, on_stat, token);
      },
      deadline, &result, keep);
  return zookeeper_outcome(KvRequestKind::cas, set, "set " + path + " (cas, version " + std::to_string(version) + ")");
}

bool ZooKeeperKvClient::ensure_node(Session* s, const std::string& path) {
  Pending* result = nullptr;
  Token keep;
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  const ZooKeeperAnswer made = s->create(path, "", deadline, &result, keep);
  return made.sent && made.answered && (made.code == ZOK || made.code == ZNODEEXISTS);
}

ClientOutcome ZooKeeperKvClient::acquire_lock(const std::string& name, std::int64_t) {
  Session* s = session();
  const std::string queue = zookeeper_lock_path_of(name);
  if (!ensure_node(s, zookeeper_locks_root) || !ensure_node(s, queue))
    return {OpType::fail, nullptr, "acquire " + queue + ": its parent znodes could not be made", "unreachable"};
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  const ZooKeeperAnswer made = s->create(queue + "/lock-", "", deadline, &result, keep, ZOO_EPHEMERAL_SEQUENTIAL);
  if (!(made.sent && made.answered && made.code == ZOK)) {
    ClientOutcome outcome = zookeeper_outcome(KvRequestKind::write, made, "create " + queue + "/lock-");
    // Our node may exist: only the end of the session removes it for certain.
    if (outcome.type == OpType::info) session_.reset();
    return outcome;
  }
  const std::string ours = result->data;
  const std::string our_name = ours.substr(queue.size() + 1);
  const auto wait_end = Clock::now() + std::chrono::milliseconds(cas_lock_wait_ms_max);
  const auto give_up = [&](ClientOutcome outcome) {
    Pending* dropped = nullptr;
    Token drop_keep;
    const auto drop_deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    const ZooKeeperAnswer removed = s->call(
        [&](const void* token) { return zoo_adelete(s->handle, ours.c_str(), -1, on_void, token); }, drop_deadline,
        &dropped, drop_keep);
    if (!(removed.sent && removed.answered && (removed.code == ZOK || removed.code == ZNONODE))) session_.reset();
    return outcome;
  };
  while (true) {
    const auto ask_deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    const ZooKeeperAnswer listed = s->call(
        [&](const void* token) { return zoo_aget_children(s->handle, queue.c_str(), 0, on_children, token); },
        ask_deadline, &result, keep);
    if (!(listed.sent && listed.answered && listed.code == ZOK))
      return give_up(zookeeper_outcome(KvRequestKind::read, listed, "get children of " + queue));
    std::vector<std::string> queued = result->children;
    std::sort(queued.begin(), queued.end(), [](const std::string& a, const std::string& b) {
      return zookeeper_lock_sequence(a).value_or(0) < zookeeper_lock_sequence(b).value_or(0);
    });
    if (std::find(queued.begin(), queued.end(), our_name) == queued.end())
      return {OpType::fail, nullptr, "acquire " + queue + ": our node " + our_name + " is gone (the session expired)", "answered"};
    if (queued.front() == our_name)
      return {OpType::ok, json{{"fence", zookeeper_lock_sequence(our_name).value_or(0)}, {"node", ours}}, ""};
    if (Clock::now() >= wait_end)
      return give_up({OpType::fail, nullptr, "acquire " + queue + ": held by " + queued.front() + " for longer than " +
                                                 std::to_string(cas_lock_wait_ms_max) + " ms", "answered"});
    std::this_thread::sleep_for(std::chrono::milliseconds(cas_lock_poll_ms));
  }
}

ClientOutcome ZooKeeperKvClient::release_lock(const json& grant) {
  Session* s = session();
  const std::string node = grant.at("node").get<std::string>();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  const ZooKeeperAnswer removed = s->call(
      [&](const void* token) { return zoo_adelete(s->handle, node.c_str(), -1, on_void, token); }, deadline, &result, keep);
  if (removed.sent && removed.answered && removed.code == ZNONODE)
    return {OpType::fail, nullptr, "release " + node + ": the node is gone (the session that held it expired)", "answered"};
  ClientOutcome outcome = zookeeper_outcome(KvRequestKind::write, removed, "delete " + node);
  if (outcome.type == OpType::info) session_.reset();  // the session's end releases it for certain
  return outcome;
}

ClientOutcome ZooKeeperKvClient::write_fenced(const std::string& key, const json& value, const json& grant, const json&) {
  Session* s = session();
  const std::string path = zookeeper_path_of(key), node = grant.at("node").get<std::string>();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  struct Multi {
    std::string path, node, data;
    Stat stat{};
    std::array<zoo_op_t, 2> ops{};
    std::array<zoo_op_result_t, 2> results{};
  };
  for (const bool create : {false, true}) {
    auto multi = std::make_shared<Multi>();
    multi->path = path;
    multi->node = node;
    multi->data = value.dump();
    zoo_check_op_init(&multi->ops[0], multi->node.c_str(), -1);
    if (create)
      zoo_create_op_init(&multi->ops[1], multi->path.c_str(), multi->data.data(), static_cast<int>(multi->data.size()),
                         &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    else
      zoo_set_op_init(&multi->ops[1], multi->path.c_str(), multi->data.data(), static_cast<int>(multi->data.size()), -1,
                      &multi->stat);
    Pending* result = nullptr;
    Token keep;
    const ZooKeeperAnswer done = s->call(
        [&](const void* token) {
          static_cast<const Token*>(token)->get()->buffers = multi;
          return zoo_amulti(s->handle, 2, multi->ops.data(), multi->results.data(), on_void, token);
        },
        deadline, &result, keep);
    const std::string what = std::string("multi (check ") + node + ", " + (create ? "create " : "set ") + path + ")";
    if (!(done.sent && done.answered) || done.code == ZOK) return zookeeper_outcome(KvRequestKind::write, done, what);
    // Answered with an error: no op of the multi took effect. Which one refused it?
    std::lock_guard lock(result->mutex);
    if (multi->results[0].err == ZNONODE)
      return {OpType::fail, nullptr, what + ": the lock's node is gone (the session that held it expired)", "answered"};
    if (!create && multi->results[1].err == ZNONODE) continue;  // the key's znode does not exist yet
    if (create && multi->results[1].err == ZNODEEXISTS)
      return {OpType::fail, nullptr, what + ": created by another client first", "answered"};
    return zookeeper_outcome(KvRequestKind::write, done, what);
  }
  return {OpType::fail, nullptr, "multi on " + path + ": the znode was deleted and created meanwhile", "answered"};
}

ClientOutcome ZooKeeperKvClient::transact(const json& micro_ops) {
  const auto keys = list_txn_keys(micro_ops);
  if (!keys) return {OpType::fail, nullptr, keys.error() + "; nothing was sent", ""};
  Session* s = session();
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  Pending* result = nullptr;
  Token keep;
  if (options_.sync_reads) {
    const ZooKeeperAnswer synced = s->call(
        [&](const void* token) { return zoo_async(s->handle, zookeeper_keys_root, on_string, token); }, deadline, &result,
        keep);
    if (!synced.sent || !synced.answered || synced.code != ZOK)
      return zookeeper_outcome(KvRequestKind::read, synced, "sync before the transaction's gets");
  }
  std::map<std::int64_t, json> lists;
  std::map<std::int64_t, std::int32_t> versions;  // absent keys are left out
  for (std::int64_t key : *keys) {
    const std::string path = zookeeper_path_of("list-" + std::to_string(key));
    const ZooKeeperAnswer got = s->call(
        [&](const void* token) { return zoo_aget(s->handle, path.c_str(), 0, on_data, token); }, deadline, &result, keep);
    if (got.sent && got.answered && got.code == ZNONODE) {
      lists[key] = nullptr;
      continue;
    }
    if (ClientOutcome read = zookeeper_outcome(KvRequestKind::read, got, "get " + path + " (txn)"); read.type != OpType::ok)
      return read;
    lists[key] = json::parse(result->data, nullptr, false);
    versions[key] = result->version;
  }
  const auto plan = plan_list_txn(micro_ops, lists);
  if (!plan) return {OpType::fail, nullptr, plan.error() + "; nothing was written", "answered"};

  struct Multi {
    std::deque<std::string> texts;  // paths and data, stable while the C client holds pointers
    std::deque<Stat> stats;
    std::vector<zoo_op_t> ops;
    std::vector<zoo_op_result_t> results;
  };
  auto multi = std::make_shared<Multi>();
  for (std::int64_t key : *keys) {
    const char* path = multi->texts.emplace_back(zookeeper_path_of("list-" + std::to_string(key))).c_str();
    zoo_op_t& op = multi->ops.emplace_back();
    const auto written = plan->writes.find(key);
    const auto version = versions.find(key);
    if (written != plan->writes.end()) {
      const std::string& data = multi->texts.emplace_back(written->second.dump());
      if (version == versions.end())
        zoo_create_op_init(&op, path, data.data(), static_cast<int>(data.size()), &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
      else
        zoo_set_op_init(&op, path, data.data(), static_cast<int>(data.size()), version->second, &multi->stats.emplace_back());
    } else if (version != versions.end()) {
      zoo_check_op_init(&op, path, version->second);
    } else {  // read as absent: still absent if it can be made (and is unmade at once)
      zoo_create_op_init(&op, path, "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
      zoo_delete_op_init(&multi->ops.emplace_back(), path, -1);
    }
  }
  multi->results.resize(multi->ops.size());
  const ZooKeeperAnswer done = s->call(
      [&](const void* token) {
        static_cast<const Token*>(token)->get()->buffers = multi;
        return zoo_amulti(s->handle, static_cast<int>(multi->ops.size()), multi->ops.data(), multi->results.data(),
                          on_void, token);
      },
      deadline, &result, keep);
  const KvRequestKind kind = plan->writes.empty() ? KvRequestKind::read : KvRequestKind::txn;
  if (done.sent && done.answered && (done.code == ZBADVERSION || done.code == ZNODEEXISTS || done.code == ZNONODE))
    return {OpType::fail, nullptr, "a key of the transaction changed after it was read (" + zookeeper_code_name(done.code) +
                                       "); nothing was written", "answered"};
  ClientOutcome outcome = zookeeper_outcome(kind, done, "multi of " + std::to_string(multi->ops.size()) + " ops (txn)");
  if (outcome.type == OpType::ok) outcome.value = plan->completed;
  return outcome;
}

}  // namespace faultline
