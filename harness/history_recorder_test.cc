#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "history/history_format.h"
#include "history_recorder.h"

using namespace faultline;

TEST_CASE("the recorder stamps index and time, and the file reads back as the same history") {
  std::stringstream file;
  std::int64_t now = 1000;
  std::vector<Op> recorded;
  {
    HistoryRecorder recorder(file, [&] { return now += 10; });
    Op invoke;
    invoke.process = 3;
    invoke.f = "write";
    invoke.value = 7;
    recorded.push_back(recorder.record(invoke));
    Op done = invoke;
    done.type = OpType::info;
    done.error = "timed out";
    recorded.push_back(recorder.record(done));
    CHECK(recorder.size() == 2);
  }
  CHECK(recorded[0].index == 0);
  CHECK(recorded[1].index == 1);
  CHECK(recorded[0].time_ns == 1010);
  CHECK(recorded[1].time_ns == 1020);
  auto history = read_history(file, "recorded", HistoryFormat::jsonl);
  REQUIRE(history);
  REQUIRE(history->size() == 2);
  CHECK((*history)[1].error == "timed out");
  CHECK(history->partner(0) == 1);
}

TEST_CASE("the recorder flushes on its own, without being asked") {
  // A stream that counts flushes: the flusher thread must flush a dirty history by itself.
  struct CountingBuffer : std::stringbuf {
    std::atomic<int> syncs{0};
    int sync() override {
      ++syncs;
      return 0;
    }
  } buffer;
  std::ostream out(&buffer);
  HistoryRecorder recorder(out, [] { return std::int64_t{0}; });
  Op op;
  op.f = "read";
  recorder.record(op);
  const auto deadline = std::chrono::steady_clock::now() + 20 * history_flush_interval;
  while (buffer.syncs.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(history_flush_interval / 10);
  CHECK(buffer.syncs.load() >= 1);
}

TEST_CASE("concurrent records get distinct indices in the order they are written") {
  std::stringstream file;
  std::atomic<std::int64_t> clock{0};
  {
    HistoryRecorder recorder(file, [&] { return clock++; });
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) {
          Op op;
          op.process = t;
          op.f = "read";
          recorder.record(op);
          op.type = OpType::ok;
          recorder.record(op);
        }
      });
    for (auto& thread : threads) thread.join();
  }
  auto history = read_history(file, "recorded", HistoryFormat::jsonl);
  REQUIRE(history);
  REQUIRE(history->size() == 2000);
  for (std::size_t i = 0; i < history->size(); ++i) {
    CHECK((*history)[i].index == static_cast<std::int64_t>(i));
    if (i > 0) CHECK((*history)[i].time_ns > (*history)[i - 1].time_ns);
  }
}
