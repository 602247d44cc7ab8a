#pragma once
// Why a call took its time: the per-call verdict and its thresholds. The thresholds are stated
// to the user (README "Why was my function slow?", the function table's tooltip, the CLI),
// so they live in one place.

#include <string>
#include <string_view>

namespace loadline::core {

/** The rule's knobs. Defaults are the documented ones. */
struct VerdictThresholds {
    /** CPU time / wall time at or above this: the call was busy with its own work. */
    double ownWorkRatio = 0.8;
    /** Mean system CPU % during the call at or above this: the machine was busy ("high load").
     *  Also the split between high and low load for the slowdown figure. */
    double highLoadPercent = 70.0;
};

enum class Verdict {
    OwnWork,     // CPU time ≈ wall time: the call computed
    Contention,  // wall ≫ CPU while the system was busy: it waited for a CPU (or another busy resource)
    Waiting,     // wall ≫ CPU while the system was idle: it waited on I/O, a lock, a sleep, the network
    Unknown,     // wall ≫ CPU but no system samples cover the call, or a zero wall time
};

/**
 * The verdict for one call. systemCpuPercent is the mean system CPU during the call (NaN when
 * unknown). cpu/wall >= ownWorkRatio -> OwnWork; else systemCpu >= highLoadPercent -> Contention;
 * else Waiting; Unknown when wall <= 0 or (not own work and the load is unknown).
 */
Verdict classifyCall(double wallTime, double cpuTime, double systemCpuPercent,
                     const VerdictThresholds& thresholds = {});

/** "own work", "contention", "waiting", "unknown". */
std::string_view verdictName(Verdict v);

/** One sentence stating the rule with these thresholds, for help texts and tooltips. */
std::string verdictRuleText(const VerdictThresholds& thresholds = {});

}  // namespace loadline::core
