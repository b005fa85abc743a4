// `faultline generate`: writes a synthetic history (workloads/synthetic_history.h, or
// workloads/synthetic_transactions.h for list-append and rw-register, or
// workloads/synthetic_models.h for kv, multi-register and fifo-queue) as JSON Lines, to test
// and benchmark the checkers on histories of known verdict and any size.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include <CLI/CLI.hpp>

#include "command.h"
#include "seed_option.h"
#include "synthetic_history.h"
#include "synthetic_models.h"
#include "synthetic_transactions.h"

namespace faultline {
namespace {

struct GenerateFlags {
  SyntheticHistoryOptions options;
  std::int64_t transactions = SyntheticTransactionOptions{}.transactions;
  // Which options were given, so that one meant for the other kind of history is refused.
  bool register_option_given = false;     // --ops, --keys, --values
  bool keys_given = false;
  bool values_given = false;
  bool transactions_given = false;
  std::string model = "cas-register";
  std::string plant = "none";
  std::optional<std::uint64_t> seed;
  std::string output = "-";
};

int input_error(const std::string& message) {
  std::cerr << "faultline generate: " << message << "\n";
  return exit_input_error;
}

std::string describe(const SyntheticHistorySummary& summary, const SyntheticHistoryOptions& options) {
  std::string text = "wrote " + std::to_string(summary.ops) + " ops (" + std::to_string(summary.ok) + " ok, " +
                     std::to_string(summary.fail) + " fail, " + std::to_string(summary.info) + " info) by " +
                     std::to_string(summary.processes) + " processes, --seed " + std::to_string(options.seed);
  if (summary.anomaly_index) {
    text += "; planted " + std::string(to_string(options.plant)) + ": the read completing at index " +
            std::to_string(*summary.anomaly_index) + " on key " + summary.anomaly_key.value_or("?");
  }
  return text;
}

// Opens --output (or stdout), writes with `write`, and reports what `describe_written` says.
template <typename Write>
int write_output(const std::string& output, Write write) {
  std::ofstream file;
  if (output != "-") {
    file.open(output, std::ios::binary | std::ios::trunc);
    if (!file) return input_error("cannot open --output " + output + " for writing: " + std::strerror(errno));
  }
  std::ostream& out = output == "-" ? std::cout : file;
  const std::string written = write(out);
  out.flush();
  if (!out) return input_error("writing " + (output == "-" ? std::string("stdout") : output) + " failed");
  std::cerr << "faultline generate: " << written << "\n";
  return exit_valid;
}

std::uint64_t seed_or_fresh(const std::optional<std::uint64_t>& seed) {
  // Without --seed, a fresh one, printed so that the history can be made again.
  return seed ? *seed : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
}

int run_generate_transactions(const GenerateFlags& flags, TransactionWorkload workload) {
  if (flags.register_option_given) return input_error("--ops, --keys and --values are for register histories; --model " + flags.model + " takes --transactions");
  SyntheticTransactionOptions options;
  options.workload = workload;
  options.transactions = flags.transactions;
  options.processes = flags.options.clients;
  options.indeterminate_fraction = flags.options.indeterminate_fraction;
  options.fail_fraction = flags.options.fail_fraction;
  auto plant = parse_planted_transaction_anomaly(flags.plant);
  if (!plant) return input_error("--anomaly must be none or stale-read for --model " + flags.model + ", got '" + flags.plant + "'");
  options.plant = *plant;
  options.seed = seed_or_fresh(flags.seed);
  if (auto valid = validate_synthetic_transaction_options(options); !valid) return input_error(valid.error());
  return write_output(flags.output, [&](std::ostream& out) {
    const SyntheticTransactionSummary summary = write_synthetic_transactions_jsonl(options, out);
    std::string text = "wrote " + std::to_string(summary.transactions) + " " + std::string(to_string(workload)) +
                       " transactions (" + std::to_string(summary.ok) + " ok, " + std::to_string(summary.fail) + " fail, " +
                       std::to_string(summary.info) + " info) by " + std::to_string(summary.processes) + " processes, --seed " +
                       std::to_string(options.seed);
    if (summary.anomaly_index)
      text += "; planted " + std::string(to_string(options.plant)) + ": the read completing at index " +
              std::to_string(*summary.anomaly_index) + " on key " + summary.anomaly_key.value_or("?");
    return text;
  });
}

int run_generate_model(const GenerateFlags& flags, SyntheticModel model) {
  if (flags.transactions_given) return input_error("--transactions is for --model list-append or rw-register; --model " + flags.model + " takes --ops");
  if (flags.values_given) return input_error("--values is for register histories; --model " + flags.model + " writes unique values");
  SyntheticModelOptions options;
  options.model = model;
  options.ops = flags.options.ops;
  if (flags.keys_given) options.keys = flags.options.keys;
  options.clients = flags.options.clients;
  options.indeterminate_fraction = flags.options.indeterminate_fraction;
  options.fail_fraction = flags.options.fail_fraction;
  auto plant = parse_planted_model_anomaly(flags.plant, model);
  if (!plant)
    return input_error("--anomaly must be none or " + std::string(model == SyntheticModel::fifo_queue ? "duplicate-dequeue" : "stale-read") +
                       " for --model " + flags.model + ", got '" + flags.plant + "'");
  options.plant = *plant;
  options.seed = seed_or_fresh(flags.seed);
  if (auto valid = validate_synthetic_model_options(options); !valid) return input_error(valid.error());
  return write_output(flags.output, [&](std::ostream& out) {
    const SyntheticModelSummary summary = write_synthetic_model_history_jsonl(options, out);
    std::string text = "wrote " + std::to_string(summary.ops) + " " + std::string(to_string(model)) + " ops (" +
                       std::to_string(summary.ok) + " ok, " + std::to_string(summary.fail) + " fail, " +
                       std::to_string(summary.info) + " info) by " + std::to_string(summary.processes) + " processes, --seed " +
                       std::to_string(options.seed);
    if (summary.anomaly_index)
      text += "; planted " + std::string(to_string(options.plant)) + ": the op completing at index " + std::to_string(*summary.anomaly_index);
    return text;
  });
}

int run_generate(GenerateFlags flags) {
  if (auto transactional = parse_transaction_workload(flags.model)) return run_generate_transactions(flags, *transactional);
  if (auto model = parse_synthetic_model(flags.model)) return run_generate_model(flags, *model);
  if (flags.transactions_given) return input_error("--transactions is for --model list-append or rw-register; register histories take --ops");
  SyntheticHistoryOptions& options = flags.options;
  auto workload = parse_synthetic_workload(flags.model);
  if (!workload)
    return input_error("--model must be register, cas-register, kv, multi-register, fifo-queue, list-append or rw-register, got '" +
                       flags.model + "'");
  options.workload = *workload;
  auto plant = parse_planted_anomaly(flags.plant);
  if (!plant) return input_error("--plant must be none, stale-read or lost-write, got '" + flags.plant + "'");
  options.plant = *plant;
  options.seed = seed_or_fresh(flags.seed);
  if (auto valid = validate_synthetic_history_options(options); !valid) return input_error(valid.error());
  return write_output(flags.output, [&](std::ostream& out) { return describe(write_synthetic_history_jsonl(options, out), options); });
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write a synthetic history as JSON Lines: concurrent clients on a linearizable store of registers,\n"
      "simulated from a seed. The history is linearizable unless --plant puts one anomaly in it.\n"
      "With --model list-append or rw-register: concurrent processes running transactions (Elle's\n"
      "micro-ops) on a strictly serializable store, valid unless --anomaly stale-read plants one.\n"
      "With --model kv, multi-register or fifo-queue: concurrent clients on a linearizable key-value\n"
      "store with append (Porcupine's \"x <client> <n> y\" strings), on registers read and written by\n"
      "transactions, or on a FIFO queue; valid unless --anomaly plants one (check them with the same --model).\n"
      "Exit codes: 0 written, 3 bad option or unwritable output.");
  auto flags = std::make_shared<GenerateFlags>();
  CLI::Option* ops = command->add_option("--ops", flags->options.ops, "Operations to generate; each is an invocation and a completion")
      ->capture_default_str();
  command->add_option("--transactions", flags->transactions,
                      "list-append, rw-register: transactions to generate; each is an invocation and a completion")
      ->capture_default_str()
      ->each([flags](const std::string&) { flags->transactions_given = true; });
  CLI::Option* keys = command->add_option("--keys", flags->options.keys,
                                          "Independent registers, named k0, k1, ...; each op picks one.\n"
                                          "kv: keys \"0\", \"1\", ... (default 10); multi-register: registers 0, 1, ... (default 10)")
      ->capture_default_str();
  command->add_option("--clients,--processes", flags->options.clients,
                      "Clients running at once, each with one op (or transaction) in flight")
      ->capture_default_str();
  command->add_option("--model", flags->model,
                      "register (read, write), cas-register (read, write, compare-and-set), list-append or\n"
                      "rw-register (transactions of appends or writes and reads, as Elle's), kv (get, put,\n"
                      "append), multi-register (txn of r/w micro-ops on --keys registers), fifo-queue\n"
                      "(enqueue, dequeue; a dequeue of an empty queue returns nil)")
      ->capture_default_str();
  CLI::Option* values = command->add_option("--values", flags->options.values, "Writes and cas use the values 0..VALUES-1")
      ->capture_default_str();
  for (CLI::Option* option : {ops, keys, values}) option->each([flags](const std::string&) { flags->register_option_given = true; });
  keys->each([flags](const std::string&) { flags->keys_given = true; });
  values->each([flags](const std::string&) { flags->values_given = true; });
  command->add_option("--indeterminate", flags->options.indeterminate_fraction,
                      "Fraction of ops that time out and end info; each takes effect or not by a coin toss,\n"
                      "and its process is replaced by a fresh one")
      ->capture_default_str();
  command->add_option("--fail", flags->options.fail_fraction,
                      "Fraction of ops that fail without effect (a cas whose compare fails also fails)")
      ->capture_default_str();
  command->add_option("--plant,--anomaly", flags->plant,
                      "none, or one anomaly that makes the history non-linearizable:\n"
                      "stale-read (a read returns a value overwritten before it began) or\n"
                      "lost-write (an acknowledged write is never applied; a later read returns the older value).\n"
                      "list-append, rw-register: none or stale-read (not strictly serializable).\n"
                      "kv, multi-register: none or stale-read (a client appends/writes a fresh key twice, then\n"
                      "reads the value from before its second write). fifo-queue: none or duplicate-dequeue\n"
                      "(a dequeue returns a value an earlier dequeue already took)")
      ->capture_default_str();
  command->add_option("--seed", flags->seed, "Seed of every random choice (default: a fresh one, printed on stderr)")
      ->check(seed_text_error);
  command->add_option("-o,--output", flags->output, "File to write, or - for stdout")->capture_default_str();
  command->callback([flags, &exit_code] { exit_code = run_generate(*flags); });
}

}  // namespace faultline
