#pragma once
// Why a call took its time: the per-call verdict and its thresholds. The thresholds are stated
// to the user (README "Why was my function slow?", the function table's tooltip, the CLI),
// so they live in one place.
//
// The rule: a call that computed (CPU time ≈ wall time) is "own work". Otherwise the load
// during it decides only if the load plausibly cost it time: a call made under high load is
// "contention" only when it was slower than the same function's calls at low load (its wall
// time above their Tukey upper fence, Q3 + 1.5·IQR, and at least 10 % above their upper
// quartile); a call under load that was not slowed is "waiting" (it waited on I/O, a lock, a
// sleep, the network, as it does at low load). With fewer than minLowLoadCalls calls at low load
// to judge against, a call under load is "unknown".

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace loadline::core {

/** The rule's knobs. Defaults are the documented ones. */
struct VerdictThresholds {
    /** CPU time / wall time at or above this: the call was busy with its own work. */
    double ownWorkRatio = 0.8;
    /** Mean system CPU % during the call at or above this: the machine was busy ("high load").
     *  Also the split between high and low load for the slowdown figure. */
    double highLoadPercent = 70.0;
    /** Low-load calls of the same function needed to judge a call under load (else "unknown"). */
    long long minLowLoadCalls = 5;
};

enum class Verdict {
    OwnWork,     // CPU time ≈ wall time: the call computed
    Contention,  // under high load, and slower than the function's low-load calls: load cost it time
    Waiting,     // wall ≫ CPU and not slowed by load: it waited on I/O, a lock, a sleep, the network
    Unknown,     // no system samples cover the call, a zero wall time, or too few low-load calls to judge
};

/** What a call under load is judged against: the same function's calls at low load. */
struct LoadBaseline {
    std::size_t calls = 0;  // low-load calls with a known load
    /** Wall time above which a call under load was slowed (see the rule); NaN without calls. */
    double slowWall = std::numeric_limits<double>::quiet_NaN();

    /** The baseline of these low-load wall times. */
    static LoadBaseline fromLowLoadWalls(std::vector<double> walls);
};

/**
 * The verdict for one call. systemCpuPercent is the mean system CPU during the call (NaN when
 * unknown); baseline holds the same function's low-load calls.
 */
Verdict classifyCall(double wallTime, double cpuTime, double systemCpuPercent, const LoadBaseline& baseline,
                     const VerdictThresholds& thresholds = {});

/** "own work", "contention", "waiting", "unknown". */
std::string_view verdictName(Verdict v);

/** One sentence stating the rule with these thresholds, for help texts and tooltips. */
std::string verdictRuleText(const VerdictThresholds& thresholds = {});

}  // namespace loadline::core
