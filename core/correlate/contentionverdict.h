#pragma once
// The load during a call from the kernel's direct contention measures, when the recording has
// them (core/sampler/contentioncolumns.h): PSI over the call's window, the recording process's
// run-queue wait, and its cgroup's throttling. The per-call verdict prefers these to the
// system-CPU-% heuristic (verdict.h) and says which measure decided it.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/correlate/verdict.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

/** What decided a call's verdict between contention and waiting. */
enum class LoadMeasure {
    None,              // own work, or nothing known (unknown)
    CgroupThrottling,  // its cgroup hit its cpu.max quota during the call
    RunQueueWait,      // the recording process's run-queue wait (/proc/PID/schedstat)
    Pressure,          // system CPU/memory pressure stall information (PSI)
    SystemCpuPercent,  // the heuristic: mean system CPU % (no direct measure recorded)
};
inline constexpr int kLoadMeasureCount = 5;
/** "none", "cgroup throttling", "run-queue wait", "pressure", "system CPU %". */
std::string_view loadMeasureName(LoadMeasure m);

/** The knobs of the direct measures. Defaults are the documented ones. */
struct ContentionThresholds {
    /** Run-queue wait >= this share of the call's time off the CPU (wall - CPU): contention. */
    double runQueueShare = 0.5;
    /** Mean CPU or memory "some" pressure during the call >= this percent: contention. */
    double pressurePercent = 25.0;
    /** cpu.max periods throttled during the call >= this percent: the call was throttled. */
    double throttledPercent = 10.0;
};

/** The direct measures over one call's window (window means; NaN where not recorded). */
struct CallContention {
    double pressureCpuPercent = kMissing;
    double pressureMemoryPercent = kMissing;
    double pressureIoPercent = kMissing;
    double runQueueWaitPercent = kMissing;     // the recording process, % of wall time
    double cgroupThrottledPercent = kMissing;  // share of cpu.max periods throttled
    bool throttled = false;                    // cgroupThrottledPercent >= the threshold
    LoadMeasure measure = LoadMeasure::None;   // what decided the verdict
};

/**
 * The verdict from the direct measures when there are any, else classifyCall()'s:
 * wall <= 0 -> unknown; CPU/wall >= ownWorkRatio -> own work; else, first that is known:
 * throttled -> contention (cgroup throttling); run-queue wait >= runQueueShare of (wall - CPU)
 * -> contention, else waiting (run-queue wait); max(CPU, memory pressure) >= pressurePercent ->
 * contention, else waiting (pressure); else the system-CPU-% rule against baseline (the
 * function's low-load calls). Sets c.measure and c.throttled.
 */
Verdict classifyCallMeasured(double wallTime, double cpuTime, double systemCpuPercent, CallContention& c,
                             const LoadBaseline& baseline = {}, const VerdictThresholds& thresholds = {},
                             const ContentionThresholds& contention = {});

/** "contention (run-queue wait)", "waiting (pressure)", "contention (cgroup throttling)",
 *  "own work, throttled", "waiting (system CPU %)": the verdict and what decided it. */
std::string verdictWithMeasure(Verdict v, const CallContention& c);

/** "measures: run-queue wait 12, pressure 3, system CPU % 1; 2 calls throttled" for the counts
 *  of a correlation's functions (indexed by LoadMeasure); empty when no call has a measure. */
std::string measureSummary(const std::size_t* measureCounts, std::size_t throttledCalls);

/** One sentence stating the direct-measure rule, for help texts and tooltips. */
std::string contentionRuleText(const ContentionThresholds& t = {});

/**
 * Finds a timeline's contention columns once, then measures calls. The recording process is
 * recordingPid, or (0) the only tracked process with a run_queue_wait_percent column. Its
 * cgroup's throttling is used, else the system table's (record --cgroup).
 */
class ContentionWindow {
public:
    ContentionWindow(const Timeline& timeline, int recordingPid = 0);
    /** Whether any direct measure is recorded at all. */
    bool any() const;
    CallContention measure(double t0, double t1) const;
    /** The recording process found (0 when none). */
    int recordingPid() const { return m_pid; }

private:
    const Timeline& m_timeline;
    const SeriesTable* m_proc = nullptr;
    const SeriesTable* m_throttleTable = nullptr;
    int m_pid = 0;
    int m_cpu = -1, m_mem = -1, m_io = -1, m_wait = -1, m_throttle = -1;
};

}  // namespace loadline::core
