#include "stats/latency.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <string>

#include "stats/client_ops.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr double ns_per_ms = 1e6;
constexpr double ns_per_s = 1e9;

LatencySummary summary(std::vector<std::int64_t> latencies_ns) {
  std::sort(latencies_ns.begin(), latencies_ns.end());
  LatencySummary out;
  out.ok_count = static_cast<std::int64_t>(latencies_ns.size());
  if (latencies_ns.empty()) return out;
  auto ms = [&](double q) { return static_cast<double>(nearest_rank_quantile(latencies_ns, q)) / ns_per_ms; };
  out.p50_ms = ms(0.5);
  out.p90_ms = ms(0.9);
  out.p99_ms = ms(0.99);
  out.max_ms = ms(1.0);
  return out;
}

}  // namespace

std::int64_t nearest_rank_quantile(const std::vector<std::int64_t>& sorted, double q) {
  assert(!sorted.empty() && q > 0 && q <= 1);
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

CheckResult check_latency(const History& history) {
  std::map<std::string, std::vector<std::int64_t>> by_f;
  std::vector<std::int64_t> all;
  std::int64_t first_invoke_ns = 0, last_complete_ns = 0;
  bool any = false;
  for (const ClientOpSpan& span : client_op_spans(history)) {
    const Op& invocation = history[span.invoke];
    if (!any) first_invoke_ns = invocation.time_ns;
    any = true;
    if (!span.complete) continue;
    const Op& completion = history[*span.complete];
    last_complete_ns = std::max(last_complete_ns, completion.time_ns);
    if (span.outcome != OpType::ok) continue;
    const std::int64_t latency_ns = completion.time_ns - invocation.time_ns;
    by_f[invocation.f].push_back(latency_ns);
    all.push_back(latency_ns);
  }

  CheckResult result;
  LatencyResult found;
  for (auto& [f, latencies] : by_f) found.by_f[f] = summary(std::move(latencies));
  const std::size_t ok_count = all.size();
  found.all = summary(std::move(all));
  found.duration_s = static_cast<double>(std::max<std::int64_t>(0, last_complete_ns - first_invoke_ns)) / ns_per_s;
  if (found.duration_s > 0) found.ok_per_s = static_cast<double>(ok_count) / found.duration_s;
  if (!any) {
    result.verdict = Verdict::unknown;
    found.reason = "the history has no client operations";
  }
  result.details = found;
  return result;
}

}  // namespace faultline
