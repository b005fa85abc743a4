#include "comparison.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

namespace faultline::bench {
namespace {

constexpr Operation operation_order[] = {Operation::write, Operation::cas, Operation::read};

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

}  // namespace

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

std::vector<Step> comparison_schedule(int rounds, const std::vector<std::size_t>& key_counts) {
  std::vector<Step> steps;
  std::size_t cell = 0;
  for (int round = 1; round <= rounds; ++round)
    for (std::size_t keys : key_counts)
      for (Operation operation : operation_order) {
        const bool faultline_first = (cell++ + static_cast<std::size_t>(round)) % 2 == 1;
        const System first = faultline_first ? System::faultline : System::etcd;
        const System second = faultline_first ? System::etcd : System::faultline;
        steps.push_back({round, keys, operation, first});
        steps.push_back({round, keys, operation, second});
      }
  return steps;
}

Measurement summarize(const Step& step, Sample& sample, double seconds, std::uint64_t fsyncs, double cpu_ms) {
  Measurement m;
  m.cpu_ms = cpu_ms;
  m.fsyncs = fsyncs;
  m.step = step;
  m.ops = sample.latency_ms.size();
  m.ok = sample.ok;
  m.conflict = sample.conflict;
  m.failed = sample.failed;
  m.ops_per_second = static_cast<double>(m.ops) / seconds;
  m.p50_ms = percentile(sample.latency_ms, 0.50);
  m.p90_ms = percentile(sample.latency_ms, 0.90);
  m.p99_ms = percentile(sample.latency_ms, 0.99);
  m.max_ms = sample.latency_ms.empty() ? 0 : sample.latency_ms.back();  // sorted by percentile()
  return m;
}

std::string describe(const Measurement& m) {
  std::ostringstream out;
  out << "round " << m.step.round << " keys " << m.step.keys << " " << operation_name(m.step.operation) << " "
      << system_name(m.step.system) << ": " << format("%.0f", m.ops_per_second) << " ops/s, p50 "
      << format("%.2f", m.p50_ms) << " ms, p90 " << format("%.1f", m.p90_ms) << " ms, p99 " << format("%.1f", m.p99_ms)
      << " ms, max " << format("%.0f", m.max_ms) << " ms, ok " << m.ok << ", conflict "
      << m.conflict << ", failed " << m.failed << ", fsyncs " << m.fsyncs << ", CPU " << format("%.0f", m.cpu_ms) << " ms";
  return out.str();
}

std::string render_comparison(const std::vector<Measurement>& measurements) {
  // (keys, operation, round) -> the two systems' measurements
  std::map<std::tuple<std::size_t, int, int>, std::map<System, const Measurement*>> cells;
  for (const Measurement& m : measurements)
    cells[{m.step.keys, static_cast<int>(m.step.operation), m.step.round}][m.step.system] = &m;

  std::ostringstream out;
  out << "| keys | op | faultline ops/s | etcd ops/s | throughput ratio (range) | faultline p50 / p99 ms | "
         "etcd p50 / p99 ms | p99 ratio | ops per fsync faultline / etcd | CPU ms per op faultline / etcd | failed faultline / etcd |\n"
      << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  std::vector<std::size_t> key_counts;
  for (const auto& [key, _] : cells)
    if (std::find(key_counts.begin(), key_counts.end(), std::get<0>(key)) == key_counts.end())
      key_counts.push_back(std::get<0>(key));
  for (std::size_t keys : key_counts)
    for (Operation operation : operation_order) {
      std::map<System, std::vector<double>> ops, p50, p99;
      std::map<System, std::size_t> total, failed;
      std::map<System, std::uint64_t> fsyncs;
      std::map<System, double> cpu;
      std::vector<double> ratio, p99_ratio;
      for (const auto& [key, pair] : cells) {
        if (std::get<0>(key) != keys || std::get<1>(key) != static_cast<int>(operation)) continue;
        for (const auto& [system, m] : pair) {
          ops[system].push_back(m->ops_per_second);
          p50[system].push_back(m->p50_ms);
          p99[system].push_back(m->p99_ms);
          total[system] += m->ops;
          failed[system] += m->failed;
          fsyncs[system] += m->fsyncs;
          cpu[system] += m->cpu_ms;
        }
        if (pair.size() == 2 && pair.at(System::etcd)->ops_per_second > 0 && pair.at(System::etcd)->p99_ms > 0) {
          ratio.push_back(pair.at(System::faultline)->ops_per_second / pair.at(System::etcd)->ops_per_second);
          p99_ratio.push_back(pair.at(System::faultline)->p99_ms / pair.at(System::etcd)->p99_ms);
        }
      }
      if (ratio.empty()) continue;
      const auto share = [&](System s) {
        return total[s] ? format("%.1f%%", 100.0 * static_cast<double>(failed[s]) / static_cast<double>(total[s])) : "-";
      };
      const auto per_fsync = [&](System s) {
        return fsyncs[s] ? format("%.2f", static_cast<double>(total[s]) / static_cast<double>(fsyncs[s])) : "-";
      };
      const auto cpu_per_op = [&](System s) {
        return total[s] ? format("%.2f", cpu[s] / static_cast<double>(total[s])) : "-";
      };
      out << "| " << keys << " | " << operation_name(operation) << " | " << format("%.0f", median(ops[System::faultline]))
          << " | " << format("%.0f", median(ops[System::etcd])) << " | **" << format("%.2f", median(ratio)) << "** ("
          << format("%.2f", *std::min_element(ratio.begin(), ratio.end())) << "-"
          << format("%.2f", *std::max_element(ratio.begin(), ratio.end())) << ") | "
          << format("%.1f", median(p50[System::faultline])) << " / " << format("%.1f", median(p99[System::faultline]))
          << " | " << format("%.1f", median(p50[System::etcd])) << " / " << format("%.1f", median(p99[System::etcd]))
          << " | " << format("%.2f", median(p99_ratio)) << " | " << per_fsync(System::faultline) << " / "
          << per_fsync(System::etcd) << " | " << cpu_per_op(System::faultline) << " / " << cpu_per_op(System::etcd)
          << " | " << share(System::faultline) << " / "
          << share(System::etcd) << " |\n";
    }
  return out.str();
}

}  // namespace faultline::bench
