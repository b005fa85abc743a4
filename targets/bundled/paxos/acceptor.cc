#include "acceptor.h"

#include <algorithm>

namespace faultline::paxos {

const AcceptorRecord* Acceptor::record(const std::string& key) const {
  auto it = records_.find(key);
  return it == records_.end() ? nullptr : &it->second;
}

AcceptorStep Acceptor::step(const AcceptorRequest& request) {
  if (const auto* prepare = std::get_if<Prepare>(&request)) return on_prepare(*prepare);
  if (const auto* confirm = std::get_if<Confirm>(&request)) return on_confirm(*confirm);
  return on_accept(std::get<Accept>(request));
}

AcceptorStep Acceptor::on_confirm(const Confirm& confirm) const {
  const AcceptorRecord* known = record(confirm.key);
  const Ballot promised = known ? known->promised : Ballot{};
  // Nothing changes, so nothing to persist: the answer is about state that is already durable.
  return AcceptorStep{Confirmed{confirm.key, confirm.ballot, promised <= confirm.ballot, promised}, std::nullopt};
}

AcceptorStep Acceptor::on_prepare(const Prepare& prepare) {
  AcceptorRecord& record = records_[prepare.key];
  Promise promise{prepare.key, prepare.ballot, false, record.promised, {}, nullptr};
  // ">=" rather than ">": a duplicated prepare from the same proposer gets the same promise.
  // Ballots are never reused, so an equal ballot is always the same proposer's.
  if (prepare.ballot < record.promised) return AcceptorStep{promise, std::nullopt};
  std::optional<std::pair<std::string, AcceptorRecord>> to_persist;
  if (prepare.ballot != record.promised) {
    record.promised = prepare.ballot;
    to_persist.emplace(prepare.key, record);
  }
  promise.ok = true;
  promise.promised = record.promised;
  if (bug_ != bundled::Bug::paxos_promise_drops_accepted) {
    promise.accepted = record.accepted;
    promise.value = record.value;
  }
  return AcceptorStep{promise, std::move(to_persist)};
}

AcceptorStep Acceptor::on_accept(const Accept& accept) {
  AcceptorRecord& record = records_[accept.key];
  Accepted accepted{accept.key, accept.ballot, false, record.promised, record.accepted};
  // A repeat of the proposal this acceptor accepted last (a resend after a lost reply) is
  // confirmed even when the piggybacked promise of `next` now exceeds its ballot: it changes
  // nothing, and saying so is the truth.
  const bool repeat = !accept.ballot.is_zero() && record.accepted == accept.ballot && record.value == accept.value;
  if (accept.ballot < record.promised && !repeat) return AcceptorStep{accepted, std::nullopt};
  std::optional<std::pair<std::string, AcceptorRecord>> to_persist;
  const Ballot promise_after = std::max({record.promised, accept.ballot, accept.next});
  if (record.accepted != accept.ballot || record.promised != promise_after || record.value != accept.value) {
    record.promised = promise_after;
    record.accepted = accept.ballot;
    record.value = accept.value;
    to_persist.emplace(accept.key, record);
  }
  accepted.ok = true;
  accepted.promised = record.promised;
  return AcceptorStep{accepted, std::move(to_persist)};
}

}  // namespace faultline::paxos
