#pragma once
// py-perf's timeline chart: the system's CPU or memory as a light-blue (#ADD8E6) area,
// the selected process as a crimson (#DC143C) line over it, more processes as thin lines.
// Qt Charts draws the frame (axes, grid, legend, title) and is hidden behind this header (it is
// deprecated from Qt 6.10 on); the data itself is decimated to the pixels and painted by custom
// items in the plot area, so every frame stays cheap however long the recording is.
//
// All times in this API are the timeline's own: Unix epoch seconds.
//
// Mouse: hover = crosshair + values; wheel = zoom about the cursor (Shift+wheel pans);
// drag = select a range (min/mean/max shown below the chart); Ctrl+drag = zoom to the dragged
// range; right- or middle-drag (or Shift+drag) = pan; double-click = reset zoom.
// Keys: Left/Right pan, +/- (or Up/Down) zoom, Home/0 reset, Enter zoom to the selection,
// Escape clear the selection.

#include <QColor>
#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>
#include <utility>

#include "core/timeline/decimate.h"
#include "core/timeline/timemapping.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QVBoxLayout;
QT_END_NAMESPACE

namespace loadline::core {
struct Timeline;
struct CpuMeasurement;
}  // namespace loadline::core

namespace loadline::widgets {

/** Pressure: CPU pressure stall share (area) and the process's run-queue wait (line). */
enum class Metric { Cpu, Memory, Pressure };
enum class TimeAxisMode { Clock, Relative };  // HH:MM:SS, or seconds since the start

class BaselineOverlay;
class ChartCanvas;
class ChartLane;
class TimelineChart;
struct ChartData;
struct ChartLevels;
struct ChartSettings;

/** min/mean/max of both series over a time range (count 0: no samples there). */
struct SelectionStats {
    double t0 = 0;
    double t1 = 0;
    core::RangeStats system;
    core::RangeStats process;
    int level = 0;  // > 0: from a long store's consolidated blocks of this level (ChartLevels)
};

class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    /** Shows a timeline (the whole recording; follow mode shows its newest window). May be null. */
    void setTimeline(std::shared_ptr<const core::Timeline> timeline);
    std::shared_ptr<const core::Timeline> timeline() const { return m_timeline; }
    /**
     * A recording too long to hold (a .llrec store): the blocks of a consolidated level for
     * the whole range, and `ticks`, the recording's ticks of [levels->rawFrom, levels->rawTo]
     * only. Keeps the view range and selection (a finer read of the range in view arrives
     * while the user looks at it). Null levels: back to ticks only.
     */
    void setLevels(std::shared_ptr<const ChartLevels> levels, std::shared_ptr<const core::Timeline> ticks);
    std::shared_ptr<const ChartLevels> levels() const { return m_levels; }

    void setTitle(const QString& title);
    QString title() const;
    void setMetric(Metric metric);
    Metric metric() const;
    /** The memory metric in bytes (MiB/GiB axis, RSS lines, used memory as the area) instead
     *  of percent of total memory (the default). */
    void setMemoryInBytes(bool bytes);
    bool memoryInBytes() const;
    void setTimeAxisMode(TimeAxisMode mode);
    TimeAxisMode timeAxisMode() const;
    /** The process drawn as the crimson line; -1 = none. */
    void setHighlightedPid(int pid);
    int highlightedPid() const;
    /** More processes, drawn as thin lines in other colours. */
    void setExtraPids(const QList<int>& pids);
    QList<int> extraPids() const;
    /** psutil's scale (100 = one core busy; the axis grows past 100) instead of % of the machine. */
    void setPerCoreScale(bool perCore);
    bool perCoreScale() const;
    /** Logical cores for the whole-machine CPU scale; 0 = from the recording's per-core columns. */
    void setCpuCount(int cores);
    /** The core count in use (0 = unknown: process CPU is left on psutil's scale). */
    int cpuCount() const;

    /** Live: keep the newest windowSeconds in view as data arrives. Panning or zooming ends it. */
    void setFollowLatest(bool on, double windowSeconds = 300);
    bool followLatest() const { return m_follow; }
    double followWindow() const { return m_followWindow; }
    /** Live: the timeline grew (or its ring dropped old rows). Call on the GUI thread. */
    void dataAppended();

    void resetZoom();
    void zoomToRange(double t0, double t1);
    std::pair<double, double> viewRange() const { return {m_t0, m_t1}; }

    /** The selected range (from a drag or setSelection) and its statistics. */
    void setSelection(double t0, double t1);
    void clearSelection();
    std::optional<std::pair<double, double>> selection() const { return m_selection; }
    SelectionStats statsForRange(double t0, double t1) const;
    /** The text shown under the chart for the selection ("" when none). */
    QString selectionSummary() const;
    /** The chart's settings (tests; a level loader asks which series to read). */
    const ChartSettings& settings() const { return *m_settings; }
    /** Which processes' CPU the recording never measured (found once per data change). */
    const core::CpuMeasurement& cpuMeasurement() const;
    /** The hover tooltip's text for a time (time, system value, process value matched by time). */
    QString describeTime(double t) const;
    /** The system sample's time nearest t (what hover and a click refer to), or t when none is near. */
    double sampleTimeNear(double t) const;
    /** A time as the axis shows it (clock time, or seconds since the start in Relative mode). */
    QString formatTime(double t) const;

