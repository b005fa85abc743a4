#include "edn_history.h"

#include <algorithm>
#include <istream>
#include <vector>

#include "edn.h"

namespace faultline {
namespace {

constexpr std::size_t value_text_in_errors_max = 60;

struct ReadOp {
  Op op;
  std::int64_t line = 0;
  std::optional<std::string> tuple_key;  // the k of a [k v] value, when it has that shape
  bool process_missing = false;          // no :process: read as process 0 (see below)
};

// A transaction as Elle writes one: a vector of micro-ops, each a vector that starts with a
// keyword ([:append 9 1], [:r 9 nil]).
bool is_transaction(const EdnValue& value) {
  if (value.kind != EdnKind::vector || value.items.empty()) return false;
  return std::all_of(value.items.begin(), value.items.end(), [](const EdnValue& micro_op) {
    return micro_op.kind == EdnKind::vector && !micro_op.items.empty() && micro_op.items[0].kind == EdnKind::keyword;
  });
}

// Jepsen's independent workloads wrap each value as [k v]; a cas carries [k [from to]].
std::optional<std::string> independent_key(const Op& op, const EdnValue& value) {
  if (value.kind != EdnKind::vector || value.items.size() != 2) return std::nullopt;
  const EdnValue& inner = value.items[1];
  if (op.f == "cas" && !(inner.kind == EdnKind::vector && inner.items.size() == 2)) return std::nullopt;
  const EdnValue& key = value.items[0];
  switch (key.kind) {
    case EdnKind::integer: return std::to_string(key.integer);
    case EdnKind::big_integer:
    case EdnKind::keyword:
    case EdnKind::string: return key.text;
    default: return std::nullopt;
  }
}

// The text of a keyword or a string, the two ways tools write names.
std::optional<std::string_view> name_of(const EdnValue& value) {
  if (value.kind == EdnKind::keyword || value.kind == EdnKind::string) return std::string_view(value.text);
  return std::nullopt;
}

Expected<ReadOp> parse_op(const EdnValue& tagged_or_map, const std::string& source) {
  // A Clojure record prints as a tagged map, #jepsen.history.Op{:index 0, ...}; the tag
  // says nothing the keys do not.
  const bool is_record = tagged_or_map.kind == EdnKind::tagged && !tagged_or_map.items.empty() &&
                         tagged_or_map.items[0].kind == EdnKind::map;
  const EdnValue& element = is_record ? tagged_or_map.items[0] : tagged_or_map;
  auto error = [&](std::string field, std::string message) {
    return std::unexpected(InputError{source, tagged_or_map.line, std::move(field), std::move(message)});
  };
  auto shown = [](const EdnValue& value) { return edn_to_text(value, value_text_in_errors_max); };
  if (element.kind != EdnKind::map)
    return error("", "expected an op map such as {:process 0, :type :invoke, :f :read, :value nil}, got " + shown(element));

  const EdnValue *process = nullptr, *type = nullptr, *f = nullptr, *value = nullptr, *time = nullptr, *index = nullptr,
                 *key_field = nullptr;
  for (std::size_t i = 0; i + 1 < element.items.size(); i += 2) {
    const EdnValue& key = element.items[i];
    if (key.kind != EdnKind::keyword) continue;
    const EdnValue** slot = key.text == "process" ? &process
                            : key.text == "type"  ? &type
                            : key.text == "f"     ? &f
                            : key.text == "value" ? &value
                            : key.text == "time"  ? &time
                            : key.text == "index" ? &index
                            : key.text == "key"   ? &key_field
                                                  : nullptr;
    if (slot == nullptr) continue;
    if (*slot != nullptr) return error(key.text, "the op map has :" + key.text + " twice");
    *slot = &element.items[i + 1];
  }

  ReadOp read;
  read.line = tagged_or_map.line;
  Op& op = read.op;
  if (process == nullptr) {
    read.process_missing = true;  // read_edn_history decides whether that is allowed
  } else if (process->kind == EdnKind::integer && process->integer >= 0) {
    op.process = process->integer;
  } else if (name_of(*process) == "nemesis") {
    op.process = nemesis_process;
  } else {
    return error("process", "expected a non-negative integer or :nemesis, got " + shown(*process));
  }
  if (type == nullptr) return error("type", "missing");
  std::optional<OpType> parsed_type;
  if (auto name = name_of(*type)) parsed_type = parse_op_type(*name);
  if (!parsed_type) return error("type", "expected one of :invoke, :ok, :fail, :info, got " + shown(*type));
  op.type = *parsed_type;
  // Elle's paper example has no :f; its values are transactions, which Elle calls :txn.
  if (f == nullptr && value != nullptr && is_transaction(*value)) {
    op.f = "txn";
  } else {
    if (f == nullptr) return error("f", "missing");
    auto f_name = name_of(*f);
    if (!f_name || f_name->empty()) return error("f", "expected a keyword such as :read, or a string, got " + shown(*f));
    op.f = *f_name;
  }
  if (time != nullptr && time->kind != EdnKind::nil) {
    if (time->kind != EdnKind::integer) return error("time", "expected an integer (nanoseconds), got " + shown(*time));
    op.time_ns = time->integer;
  }
  if (index != nullptr && index->kind != EdnKind::nil) {
    if (index->kind != EdnKind::integer || index->integer < 0)
      return error("index", "expected a non-negative integer, got " + shown(*index));
    op.index = index->integer;
  }
  // Porcupine's convention: the key in a field of its own, {:key "a", :value 1}. Such an op's
  // value is never a [k v] tuple to split.
  if (key_field != nullptr && key_field->kind != EdnKind::nil) {
    if (key_field->kind == EdnKind::integer) op.key = std::to_string(key_field->integer);
    else if (auto name = name_of(*key_field)) op.key = std::string(*name);
    else if (key_field->kind == EdnKind::big_integer) op.key = key_field->text;
    else return error("key", "expected a string, a keyword or an integer, got " + shown(*key_field));
  }
  if (value != nullptr) {
    op.value = edn_to_json(*value);
    if (!op.is_nemesis() && !op.key) read.tuple_key = independent_key(op, *value);
  }
  return read;
}

// Splits [k v] into op.key = k and op.value = v.
void split_independent(Op& op, std::string key) {
  op.key = std::move(key);
  nlohmann::json inner = std::move(op.value[1]);
  op.value = std::move(inner);
}

// Elle's paper example has no :process at all. Such a history is read as one process (0) when
// each of its invocations is directly followed by its completion: then nothing in it was
// concurrent, and one process says exactly that. Anything else without :process (two
// invocations in a row, a completion with no invocation before it, an invocation that never
// completes, some ops with :process and some without) is an error naming the line.
class ProcesslessCheck {
 public:
  Expected<void> admit(const ReadOp& read, const std::string& source) {
    if (read.op.is_nemesis()) return {};
    auto error = [&](std::int64_t line, std::string message) {
      return std::unexpected(InputError{source, line, "process", std::move(message)});
    };
    if (mode_ == Mode::unknown) {
      mode_ = read.process_missing ? Mode::without : Mode::with;
      first_line_ = read.line;
    }
    if (mode_ == Mode::with) {
      if (read.process_missing) return error(read.line, "missing");
      return {};
    }
    if (!read.process_missing)
      return error(read.line, "this op has :process, but the op at line " + std::to_string(first_line_) +
                                  " has none: either every op has one or none does");
    if (read.op.type == OpType::invoke) {
      if (open_invocation_line_)
        return error(read.line, "missing, and " + rule + " (the invocation at line " +
                                    std::to_string(*open_invocation_line_) + " has not completed)");
      open_invocation_line_ = read.line;
    } else {
      if (!open_invocation_line_) return error(read.line, "missing, and " + rule + " (this completion follows no invocation)");
      open_invocation_line_.reset();
    }
    return {};
  }

