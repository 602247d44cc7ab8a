#include "widgets/chartcanvas.h"

#include <QHelpEvent>
#include <QLegend>
#include <QToolTip>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>

#include "widgets/timelinechart.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

namespace {
constexpr double kDragThreshold = 4;    // pixels before a press becomes a drag
constexpr double kWheelZoomStep = 0.8;  // one notch in: 80 % of the span
}  // namespace

ChartCanvas::ChartCanvas(TimelineChart* chart, TimelineView* view) : QChartView(chart), m_chart(chart), m_view(view) {
    setRenderHint(QPainter::Antialiasing, false);  // the layers choose per item
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setRubberBand(QChartView::NoRubberBand);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

double ChartCanvas::timeAt(double viewX) const {
    const QPointF scene = mapToScene(QPoint(static_cast<int>(viewX), 0));
    return m_chart->timeMapping().toTime(m_chart->mapFromScene(scene).x());
}

void ChartCanvas::mousePressEvent(QMouseEvent* event) {
    m_pressX = m_lastX = event->position().x();
    m_pressTime = timeAt(m_pressX);
    m_moved = false;
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    if (event->button() == Qt::LeftButton && !shift)
        m_drag = (event->modifiers() & Qt::ControlModifier) ? Drag::Zoom : Drag::Select;
    else if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton ||
             (event->button() == Qt::LeftButton && shift)) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void ChartCanvas::mouseMoveEvent(QMouseEvent* event) {
    const double x = event->position().x();
    if (m_drag != Drag::None && std::abs(x - m_pressX) >= kDragThreshold) m_moved = true;
    switch (m_drag) {
    case Drag::None: m_chart->setHover(m_chart->mapFromScene(mapToScene(event->position().toPoint()))); break;
    case Drag::Select:
    case Drag::Zoom:
        if (m_moved) m_chart->setDragBand(std::make_pair(m_pressTime, timeAt(x)), m_drag == Drag::Zoom);
        m_chart->setHover(std::nullopt);
        break;
    case Drag::Pan:
        m_view->panByPixels(x - m_lastX);
        m_chart->setHover(std::nullopt);
        break;
    }
    m_lastX = x;
    event->accept();
}

void ChartCanvas::mouseReleaseEvent(QMouseEvent* event) {
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    m_chart->setDragBand(std::nullopt, false);
    const double t = timeAt(event->position().x());
    if ((drag == Drag::Select || drag == Drag::Zoom) && m_moved) {
        if (drag == Drag::Zoom) m_view->zoomToRange(std::min(m_pressTime, t), std::max(m_pressTime, t));
        else {
            m_view->setSelection(m_pressTime, t);
            emit m_view->rangeSelected(std::min(m_pressTime, t), std::max(m_pressTime, t));
        }
    } else if (drag == Drag::Select && event->button() == Qt::LeftButton) {
        emit m_view->timeClicked(m_view->sampleTimeNear(t));
    }
    event->accept();
}

void ChartCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    m_view->resetZoom();
    event->accept();
}

void ChartCanvas::wheelEvent(QWheelEvent* event) {
    const QPoint delta = event->angleDelta();
    const double steps = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
    if (steps == 0) return;
    if ((event->modifiers() & Qt::ShiftModifier) || (delta.y() == 0 && delta.x() != 0))
        m_view->panByFraction(-0.1 * steps);
    else m_view->zoomAt(timeAt(event->position().x()), std::pow(kWheelZoomStep, steps));
    event->accept();
}

void ChartCanvas::keyPressEvent(QKeyEvent* event) {
    const auto range = m_view->viewRange();
    const double mid = (range.first + range.second) / 2;
    switch (event->key()) {
    case Qt::Key_Left: m_view->panByFraction(-0.1); break;
    case Qt::Key_Right: m_view->panByFraction(0.1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Up: m_view->zoomAt(mid, kWheelZoomStep); break;
    case Qt::Key_Minus:
    case Qt::Key_Down: m_view->zoomAt(mid, 1 / kWheelZoomStep); break;
    case Qt::Key_Home:
    case Qt::Key_0: m_view->resetZoom(); break;
    case Qt::Key_Escape: m_view->clearSelection(); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (auto s = m_view->selection()) {
            m_view->zoomToRange(std::min(s->first, s->second), std::max(s->first, s->second));
            m_view->clearSelection();  // it now fills the plot: left in place it would tint it all
        }
        break;
    default: QChartView::keyPressEvent(event); return;
    }
    event->accept();
}

void ChartCanvas::leaveEvent(QEvent* event) {
    m_chart->setHover(std::nullopt);
    QChartView::leaveEvent(event);
}

void ChartCanvas::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    emit m_view->mappingChanged();
}

bool ChartCanvas::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        // Over the legend: every entry whole, also those collapsed into "+N more".
        auto* help = static_cast<QHelpEvent*>(event);
        const QPointF inChart = m_chart->mapFromScene(mapToScene(help->pos()));
        if (m_chart->legend()->isVisible() && m_chart->legend()->geometry().contains(inChart))
            QToolTip::showText(help->globalPos(), m_chart->legendToolTip(), this);
        else QToolTip::hideText();
        return true;
    }
    return QChartView::viewportEvent(event);
}

}  // namespace loadline::widgets
