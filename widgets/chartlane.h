#pragma once
// A lane of the timeline chart: one strip of time spans (function calls, alerts, and later the
// recorder's own footprint or a comparison) on the chart's time axis. Every lane is a ChartLane
// added with TimelineView::addLane: the view places it inside the chart's frame, under the time
// axis, and tells it the plot's mapping (setMapping) so its x range is exactly the plot's: a
// span at time t is under the point at t on the chart. The lane names itself in the chart's
// left margin (where the value axis's labels are), draws its content on a track as wide as the
// plot and its colour legend in a row under it (paintWhole), so the window, an export
// (TimelineView::renderImage) and export-png --functions draw the same lanes the same way.

#include <QColor>
#include <QPalette>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QPainter;
QT_END_NAMESPACE

namespace loadline::widgets {

class ChartLane : public QWidget {
public:
    using QWidget::QWidget;
    /** Stops telling the view about this lane before QWidget's destructor hides it. */
    ~ChartLane() override;

    /** The lane's name, drawn left of it in the chart's axis margin ("calls", "alerts"). */
    virtual QString laneLabel() const = 0;
    /** The visible time range [t0, t1] on pixels [x0, x0 + width) of this widget (the plot's);
     *  an empty range or width is ignored (the last mapping stays). Repaints. */
    void setMapping(double t0, double t1, double x0, double width);
    /** The time range of the last mapping (0..1 before the first). */
    std::pair<double, double> visibleRange() const { return {m_t0, m_t1}; }
    /** Paints the content for [t0, t1] into rect (x = rect's left at t0, right at t1). */
    virtual void paintContent(QPainter& painter, const QRectF& rect, double t0, double t1) const = 0;
    /** Height of the content (without the legend row). */
    virtual int contentHeight() const = 0;
    /** Colour legend (name, colour), drawn in a row under the content; empty: no row. */
    virtual std::vector<std::pair<QString, QColor>> legendEntries() const { return {}; }

    static constexpr int kLegendRowHeight = 16;
    /** A lane's content is never lower than this, so that it can be pointed at (hover, click). */
    static constexpr int kMinContentHeight = 20;
    /** Content, plus the legend row when there is one. */
    int laneHeight() const { return contentHeight() + (legendEntries().empty() ? 0 : kLegendRowHeight); }

    /**
     * The whole lane into row (its left edge = the chart frame's left): the label in
     * [row.left, plotLeft), a track of the palette's AlternateBase over [plotLeft, plotLeft +
     * plotWidth) with the content for [t0, t1] on it, and the legend row under it.
     * Returns how many legend entries fit.
     */
    int paintWhole(QPainter& painter, const QRectF& row, double plotLeft, double plotWidth, double t0, double t1,
                   const QPalette& palette) const;

    /** The label right-aligned in [0, x0) of a lane whose content starts at x0. */
    static void paintLabel(QPainter& painter, const QRectF& margin, const QString& label, const QColor& color);
    /** Legend entries from the left of rect; those that do not fit whole are left out. Returns how many fit. */
    static int paintLegend(QPainter& painter, const QRectF& rect,
                           const std::vector<std::pair<QString, QColor>>& entries, const QColor& text);

protected:
    /** The plot's pixels in this widget: from the last mapping, or the whole widget before one. */
    double plotX0() const { return m_width > 0 ? m_x0 : 0; }
    double plotWidth() const { return m_width > 0 ? m_width : width(); }

    double m_t0 = 0, m_t1 = 1;

private:
    double m_x0 = 0, m_width = -1;  // width <= 0: not mapped yet
};

}  // namespace loadline::widgets
