#pragma once
// Alert intervals as bands in a lane of the timeline chart (chartlane.h): amber for a warning, red for a
// critical alert; an alert still open runs to the end of the data. One row per rule (and
// process). Hover names the alert; a click emits intervalClicked. Self-contained: told the time
// <-> x mapping (setMapping) like the function lane, it never reads the chart.
#include <QColor>
#include <algorithm>
#include <QWidget>
#include <vector>

#include "core/alert/evaluator.h"
#include "widgets/chartlane.h"

namespace loadline::widgets {

class AlertLane : public ChartLane {
    Q_OBJECT
public:
    explicit AlertLane(QWidget* parent = nullptr);

    /** The intervals to show; dataEnd is where open ones stop (the last sample's time). */
    void setIntervals(std::vector<core::alert::AlertInterval> intervals, double dataEnd);
    const std::vector<core::alert::AlertInterval>& intervals() const { return m_intervals; }
    /** The visible time range [t0, t1] on pixels [x0, x0 + width) of this widget. */
    QString laneLabel() const override { return tr("Alerts"); }
    void paintContent(QPainter& painter, const QRectF& rect, double t0, double t1) const override;
    int contentHeight() const override { return std::max(1, m_rowCount) * kRowHeight + 4; }

    /** The interval under a point of this widget, or -1. */
    int intervalAt(QPointF pos) const;
    QString describe(int index) const;

    static QColor warningColor() { return QColor(0xf0, 0xa0, 0x20); }   // amber
    static QColor criticalColor() { return QColor(0xd0, 0x30, 0x30); }  // red
    static constexpr int kRowHeight = 16;  // one row: kMinContentHeight, tall enough to point at

signals:
    void intervalClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF bandRect(int index) const;
    QRectF bandRectIn(int index, const QRectF& rect, double t0, double t1) const;
    void relayout();

    std::vector<core::alert::AlertInterval> m_intervals;
    std::vector<int> m_rows;  // row of each interval
    int m_rowCount = 0;
    double m_dataEnd = 0;
};

}  // namespace loadline::widgets
