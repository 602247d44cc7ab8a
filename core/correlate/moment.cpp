#include "core/correlate/moment.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace loadline::core {

std::vector<std::size_t> callsRunningAt(const Correlation& correlation, double t) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < correlation.calls.size(); ++i) {
        const auto& c = correlation.calls[i];
        if (c.start <= t && t <= c.end) out.push_back(i);
    }
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return correlation.calls[a].wallTime > correlation.calls[b].wallTime;
    });
    return out;
}

std::vector<ProcessAtMoment> processesAt(const Timeline& timeline, double t, double maxAge) {
    if (!(maxAge > 0)) maxAge = 2.0 * timeline.metadata.sampleInterval.value_or(0.5);
    std::vector<ProcessAtMoment> out;
    for (const auto& [pid, series] : timeline.processes) {
        const auto& s = series.samples;
        const std::size_t after = s.upperBound(t);  // first sample later than t
        if (after == 0) continue;
        const std::size_t row = after - 1;
        if (s.timestamp(row) < t - maxAge) continue;
        ProcessAtMoment p;
        p.pid = pid;
        p.sampleTime = s.timestamp(row);
        p.cpuPercent = s.value(col::kCpuPercent, row);
        p.memoryRssMb = s.value(col::kMemoryRssMb, row);
        p.name = std::string(series.latestText(col::kName));
        out.push_back(std::move(p));
    }
    std::stable_sort(out.begin(), out.end(), [](const ProcessAtMoment& a, const ProcessAtMoment& b) {
        const bool am = std::isnan(a.cpuPercent), bm = std::isnan(b.cpuPercent);
        if (am != bm) return bm;
        return !am && a.cpuPercent > b.cpuPercent;
    });
    return out;
}

namespace {
// Back-to-back calls may seem to overlap by a rounding error (start = timestamp - wall_time in
// epoch doubles, ~0.2 µs apart; two clocks in py-perf): up to 1 µs of overlap shares a row.
constexpr double kLaneTolerance = 1e-6;
}  // namespace

std::vector<int> assignLanes(const std::vector<CallAnalysis>& calls, int* laneCount) {
    std::vector<std::size_t> order(calls.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // By start; at equal starts the longer (outer) call first so the inner one goes below it.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (calls[a].start != calls[b].start) return calls[a].start < calls[b].start;
        return calls[a].end > calls[b].end;
    });
    std::vector<int> lane(calls.size(), 0);
    std::vector<double> laneEnd;  // end of the last call placed in each lane
    for (std::size_t i : order) {
        int chosen = -1;
        for (std::size_t l = 0; l < laneEnd.size(); ++l) {
            if (laneEnd[l] <= calls[i].start + kLaneTolerance) {
                chosen = static_cast<int>(l);
                break;
            }
        }
        if (chosen < 0) {
            chosen = static_cast<int>(laneEnd.size());
            laneEnd.push_back(0);
        }
        laneEnd[chosen] = calls[i].end;
        lane[i] = chosen;
    }
    if (laneCount) *laneCount = static_cast<int>(laneEnd.size());
    return lane;
}

}  // namespace loadline::core
