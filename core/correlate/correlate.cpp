#include "core/correlate/correlate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>

#include "core/correlate/windowmean.h"

namespace loadline::core {

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return kMissing;
    std::sort(values.begin(), values.end());
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

namespace {

std::string formatTime(double t) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", t);
    return buf;
}

// Warnings about calls the timeline does not (fully) cover, one line per function.
void addCoverageWarnings(const Correlation& c, const Timeline& timeline, std::vector<std::string>& out) {
    // Coverage counts samples with a CPU value (null ones are gaps): name that range, or a
    // call inside the timestamps but among null values would read "outside [its own span]".
    const SeriesTable& sys = timeline.system;
    const int cpu = sys.columnIndex(col::kCpuPercent);
    std::optional<double> first, last;
    for (std::size_t r = 0; cpu >= 0 && r < sys.size(); ++r) {
        if (std::isnan(sys.value(cpu, r))) continue;
        if (!first) first = sys.timestamp(r);
        last = sys.timestamp(r);
    }
    if (!first) {
        if (!c.calls.empty())
            out.push_back(sys.empty() ? "the recording has no system samples: the load during calls is unknown"
                                      : "the recording's system samples have no cpu_percent values: the load during "
                                        "calls is unknown");
        return;
    }
    const std::string range = "[" + formatTime(*first) + ", " + formatTime(*last) + "]";
    std::vector<std::size_t> outside(c.functions.size()), partly(c.functions.size());
    std::vector<double> firstOutsideEnd(c.functions.size(), kMissing);
    for (const auto& call : c.calls) {
        if (call.coverage <= 0) {
            if (outside[call.functionIndex]++ == 0) firstOutsideEnd[call.functionIndex] = call.end;
        } else if (call.coverage < 1) {
            ++partly[call.functionIndex];
        }
    }
    for (std::size_t f = 0; f < c.functions.size(); ++f) {
        const auto& name = c.functions[f].name;
        if (outside[f]) {
            out.push_back(std::to_string(outside[f]) + " call(s) of '" + name +
                          "' lie entirely outside the timeline's time range with CPU samples " + range +
                          " (first ends at " + formatTime(firstOutsideEnd[f]) +
                          "): no load attributed. Are the timestamps Unix epoch seconds?");
        }
        if (partly[f]) {
            out.push_back(std::to_string(partly[f]) + " call(s) of '" + name +
                          "' lie partly outside the timeline's time range with CPU samples " + range +
                          ": load averaged over the covered part only");
        }
    }
}

}  // namespace

