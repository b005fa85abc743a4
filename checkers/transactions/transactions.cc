#include "transactions/transactions.h"

#include "transactions/micro_op.h"

#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

namespace faultline::transactions {
namespace {

// Interns JSON scalars into dense ids. Integers and strings (the common cases) hash directly;
// anything else by its JSON text.
class Interner {
 public:
  explicit Interner(std::vector<nlohmann::json>& names) : names_(names) {}

  std::uint32_t id(const nlohmann::json& value) {
    if (value.is_number_integer()) {
      auto [it, inserted] = integers_.try_emplace(value.get<std::int64_t>(), next_id());
      if (inserted) names_.push_back(value);
      return it->second;
    }
    const std::string text = value.is_string() ? value.get<std::string>() : "\x01" + value.dump();
    auto [it, inserted] = others_.try_emplace(text, next_id());
    if (inserted) names_.push_back(value);
    return it->second;
  }

 private:
  std::uint32_t next_id() const { return static_cast<std::uint32_t>(names_.size()); }
  std::vector<nlohmann::json>& names_;
  std::unordered_map<std::int64_t, std::uint32_t> integers_;
  std::unordered_map<std::string, std::uint32_t> others_;
};

struct Reader {
  Reader(const History& ops, TransactionModel model) : history(ops) { out.model = model; }
  const History& history;
  TransactionHistory out;
  Interner keys{out.key_names};
  Interner elements{out.element_names};
  std::unordered_set<std::uint64_t> written;  // (key << 32 | element) appended or written in some invocation

  std::unexpected<TransactionInputError> error(std::string type, std::size_t position, const std::string& what) {
    return std::unexpected(TransactionInputError{
        std::move(type), "op " + std::to_string(history[position].index) + " (" + describe(history[position]) + "): " + what});
  }

  // A list-append micro-op (an append or a read): nullopt and `problem` set when it is not one.
  std::optional<MicroOp> list_append_micro_op(MicroOpFunction f, const nlohmann::json& micro_op, bool completion_has_value,
                                              bool reads_known, std::string& problem) {
    MicroOp parsed;
    if (f == MicroOpFunction::append) {
      parsed.kind = MicroOp::Kind::append;
      if (!is_scalar(micro_op[2])) {
        problem = "an appended element must be an integer or a string, got " + micro_op[2].dump();
        return std::nullopt;
      }
      parsed.element = elements.id(micro_op[2]);
      return parsed;
    }
    parsed.kind = MicroOp::Kind::read;
    const nlohmann::json& list = micro_op[2];
    if (list.is_null() || !completion_has_value) {
      // An invocation's reads (a txn that never completed) say nothing, whatever they hold.
      parsed.read_unknown = !reads_known;
    } else if (list.is_array()) {
      parsed.read_begin = static_cast<std::uint32_t>(out.read_elements.size());
      for (const nlohmann::json& element : list) {
        if (!is_scalar(element)) {
          problem = "a read element must be an integer or a string, got " + element.dump();
          return std::nullopt;
        }
        out.read_elements.push_back(elements.id(element));
      }
      parsed.read_size = static_cast<std::uint32_t>(out.read_elements.size() - parsed.read_begin);
    } else {
      problem = "a read's value must be a list or nil, got " + list.dump();
      return std::nullopt;
    }
    return parsed;
  }

  // An rw-register micro-op (a write or a read).
  std::optional<MicroOp> rw_register_micro_op(bool write, const nlohmann::json& micro_op, bool reads_known, std::string& problem) {
    MicroOp parsed;
    const nlohmann::json& value = micro_op[2];
    if (write) {
      parsed.kind = MicroOp::Kind::write;
      // nil is the initial state: a write of it would make reads of nil ambiguous.
      if (!is_scalar(value)) {
        problem = "a written value must be an integer or a string, got " + value.dump();
        return std::nullopt;
      }
      parsed.element = elements.id(value);
      return parsed;
    }
    parsed.kind = MicroOp::Kind::read;
    if (!reads_known) {
      parsed.read_unknown = true;  // invoked, failed or crashed: whatever it holds is not a read
    } else if (value.is_null()) {
      parsed.element = initial_state;
    } else if (is_scalar(value)) {
      parsed.element = elements.id(value);
    } else {
      problem = "a register read's value must be an integer, a string or nil, got " + value.dump();
      return std::nullopt;
    }
    return parsed;
  }

