#include "widgets/thresholdoverlay.h"

#include <QEvent>
#include <QPainter>

#include "widgets/timelineview.h"

namespace loadline::widgets {

ThresholdOverlay::ThresholdOverlay(TimelineView* view) : QWidget(view), m_view(view) {
    setObjectName(QStringLiteral("thresholdOverlay"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setGeometry(view->rect());
    view->installEventFilter(this);
    connect(view, &TimelineView::mappingChanged, this, qOverload<>(&QWidget::update));
    connect(view, &TimelineView::viewRangeChanged, this, qOverload<>(&QWidget::update));
    raise();
}

void ThresholdOverlay::setLines(std::vector<ThresholdLine> lines) {
    m_lines = std::move(lines);
    raise();
    update();
}

double ThresholdOverlay::yForValue(double value) const { return m_view->valueMapping().toY(value); }

bool ThresholdOverlay::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)) {
        setGeometry(m_view->rect());
        raise();
    }
    return QWidget::eventFilter(watched, event);
}

void ThresholdOverlay::paintEvent(QPaintEvent*) {
    if (m_lines.empty()) return;
    const core::TimeMapping tm = m_view->timeMapping();
    const core::ValueMapping vm = m_view->valueMapping();
    if (!tm.valid() || vm.height <= 0) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const double top = vm.yBottom - vm.height;
    for (const auto& line : m_lines) {
        const double y = vm.toY(line.value);
        if (y < top - 0.5 || y > vm.yBottom + 0.5) continue;  // off the axis: not drawn
        QPen pen(line.color, 1.5, Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(tm.x0, y), QPointF(tm.x0 + tm.width, y));
        if (!line.label.isEmpty()) {
            p.setPen(line.color);
            p.drawText(QPointF(tm.x0 + 4, y - 3), line.label);
        }
    }
}

}  // namespace loadline::widgets
