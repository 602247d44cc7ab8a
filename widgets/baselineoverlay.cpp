#include "widgets/baselineoverlay.h"

#include <QAbstractAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "widgets/timelinechart.h"

namespace loadline::widgets {

namespace {
constexpr qreal kOverlayZ = 4.6;  // over the run's lines (4.5), under the crosshair and tooltip (6)
constexpr double kWidth = 2.0;

QPen dashedPen(const QColor& color) {
    QPen pen(color, kWidth, Qt::DashLine);
    pen.setCapStyle(Qt::FlatCap);
    return pen;
}
}  // namespace

BaselineOverlay::BaselineOverlay(TimelineChart* chart) : QGraphicsItem(chart), m_chart(chart) {
    setZValue(kOverlayZ);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
    // Empty series: only the legend entries, as the chart's own legend series.
    for (QLineSeries** s : {&m_legendSystem, &m_legendProcess}) {
        *s = new QLineSeries(chart);
        chart->addSeries(*s);
        for (QAbstractAxis* axis : chart->axes()) (*s)->attachAxis(axis);
    }
    m_legendSystem->setPen(dashedPen(kBaselineSystemColor));
    m_legendProcess->setPen(dashedPen(kBaselineProcessColor));
    setData(nullptr, 0);
    QObject::connect(chart, &QChart::plotAreaChanged, chart, [this](const QRectF&) { prepareGeometryChange(); });
}

BaselineOverlay::~BaselineOverlay() = default;

void BaselineOverlay::setData(std::shared_ptr<const ChartData> data, double offset) {
    m_data = std::move(data);
    m_offset = offset;
    const bool system = m_data && !m_data->system.empty();
    const bool process = m_data && m_data->process.pid >= 0 && !m_data->process.data.empty();
    m_legendSystem->setName(system ? QObject::tr("baseline: %1").arg(m_data->systemName) : QString());
    m_legendProcess->setName(process ? QObject::tr("baseline: %1").arg(m_data->process.name) : QString());
    for (QLegendMarker* mk : m_chart->legend()->markers(m_legendSystem)) mk->setVisible(system);
    for (QLegendMarker* mk : m_chart->legend()->markers(m_legendProcess)) mk->setVisible(process);
    for (QLineSeries* series : {m_legendSystem, m_legendProcess})  // new markers take the chart's label colour
        for (QLegendMarker* mk : m_chart->legend()->markers(series)) mk->setLabelBrush(m_chart->legend()->labelBrush());
    update();
}

QRectF BaselineOverlay::boundingRect() const { return m_chart->plotArea(); }

void BaselineOverlay::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (!m_data) return;
    painter->save();
    painter->setClipRect(m_chart->plotArea());
    // Crisp (not antialiased): the dashes keep their exact colours over the area and grid.
    painter->setRenderHint(QPainter::Antialiasing, false);
    paintSeries(painter, m_data->system, kBaselineSystemColor);
    if (m_data->process.pid >= 0) paintSeries(painter, m_data->process.data, kBaselineProcessColor);
    painter->restore();
}

void BaselineOverlay::paintSeries(QPainter* painter, const core::PlotSeries& s, const QColor& color) const {
    const core::TimeMapping tm = m_chart->timeMapping();
    const core::ValueMapping vm = m_chart->valueMapping();
    if (!tm.valid() || s.empty()) return;
    // The baseline's visible rows (its own clock), one pixel beyond each edge so lines enter.
    const double lo = tm.t0 - m_offset - tm.secondsPerPixel(), hi = tm.t1 - m_offset + tm.secondsPerPixel();
    auto first = static_cast<std::size_t>(std::lower_bound(s.t.begin(), s.t.end(), lo) - s.t.begin());
    auto last = static_cast<std::size_t>(std::upper_bound(s.t.begin(), s.t.end(), hi) - s.t.begin());
    if (first > 0) --first;
    if (last < s.size()) ++last;
    // Long baselines: at most a few points per pixel column (a line, not an envelope: the
    // baseline is the reference, its shape matters more than each spike).
    const std::size_t stride = std::max<std::size_t>(1, (last - first) / static_cast<std::size_t>(4 * tm.width + 1));
    QPainterPath path;
    bool open = false;
    double prevT = 0;
    for (std::size_t i = first; i < last; i += stride) {
        const double v = s.v[i];
        if (std::isnan(v)) {
            open = false;
            continue;
        }
        const QPointF p(tm.toX(s.t[i] + m_offset), vm.toY(std::min(v, vm.v1)));
        if (open && s.t[i] - prevT <= m_data->maxGap * static_cast<double>(stride)) path.lineTo(p);
        else path.moveTo(p);
        open = true;
        prevT = s.t[i];
    }
    painter->setPen(dashedPen(color));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
}

}  // namespace loadline::widgets
