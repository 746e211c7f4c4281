// metrics/process_metrics.h: the process_* metrics every Prometheus client exports
// (CPU, memory, file descriptors, start time), read from /proc/self at each scrape.
//
// prometheus-cpp has no process collector; these families are built at render time
// so the values are the scrape's, not the last update's.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace paymentd::metrics {

/// process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds, process_max_fds and
/// process_start_time_seconds; a value that cannot be read is left out.
std::vector<prometheus::MetricFamily> processMetrics();

}  // namespace paymentd::metrics
