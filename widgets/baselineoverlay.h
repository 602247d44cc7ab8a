#pragma once
// A baseline run drawn over the timeline chart (compare mode): its system CPU/memory and its
// busiest process as dashed lines, shifted so both runs share a relative time axis (aligned at
// their starts, or at a chosen moment of each, e.g. a function's first call), with their own
// legend entries ("baseline: …"). Private to widgets/: TimelineView owns it. It only reads the
// chart's public mappings, so the chart's own drawing does not know about it.

#include <QColor>
#include <QGraphicsItem>
#include <QString>
#include <memory>

#include "widgets/chartdata.h"

QT_BEGIN_NAMESPACE
class QChart;
class QLineSeries;
QT_END_NAMESPACE

namespace loadline::widgets {

class TimelineChart;

inline const QColor kBaselineSystemColor{0x20, 0x60, 0xA0};   // a dark blue against the light-blue area
inline const QColor kBaselineProcessColor{0x8B, 0x00, 0x8B};  // dark magenta beside the crimson line

class BaselineOverlay : public QGraphicsItem {
public:
    explicit BaselineOverlay(TimelineChart* chart);
    ~BaselineOverlay() override;

    /** The baseline's series (built with the run's settings) and the shift onto the run's clock:
     *  a baseline time tb is drawn at tb + offset. Null data hides it and its legend entries. */
    void setData(std::shared_ptr<const ChartData> data, double offset);
    double offset() const { return m_offset; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    void paintSeries(QPainter* painter, const core::PlotSeries& s, const QColor& color) const;

    TimelineChart* m_chart;
    std::shared_ptr<const ChartData> m_data;
    double m_offset = 0;
    QLineSeries* m_legendSystem = nullptr;
    QLineSeries* m_legendProcess = nullptr;
};

}  // namespace loadline::widgets
