#pragma once
// Module core/compare: two runs compared (did a function get slower, and is it the code, the
// machine or waiting?), with two-sample statistics, the result as text/JSON/CSV, and the
// self-contained HTML report. Used by loadline-cli compare/report and the window's compare
// mode (baseline overlay and the Functions table's Before/After columns).
//
// Two runs of the same program side by side (a baseline and a new run): per function, did the
// mean wall time change significantly, and if so, is the cause the code (CPU time per call
// changed), the machine (CPU time unchanged, load during the calls changed the same way) or
// waiting (CPU time and load unchanged: I/O, locks, sleeps)? Plus the system load over each run
// and over each run's calls. Qt-free; the CLI, the HTML report and the window use it.
//
// The method (README "…and why is it slower than before?"):
//  - change_percent = mean wall (new) / mean wall (base) - 1, in percent;
//  - significance: two-sided Mann–Whitney U test on the per-call wall times (p < alpha) AND
//    |change_percent| >= minChangePercent; the bootstrap interval of the ratio of the means is
//    shown beside it;
//  - fewer than minCalls calls in either run: "inconclusive";
//  - "code" when the CPU time per call changed significantly (same test, same minimum change) in
//    the direction of the wall change and by at least half as many percent: the CPU work
//    explains the change (percent, not seconds: a call that gets a third of a core takes three
//    times its CPU time in wall time, before and after);
//  - else "machine" when the recording process's run-queue wait (the time it was ready to run
//    but waited for a CPU, /proc/PID/schedstat, recorded by loadline's own sampler) per call
//    changed significantly in the direction of the wall change by at least half as many
//    seconds: waiting for a CPU explains it; or when the mean system CPU % during the calls
//    changed by at least minLoadChangePoints percentage points (significant by the same test on
//    the per-call loads) in the direction of the wall change; else "waiting";
//  - no system samples (and no run-queue wait) under a run's calls: machine and waiting cannot
//    be told apart: "inconclusive".

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/correlate/correlate.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

enum class Finding { NoChange, Code, Machine, Waiting, Inconclusive };

/** "no change", "code", "machine", "waiting", "inconclusive" (the JSON and CSV words). */
std::string_view findingName(Finding f);

struct CompareOptions {
    /** |change| below this (percent of the base's mean) is never called a change. */
    double minChangePercent = 5.0;
    /** Significance level of the two-sided tests. */
    double alpha = 0.05;
    /** Fewer calls than this in either run: inconclusive. */
    std::size_t minCalls = 5;
    /** Change of the mean system CPU % during the calls (percentage points) that counts as the
     *  machine being busier (or quieter). */
    double minLoadChangePoints = 10.0;
    int bootstrapResamples = 2000;
    double confidence = 0.95;
    std::uint64_t seed = 20261202;
    /** Thresholds of the per-call verdicts (the load during each call comes from correlate()). */
    CorrelateOptions correlate;
};

/** Index 0: the baseline, 1: the new run. */
using Pair = std::array<double, 2>;

struct FunctionComparison {
    enum class Status { Both, Added, Removed };
    std::string name;
    Status status = Status::Both;
    std::array<std::size_t, 2> calls{};
    Pair meanWall{kMissing, kMissing};
    Pair p50Wall{kMissing, kMissing};
    Pair p95Wall{kMissing, kMissing};
    Pair meanCpu{kMissing, kMissing};
    Pair cpuWallRatio{kMissing, kMissing};
    Pair meanSystemCpuPercent{kMissing, kMissing};  // mean over the calls of the load during each
    Pair meanSystemMemoryPercent{kMissing, kMissing};
    /** Mean wall time: change in percent, Mann–Whitney p, bootstrap interval of new/base - 1 in
     *  percent. NaN unless status is Both. */
    double changePercent = kMissing;
    double pValue = kMissing;
    double ciLowPercent = kMissing;
    double ciHighPercent = kMissing;
    bool wallChanged = false;  // significant and at least the minimum change
    /** The same test on the CPU time per call. */
    double cpuChangePercent = kMissing;
    double cpuPValue = kMissing;
    bool cpuChanged = false;
    /** Mean system CPU % during the calls, new - base (percentage points), and its test. */
    double loadChangePoints = kMissing;
    double loadPValue = kMissing;
    bool loadChanged = false;
    /** Mean seconds per call the recording process waited on a run queue (its run-queue wait %
     *  during the call × wall time); NaN when a run has not recorded it for enough calls. */
    Pair meanRunQueueWait{kMissing, kMissing};
    double runQueueWaitPValue = kMissing;
    bool runQueueWaitExplains = false;  // significant, same direction, >= half the wall change
    Finding finding = Finding::Inconclusive;
    /** One sentence: why this finding (the figures it rests on). */
    std::string reason;

    double totalWall(int run) const { return calls[run] ? meanWall[run] * static_cast<double>(calls[run]) : 0.0; }
};

/** Load over one run (all its system samples) and over its calls. NaN when unknown. */
struct RunLoad {
    std::size_t samples = 0;
    double durationSeconds = kMissing;  // last - first system timestamp
    double sampleInterval = kMissing;   // metadata's, else the median spacing
    double meanCpuPercent = kMissing, p95CpuPercent = kMissing;
    double meanMemoryPercent = kMissing, p95MemoryPercent = kMissing;
    /** Over the calls: mean and p95 of the load during each call (calls with a known load). */
    std::size_t callsWithLoad = 0;
    std::size_t calls = 0;
    double callsMeanCpuPercent = kMissing, callsP95CpuPercent = kMissing;
    double callsMeanMemoryPercent = kMissing, callsP95MemoryPercent = kMissing;
};

struct RunComparison {
    /** Functions in both runs first, then added, then removed; each group by the larger total
     *  wall time of the two runs, largest first. */
    std::vector<FunctionComparison> functions;
    std::array<RunLoad, 2> system;
    /** Problems worth knowing (prefixed "baseline: " / "new run: " when about one run). */
    std::vector<std::string> warnings;
    CompareOptions options;
    /** The per-run correlations the comparison rests on (the window draws their calls). */
    std::array<Correlation, 2> correlations;

    const FunctionComparison* find(std::string_view name) const;
};

RunComparison compareRuns(const Recording& base, const Recording& next, const CompareOptions& options = {});

/** Start (timestamp - wall time) of a function's first call in a recording, if it has one: the
 *  point where export-png --align-at and the window align a baseline with the run. */
std::optional<double> firstCallStart(const Recording& recording, std::string_view function);

/** One sentence describing the method with these options (help texts, reports). */
std::string compareMethodText(const CompareOptions& options);

}  // namespace loadline::core
