#pragma once
// The monitor's own footprint as a thin lane under the chart: the recorder's CPU per tick (the
// cost of watching) as bars, and the gaps in sampling — ticks the recorder missed (a stalled
// machine, a suspended VM) as red spans over the time they cover, ticks that came late as amber
// marks. The data are the footprint columns a .llrec store keeps beside every tick
// (docs/llrec-format.md), which the store reader gives as system columns
// (kRecorderCpuColumn, kLateColumn, kMissedColumn). A recording without them has no lane.
#include <QColor>
#include <memory>
#include <utility>
#include <vector>

#include "core/timeline/timeline.h"
#include "widgets/chartlane.h"

namespace loadline::widgets {

class FootprintLane : public ChartLane {
    Q_OBJECT
public:
    /** System columns of the footprint, as the .llrec reader names them. */
    static constexpr const char* kRecorderCpuColumn = "loadline_recorder_cpu_s";  // cumulative CPU seconds
    static constexpr const char* kLateColumn = "loadline_tick_late_s";
    static constexpr const char* kMissedColumn = "loadline_missed_ticks";

    explicit FootprintLane(QWidget* parent = nullptr);

    /** The timeline to show (null: none). Rows appended later are picked up at the next paint. */
    void setTimeline(std::shared_ptr<const core::Timeline> timeline);
    /** Whether the timeline has footprint columns (the lane has something to show). */
    bool hasFootprint() const;

    /** Spans [previous tick, tick] of ticks that came after missed periods. */
    const std::vector<std::pair<double, double>>& gaps() const;
    /** Times of ticks that started more than half an interval late (and missed none). */
    const std::vector<double>& lateTicks() const;
    /** The highest recorder CPU of one tick, in percent of one core. */
    double peakCpuPercent() const;

    QString laneLabel() const override { return tr("monitor"); }
    void paintContent(QPainter& painter, const QRectF& rect, double t0, double t1) const override;
    int contentHeight() const override { return kContentHeight; }
    std::vector<std::pair<QString, QColor>> legendEntries() const override;

    static QColor cpuColor() { return QColor(0x4a, 0x7a, 0xb8); }
    static QColor gapColor() { return QColor(0xd0, 0x30, 0x30); }
    static QColor lateColor() { return QColor(0xf0, 0xa0, 0x20); }
    static constexpr int kContentHeight = 22;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // Derived once per timeline and row count (appended rows recompute it).
    struct Derived {
        const core::Timeline* timeline = nullptr;
        std::uint64_t appended = 0;
        bool has = false;
        std::vector<double> cpuPercent;  // per system row (NaN: unknown)
        std::vector<std::pair<double, double>> gaps;
        std::vector<double> late;
        double peak = 0;
    };
    const Derived& derived() const;

    std::shared_ptr<const core::Timeline> m_timeline;
    mutable Derived m_derived;
};

}  // namespace loadline::widgets
