// Several registers read and written by transactions (Knossos' multi-register): one op, f
// txn, whose value is a list of micro-ops [f k v] (transactions/micro_op.h: r or read, w or
// write). The whole transaction is one linearizable step; its micro-ops run in order, and a
// read sees the transaction's own earlier writes (Knossos checks every read against the state
// before the transaction). A read that returned nil reads the initial value, or, under
// Knossos' convention, matches anything (Knossos: "nil reads are always legal").
//
// The input is a list of value ids in the ValueTable: (kind, key, value) per micro-op, reads
// of unknown value left out. The state is [initial, then (key, value) pairs sorted by key for
// the registers that do not hold the initial value], interned in the StateTable.
#include <algorithm>

#include "model.h"
#include "transactions/micro_op.h"

namespace faultline {
namespace {

enum MultiRegisterF : std::uint8_t { txn_f };
enum MicroOpKind : std::int32_t { read_kind, write_kind };

std::expected<std::optional<ModelInput>, std::string> prepare(const Op& invocation, const Op* completion,
                                                               const ModelConventions& conventions, ValueTable& values) {
  if (invocation.f != "txn")
    return std::unexpected("the multi-register model has no function '" + invocation.f + "' (it knows txn)");
  // Reads are known only from an ok completion that carries the micro-ops.
  const bool reads_known = completion != nullptr && completion->value.is_array();
  const nlohmann::json& micro_ops = reads_known ? completion->value : invocation.value;
  if (!micro_ops.is_array()) return std::unexpected("a txn's value must be a list of micro-ops [f k v], got " + micro_ops.dump());
  std::vector<ValueId> list;
  bool writes = false;
  for (const nlohmann::json& micro_op : micro_ops) {
    auto written = transactions::parse_micro_op(micro_op);
    if (!written) return std::unexpected(written.error().message);
    using transactions::MicroOpFunction;
    if (written->f == MicroOpFunction::append) return std::unexpected("the multi-register model takes reads and writes, not " + micro_op.dump());
    const bool write = written->f == MicroOpFunction::write;
    if (!write && (!reads_known || (written->value->is_null() && conventions.nil_read_matches_any))) continue;
    writes = writes || write;
    list.insert(list.end(), {write ? write_kind : read_kind, values.intern(*written->key), values.intern(*written->value)});
  }
  if (!writes && completion == nullptr) return std::nullopt;  // changes nothing: can be left out
  return ModelInput{txn_f, values.intern_list(list)};
}

std::expected<ModelState, std::string> init(ValueId initial, const ValueTable&, StateTable& states) {
  const std::int32_t only_initial[] = {initial};
  return states.intern_words(only_initial);
}

std::optional<ModelState> step(ModelState state, const ModelInput& input, const ValueTable& values, StateTable& states) {
  std::vector<std::int32_t> words = states.words(state);
  const std::int32_t initial = words[0];
  // The pair of `key`, or where it would go.
  auto find = [&](std::int32_t key) {
    auto it = words.begin() + 1;
    while (it != words.end() && *it < key) it += 2;
    return it;
  };
  const std::span<const ValueId> micro_ops = values.list(static_cast<ListId>(input.a));
  for (std::size_t i = 0; i < micro_ops.size(); i += 3) {
    const std::int32_t key = micro_ops[i + 1], value = micro_ops[i + 2];
    auto at = find(key);
    const bool present = at != words.end() && *at == key;
    if (micro_ops[i] == read_kind) {
      if ((present ? at[1] : initial) != value) return std::nullopt;
    } else if (value == initial) {
      if (present) words.erase(at, at + 2);
    } else if (present) {
      at[1] = value;
    } else {
      words.insert(at, {key, value});
    }
  }
  return states.intern_words(words);
}

bool is_blind(const ModelInput&) { return false; }

std::string show_state(ModelState state, const ValueTable& values, const StateTable& states) {
  const std::vector<std::int32_t> words = states.words(state);
  std::string text = "{";
  for (std::size_t i = 1; i + 1 < words.size(); i += 2)
    text += (i > 1 ? ", " : "") + values.show(words[i]) + " " + values.show(words[i + 1]);
  return text + (words.size() > 1 ? "; others " : "all ") + values.show(words[0]) + "}";
}

std::string show_input(const ModelInput& input, const ValueTable& values) {
  const std::span<const ValueId> micro_ops = values.list(static_cast<ListId>(input.a));
  std::string text = "txn [";
  for (std::size_t i = 0; i < micro_ops.size(); i += 3)
    text += std::string(i > 0 ? " " : "") + (micro_ops[i] == read_kind ? "[r " : "[w ") + values.show(micro_ops[i + 1]) +
            " " + values.show(micro_ops[i + 2]) + "]";
  return text + "]";
}

// Only the registers the transaction reads, which are what it disagrees with.
std::string explain(const ModelInput& input, std::span<const ModelState> held, const ValueTable& values,
                    const StateTable& states) {
  const std::span<const ValueId> micro_ops = values.list(static_cast<ListId>(input.a));
  std::vector<std::int32_t> read_keys;
  for (std::size_t i = 0; i < micro_ops.size(); i += 3)
    if (micro_ops[i] == read_kind && std::find(read_keys.begin(), read_keys.end(), micro_ops[i + 1]) == read_keys.end())
      read_keys.push_back(micro_ops[i + 1]);
  std::vector<std::string> shown;
  for (ModelState state : held) {
    const std::vector<std::int32_t> words = states.words(state);
    std::string text = "{";
    for (std::int32_t key : read_keys) {
      std::int32_t value = words[0];
      for (std::size_t i = 1; i + 1 < words.size(); i += 2)
        if (words[i] == key) value = words[i + 1];
      text += (text.size() > 1 ? ", " : "") + values.show(key) + " " + values.show(value);
    }
    shown.push_back(text + "}");
  }
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  std::string joined;
  for (std::size_t i = 0; i < shown.size(); ++i) joined += (i == 0 ? "" : i + 1 == shown.size() ? " or " : ", ") + shown[i];
  return show_input(input, values) + " read values the registers did not hold: what it reads can only be " +
         (joined.empty() ? std::string("nothing") : joined) + " here";
}

}  // namespace

extern const Model multi_register_model;  // extern: a namespace-scope const is otherwise private to its file
const Model multi_register_model{
    .name = "multi-register",
    .description = "registers read and written by transactions (txn), Knossos' multi-register: the value is a list "
                   "of micro-ops [r k v] / [w k v] (read / write accepted), the whole txn one linearizable step in "
                   "which a read sees the txn's earlier writes; every register starts at --initial",
    .prepare = prepare, .init = init, .step = step, .is_blind = is_blind,
    .explain = explain, .show_input = show_input, .show_state = show_state};

}  // namespace faultline
