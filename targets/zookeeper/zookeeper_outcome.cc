#include "zookeeper_outcome.h"

#include <zookeeper/zookeeper.h>

#include <cstdio>

namespace faultline {

std::string zookeeper_code_name(int code) {
  switch (code) {
    case ZOK: return "ZOK";
    case ZCONNECTIONLOSS: return "ZCONNECTIONLOSS";
    case ZOPERATIONTIMEOUT: return "ZOPERATIONTIMEOUT";
    case ZINVALIDSTATE: return "ZINVALIDSTATE";
    case ZMARSHALLINGERROR: return "ZMARSHALLINGERROR";
    case ZNONODE: return "ZNONODE";
    case ZBADVERSION: return "ZBADVERSION";
    case ZNODEEXISTS: return "ZNODEEXISTS";
    case ZSESSIONEXPIRED: return "ZSESSIONEXPIRED";
    case ZCLOSING: return "ZCLOSING";
    default: return "code " + std::to_string(code);
  }
}

ClientOutcome zookeeper_outcome(KvRequestKind kind, const ZooKeeperAnswer& answer, const std::string& what) {
  const bool changes = kind != KvRequestKind::read;
  if (!answer.sent)
    return {OpType::fail, nullptr,
            what + ": " + (answer.code == ZOK ? std::string("not connected to the server") : zookeeper_code_name(answer.code)) +
                "; nothing was sent",
            "unreachable"};
  if (!answer.answered)
    return {changes ? OpType::info : OpType::fail, nullptr, what + ": no answer in time", "timeout"};
  if (answer.code == ZOK) return {OpType::ok, nullptr, "", ""};
  if (answer.code == ZBADVERSION && kind == KvRequestKind::cas)
    return {OpType::fail, nullptr, what + ": ZBADVERSION (another write came first; nothing was written)", "answered"};
  const std::string text = what + ": " + zookeeper_code_name(answer.code);
  return {changes ? OpType::info : OpType::fail, nullptr, text, answer.code == ZCONNECTIONLOSS ? "timeout" : "refused"};
}

namespace {

std::string escaped_under(std::string path, const std::string& key) {
  for (unsigned char c : key) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
      path += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      path += escaped;
    }
  }
  return path;
}

}  // namespace

std::string zookeeper_path_of(const std::string& key) { return escaped_under(std::string(zookeeper_keys_root) + "/", key); }

std::string zookeeper_lock_path_of(const std::string& name) {
  return escaped_under(std::string(zookeeper_locks_root) + "/", name);
}

std::optional<std::int64_t> zookeeper_lock_sequence(const std::string& node) {
  const std::size_t digits = 10;  // ZooKeeper appends the sequence as 10 digits
  if (node.size() < digits) return std::nullopt;
  const std::string tail = node.substr(node.size() - digits);
  if (tail.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(tail);
}

}  // namespace faultline
