#include "core/compare/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/compare/twosample.h"
#include "core/timeline/columns.h"

namespace loadline::core {

std::string_view findingName(Finding f) {
    switch (f) {
    case Finding::NoChange: return "no change";
    case Finding::Code: return "code";
    case Finding::Machine: return "machine";
    case Finding::Waiting: return "waiting";
    case Finding::Inconclusive: return "inconclusive";
    }
    return "inconclusive";
}

const FunctionComparison* RunComparison::find(std::string_view name) const {
    for (const auto& f : functions)
        if (f.name == name) return &f;
    return nullptr;
}

namespace {

const char* const kRunName[2] = {"baseline", "new run"};

// The per-call values of one function in one run.
struct CallValues {
    std::vector<double> wall, cpu, load, memory;
    std::vector<double> runQueueWait;  // seconds per call, calls with a recorded run-queue wait
};

std::map<std::string, CallValues> callValues(const Correlation& c) {
    std::map<std::string, CallValues> out;
    for (const auto& call : c.calls) {
        auto& v = out[c.functions[static_cast<std::size_t>(call.functionIndex)].name];
        v.wall.push_back(call.wallTime);
        v.cpu.push_back(call.cpuTime);
        if (!std::isnan(call.systemCpuPercent)) v.load.push_back(call.systemCpuPercent);
        if (!std::isnan(call.systemMemoryPercent)) v.memory.push_back(call.systemMemoryPercent);
        if (std::isfinite(call.contention.runQueueWaitPercent))
            v.runQueueWait.push_back(call.contention.runQueueWaitPercent / 100.0 * call.wallTime);
    }
    return out;
}

double mean(const std::vector<double>& v) {
    if (v.empty()) return kMissing;
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

double relativeChange(double base, double next) {
    if (!std::isfinite(base) || !std::isfinite(next) || base == 0) return kMissing;
    return (next / base - 1) * 100;
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// A seed per function name, so a function's interval does not depend on the other functions.
std::uint64_t nameSeed(std::uint64_t seed, const std::string& name) {
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a
    for (unsigned char ch : name) h = (h ^ ch) * 1099511628211ULL;
    return seed ^ h;
}

void fillSide(FunctionComparison& f, int run, const CallValues& v) {
    f.calls[run] = v.wall.size();
    f.meanWall[run] = mean(v.wall);
    f.p50Wall[run] = percentile(v.wall, 50);
    f.p95Wall[run] = percentile(v.wall, 95);
    f.meanCpu[run] = mean(v.cpu);
    double wallSum = 0, cpuSum = 0;
    for (double x : v.wall) wallSum += x;
    for (double x : v.cpu) cpuSum += x;
    f.cpuWallRatio[run] = wallSum > 0 ? cpuSum / wallSum : kMissing;
    f.meanSystemCpuPercent[run] = mean(v.load);
    f.meanSystemMemoryPercent[run] = mean(v.memory);
    f.meanRunQueueWait[run] = mean(v.runQueueWait);
}

int sign(double x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

void judge(FunctionComparison& f, const CallValues& base, const CallValues& next, const CompareOptions& o) {
    f.changePercent = relativeChange(f.meanWall[0], f.meanWall[1]);
    f.pValue = mannWhitneyP(base.wall, next.wall);
    const RatioInterval ci =
        bootstrapRatioOfMeans(base.wall, next.wall, o.bootstrapResamples, o.confidence, nameSeed(o.seed, f.name));
    f.ciLowPercent = (ci.low - 1) * 100;
    f.ciHighPercent = (ci.high - 1) * 100;
    f.cpuChangePercent = relativeChange(f.meanCpu[0], f.meanCpu[1]);
    f.cpuPValue = mannWhitneyP(base.cpu, next.cpu);
    if (!base.load.empty() && !next.load.empty()) {
        f.loadChangePoints = f.meanSystemCpuPercent[1] - f.meanSystemCpuPercent[0];
        f.loadPValue = mannWhitneyP(base.load, next.load);
    }
    // Run-queue wait counts only where both runs recorded it for enough of their calls.
    const bool waitKnown = base.runQueueWait.size() >= o.minCalls && next.runQueueWait.size() >= o.minCalls;
    if (!waitKnown) f.meanRunQueueWait = {kMissing, kMissing};
    else f.runQueueWaitPValue = mannWhitneyP(base.runQueueWait, next.runQueueWait);

    const std::string wallText =
        "mean wall " + fmt("%+.1f %%", f.changePercent) + " (p = " + fmt("%.3g", f.pValue) + ")";
    if (f.calls[0] < o.minCalls || f.calls[1] < o.minCalls) {
        f.finding = Finding::Inconclusive;
        f.reason = std::to_string(f.calls[0]) + " and " + std::to_string(f.calls[1]) +
                   " calls: too few to tell a change from noise (at least " + std::to_string(o.minCalls) +
                   " in each run needed)";
        return;
    }
    auto significant = [&](double p, double change) {
        return std::isfinite(p) && p < o.alpha && std::isfinite(change) && std::abs(change) >= o.minChangePercent;
    };
    f.wallChanged = significant(f.pValue, f.changePercent);
    // A CPU time of zero before (a pure sleep) has no relative change; any significant CPU
    // increase of at least the minimum share of the wall time then counts.
    const double cpuRelative = std::isfinite(f.cpuChangePercent)
                                   ? f.cpuChangePercent
                                   : relativeChange(f.meanWall[0], f.meanWall[0] + f.meanCpu[1] - f.meanCpu[0]);
    f.cpuChanged = significant(f.cpuPValue, cpuRelative);
    f.loadChanged =
        std::isfinite(f.loadPValue) && f.loadPValue < o.alpha && std::abs(f.loadChangePoints) >= o.minLoadChangePoints;

    if (!f.wallChanged) {
        f.finding = Finding::NoChange;
        f.reason = wallText + ": " +
                   (std::isfinite(f.pValue) && f.pValue < o.alpha
                        ? "significant but smaller than the minimum change of " + fmt("%.3g %%", o.minChangePercent)
                        : std::string("not significant (alpha ") + fmt("%.3g", o.alpha) + ")");
        return;
    }
    const double dWall = f.meanWall[1] - f.meanWall[0];
    const double dCpu = f.meanCpu[1] - f.meanCpu[0];
    const std::string cpuText =
        "CPU time per call " + fmt("%+.1f %%", f.cpuChangePercent) + " (p = " + fmt("%.3g", f.cpuPValue) + ")";
    // The CPU work explains the change when it moved the same way by a similar share: under
    // contention a call gets a fixed share of a core, so wall and CPU time scale alike (in
    // percent, not in seconds).
    if (f.cpuChanged && sign(dCpu) == sign(dWall) && std::abs(cpuRelative) >= 0.5 * std::abs(f.changePercent)) {
        f.finding = Finding::Code;
        f.reason = wallText + ", " + cpuText + ": the function does " + (dCpu > 0 ? "more" : "less") + " work per call";
        return;
    }
    // Waiting for a CPU explains the change: the calls were ready to run and the machine had no
    // core for them (wall = CPU time + run-queue wait + time off the run queue).
    const double dWait = f.meanRunQueueWait[1] - f.meanRunQueueWait[0];
    f.runQueueWaitExplains = waitKnown && std::isfinite(f.runQueueWaitPValue) && f.runQueueWaitPValue < o.alpha &&
                             sign(dWait) == sign(dWall) && std::abs(dWait) >= 0.5 * std::abs(dWall);
    if (f.runQueueWaitExplains) {
        f.finding = Finding::Machine;
        f.reason = wallText + ", " + cpuText + " does not explain it, run-queue wait per call " +
                   fmt("%.3g", f.meanRunQueueWait[0] * 1e3) + " -> " + fmt("%.3g ms", f.meanRunQueueWait[1] * 1e3) +
                   " (p = " + fmt("%.3g", f.runQueueWaitPValue) + "): the machine was " +
                   (dWall > 0 ? "busier (the calls waited for a CPU)" : "quieter (the calls waited less for a CPU)");
        return;
    }
    if (!std::isfinite(f.loadChangePoints)) {
        f.finding = Finding::Inconclusive;
        f.reason = wallText + ", " + cpuText + ", but no system samples cover the " +
                   (base.load.empty() ? kRunName[0] : kRunName[1]) +
                   "'s calls: machine and waiting cannot be told apart";
        return;
    }
    const std::string loadText = "system CPU during the calls " + fmt("%.1f", f.meanSystemCpuPercent[0]) + " -> " +
                                 fmt("%.1f %%", f.meanSystemCpuPercent[1]);
    if (f.loadChanged && sign(f.loadChangePoints) == sign(dWall)) {
        f.finding = Finding::Machine;
        f.reason = wallText + ", " + cpuText + " does not explain it, " + loadText + ": the machine was " +
                   (dWall > 0 ? "busier" : "quieter");
        return;
    }
    f.finding = Finding::Waiting;
    const std::string waitText = waitKnown ? ", run-queue wait per call " + fmt("%.3g", f.meanRunQueueWait[0] * 1e3) +
                                                 " -> " + fmt("%.3g ms", f.meanRunQueueWait[1] * 1e3) +
                                                 " (p = " + fmt("%.3g", f.runQueueWaitPValue) + ")"
                                           : std::string();
    f.reason = wallText + ", " + cpuText + " does not explain it, and the load did not change with it (" + loadText +
               waitText + "): the calls waited " + (dWall > 0 ? "longer" : "less") + " (I/O, locks, sleeps)";
}

// Load over a run's samples and over its calls.
RunLoad runLoad(const Recording& rec, const Correlation& c) {
    RunLoad out;
    const SeriesTable& sys = rec.timeline.system;
    out.samples = sys.size();
    if (!sys.empty()) out.durationSeconds = sys.timestamp(sys.size() - 1) - sys.timestamp(0);
    if (rec.timeline.metadata.sampleInterval) {
        out.sampleInterval = *rec.timeline.metadata.sampleInterval;
    } else if (sys.size() > 1) {
        std::vector<double> gaps;
        for (std::size_t r = 1; r < sys.size(); ++r) gaps.push_back(sys.timestamp(r) - sys.timestamp(r - 1));
        out.sampleInterval = percentile(gaps, 50);
    }
    auto column = [&](const char* name) {
        std::vector<double> v;
        const int col = sys.columnIndex(name);
        for (std::size_t r = 0; col >= 0 && r < sys.size(); ++r)
            if (!std::isnan(sys.value(col, r))) v.push_back(sys.value(col, r));
        return v;
    };
    const auto cpu = column(col::kCpuPercent), mem = column(col::kMemoryPercent);
    out.meanCpuPercent = mean(cpu);
    out.p95CpuPercent = percentile(cpu, 95);
    out.meanMemoryPercent = mean(mem);
    out.p95MemoryPercent = percentile(mem, 95);
    std::vector<double> callCpu, callMem;
    for (const auto& call : c.calls) {
        if (!std::isnan(call.systemCpuPercent)) callCpu.push_back(call.systemCpuPercent);
        if (!std::isnan(call.systemMemoryPercent)) callMem.push_back(call.systemMemoryPercent);
    }
    out.calls = c.calls.size();
    out.callsWithLoad = callCpu.size();
    out.callsMeanCpuPercent = mean(callCpu);
    out.callsP95CpuPercent = percentile(callCpu, 95);
    out.callsMeanMemoryPercent = mean(callMem);
    out.callsP95MemoryPercent = percentile(callMem, 95);
    return out;
}

}  // namespace

RunComparison compareRuns(const Recording& base, const Recording& next, const CompareOptions& options) {
    RunComparison out;
    out.options = options;
    const Recording* runs[2] = {&base, &next};
    std::array<std::map<std::string, CallValues>, 2> values;
    for (int r = 0; r < 2; ++r) {
        out.correlations[r] = correlate(*runs[r], options.correlate);
        for (const auto& w : out.correlations[r].warnings) out.warnings.push_back(std::string(kRunName[r]) + ": " + w);
        values[r] = callValues(out.correlations[r]);
        out.system[r] = runLoad(*runs[r], out.correlations[r]);
        if (runs[r]->kind == Recording::Kind::Timeline)
            out.warnings.push_back(std::string(kRunName[r]) +
                                   ": a timeline without function timings: only the system load is compared");
        else if (runs[r]->functionTimings.empty())
            out.warnings.push_back(std::string(kRunName[r]) + ": the performance summary has no function timings");
        if (out.system[r].samples == 0)
            out.warnings.push_back(std::string(kRunName[r]) + ": no system samples: the load is unknown");
    }

    for (const auto& [name, v] : values[0]) {
        FunctionComparison f;
        f.name = name;
        fillSide(f, 0, v);
        auto it = values[1].find(name);
        if (it == values[1].end()) {
            f.status = FunctionComparison::Status::Removed;
            f.reason = "only in the baseline";
        } else {
            fillSide(f, 1, it->second);
            judge(f, v, it->second, options);
        }
        out.functions.push_back(std::move(f));
    }
    for (const auto& [name, v] : values[1]) {
        if (values[0].count(name)) continue;
        FunctionComparison f;
        f.name = name;
        f.status = FunctionComparison::Status::Added;
        f.reason = "only in the new run";
        fillSide(f, 1, v);
        out.functions.push_back(std::move(f));
    }
    std::stable_sort(out.functions.begin(), out.functions.end(), [](const auto& a, const auto& b) {
        if (a.status != b.status) return static_cast<int>(a.status) < static_cast<int>(b.status);
        return std::max(a.totalWall(0), a.totalWall(1)) > std::max(b.totalWall(0), b.totalWall(1));
    });
    return out;
}

std::optional<double> firstCallStart(const Recording& recording, std::string_view function) {
    std::optional<double> first;
    for (const auto& t : recording.functionTimings)
        if (t.functionName == function && (!first || t.startTime() < *first)) first = t.startTime();
    return first;
}

std::string compareMethodText(const CompareOptions& o) {
    return "change = mean wall (new) / mean wall (baseline) - 1; a change counts when the two-sided Mann-Whitney U "
           "test on the per-call wall times gives p < " +
           fmt("%.3g", o.alpha) + " and |change| >= " + fmt("%.3g %%", o.minChangePercent) +
           "; interval: " + fmt("%.0f %%", o.confidence * 100) + " bootstrap interval of the ratio of the means (" +
           std::to_string(o.bootstrapResamples) + " resamples); fewer than " + std::to_string(o.minCalls) +
           " calls in a run: inconclusive. code: CPU time per call changed significantly, the same way, by at least "
           "half as many percent as the wall time; machine: else the recording process's run-queue wait per call "
           "(where recorded) changed significantly the same way by at least half the wall change, or the system CPU "
           "during the calls changed by >= " +
           fmt("%.3g", o.minLoadChangePoints) + " points the same way; waiting: else";
}

}  // namespace loadline::core