  Expected<void> finish(const std::string& source) const {
    if (mode_ == Mode::without && open_invocation_line_)
      return std::unexpected(InputError{source, *open_invocation_line_, "process",
                                        "missing, and " + rule + " (this invocation never completes)"});
    return {};
  }

 private:
  enum class Mode { unknown, with, without };
  static inline const std::string rule =
      "ops without :process are read as one process only when each invocation is directly followed by its completion";
  Mode mode_ = Mode::unknown;
  std::int64_t first_line_ = 0;
  std::optional<std::int64_t> open_invocation_line_;
};

}  // namespace

// Whether the file uses independent keys is known only once every client op has been seen,
// so ops are buffered while all client values so far are [k v] tuples. The first client op
// that is not one settles the question: the buffer goes to the sink and the rest streams
// straight through. So plain histories (Knossos', most of Jepsen's) stream, and only an
// independent-key history is held in memory whole.
Expected<void> read_edn_history(std::istream& in, const std::string& source, const OpSink& sink) {
  EdnReader reader(in, source);
  std::vector<ReadOp> buffered;
  bool may_be_independent = true;
  ProcesslessCheck processless;
  auto flush = [&](bool independent) -> Expected<void> {
    for (ReadOp& read : buffered) {
      if (independent && !read.op.is_nemesis()) split_independent(read.op, std::move(*read.tuple_key));
      auto accepted = sink(std::move(read.op), read.line);
      if (!accepted) return accepted;
    }
    buffered.clear();
    return {};
  };
  for (;;) {
    auto element = reader.next_element();
    if (!element) return std::unexpected(element.error());
    if (!*element) break;
    auto read = parse_op(**element, source);
    if (!read) return std::unexpected(read.error());
    if (auto admitted = processless.admit(*read, source); !admitted) return admitted;
    if (may_be_independent && !read->op.is_nemesis() && !read->tuple_key) {
      may_be_independent = false;
      if (auto flushed = flush(false); !flushed) return flushed;
    }
    if (may_be_independent) {
      buffered.push_back(std::move(*read));
    } else {
      auto accepted = sink(std::move(read->op), read->line);
      if (!accepted) return accepted;
    }
  }
  const bool any_client_op = std::any_of(buffered.begin(), buffered.end(), [](const ReadOp& read) { return !read.op.is_nemesis(); });
  if (auto flushed = flush(may_be_independent && any_client_op); !flushed) return flushed;
  return processless.finish(source);
}

}  // namespace faultline
