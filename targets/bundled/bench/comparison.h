// The faultline-vs-etcd comparison: which measurement comes when, and the Markdown summary.
// Pure (no clusters, no clock), so the schedule and the arithmetic can be read and tested alone.
//
// The two systems are measured alternately, cell by cell (keys x operation), the one that goes
// first alternating too, so that load from other work on the machine falls on both alike.
// Every figure in the summary is the median over rounds; a ratio is the median of the ratios
// of back-to-back measurements (faultline / etcd), not the ratio of medians.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kv_api.h"
#include "load.h"

namespace faultline::bench {

struct Step {
  int round = 0;  // from 1
  std::size_t keys = 1;
  Operation operation = Operation::write;
  System system = System::faultline;
};

// Per round and key count: writes, then cas, then reads (so reads find values).
std::vector<Step> comparison_schedule(int rounds, const std::vector<std::size_t>& key_counts);

struct Measurement {
  Step step;
  std::size_t ops = 0, ok = 0, conflict = 0, failed = 0;
  double ops_per_second = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::uint64_t fsyncs = 0;  // in the whole cluster during the measurement
  double cpu_ms = 0;         // CPU time of the cluster's processes during the measurement
};

Measurement summarize(const Step& step, Sample& sample, double seconds, std::uint64_t fsyncs, double cpu_ms);

// One line for progress on stderr.
std::string describe(const Measurement& measurement);

// The table: per key count and operation, both systems' median ops/s, p50 and p99, the median
// throughput ratio with its range over rounds, the median p99 ratio, operations per fsync and
// CPU milliseconds per operation (cluster-wide, all rounds), and the failed share.
std::string render_comparison(const std::vector<Measurement>& measurements);

double median(std::vector<double> values);

}  // namespace faultline::bench
