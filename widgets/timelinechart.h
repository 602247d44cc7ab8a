#pragma once
// The QChart behind TimelineView (private to widgets/). Qt Charts provides the frame: title,
// legend, time and value axes, grid. The data is painted by three items inside the plot area:
// the system area under the grid, the process lines above it, and an overlay (selection,
// crosshair, tooltip) on top. Each frame decimates the visible range to one envelope per device
// pixel column, so its cost does not depend on the recording's length.

#include <QChart>
#include <QGraphicsItem>
#include <QImage>
#include <memory>
#include <optional>
#include <vector>

#include "core/timeline/blockseries.h"
#include "core/timeline/decimate.h"
#include "widgets/chartdata.h"

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QCategoryAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace loadline::widgets {

class TimelineChart;

/** One painted layer of the plot area; it asks the chart to paint it. */
class PlotLayer : public QGraphicsItem {
public:
    enum Kind { Area, Selection, Lines, Overlay };
    PlotLayer(TimelineChart* chart, Kind kind);
    QRectF boundingRect() const override { return m_rect; }
    void setRect(const QRectF& rect);
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    TimelineChart* m_chart;
    Kind m_kind;
    QRectF m_rect;
};

class TimelineChart : public QChart {
    Q_OBJECT
public:
    TimelineChart();
    ~TimelineChart() override;

    /** New data object or settings: legend, titles and axes follow. */
    void setData(std::shared_ptr<const ChartData> data, const ChartSettings& settings);
    /** The same data object changed (live append): caches are dropped. */
    void dataChanged();
    void setViewRange(double t0, double t1);
    void setSelection(std::optional<std::pair<double, double>> range);
    /** Spans marked on the plot (TimelineView::setMarkedSpans). */
    void setMarkedSpans(const QList<std::pair<double, double>>& spans, const QColor& color);
    /** A drag in progress: a selection band, or a zoom rubber band. */
    void setDragBand(std::optional<std::pair<double, double>> range, bool zoom);
    /** Hover at a scene position (crosshair + tooltip); nullopt hides it. */
    void setHover(std::optional<QPointF> scenePos);
    void applyPalette(const QPalette& palette);

    core::TimeMapping timeMapping() const;  // scene (chart) coordinates
    core::ValueMapping valueMapping() const;
    QStringList timeAxisLabels() const;
    const ChartSettings& settings() const { return m_settings; }
    /** Fits the legend's entries to the chart's width (done queued after every resize; an
     *  off-screen render calls it after sizing the chart). */
    void layoutLegendEntries();
    /** Every legend entry's text, one a line (the legend's tooltip: "+N more" hides some). */
    QString legendToolTip() const;
    /** How many extra processes have a legend entry of their own (the rest are "+N more"). */
    std::size_t legendShownExtras() const { return m_legendShownExtras; }
    /** Room kept at the bottom of the chart's background, under the time axis, for the lanes
     *  (TimelineView::addLane): the plot and its axes move up by `pixels`. */
    void setLaneReserve(int pixels);
    int laneReserve() const { return m_laneReserve; }
    /** The reserved room in chart coordinates: as wide as the chart's background (the frame),
     *  laneReserve() high, just above the background's bottom margin. */
    QRectF laneStrip() const;
    /** The opaque, lighter colour of the system area's min-max band (over the mean area). */
    QColor envelopeBandColor() const;

    void paintLayer(PlotLayer::Kind kind, QPainter* painter);

private:
    struct EnvelopeCache {
        unsigned version = ~0u;
        double t0 = 0, t1 = 0;
        int columns = -1;
        std::vector<core::ColumnEnvelope> env;
    };
    void updateTimeAxis();
    /** Puts `axis` (m_axisY or m_axisYBytes) on the left, with every series attached to it. */
    void useValueAxis(QAbstractAxis* axis);
    void updateLegend();
    void layoutLayers(const QRectF& plotArea);
    const std::vector<core::ColumnEnvelope>& envelope(const core::PlotSeries& s, const core::BlockSummary& summary,
                                                      const core::BlockSeries& blocks, EnvelopeCache& cache,
                                                      int columns);
    void paintAreaLayer(QPainter* painter);
    void paintLinesLayer(QPainter* painter);
    void paintSeriesLine(QPainter* painter, const core::PlotSeries& s, const core::BlockSummary& summary,
                         const core::BlockSeries& blocks, EnvelopeCache& cache, const QColor& color, double width);
    void paintSelectionLayer(QPainter* painter);
    void paintOverlayLayer(QPainter* painter);

    std::shared_ptr<const ChartData> m_data;
    ChartSettings m_settings;
    int m_laneReserve = 0;
    double m_t0 = 0, m_t1 = 1;
    std::optional<std::pair<double, double>> m_selection;
    QList<std::pair<double, double>> m_marked;
    QColor m_markedColor;
    std::optional<std::pair<double, double>> m_dragBand;
    bool m_dragZoom = false;
    std::optional<QPointF> m_hover;
    QColor m_textColor = Qt::black;
    QColor m_baseColor = Qt::white;
    QColor m_highlightColor = QColor(0x30, 0x8c, 0xc6);

    QCategoryAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;          // percent
    QCategoryAxis* m_axisYBytes = nullptr;  // memory in bytes: MiB/GiB ticks (ChartData::valueTicks)
    QLineSeries* m_legendAreaUpper = nullptr;
    QAreaSeries* m_legendArea = nullptr;
    QLineSeries* m_legendProcess = nullptr;
    std::vector<QLineSeries*> m_legendExtras;
    QLineSeries* m_legendMore = nullptr;
    std::size_t m_legendShownExtras = 0;
    PlotLayer* m_areaLayer = nullptr;
    PlotLayer* m_selectionLayer = nullptr;
    PlotLayer* m_linesLayer = nullptr;
    PlotLayer* m_overlayLayer = nullptr;
    EnvelopeCache m_systemCache;
    EnvelopeCache m_processCache;
    std::vector<EnvelopeCache> m_extraCaches;
    std::vector<QRectF> m_rects;              // reused per frame
    std::vector<double> m_bandHeights;        // area band: device-pixel height of each column's max
    std::vector<int> m_meanRows, m_bandRows;  // per column: integer heights / a line band's rows
    QImage m_areaImage;                       // the area and its min-max band, one pixel per device pixel
    QImage m_bandImage;                       // a dense process line's min-max band, one pixel per device pixel
    std::vector<QLineF> m_lines;
    std::vector<double> m_heights;  // area: bar height per device column
    std::vector<QPointF> m_points;
    std::vector<core::ColumnEnvelope> m_rawEnv;  // ticks' envelope where blocks are drawn too
};

}  // namespace loadline::widgets
