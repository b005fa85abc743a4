#include "transactions/register_index.h"

namespace faultline::transactions {

RegisterIndex build_register_index(const TransactionHistory& history) {
  RegisterIndex index;
  // What one transaction did to each key it touched; transactions are small, so a short vector.
  struct KeyState {
    KeyId key;
    bool written = false;
    ElementId last_write = 0;
    std::uint32_t last_write_micro_op = 0;
    bool read_external = false;
    ElementId first_read = 0;
    std::uint32_t first_read_micro_op = 0;
  };
  std::vector<KeyState> keys;
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    const Transaction& txn = history.txns[t];
    keys.clear();
    auto state_of = [&](KeyId key) -> KeyState& {
      for (KeyState& state : keys)
        if (state.key == key) return state;
      return keys.emplace_back(KeyState{key});
    };
    for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
      const MicroOp& micro_op = history.micro_ops[m];
      KeyState& state = state_of(micro_op.key);
      if (micro_op.kind == MicroOp::Kind::write) {
        index.writer.emplace(key_value(micro_op.key, micro_op.element), t);
        if (state.written) index.intermediate.insert(key_value(micro_op.key, state.last_write));
        state.written = true;
        state.last_write = micro_op.element;
        state.last_write_micro_op = m;
        continue;
      }
      if (micro_op.read_unknown || txn.outcome != Outcome::ok || state.written || state.read_external) continue;
      state.read_external = true;
      state.first_read = micro_op.element;
      state.first_read_micro_op = m;
      index.readers[key_value(micro_op.key, micro_op.element)].push_back(static_cast<std::uint32_t>(index.external_reads.size()));
      index.external_reads.push_back({micro_op.key, micro_op.element, t, m});
    }
    if (txn.outcome == Outcome::fail) continue;
    for (const KeyState& state : keys) {
      if (!state.written) continue;
      index.external_writes.push_back({state.key, state.last_write, t, state.last_write_micro_op});
      if (state.read_external)
        index.steps.push_back({state.key, state.first_read, state.last_write, t, state.first_read_micro_op, state.last_write_micro_op});
    }
  }
  return index;
}

}  // namespace faultline::transactions
