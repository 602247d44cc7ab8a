#pragma once
// What the timeline chart draws, derived once from a Timeline and the view's settings (and
// kept up to date cheaply in live mode): contiguous series, their names and colours, the data's
// time bounds, the gap threshold and the y-axis top. Shared by the on-screen chart and exports.

#include <QColor>
#include <QList>
#include <QString>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/timeline/blockseries.h"
#include "core/timeline/cpumeasured.h"
#include "core/timeline/decimate.h"
#include "core/timeline/plotseries.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

inline const QColor kSystemColor{0xAD, 0xD8, 0xE6};   // #ADD8E6, py-perf's system-load area
inline const QColor kProcessColor{0xDC, 0x14, 0x3C};  // #DC143C, py-perf's process line
/** Colours of the extra processes' thin lines (distinct from the blue area and crimson). */
QColor extraPidColor(int index);

struct ChartSettings {
    QString title;
    Metric metric = Metric::Cpu;
    TimeAxisMode axisMode = TimeAxisMode::Clock;
    int highlightedPid = -1;
    QList<int> extraPids;
    bool perCoreScale = false;
    int cpuCountOverride = 0;
    bool memoryInBytes = false;  // Metric::Memory in MiB/GiB instead of percent
};

struct ChartSeries {
    int pid = -1;
    QString name;  // legend text
    QColor color;
    core::PlotSeries data;
    core::BlockSummary summary;  // for fast decimation of long series
    core::BlockSeries blocks;    // a long store's consolidated level, where `data` has no ticks
    /** False when the recorder never measured this process's CPU (py-perf's psutil first-call
     *  0.0, core/timeline/cpumeasured.h): on the CPU metric `data` is then left empty, the
     *  legend and hover say "CPU not measured" and nothing is drawn as if it were data. */
    bool cpuMeasured = true;
};

/**
 * A recording too long to hold in memory (a .llrec store), as the view draws it: the
 * consolidated blocks of one level for the whole range (column name -> blocks, per PID; -1 is
 * the system), and the ticks of the view's timeline, which cover only [rawFrom, rawTo] (none
 * when NaN). Each pixel column is drawn from the ticks when they cover it, else from the blocks.
 */
struct ChartLevels {
    int level = 0;                                            // kLevelBase^level ticks per block
    std::size_t storeTicks = 0;                               // ticks in the store
    double first = std::numeric_limits<double>::quiet_NaN();  // the store's time range
    double last = std::numeric_limits<double>::quiet_NaN();
    double rawFrom = std::numeric_limits<double>::quiet_NaN();
    double rawTo = std::numeric_limits<double>::quiet_NaN();
    std::map<std::pair<int, std::string>, core::BlockSeries> series;
    const core::BlockSeries* find(int pid, const std::string& column) const {
        auto it = series.find({pid, column});
        return it == series.end() ? nullptr : &it->second;
    }
};

struct ChartData {
    core::PlotSeries system;
    core::BlockSummary systemSummary;
    core::BlockSeries systemBlocks;  // from ChartLevels (empty: every tick is in `system`)
    /** With levels: the ticks cover only [rawFrom, rawTo] (NaN: the data is all ticks). */
    double rawFrom = std::numeric_limits<double>::quiet_NaN();
    double rawTo = std::numeric_limits<double>::quiet_NaN();
    int level = 0;  // the level drawn where no ticks are (0: none)
    QString systemName;
    ChartSeries process;                                     // pid -1: no highlighted process
    std::vector<ChartSeries> extras;                         // thin lines
    double origin = 0;                                       // relative axis zero: the first timestamp
    double tMin = std::numeric_limits<double>::quiet_NaN();  // time bounds of all series
    double tMax = std::numeric_limits<double>::quiet_NaN();
    double interval = std::numeric_limits<double>::quiet_NaN();  // typical sample spacing
    double maxGap = std::numeric_limits<double>::infinity();     // farther apart: not joined
    int cpuCount = 0;
    core::CpuMeasurement cpuMeasurement;  // which processes' CPU was never measured
    /** The data cpuMeasurement was found for (timeline, system rows, processes, last time). */
    struct MeasuredKey {
        const core::Timeline* timeline = nullptr;
        std::size_t rows = 0, processes = 0;
        double last = 0;
        bool operator==(const MeasuredKey&) const = default;
    };
    MeasuredKey cpuMeasuredKey;
    double valueMax = 100;  // y-axis top
    QString valueAxisTitle;
    /** Memory in bytes: values are MiB; the y axis gets these ticks (value, label) instead of
     *  plain numbers, and hover shows each value also as % of the total (memoryTotal, MiB). */
    bool bytes = false;
    std::vector<std::pair<double, QString>> valueTicks;
    core::PlotSeries memoryTotal;
    unsigned version = 0;  // bumped on every change (caches compare it)

    bool hasData() const { return !std::isnan(tMin); }
    /** Whether the ticks (not the blocks) cover [t0, t1]. */
    bool ticksCover(double t0, double t1) const { return level == 0 || (t0 >= rawFrom && t1 <= rawTo); }
};

/** Readable ticks for a memory axis in MiB up to at least maxMib: power-of-two steps, labelled
 *  in MiB or GiB. The last tick is the axis top. */
std::vector<std::pair<double, QString>> memoryTicks(double maxMib);
/** "115.1 MiB", "1.50 GiB". */
QString formatMib(double mib);

/** Brings data up to date with the timeline (null timeline: empty). Cheap after appends. */
void syncChartData(ChartData& data, const core::Timeline* timeline, const ChartSettings& settings,
                   const ChartLevels* levels = nullptr);

/** The store columns a chart of these settings draws from levels: (PID or -1, column). */
std::vector<std::pair<int, std::string>> levelColumns(const ChartSettings& settings);

/** Tooltip text at time t: the nearest system sample, and the process sample matched to it. */
QString describeTimeText(const ChartData& data, const ChartSettings& settings, double t);

SelectionStats computeStats(const ChartData& data, double t0, double t1);
QString statsSummaryText(const ChartData& data, const ChartSettings& settings, const SelectionStats& s);

}  // namespace loadline::widgets
