#include "core/correlate/verdict.h"

#include <cmath>
#include <cstdio>

namespace loadline::core {

Verdict classifyCall(double wallTime, double cpuTime, double systemCpuPercent,
                     const VerdictThresholds& thresholds) {
    if (!(wallTime > 0)) return Verdict::Unknown;
    if (cpuTime / wallTime >= thresholds.ownWorkRatio) return Verdict::OwnWork;
    if (std::isnan(systemCpuPercent)) return Verdict::Unknown;
    return systemCpuPercent >= thresholds.highLoadPercent ? Verdict::Contention : Verdict::Waiting;
}

std::string_view verdictName(Verdict v) {
    switch (v) {
    case Verdict::OwnWork: return "own work";
    case Verdict::Contention: return "contention";
    case Verdict::Waiting: return "waiting";
    case Verdict::Unknown: break;
    }
    return "unknown";
}

std::string verdictRuleText(const VerdictThresholds& t) {
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "own work: CPU time / wall time >= %.2g; otherwise contention when the mean system "
                  "CPU during the call >= %.4g %%, waiting when below; unknown when no system sample "
                  "covers the call",
                  t.ownWorkRatio, t.highLoadPercent);
    return buf;
}

}  // namespace loadline::core