  std::expected<void, TransactionInputError> add(std::size_t invoke_position) {
    const Op& invocation = history[invoke_position];
    const std::int64_t complete_position = history.partner(invoke_position);
    const Op* completion = complete_position >= 0 ? &history[static_cast<std::size_t>(complete_position)] : nullptr;
    Transaction txn;
    txn.invoke_index = invocation.index;
    txn.index = completion != nullptr ? completion->index : invocation.index;
    txn.invoke_position = invoke_position;
    txn.complete_position = complete_position;
    txn.process = invocation.process;
    txn.outcome = completion == nullptr                  ? Outcome::info
                  : completion->type == OpType::ok       ? Outcome::ok
                  : completion->type == OpType::fail     ? Outcome::fail
                                                         : Outcome::info;
    const bool completion_has_value = completion != nullptr && completion->value.is_array();
    const nlohmann::json& value = completion_has_value ? completion->value : invocation.value;
    const std::size_t value_position = completion_has_value ? static_cast<std::size_t>(complete_position) : invoke_position;
    if (!value.is_array()) return error("malformed-txn", value_position, "a txn's value must be an array of micro-ops");
    // Reads are known only in ok completions; elsewhere null means "not known".
    const bool reads_known = completion_has_value && txn.outcome == Outcome::ok;
    const bool rw_register = out.model == TransactionModel::rw_register;
    txn.micro_op_begin = static_cast<std::uint32_t>(out.micro_ops.size());
    for (const nlohmann::json& micro_op : value) {
      auto written = parse_micro_op(micro_op);
      if (!written && !written.error().unknown_function) return error("malformed-txn", value_position, written.error().message);
      const MicroOpFunction f = written ? written->f : MicroOpFunction::read;
      const nlohmann::json& key = micro_op[1];
      std::string problem;
      std::optional<MicroOp> parsed;
      if (written && !rw_register && f != MicroOpFunction::write) {
        parsed = list_append_micro_op(f, micro_op, completion_has_value, reads_known, problem);
      } else if (written && rw_register && f != MicroOpFunction::append) {
        parsed = rw_register_micro_op(f == MicroOpFunction::write, micro_op, reads_known, problem);
      } else {
        return error("unexpected-txn-micro-op-types", value_position,
                     std::string("history contained operations other than ") +
                         (rw_register ? "writes or reads: " : "appends or reads: ") + micro_op.dump());
      }
      if (!parsed) return error("malformed-txn", value_position, problem);
      parsed->key = keys.id(key);
      out.micro_ops.push_back(*parsed);
    }
    txn.micro_op_count = static_cast<std::uint32_t>(out.micro_ops.size() - txn.micro_op_begin);
    // Every append (every write) must be unique per key (Elle's verify-unique-appends, and
    // rw-register's unique writes), or orders mean nothing.
    for (const MicroOp& micro_op : out.micro_ops_of(txn)) {
      if (micro_op.kind == MicroOp::Kind::read) continue;
      if (written.insert(static_cast<std::uint64_t>(micro_op.key) << 32 | micro_op.element).second) continue;
      if (micro_op.kind == MicroOp::Kind::append)
        return error("duplicate-appends", value_position,
                     "value " + out.element_text(micro_op.element) + " appended to key " + out.key_text(micro_op.key) +
                         " multiple times");
      return error("duplicate-writes", value_position,
                   "value " + out.element_text(micro_op.element) + " written to key " + out.key_text(micro_op.key) +
                       " multiple times; rw-register needs every write of a key to be a unique value");
    }
    out.txns.push_back(txn);
    return {};
  }
};

}  // namespace

std::string TransactionHistory::list_text(std::span<const ElementId> list) const {
  std::string text = "[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) text += ' ';
    text += element_text(list[i]);
  }
  return text + "]";
}

std::expected<TransactionHistory, TransactionInputError> read_transactions(const History& history, TransactionModel model) {
  Reader reader(history, model);
  for (std::size_t position = 0; position < history.size(); ++position) {
    const Op& op = history[position];
    if (op.is_nemesis() || op.type != OpType::invoke) continue;
    if (op.f != "txn")
      return std::unexpected(TransactionInputError{
          "unexpected-f", "op " + std::to_string(op.index) + " (" + describe(op) + "): expected only f txn in a transactional history"});
    if (auto added = reader.add(position); !added) return std::unexpected(added.error());
  }
  return std::move(reader.out);
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::info: return "info";
    case Outcome::fail: return "fail";
  }
  return "?";
}

std::string_view to_string(TransactionModel model) {
  switch (model) {
    case TransactionModel::list_append: return "list-append";
    case TransactionModel::rw_register: return "rw-register";
  }
  return "?";
}

}  // namespace faultline::transactions
