// `faultline check`: the linearizability checker on its own, over histories recorded by
// faultline, Jepsen, Knossos or Porcupine (its kv logs, --model kv); with --model list-append or rw-register, the transactional
// checker (Elle's list-append or rw-register) instead.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include <filesystem>

#include <CLI/CLI.hpp>

#include "command.h"
#include "history/history_format.h"
#include "linearizability/linearizability.h"
#include "results/linearizability_anomaly.h"
#include "transactions/consistency_models.h"
#include "transactions/transaction_check.h"
#include "transactions/transaction_text.h"

namespace faultline {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct CheckOptions {
  std::string model = "cas-register";
  std::string consistency = "strict-serializable";  // transactions: the model the system claims
  std::string initial = "nil";
  std::string format = "auto";
  std::string nil_read = "auto";
  bool json_output = false;
  double time_limit_s = 0;
  double memory_limit_mb = 0;  // 0: the library's default
  std::vector<std::string> files;
};

struct FileOutcome {
  std::string file;
  std::optional<std::string> skipped;  // why the file is not a history (a warning, not an error)
  std::optional<InputError> error;
  CheckResult result;
  std::string transactions_text;  // transactions: the anomalies and cycles, for people
  std::size_t transactions = 0;
  double elapsed_ms = 0;
};

// The transactional models (Elle's workloads), by their --model names.
std::optional<transactions::TransactionModel> transaction_model(std::string_view name) {
  for (transactions::TransactionModel model : transactions::transaction_models)
    if (transactions::to_string(model) == name) return model;
  return std::nullopt;
}

FileOutcome check_file(const std::string& file, HistoryFormat format, const CheckOptions& flags,
                       LinearizabilityOptions options) {
  const std::string& nil_read = flags.nil_read;
  const auto started = std::chrono::steady_clock::now();
  FileOutcome outcome;
  outcome.file = file;
  std::error_code ignored;
  if (fs::is_directory(file, ignored)) {
    outcome.skipped = "a directory, not a history";
    return outcome;
  }
  if (format == HistoryFormat::auto_detect) {
    std::ifstream in(file, std::ios::binary);
    const DetectedHistoryFormat detected = detect_history_format(in);
    if (!detected.format && !detected.blank) {
      outcome.skipped = "not a history in any known format (JSON Lines, Jepsen's text log, EDN)";
      return outcome;
    }
    format = detected.format.value_or(HistoryFormat::auto_detect);  // blank: read_history reads an empty history
  }
  // Histories in EDN come from Jepsen and Knossos, whose models take a nil read as unknown.
  options.conventions.nil_read_matches_any = nil_read == "any" || (nil_read == "auto" && format == HistoryFormat::edn);
  auto history = read_history_file(file, format);
  if (!history) {
    outcome.error = history.error();
  } else if (auto model = transaction_model(flags.model)) {
    const transactions::TransactionCheckResult result = transactions::check_transactions(*history, *model, {{flags.consistency}});
    outcome.result = CheckResult{result.verdict, result.to_json()};
    outcome.transactions_text = transactions::describe_transaction_result(result);
    outcome.transactions = result.transactions;
  } else {
    auto result = check_linearizability(*history, options);
    if (result) outcome.result = std::move(*result);
    else outcome.error = result.error();
  }
  outcome.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

void print_outcome(const FileOutcome& outcome, const CheckOptions& options) {
  if (outcome.skipped) {
    std::cerr << "faultline check: warning: skipped " << outcome.file << ": " << *outcome.skipped << '\n';
    if (options.json_output)
      std::cout << json{{"file", outcome.file}, {"skipped", *outcome.skipped}}.dump(-1, ' ', false, json::error_handler_t::replace)
                << '\n';
    return;
  }
  if (transaction_model(options.model)) {
    if (options.json_output) {
      json line = {{"file", outcome.file}, {"model", options.model}, {"consistency", options.consistency}};
      if (outcome.error) {
        line["error"] = outcome.error->to_string();
      } else {
        line.update(outcome.result.details);
        line["elapsed_ms"] = std::round(outcome.elapsed_ms * 1000) / 1000;
      }
      std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    } else if (outcome.error) {
      std::cout << "error    " << outcome.file << "\n  " << outcome.error->to_string() << '\n';
    } else {
      char line[512];
      std::snprintf(line, sizeof line, "%-8s %s  txns=%zu  %.1f ms", std::string(to_string(outcome.result.verdict)).c_str(),
                    outcome.file.c_str(), outcome.transactions, outcome.elapsed_ms);
      std::cout << line << '\n' << outcome.transactions_text;
    }
    return;
  }
  if (options.json_output) {
    json line = {{"file", outcome.file}, {"model", options.model}};
    if (outcome.error) {
      line["error"] = outcome.error->to_string();
    } else {
      const json& details = outcome.result.details;
      line["valid"] = verdict_to_json(outcome.result.verdict);
      line["ops"] = details.value("ops", 0);
      line["keys"] = details.value("keys", 0);
      line["elapsed_ms"] = std::round(outcome.elapsed_ms * 1000) / 1000;
      if (details.contains("anomaly")) line["anomaly"] = details["anomaly"];
      if (details.contains("reason")) line["reason"] = details["reason"];
    }
    std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    return;
  }
  if (outcome.error) {
    std::cout << "error    " << outcome.file << "\n  " << outcome.error->to_string() << '\n';
    return;
  }
  const json& details = outcome.result.details;
  char line[512];
  std::snprintf(line, sizeof line, "%-8s %s  ops=%lld keys=%lld  %.1f ms", std::string(to_string(outcome.result.verdict)).c_str(),
                outcome.file.c_str(), static_cast<long long>(details.value("ops", 0)),
                static_cast<long long>(details.value("keys", 0)), outcome.elapsed_ms);
  std::cout << line << '\n';
  if (details.contains("anomaly")) {
    const auto anomaly = details["anomaly"].get<LinearizabilityAnomaly>();
    const AnomalyOp& op = anomaly.op;
    std::cout << "  key " << (anomaly.key.empty() ? std::string("(none)") : anomaly.key) << ": process " << op.process << " "
              << op.input << " (ops " << op.invoke_index << ".."
              << (op.complete_index ? std::to_string(*op.complete_index) : std::string("?")) << "): " << anomaly.explanation
              << '\n';
  }
  if (details.contains("reason")) std::cout << "  " << details["reason"].get<std::string>() << '\n';
}

int run_check(const CheckOptions& options) {
  if (transaction_model(options.model) && !transactions::canonical_model_name(options.consistency)) {
    std::cerr << "faultline check: --consistency: unknown model '" << options.consistency << "'; known: ";
    for (const std::string& name : transactions::known_models()) std::cerr << name << ' ';
    std::cerr << '\n';
    return exit_input_error;
  }
  const Model* model = find_model(options.model);
  auto format = parse_history_format(options.format);
  json initial = json::parse(options.initial == "nil" ? std::string("null") : options.initial, nullptr, false);
  if (initial.is_discarded()) {
    std::cerr << "faultline check: --initial: expected nil or a JSON value (0, '\"text\"'), got '" << options.initial << "'\n";
    return exit_input_error;
  }
  LinearizabilityOptions check_options;
  check_options.model = model;
  check_options.initial = initial;
  check_options.time_limit = time_limit_of_seconds(options.time_limit_s);
  if (options.memory_limit_mb > 0)
    check_options.memory_limit_bytes = static_cast<std::size_t>(options.memory_limit_mb * 1024 * 1024);

  // Several files: one file per core, each searched on one thread. One file: its keys in parallel.
  std::vector<FileOutcome> outcomes(options.files.size());
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (options.files.size() > 1) check_options.threads = 1;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < options.files.size(); i = next++)
      outcomes[i] = check_file(options.files[i], *format, options, check_options);
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < std::min<std::size_t>(cores, options.files.size()); ++t) pool.emplace_back(worker);
  }
  // The batch's exit code: 3 when a history is malformed or nothing was checked; otherwise the
  // worst verdict among the histories checked. Files that are not histories are only warned of.
  Verdict verdict = Verdict::valid;
  bool any_error = false;
  std::size_t checked = 0;
  for (const FileOutcome& outcome : outcomes) {
    print_outcome(outcome, options);
    if (outcome.skipped) continue;
    if (outcome.error) {
      any_error = true;
    } else {
      verdict = merge(verdict, outcome.result.verdict);
      ++checked;
    }
  }
  if (checked == 0 && !any_error) {
    std::cerr << "faultline check: none of the " << outcomes.size() << " files is a history\n";
    return exit_input_error;
  }
  if (any_error) return exit_input_error;
  if (verdict == Verdict::invalid) return exit_invalid;
  if (verdict == Verdict::unknown) return exit_unknown;
  return exit_valid;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand("check", "Check histories for linearizability.\n"
                                                "Prints one line per file: verdict, file, client ops, keys, time.\n"
                                                "Files that are not histories (a README, a directory) are named in a\n"
                                                "warning and skipped; an empty file is an empty history.\n"
                                                "Exit code: 0 all valid, 1 any invalid, 2 any unknown and none invalid,\n"
                                                "3 a history is malformed, nothing could be checked, or bad usage.");
  // The linearizability models come from their registration (models/model_registry.cc).
  std::vector<std::string> model_names;
  std::string model_help = "The model. For linearizability:";
  std::string overwrite_models;
  for (const Model* model : all_models()) {
    model_names.emplace_back(model->name);
    model_help += "\n  " + std::string(model->name) + ": " + std::string(model->description) + ".";
    if (model->has_overwrite_pass()) overwrite_models += (overwrite_models.empty() ? "" : ", ") + std::string(model->name);
  }
  model_help += "\nOps with a key are checked per key. " + overwrite_models +
                " histories first get a quick overwrite pass (a read of a value certainly overwritten before it "
                "began); the others go straight to the search.\nTransactional (Elle's checker):\n  ";
  for (transactions::TransactionModel model : transactions::transaction_models)
    model_names.emplace_back(transactions::to_string(model));
  check->add_option("--model", options->model,
                    model_help + "list-append: transactions of appends and reads (f txn, "
                    "value [[\"append\", k, v], [\"r\", k, list]], as Elle's), checked as Elle does: the dependency "
                    "graph's cycles and the other anomalies, named as Elle names them, each cycle explained. "
                    "\n  rw-register: transactions of writes and reads of registers (value [[\"w\", k, v], "
                    "[\"r\", k, v-or-null]], as Elle's; every write of a key a unique value), checked the same way")
      ->check(CLI::IsMember(model_names))
      ->capture_default_str();
  check->add_option("--consistency", options->consistency,
                    "list-append, rw-register: the consistency model the system claims, named as Elle names them "
                    "(read-uncommitted, read-committed, repeatable-read, snapshot-isolation, "
                    "strong-snapshot-isolation, serializable, strict-serializable, ...)")
      ->capture_default_str();
  check->add_option("--initial", options->initial,
                    "The initial value of every register (and kv key): nil, or a JSON value such as 0 or '\"text\"' "
                    "(kv: a string; nil is the empty string)")
      ->capture_default_str();
  check->add_option("--format", options->format,
                    "History format: auto (detect), jsonl (faultline), jepsen-log (Jepsen's text log), "
                    "edn (Jepsen's history.edn, Knossos, Porcupine's kv logs: one map per line with :key), "
                    "elle-json (elle-cli's JSON: one array of op objects; f defaults to txn)")
      ->check(CLI::IsMember({"auto", "jsonl", "jepsen-log", "edn", "elle-json"}))
      ->capture_default_str();
  check->add_option("--nil-read", options->nil_read,
                    "What a read that returned nil means: value (the register was empty), any (its value is "
                    "not known, Knossos' convention: it matches any state), auto (any for EDN histories, which come "
                    "from Jepsen and Knossos; value otherwise)")
      ->check(CLI::IsMember({"auto", "value", "any"}))
      ->capture_default_str();
  check->add_flag("--json", options->json_output, "One JSON object per file per line, with the counterexample");
  check->add_option("--time-limit", options->time_limit_s,
                    "Seconds the search may take per file; past it the verdict is unknown (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  check->add_option("--memory-limit", options->memory_limit_mb,
                    "MiB the search's memo may hold per file; past it the verdict is unknown "
                    "(default: half of this machine's memory)")
      ->check(CLI::NonNegativeNumber);
  check->add_option("files", options->files, "History files (directories and other files are skipped)")
      ->required()
      ->check(CLI::ExistingPath);
  check->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace faultline
