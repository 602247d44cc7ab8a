#pragma once
// Module core/correlate: "code or machine?": each function call against the system load
// during it (time-weighted window means, the kernel's direct contention measures), a verdict
// per call and per-function statistics, and "what was running at this moment". Used by
// loadline-cli functions/inspect/report, the exporters (core/export), comparisons
// (core/compare), serve, and the window's Functions panel and calls lane (widgets/).
//
// Function timings correlated with system load (code or machine?): the load during each call, a verdict
// per call, and per-function statistics. Qt-free; the CLI, exporters and widgets all use this.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/correlate/contentionverdict.h"
#include "core/correlate/verdict.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

/** One call (one FunctionTiming) with the load during it. */
struct CallAnalysis {
    std::size_t timingIndex = 0;  // index in the input timings
    int functionIndex = 0;        // index in Correlation::functions
    double start = 0;             // timestamp - wall_time
    double end = 0;               // the timing's timestamp (end of the call, DESIGN.md §2)
    double wallTime = 0;
    double cpuTime = 0;
    /** Time-weighted mean system CPU % / memory % over [start, end]; NaN when unknown. */
    double systemCpuPercent = kMissing;
    double systemMemoryPercent = kMissing;
    /** System samples inside [start, end] (how much the mean rests on measured points). */
    int samplesInside = 0;
    /** Fraction of the call inside the timeline's time range (0: entirely outside). */
    double coverage = 0;
    Verdict verdict = Verdict::Unknown;
    /** PSI, run-queue wait and cgroup throttling during the call, and which measure decided the
     *  verdict (contentionverdict.h); NaN / None where the recording has none. */
    CallContention contention;

    double cpuWallRatio() const { return wallTime > 0 ? cpuTime / wallTime : kMissing; }
};

/** Statistics of all calls of one function. Times in seconds; NaN where undefined. */
struct FunctionStats {
    std::string name;
    std::size_t calls = 0;
    double totalWall = 0;
    double meanWall = 0;
    double p50Wall = 0;  // percentiles by linear interpolation between ranks (numpy's default)
    double p95Wall = 0;
    double maxWall = 0;
    double meanCpu = 0;
    double cpuWallRatio = kMissing;  // total CPU / total wall
    /** Means over the calls that have a load (see CallAnalysis); NaN when none has. */
    double meanSystemCpuPercent = kMissing;
    double meanSystemMemoryPercent = kMissing;
    /** Mean wall of calls with system CPU >= highLoadPercent ÷ mean wall of the others (with a
     *  known load); NaN unless both groups have calls (or the low-load mean is zero). */
    double slowdownUnderLoad = kMissing;
    std::size_t highLoadCalls = 0;
    std::size_t lowLoadCalls = 0;
    std::size_t callsOutsideTimeline = 0;        // calls with no overlap with the system samples
    std::array<std::size_t, 4> verdictCounts{};  // indexed by Verdict
    /** Calls per measure that decided their verdict (indexed by LoadMeasure). */
    std::array<std::size_t, kLoadMeasureCount> measureCounts{};
    std::size_t throttledCalls = 0;  // calls during which its cgroup was throttled

    std::size_t verdictCount(Verdict v) const { return verdictCounts[static_cast<int>(v)]; }
};

struct CorrelateOptions {
    VerdictThresholds thresholds;
    ContentionThresholds contention;
    /** The process whose run-queue wait counts for the calls; 0: the only tracked process that
     *  has a run_queue_wait_percent column (none when several have). */
    int recordingPid = 0;
};

struct Correlation {
    std::vector<CallAnalysis> calls;       // in the order of the input timings
    std::vector<FunctionStats> functions;  // by total wall time, largest first
    /** Calls outside the timeline's range, no system samples, ... (one line per function). */
    std::vector<std::string> warnings;
    VerdictThresholds thresholds;
    ContentionThresholds contention;
    /** Whether any call's verdict rests on a direct measure (PSI, run-queue wait, throttling). */
    bool usedDirectMeasures = false;
};

/** Correlates timings with the timeline's system series ("cpu_percent", "memory_percent"). */
Correlation correlate(const std::vector<FunctionTiming>& timings, const Timeline& timeline,
                      const CorrelateOptions& options = {});

/** The same for a recording (a timeline alone gives an empty correlation). */
Correlation correlate(const Recording& recording, const CorrelateOptions& options = {});

/** Percentile p (0..100) of values (need not be sorted) by linear interpolation; NaN when empty. */
double percentile(std::vector<double> values, double p);

}  // namespace loadline::core
