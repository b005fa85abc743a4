// `faultline generate`: writes a synthetic history (workloads/synthetic_history.h) as JSON
// Lines, to test and benchmark the checkers on histories of known verdict and any size.
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

namespace faultline {
namespace {

struct GenerateFlags {
  SyntheticHistoryOptions options;
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

int run_generate(GenerateFlags flags) {
  SyntheticHistoryOptions& options = flags.options;
  auto workload = parse_synthetic_workload(flags.model);
  if (!workload) return input_error("--model must be register or cas-register, got '" + flags.model + "'");
  options.workload = *workload;
  auto plant = parse_planted_anomaly(flags.plant);
  if (!plant) return input_error("--plant must be none, stale-read or lost-write, got '" + flags.plant + "'");
  options.plant = *plant;
  // Without --seed, a fresh one, printed so that the history can be made again.
  options.seed = flags.seed ? *flags.seed : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  if (auto valid = validate_synthetic_history_options(options); !valid) return input_error(valid.error());

  std::ofstream file;
  if (flags.output != "-") {
    file.open(flags.output, std::ios::binary | std::ios::trunc);
    if (!file) return input_error("cannot open --output " + flags.output + " for writing: " + std::strerror(errno));
  }
  std::ostream& out = flags.output == "-" ? std::cout : file;
  const SyntheticHistorySummary summary = write_synthetic_history_jsonl(options, out);
  out.flush();
  if (!out) return input_error("writing " + (flags.output == "-" ? std::string("stdout") : flags.output) + " failed");
  std::cerr << "faultline generate: " << describe(summary, options) << "\n";
  return exit_valid;
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write a synthetic history as JSON Lines: concurrent clients on a linearizable store of registers,\n"
      "simulated from a seed. The history is linearizable unless --plant puts one anomaly in it.\n"
      "Exit codes: 0 written, 3 bad option or unwritable output.");
  auto flags = std::make_shared<GenerateFlags>();
  command->add_option("--ops", flags->options.ops, "Operations to generate; each is an invocation and a completion")
      ->capture_default_str();
  command->add_option("--keys", flags->options.keys, "Independent registers, named k0, k1, ...; each op picks one")
      ->capture_default_str();
  command->add_option("--clients", flags->options.clients, "Clients running at once, each with one op in flight")
      ->capture_default_str();
  command->add_option("--model", flags->model,
                      "register (read, write) or cas-register (read, write, compare-and-set)")
      ->capture_default_str();
  command->add_option("--values", flags->options.values, "Writes and cas use the values 0..VALUES-1")
      ->capture_default_str();
  command->add_option("--indeterminate", flags->options.indeterminate_fraction,
                      "Fraction of ops that time out and end info; each takes effect or not by a coin toss,\n"
                      "and its process is replaced by a fresh one")
      ->capture_default_str();
  command->add_option("--fail", flags->options.fail_fraction,
                      "Fraction of ops that fail without effect (a cas whose compare fails also fails)")
      ->capture_default_str();
  command->add_option("--plant", flags->plant,
                      "none, or one anomaly that makes the history non-linearizable:\n"
                      "stale-read (a read returns a value overwritten before it began) or\n"
                      "lost-write (an acknowledged write is never applied; a later read returns the older value)")
      ->capture_default_str();
  command->add_option("--seed", flags->seed, "Seed of every random choice (default: a fresh one, printed on stderr)")
      ->check(seed_text_error);
  command->add_option("--output", flags->output, "File to write, or - for stdout")->capture_default_str();
  command->callback([flags, &exit_code] { exit_code = run_generate(*flags); });
}

}  // namespace faultline
