#include "core/timeline/plotseries.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace loadline::core {

int cpuCountOf(const SeriesTable& system) {
    const std::string_view prefix(kCpuPerCorePrefix);
    int n = 0;
    for (int c = 0; c < system.columnCount(); ++c)
        if (std::string_view(system.columnName(c)).starts_with(prefix)) ++n;
    return n;
}

double totalMemoryMbAt(const SeriesTable& system, std::size_t row) {
    if (row >= system.size()) return kMissing;
    if (int c = system.columnIndex(kMemoryTotalMb); c >= 0) {
        const double total = system.value(c, row);
        if (total > 0) return total;
    }
    const double available = system.value(col::kMemoryAvailableMb, row);
    const double percent = system.value(col::kMemoryPercent, row);
    if (std::isnan(available) || std::isnan(percent) || percent >= 100 || percent < 0) return kMissing;
    return available / (1 - percent / 100);
}

double usedMemoryMbAt(const SeriesTable& system, std::size_t row) {
    const double total = totalMemoryMbAt(system, row);
    const double available = row < system.size() ? system.value(col::kMemoryAvailableMb, row) : kMissing;
    if (std::isnan(total) || std::isnan(available)) {
        const double used = row < system.size() ? system.value(col::kMemoryUsedMb, row) : kMissing;
        return used >= 0 ? used : kMissing;  // a writer without available memory: its own figure
    }
    return std::max(0.0, total - available);
}

namespace {

// Makes out mirror table row for row, converting with rowValue(row). Keeps the already
// converted prefix when the table only grew (or lost its oldest rows to the ring): returns
// whether it could.
template <typename RowValue>
bool syncRows(const SeriesTable& table, PlotSeries& out, RowValue rowValue) {
    const std::size_t n = table.size();
    std::size_t keep = 0;
    if (!out.empty() && n > 0) {
        // Rows the ring dropped: everything before the table's oldest timestamp.
        const double oldest = table.timestamp(0);
        const auto drop =
            static_cast<std::size_t>(std::lower_bound(out.t.begin(), out.t.end(), oldest) - out.t.begin());
        const std::size_t remaining = out.size() - drop;
        if (remaining <= n && remaining > 0 && out.t[drop] == oldest &&
            out.t.back() == table.timestamp(remaining - 1)) {
            out.t.erase(out.t.begin(), out.t.begin() + static_cast<std::ptrdiff_t>(drop));
            out.v.erase(out.v.begin(), out.v.begin() + static_cast<std::ptrdiff_t>(drop));
            keep = remaining;
        }
    }
    out.t.resize(keep);
    out.v.resize(keep);
    out.t.reserve(n);
    out.v.reserve(n);
    for (std::size_t r = keep; r < n; ++r) {
        out.t.push_back(table.timestamp(r));
        out.v.push_back(rowValue(r));
    }
    return keep > 0 || n == 0;
}

}  // namespace

bool syncSystemSeries(const Timeline& timeline, ChartMetric metric, PlotSeries& out, double scale) {
    const SeriesTable& sys = timeline.system;
    if (metric == ChartMetric::MemoryMb)
        return syncRows(sys, out, [&](std::size_t r) { return usedMemoryMbAt(sys, r) * scale; });
    const int c = sys.columnIndex(metric == ChartMetric::Cpu      ? col::kCpuPercent
                                  : metric == ChartMetric::Memory ? col::kMemoryPercent
                                                                  : kPressureCpuColumn);
    if (c < 0) return syncRows(sys, out, [](std::size_t) { return kMissing; });
    return syncRows(sys, out, [&](std::size_t r) { return sys.value(c, r) * scale; });
}

bool syncProcessSeries(const Timeline& timeline, int pid, const ProcessSeriesOptions& options, PlotSeries& out) {
    auto it = timeline.processes.find(pid);
    if (it == timeline.processes.end()) {
        const bool wasEmpty = out.empty();
        out.clear();
        return wasEmpty;
    }
    const SeriesTable& proc = it->second.samples;
    if (options.metric == ChartMetric::Pressure) {
        const int c = proc.columnIndex(kRunQueueWaitColumn);
        return syncRows(proc, out, [&](std::size_t r) { return c < 0 ? kMissing : proc.value(c, r); });
    }
    if (options.metric == ChartMetric::Cpu) {
        const int c = proc.columnIndex(col::kCpuPercent);
        const double scale =
            (options.cpuScale == CpuScale::Machine && options.cpuCount > 0) ? 1.0 / options.cpuCount : 1.0;
        return syncRows(proc, out, [&](std::size_t r) { return c < 0 ? kMissing : proc.value(c, r) * scale; });
    }
    const int rss = proc.columnIndex(col::kMemoryRssMb);
    if (options.metric == ChartMetric::MemoryMb)
        return syncRows(proc, out, [&](std::size_t r) { return rss < 0 ? kMissing : proc.value(rss, r); });
    // Memory: RSS over the total derived from the system sample nearest in time.
    const SeriesTable& sys = timeline.system;
    const int pct = proc.columnIndex("memory_percent");  // psutil's own, when a writer stored it
    const RingColumn& sysTimes = sys.timestamps();
    std::size_t hint = 0;  // process rows ascend, so the matching system row only moves forward
    return syncRows(proc, out, [&](std::size_t r) {
        const double t = proc.timestamp(r);
        const double value = rss < 0 ? kMissing : proc.value(rss, r);
        if (std::isnan(value)) return pct < 0 ? kMissing : proc.value(pct, r);
        if (sys.empty()) return kMissing;
        if (hint == 0 || hint >= sys.size() || sysTimes[hint - 1] > t) hint = sys.lowerBound(t);
        while (hint < sys.size() && sysTimes[hint] < t) ++hint;
        std::size_t best = hint;
        if (best == sys.size() || (best > 0 && t - sysTimes[best - 1] <= sysTimes[best] - t)) --best;
        const double total = totalMemoryMbAt(sys, best);
        return total > 0 ? value / total * 100.0 : kMissing;
    });
}

}  // namespace loadline::core
