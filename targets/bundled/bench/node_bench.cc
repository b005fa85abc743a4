// faultline-node-bench: throughput and latency of a 3-node faultline-node cluster on loopback.
// 16 clients (keep-alive connections, each to one node in turn), a third each of reads, writes
// and cas, on 1 key (every operation contends) and on 100 keys. Prints a Markdown table.
//
//   build/bin/faultline-node-bench [--seconds 5] [--clients 16] [--protocol paxos|quorum] [--no-fsync]
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "../tests/node_process.h"
#include "../tests/temp_dir.h"

using namespace faultline::testing;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
  std::vector<double> latency_ms;
  std::size_t ok = 0, conflict = 0, failed = 0;
};

std::atomic<int> failures_shown{0};  // the first failures of each run are printed to stderr

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// One request on a reused easy handle (keep-alive); returns the HTTP status, 0 on no answer.
long request(CURL* curl, const std::string& method, const std::string& url, const std::string& body) {
  std::string reply;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, method == "GET" ? 1L : 0L);
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 409 && failures_shown++ < 3) std::cerr << method << " " << url << ": " << status << " " << reply << "\n";
  return status;
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark a 3-node faultline-node cluster on loopback", "faultline-node-bench"};
  int seconds = 5;
  std::size_t clients = 16;
  std::string protocol = "paxos";
  bool no_fsync = false;
  app.add_option("--seconds", seconds, "measured seconds per key count");
  app.add_option("--clients", clients, "concurrent clients, each with a keep-alive connection");
  app.add_option("--protocol", protocol, "paxos or quorum")->check(CLI::IsMember({"paxos", "quorum"}));
  app.add_flag("--no-fsync", no_fsync, "run the nodes with --no-fsync");
  CLI11_PARSE(app, argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);

  std::printf("| keys | op | ops | ok | 409 | failed | ops/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|\n");
  for (int keys : {1, 100}) {
    failures_shown = 0;
    TempDir dir;
    std::vector<std::uint16_t> ports;
    while (ports.size() < 3) {
      const auto port = free_port();
      if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    }
    std::vector<std::unique_ptr<NodeProcess>> nodes;
    for (std::size_t i = 0; i < 3; ++i) {
      std::vector<std::string> args{"--id", "n" + std::to_string(i + 1), "--listen",
                                    "127.0.0.1:" + std::to_string(ports[i]), "--data-dir",
                                    (dir.path() / ("n" + std::to_string(i + 1))).string(), "--protocol", protocol};
      for (std::size_t j = 0; j < 3; ++j)
        if (j != i) args.insert(args.end(), {"--peer", "n" + std::to_string(j + 1) + "=127.0.0.1:" + std::to_string(ports[j])});
      if (no_fsync) args.push_back("--no-fsync");
      nodes.push_back(std::make_unique<NodeProcess>(args, ports[i], dir.path() / ("n" + std::to_string(i + 1) + ".log")));
      nodes.back()->start();
    }
    for (auto& node : nodes) {
      if (!node->wait_healthy()) {
        std::cerr << "a node never became healthy:\n" << node->log();
        return 1;
      }
    }

    std::mutex mutex;
    std::map<std::string, Sample> samples;
    std::atomic<bool> stop{false};
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (std::size_t c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        CURL* curl = curl_easy_init();
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
        std::mt19937_64 random(c + 1);
        const std::string base = "http://127.0.0.1:" + std::to_string(ports[c % 3]) + "/kv/k";
        std::map<std::string, Sample> mine;
        while (Clock::now() < end) {
          const std::string key = std::to_string(random() % static_cast<std::uint64_t>(keys));
          const int kind = static_cast<int>(random() % 3);
          const int a = static_cast<int>(random() % 5), b = static_cast<int>(random() % 5);
          const auto start = Clock::now();
          long status = 0;
          std::string op;
          if (kind == 0) {
            op = "read";
            status = request(curl, "GET", base + key, "");
          } else if (kind == 1) {
            op = "write";
            status = request(curl, "PUT", base + key, nlohmann::json{{"value", a}}.dump());
          } else {
            op = "cas";
            status = request(curl, "POST", base + key + "/cas", nlohmann::json{{"from", a}, {"to", b}}.dump());
          }
          Sample& sample = mine[op];
          sample.latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
          if (status == 200) ++sample.ok; else if (status == 409) ++sample.conflict; else ++sample.failed;
        }
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        std::lock_guard lock(mutex);
        for (auto& [op, sample] : mine) {
          Sample& all = samples[op];
          all.latency_ms.insert(all.latency_ms.end(), sample.latency_ms.begin(), sample.latency_ms.end());
          all.ok += sample.ok;
          all.conflict += sample.conflict;
          all.failed += sample.failed;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (auto& [op, sample] : samples) {
      const std::size_t count = sample.latency_ms.size();
      std::printf("| %d | %s | %zu | %zu | %zu | %zu | %.0f | %.2f | %.2f |\n", keys, op.c_str(), count, sample.ok,
                  sample.conflict, sample.failed, static_cast<double>(count) / seconds,
                  percentile(sample.latency_ms, 0.50), percentile(sample.latency_ms, 0.99));
    }
    std::fflush(stdout);
  }
  return 0;
}
