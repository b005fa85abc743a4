#include "load.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <latch>
#include <mutex>
#include <random>
#include <thread>

namespace faultline::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int failures_shown_max = 3;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// One request on a reused easy handle (keep-alive); returns the HTTP status, 0 on no answer.
long perform(CURL* curl, const std::string& base, const HttpRequest& request, std::string& reply) {
  reply.clear();
  const std::string url = base + request.path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, request.method == "GET" ? 1L : 0L);
  if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

}  // namespace

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

std::map<Operation, Sample> run_load(const LoadOptions& options) {
  std::atomic<int> failures_shown{0};
  std::mutex mutex;
  std::map<Operation, Sample> samples;
  std::latch connected(static_cast<std::ptrdiff_t>(options.clients)), go(1);
  Clock::time_point end;  // written before `go` releases the clients
  std::vector<std::thread> threads;
  for (std::size_t c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      CURL* curl = curl_easy_init();
      curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request_timeout_ms);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
      std::mt19937_64 random(options.seed * 1000 + c + 1);
      const std::string& base = options.node_urls[c % options.node_urls.size()];
      std::string reply;
      // Open the keep-alive connection before the clock starts (a read: it changes nothing).
      perform(curl, base, request_for(options.system, Operation::read, 0, 0, 0), reply);
      connected.count_down();
      go.wait();
      std::map<Operation, Sample> mine;
      while (Clock::now() < end) {
        const std::size_t key = random() % options.keys;
        const auto kind = options.only ? *options.only : static_cast<Operation>(random() % 3);
        const int from = static_cast<int>(random() % 5), to = static_cast<int>(random() % 5);
        const auto start = Clock::now();
        const long status = perform(curl, base, request_for(options.system, kind, key, from, to), reply);
        const double latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        Sample& sample = mine[kind];
        sample.latency_ms.push_back(latency_ms);
        switch (outcome_of(options.system, kind, status, reply)) {
          case Outcome::ok: ++sample.ok; break;
          case Outcome::conflict: ++sample.conflict; break;
          case Outcome::failed:
            ++sample.failed;
            if (failures_shown++ < failures_shown_max)
              std::cerr << system_name(options.system) << " " << operation_name(kind) << " " << base << ": " << status
                        << " " << reply << "\n";
            break;
        }
      }
      curl_slist_free_all(headers);
      curl_easy_cleanup(curl);
      std::lock_guard lock(mutex);
      for (auto& [kind, sample] : mine) {
        Sample& all = samples[kind];
        all.latency_ms.insert(all.latency_ms.end(), sample.latency_ms.begin(), sample.latency_ms.end());
        all.ok += sample.ok;
        all.conflict += sample.conflict;
        all.failed += sample.failed;
      }
    });
  }
  // The clock starts when the last client has connected, not before.
  connected.wait();
  if (options.on_clock_start) options.on_clock_start();
  end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  go.count_down();
  for (auto& thread : threads) thread.join();
  return samples;
}

}  // namespace faultline::bench
