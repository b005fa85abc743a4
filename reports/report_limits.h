// The limits of the report, together (STYLE principle 10). Each bounds what one part of the
// page holds, so that a report of a 100,000-op history stays small and quick to open.
#pragma once

#include <cstddef>

namespace faultline {

// The anomaly diagram: ops drawn around the op that cannot be placed.
inline constexpr std::size_t anomaly_ops_drawn_max = 48;
// Characters of an op's value shown in the timeline's hover text.
inline constexpr std::size_t op_text_chars_max = 80;
// Buckets of the throughput chart; each is at least throughput_bucket_min_ms wide.
inline constexpr std::size_t throughput_buckets_max = 400;
inline constexpr double throughput_bucket_min_ms = 100;
// The timeline shows this many ops per page; the JS pages through all of them.
inline constexpr std::size_t ops_rendered_per_page = 1500;
// Transactional anomalies: cycles drawn, and other anomalies listed, per anomaly class.
inline constexpr std::size_t cycles_drawn_per_class_max = 2;
inline constexpr std::size_t anomalies_listed_per_class_max = 5;
// Node logs linked from the page.
inline constexpr std::size_t node_logs_linked_max = 64;

static_assert(ops_rendered_per_page >= anomaly_ops_drawn_max, "a timeline page holds at least an anomaly's ops");
static_assert(throughput_buckets_max >= 10, "a throughput chart needs some points");

}  // namespace faultline
