// The Paxos acceptor (STYLE principle 1): a pure state machine. A request goes in; the reply
// and the record to persist come out. The caller must make `to_persist` durable before the
// reply leaves the node (that ordering is what the planted bug paxos-reply-before-persist breaks).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "../bugs.h"
#include "messages.h"

namespace faultline::paxos {

// What an acceptor remembers about one key. Durable.
struct AcceptorRecord {
  Ballot promised;
  Ballot accepted;
  nlohmann::json value;  // the accepted value; null when nothing was accepted
  friend bool operator==(const AcceptorRecord&, const AcceptorRecord&) = default;
};

struct AcceptorStep {
  AcceptorReply reply;
  std::optional<std::pair<std::string, AcceptorRecord>> to_persist;  // (key, record)
};

class Acceptor {
 public:
  explicit Acceptor(bundled::Bug bug = bundled::Bug::none) : bug_(bug) {}
  // Restores the state persisted before a restart.
  Acceptor(std::map<std::string, AcceptorRecord> records, bundled::Bug bug) : bug_(bug), records_(std::move(records)) {}

  AcceptorStep step(const AcceptorRequest& request);
  AcceptorStep on_prepare(const Prepare& prepare);
  AcceptorStep on_accept(const Accept& accept);
  AcceptorStep on_confirm(const Confirm& confirm) const;

  const std::map<std::string, AcceptorRecord>& records() const { return records_; }
  const AcceptorRecord* record(const std::string& key) const;

 private:
  bundled::Bug bug_;
  std::map<std::string, AcceptorRecord> records_;
};

}  // namespace faultline::paxos
