#include "widgets/functionexport.h"

#include <QFontMetrics>
#include <QPainter>

#include "core/correlate/moment.h"
#include "widgets/functionlane.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

namespace {
constexpr int kLegendHeight = 20;
}

QImage renderChartWithFunctions(const TimelineView& view, const core::Correlation& correlation, QSize logicalSize,
                                qreal scale) {
    int rows = 0;
    const std::vector<int> lanes = core::assignLanes(correlation.calls, &rows);
    const int laneHeight = FunctionLane::heightForRows(rows);
    const int bottom = laneHeight + kLegendHeight;
    const QSize chartSize(logicalSize.width(), std::max(64, logicalSize.height() - bottom));

    core::TimeMapping m;
    const QImage chart = view.renderImage(chartSize, scale, &m, false);
    QImage image(logicalSize * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(view.palette().color(QPalette::Base));
    QPainter p(&image);
    p.drawImage(QPointF(0, 0), chart);

    // The lane, spanning exactly the plot area's width so calls line up with the chart above.
    const QRectF laneRect(m.x0, chartSize.height(), m.width, laneHeight);
    p.fillRect(laneRect, view.palette().color(QPalette::AlternateBase));
    std::vector<std::size_t> byStart(correlation.calls.size());
    for (std::size_t i = 0; i < byStart.size(); ++i) byStart[i] = i;
    std::stable_sort(byStart.begin(), byStart.end(),
                     [&](std::size_t a, std::size_t b) { return correlation.calls[a].start < correlation.calls[b].start; });
    FunctionLane::Layout layout;
    layout.correlation = &correlation;
    layout.lanes = &lanes;
    layout.byStart = &byStart;
    layout.rows = rows;
    layout.t0 = m.t0;
    layout.t1 = m.t1;
    FunctionLane::paintLane(p, laneRect, layout);

    p.setPen(view.palette().color(QPalette::Text));
    QFont font = view.font();
    p.setFont(font);
    const QFontMetrics fm(font);
    p.drawText(QRectF(0, laneRect.top(), std::max(0.0, m.x0 - 6), laneHeight), Qt::AlignRight | Qt::AlignVCenter,
               QObject::tr("calls"));

    // Legend: colour squares and names, in the correlation's order (largest total wall first).
    double x = m.x0;
    const double y = laneRect.bottom() + 4;
    for (std::size_t f = 0; f < correlation.functions.size(); ++f) {
        const QString name = QString::fromStdString(correlation.functions[f].name);
        const double w = 14 + fm.horizontalAdvance(name) + 12;
        if (x + w > m.x0 + m.width) break;
        p.fillRect(QRectF(x, y + 2, 10, 10), FunctionLane::functionColor(static_cast<int>(f)));
        p.drawText(QPointF(x + 14, y + fm.ascent()), name);
        x += w;
    }
    p.end();
    return image;
}

}  // namespace loadline::widgets