    /** Time <-> x in THIS widget's coordinates (for lanes drawn under the plot). */
    core::TimeMapping timeMapping() const;
    /** Value <-> y in THIS widget's coordinates (0 at the plot's bottom). */
    core::ValueMapping valueMapping() const;
    /**
     * Compare mode: a baseline run drawn dashed over this one (BaselineOverlay), on the same
     * relative axis. anchors = (a time of this run, a time of the baseline) drawn at the same x;
     * default: both runs' first samples. Null clears it.
     */
    void setBaseline(std::shared_ptr<const core::Timeline> baseline,
                     std::optional<std::pair<double, double>> anchors = std::nullopt);
    std::shared_ptr<const core::Timeline> baseline() const { return m_baseline; }
    /** Added to a baseline time to draw it on this run's clock (0 without a baseline). */
    double baselineOffset() const { return m_baselineOffset; }
    /**
     * Marks time spans on the plot itself (the selected function's calls): a faint band of
     * `color` over the plot's height and a solid strip along its top edge. Exports draw them too.
     * An empty list removes them.
     */
    void setMarkedSpans(const QList<std::pair<double, double>>& spans, const QColor& color);
    QList<std::pair<double, double>> markedSpans() const { return m_marked; }

    /** Adds a lane (function calls, alerts): the view places it inside the chart's frame under
     *  the time axis, its x range the plot's, tells it the mapping, and exports draw it too
     *  (chartlane.h). The view takes ownership. */
    void addLane(ChartLane* lane);
    QList<ChartLane*> lanes() const { return m_laneList; }
    /** The legend's tooltip: every entry's text, one a line. */
    QString legendToolTip() const;
    /** Extra processes collapsed into the legend's "+N more" entry (0: every one has its own). */
    int legendCollapsedCount() const;
    /** The x-axis labels now shown (tests, accessibility). */
    QStringList timeAxisLabels() const;

    /**
     * Renders the chart as it is now (range, settings, palette, baseline, marked spans) with
     * the raster engine, with every lane shown in the window (withLanes) inside its frame as
     * on screen, and moreLanes after them (export-png --functions: lanes of no window).
     * plotMapping (optional) gets the plot area's time <-> x map in the image's logical pixels.
     */
    QImage renderImage(QSize logicalSize, qreal scale = 1.0, core::TimeMapping* plotMapping = nullptr,
                       bool withLanes = true, const QList<const ChartLane*>& moreLanes = {}) const;

signals:
    void viewRangeChanged(double t0, double t1);
    void rangeSelected(double t0, double t1);
    /** A click on the plot, at the nearest system sample's time (as the hover shows it). */
    void timeClicked(double t);
    void followLatestChanged(bool on);
    /** The chart's data was rebuilt (new timeline, levels or settings: metric, processes). */
    void dataRebuilt();
    /** The plot area moved or the range changed: lanes re-read timeMapping(). */
    void mappingChanged();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    friend class ChartCanvas;
    void rebuildData();
    void rebuildBaseline();  // timelineviewbaseline.cpp
    /** Lanes not hidden, in the order added. */
    QList<ChartLane*> shownLanes() const;
    /** Height the chart keeps for lanes under its time axis (0 without lanes). */
    static int laneRoom(const QList<const ChartLane*>& lanes);
    /** The chart keeps room for the shown lanes; then they are placed. */
    void reserveLaneRoom();
    /** Puts every shown lane in the chart's lane strip and gives it the plot's mapping. */
    void placeLanes();
    static constexpr int kLaneGap = 4;  // between the time axis's labels and the first lane
    void applySettings();
    void setRange(double t0, double t1, bool userAction);
    /** While following: the window that ends at the newest sample (or starts at the first). */
    void followNewest();
    void updateSummary();
    std::pair<double, double> dataBounds() const;
    bool showingAll() const;
    double minSpan() const;
    // Input from the canvas (x in canvas coordinates).
    void zoomAt(double anchorTime, double factor, bool userAction = true);
    void panByPixels(double dx);
    void panByFraction(double fraction);

    std::shared_ptr<const core::Timeline> m_timeline;
    std::shared_ptr<const ChartLevels> m_levels;
    std::unique_ptr<ChartSettings> m_settings;
    std::shared_ptr<ChartData> m_data;
    ChartCanvas* m_canvas = nullptr;
    TimelineChart* m_chart = nullptr;
    QList<ChartLane*> m_laneList;
    bool m_placingLanes = false;
    QLabel* m_summary = nullptr;
    double m_t0 = 0;
    double m_t1 = 1;
    bool m_follow = false;
    double m_followWindow = 300;
    std::optional<std::pair<double, double>> m_selection;
    std::shared_ptr<const core::Timeline> m_baseline;
    std::optional<std::pair<double, double>> m_baselineAnchors;
    std::shared_ptr<const ChartData> m_baselineData;
    double m_baselineOffset = 0;
    BaselineOverlay* m_baselineOverlay = nullptr;
    QList<std::pair<double, double>> m_marked;
    QColor m_markedColor;
};

}  // namespace loadline::widgets
