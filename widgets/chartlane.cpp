#include "widgets/chartlane.h"

#include <QFontMetricsF>
#include <QPainter>

namespace loadline::widgets {

void ChartLane::setMapping(double t0, double t1, double x0, double width) {
    if (!(t1 > t0) || !(width > 0)) return;
    m_t0 = t0;
    m_t1 = t1;
    m_x0 = x0;
    m_width = width;
    update();
}

ChartLane::~ChartLane() {
    // TimelineView filters its lanes' show/hide/resize events and asks them their height: a
    // hide sent from QWidget's destructor would reach it with this lane half destroyed.
    if (QObject* view = parent()) removeEventFilter(view);
}

int ChartLane::paintWhole(QPainter& painter, const QRectF& row, double plotLeft, double plotWidth, double t0, double t1,
                          const QPalette& palette) const {
    const double h = contentHeight();
    const QColor text = palette.color(QPalette::Text);
    const QRectF track(plotLeft, row.top(), plotWidth, h);
    painter.fillRect(track, palette.color(QPalette::AlternateBase));
    paintLabel(painter, QRectF(row.left(), row.top(), plotLeft - row.left(), h), laneLabel(), text);
    paintContent(painter, track, t0, t1);
    const auto entries = legendEntries();
    if (entries.empty()) return 0;
    return paintLegend(painter, QRectF(plotLeft, row.top() + h, plotWidth, kLegendRowHeight), entries, text);
}

void ChartLane::paintLabel(QPainter& painter, const QRectF& margin, const QString& label, const QColor& color) {
    if (margin.width() < 8) return;
    painter.save();
    painter.setPen(color);
    const QFontMetricsF fm(painter.font());
    painter.drawText(margin.adjusted(0, 0, -6, 0), Qt::AlignRight | Qt::AlignVCenter,
                     fm.elidedText(label, Qt::ElideRight, margin.width() - 6));
    painter.restore();
}

int ChartLane::paintLegend(QPainter& painter, const QRectF& rect,
                           const std::vector<std::pair<QString, QColor>>& entries, const QColor& text) {
    painter.save();
    const QFontMetricsF fm(painter.font());
    double x = rect.left();
    const double box = std::min(10.0, rect.height() - 4);
    int shown = 0;
    for (const auto& [name, colour] : entries) {
        const double w = box + 4 + fm.horizontalAdvance(name) + 12;
        if (x + w - 12 > rect.right()) break;
        painter.fillRect(QRectF(x, rect.center().y() - box / 2, box, box), colour);
        painter.setPen(text);
        painter.drawText(QRectF(x + box + 4, rect.top(), w, rect.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
        x += w;
        ++shown;
    }
    painter.restore();
    return shown;
}

}  // namespace loadline::widgets
