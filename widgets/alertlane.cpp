#include "widgets/alertlane.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <map>
#include <tuple>

#include "core/alert/alertjson.h"

namespace loadline::widgets {

AlertLane::AlertLane(QWidget* parent) : ChartLane(parent) {
    setObjectName(QStringLiteral("alertLane"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    relayout();
}

void AlertLane::setIntervals(std::vector<core::alert::AlertInterval> intervals, double dataEnd) {
    m_intervals = std::move(intervals);
    m_dataEnd = dataEnd;
    relayout();
    update();
}

void AlertLane::relayout() {
    // One row per (rule, pid), in order of first appearance.
    std::map<std::tuple<std::string, int>, int> rowOf;
    m_rows.clear();
    for (const auto& a : m_intervals) {
        auto [it, fresh] = rowOf.try_emplace({a.rule, a.pid}, static_cast<int>(rowOf.size()));
        m_rows.push_back(it->second);
    }
    m_rowCount = static_cast<int>(rowOf.size());
    setFixedHeight(laneHeight());
    setVisible(!m_intervals.empty());
}

QRectF AlertLane::bandRect(int i) const {
    return bandRectIn(i, QRectF(plotX0(), 0, plotWidth(), height()), m_t0, m_t1);
}

QRectF AlertLane::bandRectIn(int i, const QRectF& rect, double t0, double t1) const {
    const auto& a = m_intervals[static_cast<std::size_t>(i)];
    const double end = a.end ? *a.end : std::max(m_dataEnd, a.start);
    auto x = [&](double t) { return rect.left() + (t - t0) * rect.width() / (t1 - t0); };
    double left = x(a.start), right = x(end);
    if (right - left < 2) right = left + 2;  // an alert of one sample stays visible
    return QRectF(left, rect.top() + 2 + m_rows[static_cast<std::size_t>(i)] * kRowHeight, right - left,
                  kRowHeight - 2);
}

void AlertLane::paintContent(QPainter& p, const QRectF& rect, double t0, double t1) const {
    if (!(t1 > t0)) return;
    p.save();
    p.setClipRect(rect);
    for (int i = 0; i < static_cast<int>(m_intervals.size()); ++i) {
        const auto& a = m_intervals[static_cast<std::size_t>(i)];
        QColor c = a.severity == core::alert::Severity::Critical ? criticalColor() : warningColor();
        const QRectF band = bandRectIn(i, rect, t0, t1);
        p.fillRect(band, c);
        if (!a.end) {  // still open: an outline marks the running end
            p.setPen(QPen(c.darker(150), 1));
            p.drawRect(band.adjusted(0.5, 0.5, -0.5, -0.5));
        }
    }
    p.restore();
}

int AlertLane::intervalAt(QPointF pos) const {
    for (int i = static_cast<int>(m_intervals.size()) - 1; i >= 0; --i)
        if (bandRect(i).adjusted(-1, 0, 1, 0).contains(pos)) return i;
    return -1;
}

QString AlertLane::describe(int index) const {
    if (index < 0 || index >= static_cast<int>(m_intervals.size())) return {};
    return QString::fromStdString(core::alert::describeInterval(m_intervals[static_cast<std::size_t>(index)]));
}

void AlertLane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());  // inside the chart's frame: its background
    paintWhole(p, rect(), plotX0(), plotWidth(), m_t0, m_t1, palette());
}

void AlertLane::mousePressEvent(QMouseEvent* event) {
    const int i = intervalAt(event->position());
    if (i >= 0) emit intervalClicked(i);
    QWidget::mousePressEvent(event);
}

bool AlertLane::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = intervalAt(help->pos());
        if (i >= 0) QToolTip::showText(help->globalPos(), describe(i), this);
        else QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

}  // namespace loadline::widgets
