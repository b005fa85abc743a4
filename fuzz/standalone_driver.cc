// A small driver for the fuzz targets where libFuzzer is not built (g++; the CI smoke): runs
// every file of the corpus directories given, then random mutations of them (bit flips, bytes
// and tokens of the formats put in, ranges dropped or doubled, two inputs spliced) for
// --seconds, seeded by --seed, so a failure reproduces. The input in hand when a run crashes
// is written to crash-<program>-<seed> in the working directory. Not coverage-guided: the long
// runs use libFuzzer (fuzz/README.md).
//   history_fuzz [--seconds S] [--seed N] DIR_OR_FILE...
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// Pieces of the formats the targets read, put in whole: mutations of single bytes rarely make them.
const char* const tokens[] = {"{", "}", "[", "]", "\"", ",", ":", "\n", " ", "-1", "0", "9223372036854775807", "1e999",
                              "null", "nil", "true", ":invoke", ":ok", ":fail", ":info", ":process", ":type", ":f",
                              ":value", ":key", "\"type\"", "\"process\"", "\"f\"", "\"value\"", "\"time\"", "\"index\"",
                              "\"invoke\"", "\"ok\"", "\"info\"", "\"txn\"", "[\"append\",1,2]", "[\"r\",1,null]",
                              "[\"w\",1,2]", "[:append 1 2]", "[:r 1 [1 2]]", "\"configurations\"", "\"options\"",
                              "\"seeds\"", "\"nemeses\"", "\"start\"", "{id}", "{peers}", "\\u0000", "#{", "#_", ";"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string current;  // the input being run, for the crash handler
std::string crash_file;

void on_crash(int signal_number) {
  const int fd = ::open(crash_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    (void)!::write(fd, current.data(), current.size());
    ::close(fd);
  }
  const char message[] = "fuzz driver: crashed; the input is in the crash file\n";
  (void)!::write(2, message, sizeof message - 1);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void run(const std::string& input) {
  current = input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string mutate(std::string input, const std::vector<std::string>& corpus, std::mt19937_64& random) {
  const int steps = 1 + static_cast<int>(random() % 4);
  for (int step = 0; step < steps; ++step) {
    const std::size_t at = input.empty() ? 0 : random() % (input.size() + 1);
    switch (random() % 6) {
      case 0:
        if (!input.empty()) input[at % input.size()] ^= static_cast<char>(1u << (random() % 8));
        break;
      case 1:
        input.insert(at, 1, static_cast<char>(random() % 256));
        break;
      case 2:
        input.insert(at, tokens[random() % std::size(tokens)]);
        break;
      case 3:
        if (!input.empty()) input.erase(at % input.size(), 1 + random() % 16);
        break;
      case 4:
        if (!input.empty()) {
          const std::size_t from = random() % input.size();
          input.insert(at, input.substr(from, 1 + random() % 32));
        }
        break;
      default: {
        const std::string& other = corpus[random() % corpus.size()];
        input = input.substr(0, at) + other.substr(other.empty() ? 0 : random() % other.size());
      }
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::uint64_t seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (argument == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (fs::is_directory(argument)) {
      for (const auto& entry : fs::recursive_directory_iterator(argument))
        if (entry.is_regular_file()) corpus.push_back(read_file(entry.path()));
    } else if (fs::is_regular_file(argument)) {
      corpus.push_back(read_file(argument));
    } else {
      std::cerr << "fuzz driver: " << argument << " is no option, file or directory\n"
                << "usage: " << argv[0] << " [--seconds S] [--seed N] DIR_OR_FILE...\n";
      return 3;
    }
  }
  if (corpus.empty()) corpus.push_back("");
  crash_file = "crash-" + fs::path(argv[0]).filename().string() + "-" + std::to_string(seed);
  for (int signal_number : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) ::signal(signal_number, on_crash);

  for (const std::string& input : corpus) run(input);
  std::mt19937_64 random(seed);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t runs = corpus.size();
  while (std::chrono::steady_clock::now() < end) {
    run(mutate(corpus[random() % corpus.size()], corpus, random));
    ++runs;
  }
  std::cout << fs::path(argv[0]).filename().string() << ": " << runs << " inputs (" << corpus.size()
            << " from the corpus), seed " << seed << ", no crash\n";
  return 0;
}
