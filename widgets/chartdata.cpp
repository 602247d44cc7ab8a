#include "widgets/chartdata.h"

#include <QCoreApplication>
#include <algorithm>

#include "core/timeline/decimate.h"
#include "core/timeline/timeline.h"
#include "widgets/timeaxis.h"

namespace loadline::widgets {

QColor extraPidColor(int index) {
    static const QColor kColors[] = {QColor(0x2E, 0x8B, 0x57), QColor(0xFF, 0x8C, 0x00), QColor(0x8A, 0x2B, 0xE2),
                                     QColor(0xDA, 0xA5, 0x20), QColor(0x00, 0x8B, 0x8B), QColor(0xC7, 0x15, 0x85),
                                     QColor(0x55, 0x6B, 0x2F), QColor(0x46, 0x82, 0xB4)};
    return kColors[static_cast<std::size_t>(index) % std::size(kColors)];
}

namespace {

QString tr(const char* s) { return QCoreApplication::translate("loadline::widgets::TimelineView", s); }

QString processLabel(const core::Timeline* timeline, int pid) {
    QString name;
    if (timeline) {
        if (auto it = timeline->processes.find(pid); it != timeline->processes.end()) {
            auto text = it->second.latestText(core::col::kName);
            name = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
        }
    }
    return name.isEmpty() ? tr("PID %1").arg(pid) : tr("%1 (PID %2)").arg(name).arg(pid);
}

double seriesMax(const core::PlotSeries& s) {
    double m = 0;
    for (double v : s.v)
        if (v > m) m = v;  // NaN compares false
    return m;
}

void widenBounds(ChartData& d, const core::PlotSeries& s) {
    if (s.empty()) return;
    d.tMin = std::isnan(d.tMin) ? s.t.front() : std::min(d.tMin, s.t.front());
    d.tMax = std::isnan(d.tMax) ? s.t.back() : std::max(d.tMax, s.t.back());
}

}  // namespace

std::vector<std::pair<double, QString>> memoryTicks(double maxMib) {
    double step = 1;  // MiB; at most 6 steps
    while (maxMib / step > 6) step *= 2;
    std::vector<std::pair<double, QString>> ticks;
    const int n = std::max(1, static_cast<int>(std::ceil(maxMib / step - 1e-9)));
    for (int i = 0; i <= n; ++i) ticks.emplace_back(i * step, i == 0 ? QStringLiteral("0") : formatMib(i * step));
    return ticks;
}

QString formatMib(double mib) {
    if (std::abs(mib) >= 1024) {
        const double gib = mib / 1024;
        return QStringLiteral("%1 GiB").arg(QString::number(gib, 'g', 3));
    }
    return QStringLiteral("%1 MiB").arg(QString::number(mib, 'f', mib == std::floor(mib) ? 0 : 1));
}

namespace {

// The store column a metric draws for the system (pid < 0) or a process, and its scale; ""
// when the metric is not a plain column (used memory, a process's % of derived total memory).
std::string levelColumn(core::ChartMetric metric, bool system) {
    switch (metric) {
    case core::ChartMetric::Cpu: return core::col::kCpuPercent;
    case core::ChartMetric::Memory: return system ? core::col::kMemoryPercent : "memory_percent";
    case core::ChartMetric::MemoryMb: return system ? "" : core::col::kMemoryRssMb;
    case core::ChartMetric::Pressure: return system ? core::kPressureCpuColumn : core::kRunQueueWaitColumn;
    }
    return "";
}

core::ChartMetric chartMetric(const ChartSettings& settings) {
    const bool bytes = settings.metric == Metric::Memory && settings.memoryInBytes;
    return settings.metric == Metric::Cpu        ? core::ChartMetric::Cpu
           : settings.metric == Metric::Pressure ? core::ChartMetric::Pressure
           : bytes                               ? core::ChartMetric::MemoryMb
                                                 : core::ChartMetric::Memory;
}

void widenBounds(ChartData& d, const core::BlockSeries& b) {
    if (b.empty()) return;
    d.tMin = std::isnan(d.tMin) ? b.t0.front() : std::min(d.tMin, b.t0.front());
    d.tMax = std::isnan(d.tMax) ? b.t1.back() : std::max(d.tMax, b.t1.back());
}

double seriesMax(const core::BlockSeries& b) {
    double m = 0;
    for (float v : b.hi)
        if (v > m) m = v;
    return m;
}

}  // namespace

std::vector<std::pair<int, std::string>> levelColumns(const ChartSettings& settings) {
    std::vector<std::pair<int, std::string>> out;
    const core::ChartMetric metric = chartMetric(settings);
    if (auto c = levelColumn(metric, true); !c.empty()) out.emplace_back(-1, c);
    const std::string pc = levelColumn(metric, false);
    if (pc.empty()) return out;
    if (settings.highlightedPid >= 0) out.emplace_back(settings.highlightedPid, pc);
    for (int pid : settings.extraPids)
        if (pid != settings.highlightedPid) out.emplace_back(pid, pc);
    return out;
}

void syncChartData(ChartData& d, const core::Timeline* timeline, const ChartSettings& settings,
                   const ChartLevels* levels) {
    ++d.version;
    const bool bytes = settings.metric == Metric::Memory && settings.memoryInBytes;
    if (d.bytes != bytes) {  // other units: nothing converted so far can be kept
        d.system.clear();
        d.systemSummary.clear();
        d.process = ChartSeries{};
        d.extras.clear();
    }
    d.bytes = bytes;
    const core::ChartMetric metric = chartMetric(settings);
    d.cpuCount = settings.cpuCountOverride > 0 ? settings.cpuCountOverride
                 : timeline                    ? core::cpuCountOf(timeline->system)
                                               : 0;
    const bool pressure = metric == core::ChartMetric::Pressure;
    const QString what = metric == core::ChartMetric::Cpu ? tr("CPU") : pressure ? tr("run-queue wait") : tr("memory");
    d.systemName = bytes ? tr("System memory used") : pressure ? tr("System CPU pressure") : tr("System %1").arg(what);
    if (pressure) d.valueAxisTitle = tr("Waiting for a CPU (% of time)");
    else if (bytes) d.valueAxisTitle = tr("Memory (RSS; system: used)");
    else if (metric == core::ChartMetric::Memory) d.valueAxisTitle = tr("Memory (% of total)");
    else if (settings.perCoreScale) d.valueAxisTitle = tr("CPU (%, 100 = one core)");
    else if (d.cpuCount > 0)
        d.valueAxisTitle = (d.cpuCount == 1 ? tr("CPU (% of 1 core)") : tr("CPU (% of %1 cores)").arg(d.cpuCount));
    else d.valueAxisTitle = tr("CPU (%)");
    if (!timeline) {
        const unsigned version = d.version;
        d = ChartData{};
        d.version = version;
        d.systemName = pressure ? tr("System CPU pressure") : tr("System %1").arg(what);
        d.valueAxisTitle = tr("Percent");
        return;
    }
    // On psutil's per-core scale (100 = one core) the machine's CPU is scaled the same way, so
    // the area is not drawn below the processes it contains.
    const double systemScale =
        metric == core::ChartMetric::Cpu && settings.perCoreScale && d.cpuCount > 0 ? d.cpuCount : 1.0;
    if (!core::syncSystemSeries(*timeline, metric, d.system, systemScale)) d.systemSummary.clear();
    {
        // One pass over every process's CPU: done again only when the data changed (an open
        // rebuilds the chart data several times as the view's options are applied).
        const std::size_t rows = timeline->system.size();
        const double last = rows ? timeline->system.timestamp(rows - 1) : 0.0;
        const ChartData::MeasuredKey key{timeline, rows, timeline->processes.size(), last};
        if (!(d.cpuMeasuredKey == key)) {
            d.cpuMeasurement = core::detectUnmeasuredCpu(*timeline);
            d.cpuMeasuredKey = key;
        }
    }
    const core::ProcessSeriesOptions options{
        metric, settings.perCoreScale ? core::CpuScale::PerCore : core::CpuScale::Machine, d.cpuCount};
    auto syncOne = [&](ChartSeries& s, int pid, QColor color) {
        if (s.pid != pid) {
            s.data.clear();
            s.summary.clear();
        }
        s.pid = pid;
        s.color = color;
        s.cpuMeasured = d.cpuMeasurement.measured(pid);
        if (metric == core::ChartMetric::Cpu && !s.cpuMeasured) {
            // Zeros that were never measured are not data: nothing is drawn for them.
            s.name = tr("%1 CPU not measured").arg(processLabel(timeline, pid));
            s.data.clear();
            s.summary.clear();
            return;
        }
        s.name = tr("%1 %2").arg(processLabel(timeline, pid), what);
        if (!core::syncProcessSeries(*timeline, pid, options, s.data)) s.summary.clear();
    };
    if (settings.highlightedPid >= 0) syncOne(d.process, settings.highlightedPid, kProcessColor);
    else d.process = ChartSeries{};
    d.extras.resize(static_cast<std::size_t>(settings.extraPids.size()));
    for (qsizetype i = 0; i < settings.extraPids.size(); ++i)
        syncOne(d.extras[static_cast<std::size_t>(i)], settings.extraPids[i], extraPidColor(static_cast<int>(i)));

    // A long store: the blocks of its consolidated level where the timeline holds no ticks.
    d.level = 0;
    d.rawFrom = d.rawTo = std::numeric_limits<double>::quiet_NaN();
    d.systemBlocks.clear();
    d.process.blocks.clear();
    for (auto& e : d.extras) e.blocks.clear();
    if (levels && levels->level > 0) {
        d.level = levels->level;
        d.rawFrom = levels->rawFrom;
        d.rawTo = levels->rawTo;
        auto blocksOf = [&](int pid, double scale, core::BlockSeries& out) {
            const core::BlockSeries* b = levels->find(pid, levelColumn(metric, pid < 0));
            if (!b) return;
            out = *b;
            if (scale != 1.0) out.scale(scale);
        };
        blocksOf(-1, systemScale, d.systemBlocks);
        const double processScale =
            metric == core::ChartMetric::Cpu && !settings.perCoreScale && d.cpuCount > 0 ? 1.0 / d.cpuCount : 1.0;
        auto processBlocks = [&](ChartSeries& s) {
            if (s.pid < 0 || (metric == core::ChartMetric::Cpu && !s.cpuMeasured)) return;
            blocksOf(s.pid, processScale, s.blocks);
        };
        processBlocks(d.process);
        for (auto& e : d.extras) processBlocks(e);
    }
    d.tMin = d.tMax = std::numeric_limits<double>::quiet_NaN();
    widenBounds(d, d.systemBlocks);
    widenBounds(d, d.process.blocks);
    for (const auto& e : d.extras) widenBounds(d, e.blocks);
    widenBounds(d, d.system);
    widenBounds(d, d.process.data);
    for (const auto& e : d.extras) widenBounds(d, e.data);
    d.origin = std::isnan(d.tMin) ? 0 : d.tMin;
    // Gaps: samples farther apart than a few intervals are not joined (a paused recording).
    d.interval = timeline->metadata.sampleInterval.value_or(0) > 0
                     ? *timeline->metadata.sampleInterval
                     : core::estimateSampleInterval(d.system.empty() ? d.process.data.t : d.system.t);
    d.maxGap = std::isnan(d.interval) ? std::numeric_limits<double>::infinity() : 3.0 * d.interval;
    // Block summaries (min/max and the integrals of the time-weighted mean) for the gap limit.
    d.systemSummary.update(d.system.t, d.system.v, d.maxGap);
    if (d.process.pid >= 0) d.process.summary.update(d.process.data.t, d.process.data.v, d.maxGap);
    for (auto& e : d.extras) e.summary.update(e.data.t, e.data.v, d.maxGap);
    // The y axis: 0-100, growing in steps of 50 when a series exceeds it (per-core CPU).
    double top = std::max(seriesMax(d.system), seriesMax(d.process.data));
    for (const auto& e : d.extras) top = std::max(top, seriesMax(e.data));
    top = std::max({top, seriesMax(d.systemBlocks), seriesMax(d.process.blocks)});
    for (const auto& e : d.extras) top = std::max(top, seriesMax(e.blocks));
    d.valueTicks.clear();
    if (bytes) {
        // MiB up to the largest value, in readable power-of-two steps; the total for hover's %.
        d.valueTicks = memoryTicks(std::max(top, 1.0));
        d.valueMax = d.valueTicks.back().first;
        const auto& sys = timeline->system;
        if (d.memoryTotal.size() != sys.size() || (sys.size() && d.memoryTotal.t.front() != sys.timestamp(0))) {
            d.memoryTotal.clear();
            for (std::size_t r = 0; r < sys.size(); ++r) {
                d.memoryTotal.t.push_back(sys.timestamp(r));
                d.memoryTotal.v.push_back(core::totalMemoryMbAt(sys, r));
            }
        }
        return;
    }
    d.memoryTotal.clear();
    d.valueMax = top > 100 ? std::ceil(top / 50.0) * 50.0 : 100.0;
}

QString describeTimeText(const ChartData& d, const ChartSettings& settings, double t) {
    const double reach = std::isfinite(d.maxGap) ? d.maxGap / 2 : std::numeric_limits<double>::infinity();
    auto sys = core::nearestRow(d.system.t, t, reach);
    // Match the process to the system sample's timestamp (py-perf's "correlation by timestamp").
    const double at = sys ? d.system.t[*sys] : t;
    QString text = formatTimePoint(at, d.origin, settings.axisMode);
    double totalMb = std::numeric_limits<double>::quiet_NaN();
    if (d.bytes)
        if (auto row = core::nearestRow(d.memoryTotal.t, at, reach)) totalMb = d.memoryTotal.v[*row];
    auto valueText = [&](double v) {
        if (std::isnan(v)) return tr("no data");
        if (!d.bytes) return QStringLiteral("%1 %").arg(v, 0, 'f', 1);
        // MiB, and the share of total memory when known.
        return totalMb > 0 ? QStringLiteral("%1 (%2 %)").arg(formatMib(v)).arg(v / totalMb * 100, 0, 'f', 1)
                           : formatMib(v);
    };
    // A long store where no tick is near: what the drawn block says (mean, min-max, its span).
    auto blockText = [&](const core::BlockSeries& b) -> QString {
        const std::size_t i = b.find(at);
        if (i >= b.size() || std::isnan(b.lo[i])) return tr("no data");
        return tr("mean %1 (min %2, max %3) over %4 – %5")
            .arg(valueText(b.mean(i)), valueText(b.lo[i]), valueText(b.hi[i]),
                 formatTimePoint(b.t0[i], d.origin, settings.axisMode),
                 formatTimePoint(b.t1[i], d.origin, settings.axisMode));
    };
    const bool fromBlocks = d.level > 0 && !sys && !d.ticksCover(at, at);
    text += QLatin1Char('\n') + d.systemName + QStringLiteral(": ") +
            (sys          ? valueText(d.system.v[*sys])
             : fromBlocks ? blockText(d.systemBlocks)
                          : tr("no data"));
    auto line = [&](const ChartSeries& s) {
        if (settings.metric == Metric::Cpu && !s.cpuMeasured) {
            text += QLatin1Char('\n') + s.name;  // "... CPU not measured"
            return;
        }
        auto row = core::nearestRow(s.data.t, at, reach);
        QString value;
        if (row) value = valueText(s.data.v[*row]);
        else if (fromBlocks) value = blockText(s.blocks);
        else if (!s.data.empty() && at > s.data.t.back())  // the process ended before this moment
            value = tr("exited at %1").arg(formatTimePoint(s.data.t.back(), d.origin, settings.axisMode));
        else if (!s.data.empty() && at < s.data.t.front())
            value = tr("not started (first seen at %1)")
                        .arg(formatTimePoint(s.data.t.front(), d.origin, settings.axisMode));
        else value = tr("no data");
        text += QLatin1Char('\n') + s.name + QStringLiteral(": ") + value;
    };
    if (d.process.pid >= 0) line(d.process);
    for (const auto& e : d.extras) line(e);
    return text;
}

SelectionStats computeStats(const ChartData& d, double t0, double t1) {
    SelectionStats s;
    s.t0 = std::min(t0, t1);
    s.t1 = std::max(t0, t1);
    // Time-weighted means, as the area is drawn (core/timeline/decimate.h).
    if (!d.ticksCover(s.t0, s.t1)) {
        // A long store beyond the ticks in memory: the blocks inside the range, whole (exact
        // min, max and time-weighted mean of those blocks' samples; statsSummaryText says so).
        s.level = d.level;
        s.system = core::blockRangeStats(d.systemBlocks, s.t0, s.t1);
        s.process = core::blockRangeStats(d.process.blocks, s.t0, s.t1);
        return s;
    }
    s.system = core::rangeStats(d.system.t, d.system.v, s.t0, s.t1, d.maxGap);
    s.process = core::rangeStats(d.process.data.t, d.process.data.v, s.t0, s.t1, d.maxGap);
    return s;
}

QString statsSummaryText(const ChartData& d, const ChartSettings& settings, const SelectionStats& s) {
    auto part = [&](const QString& name, const core::RangeStats& r) {
        if (r.count == 0) return tr("%1: no samples").arg(name);
        if (d.bytes)
            return tr("%1: min %2 · mean %3 · max %4").arg(name, formatMib(r.min), formatMib(r.mean), formatMib(r.max));
        return tr("%1: min %2 · mean %3 · max %4 %")
            .arg(name)
            .arg(r.min, 0, 'f', 1)
            .arg(r.mean, 0, 'f', 1)
            .arg(r.max, 0, 'f', 1);
    };
    QString text = tr("%1 – %2 (%3)")
                       .arg(formatTimePoint(s.t0, d.origin, settings.axisMode),
                            formatTimePoint(s.t1, d.origin, settings.axisMode), formatDuration(s.t1 - s.t0));
    text += QStringLiteral("   ") + part(d.systemName, s.system);
    if (d.process.pid >= 0) text += QStringLiteral("   ") + part(d.process.name, s.process);
    if (s.level > 0)
        text += QStringLiteral("   ") +
                tr("(from the recording's blocks of %1 samples that lie inside the range)").arg(1ull << (5 * s.level));
    return text;
}

}  // namespace loadline::widgets
