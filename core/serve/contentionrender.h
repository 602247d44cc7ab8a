#pragma once
// The contention sources (PSI, run-queue wait, cgroup v2) in the serve API's per-tick renderers:
// JSON for /api/system/metrics and Prometheus families for /metrics. Sources this machine lacks
// are left out (no key, no family), never written as zeros.
//
// Prometheus names follow node_exporter's pressure collector (node_pressure_*) and cAdvisor's
// container_* families under the loadline_ prefix:
//   loadline_pressure_{cpu,memory,io}_waiting_seconds_total  ("some": at least one task stalled)
//   loadline_pressure_{memory,io}_stalled_seconds_total      ("full": all non-idle tasks stalled)
//   loadline_process_run_queue_wait_seconds_total{name,pid}
//   loadline_process_nonvoluntary_context_switches_total{name,pid}
//   loadline_cgroup_cpu_usage_seconds_total{cgroup}, loadline_cgroup_cpu_cfs_throttled_periods_total,
//   loadline_cgroup_cpu_cfs_throttled_seconds_total, loadline_cgroup_memory_usage_bytes,
//   loadline_cgroup_memory_limit_bytes, loadline_cgroup_pressure_{cpu,memory,io}_{waiting,stalled}_seconds_total

#include <span>

#include "core/collect/samples.h"
#include "core/serve/jsonwriter.h"
#include "core/serve/prometheus.h"

namespace loadline::core::serve {

/** "pressure": {...} and "cgroup": {...} keys of the snapshot object (only what is present). */
void renderContentionJson(JsonWriter& w, const SystemSample& s);
/** run_queue_wait_percent, nonvoluntary_switches_per_s and "cgroup" keys of one process object. */
void renderProcessContentionJson(JsonWriter& w, const ProcessSample& p);
/** The families listed above. */
void renderContentionPrometheus(PrometheusWriter& w, const SystemSample& s, std::span<const ProcessSample> processes);

}  // namespace loadline::core::serve
