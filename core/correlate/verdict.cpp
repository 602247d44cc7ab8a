#include "core/correlate/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loadline::core {

namespace {
// Linear interpolation between ranks (numpy's default), on sorted values.
double quantileSorted(const std::vector<double>& v, double q) {
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}
}  // namespace

LoadBaseline LoadBaseline::fromLowLoadWalls(std::vector<double> walls) {
    LoadBaseline b;
    std::erase_if(walls, [](double w) { return std::isnan(w); });
    b.calls = walls.size();
    if (walls.empty()) return b;
    std::sort(walls.begin(), walls.end());
    const double q1 = quantileSorted(walls, 0.25);
    const double q3 = quantileSorted(walls, 0.75);
    // Tukey's upper fence, and at least 10 % above the upper quartile: the ordinary spread of
    // a function's wall times (a sleep's jitter) is not a slowdown.
    b.slowWall = std::max(q3 + 1.5 * (q3 - q1), 1.1 * q3);
    return b;
}

Verdict classifyCall(double wallTime, double cpuTime, double systemCpuPercent, const LoadBaseline& baseline,
                     const VerdictThresholds& thresholds) {
    if (!(wallTime > 0)) return Verdict::Unknown;
    if (cpuTime / wallTime >= thresholds.ownWorkRatio) return Verdict::OwnWork;
    if (std::isnan(systemCpuPercent)) return Verdict::Unknown;
    if (systemCpuPercent < thresholds.highLoadPercent) return Verdict::Waiting;
    if (static_cast<long long>(baseline.calls) < thresholds.minLowLoadCalls || std::isnan(baseline.slowWall))
        return Verdict::Unknown;
    return wallTime > baseline.slowWall ? Verdict::Contention : Verdict::Waiting;
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
    char buf[900];
    std::snprintf(buf, sizeof buf,
                  "own work: CPU time / wall time >= %.2g; otherwise waiting when the mean system CPU "
                  "during the call is below %.4g %%; under higher load, contention only when the call "
                  "was slower than the same function's calls at low load (wall above their Q3 + 1.5 IQR "
                  "and >= 1.1 x Q3), else waiting; unknown with fewer than %lld low-load calls to judge "
                  "against, or when no system sample covers the call",
                  t.ownWorkRatio, t.highLoadPercent, t.minLowLoadCalls);
    return buf;
}

}  // namespace loadline::core