Correlation correlate(const std::vector<FunctionTiming>& timings, const Timeline& timeline,
                      const CorrelateOptions& options) {
    Correlation out;
    out.thresholds = options.thresholds;
    const auto& th = options.thresholds;
    const int cpuCol = timeline.system.columnIndex(col::kCpuPercent);
    const int memCol = timeline.system.columnIndex(col::kMemoryPercent);
    const ContentionWindow contention(timeline, options.recordingPid);
    out.contention = options.contention;

    // Functions in order of first appearance for now; sorted by total wall at the end.
    std::unordered_map<std::string, int> index;
    std::vector<FunctionStats> functions;
    out.calls.reserve(timings.size());
    for (std::size_t i = 0; i < timings.size(); ++i) {
        const auto& t = timings[i];
        auto [it, added] = index.try_emplace(t.functionName, static_cast<int>(functions.size()));
        if (added) functions.push_back(FunctionStats{.name = t.functionName});

        CallAnalysis call;
        call.timingIndex = i;
        call.functionIndex = it->second;
        call.end = t.timestamp;
        call.wallTime = t.wallTime;
        call.cpuTime = t.cpuTime;
        call.start = t.timestamp - std::max(0.0, t.wallTime);
        const WindowMean cpu = windowMean(timeline.system, cpuCol, call.start, call.end);
        const WindowMean mem = windowMean(timeline.system, memCol, call.start, call.end);
        call.systemCpuPercent = cpu.mean;
        call.systemMemoryPercent = mem.mean;
        call.samplesInside = cpu.samplesInside;
        call.coverage = std::isnan(cpu.mean) ? 0.0 : cpu.coverage;
        call.contention = contention.measure(call.start, call.end);
        out.calls.push_back(call);
    }
    // Verdicts: a call under load is judged against its function's calls at low load.
    {
        std::vector<std::vector<double>> lowWalls(functions.size());
        for (const auto& call : out.calls)
            if (!std::isnan(call.systemCpuPercent) && call.systemCpuPercent < th.highLoadPercent)
                lowWalls[static_cast<std::size_t>(call.functionIndex)].push_back(call.wallTime);
        std::vector<LoadBaseline> baselines;
        baselines.reserve(functions.size());
        for (auto& walls : lowWalls) baselines.push_back(LoadBaseline::fromLowLoadWalls(std::move(walls)));
        for (auto& call : out.calls)
            call.verdict =
                classifyCallMeasured(call.wallTime, call.cpuTime, call.systemCpuPercent, call.contention,
                                     baselines[static_cast<std::size_t>(call.functionIndex)], th, options.contention);
    }

    // Per-function statistics.
    std::vector<std::vector<double>> walls(functions.size());
    std::vector<double> cpuSum(functions.size()), memSum(functions.size()), highSum(functions.size()),
        lowSum(functions.size()), cpuTimeSum(functions.size());
    std::vector<std::size_t> cpuN(functions.size()), memN(functions.size());
    for (const auto& call : out.calls) {
        const auto f = static_cast<std::size_t>(call.functionIndex);
        auto& s = functions[f];
        ++s.calls;
        walls[f].push_back(call.wallTime);
        s.totalWall += call.wallTime;
        cpuTimeSum[f] += call.cpuTime;
        s.maxWall = s.calls == 1 ? call.wallTime : std::max(s.maxWall, call.wallTime);
        ++s.verdictCounts[static_cast<int>(call.verdict)];
        ++s.measureCounts[static_cast<int>(call.contention.measure)];
        if (call.contention.throttled) ++s.throttledCalls;
        const LoadMeasure m = call.contention.measure;
        if (m == LoadMeasure::CgroupThrottling || m == LoadMeasure::RunQueueWait || m == LoadMeasure::Pressure)
            out.usedDirectMeasures = true;
        if (call.coverage <= 0) ++s.callsOutsideTimeline;
        if (!std::isnan(call.systemCpuPercent)) {
            cpuSum[f] += call.systemCpuPercent;
            ++cpuN[f];
            if (call.systemCpuPercent >= th.highLoadPercent) {
                highSum[f] += call.wallTime;
                ++s.highLoadCalls;
            } else {
                lowSum[f] += call.wallTime;
                ++s.lowLoadCalls;
            }
        }
        if (!std::isnan(call.systemMemoryPercent)) {
            memSum[f] += call.systemMemoryPercent;
            ++memN[f];
        }
    }
    for (std::size_t f = 0; f < functions.size(); ++f) {
        auto& s = functions[f];
        const auto n = static_cast<double>(s.calls);
        s.meanWall = s.totalWall / n;
        s.meanCpu = cpuTimeSum[f] / n;
        s.cpuWallRatio = s.totalWall > 0 ? cpuTimeSum[f] / s.totalWall : kMissing;
        s.p50Wall = percentile(walls[f], 50);
        s.p95Wall = percentile(walls[f], 95);
        if (cpuN[f]) s.meanSystemCpuPercent = cpuSum[f] / static_cast<double>(cpuN[f]);
        if (memN[f]) s.meanSystemMemoryPercent = memSum[f] / static_cast<double>(memN[f]);
        if (s.highLoadCalls && s.lowLoadCalls) {
            const double low = lowSum[f] / static_cast<double>(s.lowLoadCalls);
            if (low > 0) s.slowdownUnderLoad = (highSum[f] / static_cast<double>(s.highLoadCalls)) / low;
        }
    }

    // Largest total first; calls follow their function's new index.
    std::vector<int> order(functions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (functions[a].totalWall != functions[b].totalWall) return functions[a].totalWall > functions[b].totalWall;
        return functions[a].name < functions[b].name;
    });
    std::vector<int> newIndex(functions.size());
    out.functions.reserve(functions.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        newIndex[order[i]] = static_cast<int>(i);
        out.functions.push_back(std::move(functions[order[i]]));
    }
    for (auto& call : out.calls) call.functionIndex = newIndex[call.functionIndex];

    addCoverageWarnings(out, timeline, out.warnings);
    return out;
}

Correlation correlate(const Recording& recording, const CorrelateOptions& options) {
    return correlate(recording.functionTimings, recording.timeline, options);
}

}  // namespace loadline::core
