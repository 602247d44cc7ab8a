#include "widgets/timelineview.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <utility>

#include "core/timeline/timeline.h"
#include "widgets/baselineoverlay.h"
#include "widgets/chartcanvas.h"
#include "widgets/chartlane.h"
#include "widgets/chartdata.h"
#include "widgets/timeaxis.h"
#include "widgets/timelinechart.h"

namespace loadline::widgets {

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent), m_settings(std::make_unique<ChartSettings>()), m_data(std::make_shared<ChartData>()) {
    m_chart = new TimelineChart;
    m_canvas = new ChartCanvas(m_chart, this);  // takes ownership of the chart
    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setVisible(false);
    m_summary->setContentsMargins(8, 2, 8, 2);
    m_summary->setWordWrap(true);  // a narrow chart (side panels open) wraps the figures, never cuts them
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_summary);
    // The lanes follow the plot: placed (and told the mapping) before anyone else hears of it.
    connect(this, &TimelineView::mappingChanged, this, &TimelineView::placeLanes);
    connect(m_chart, &QChart::plotAreaChanged, this, &TimelineView::mappingChanged);
    setMinimumSize(320, 200);
    setFocusProxy(m_canvas);  // keyboard navigation when the view is given focus
    m_chart->applyPalette(palette());
    applySettings();
}

TimelineView::~TimelineView() {
    // The lanes are deleted with the other children after this: they must not call back.
    for (ChartLane* lane : std::as_const(m_laneList)) {
        lane->removeEventFilter(this);
        disconnect(lane, nullptr, this, nullptr);
    }
    m_laneList.clear();
}

void TimelineView::setTimeline(std::shared_ptr<const core::Timeline> timeline) {
    m_timeline = std::move(timeline);
    m_levels.reset();  // another recording: its ticks are all there
    m_selection.reset();
    m_chart->setSelection(std::nullopt);
    rebuildData();
    if (m_follow) followNewest();
    else resetZoom();
    updateSummary();
}

void TimelineView::setLevels(std::shared_ptr<const ChartLevels> levels, std::shared_ptr<const core::Timeline> ticks) {
    const bool all = showingAll();  // not zoomed in: show the whole recording
    const bool first = !m_levels || !levels;
    m_levels = std::move(levels);
    m_timeline = std::move(ticks);
    if (first) {
        rebuildData();
    } else {
        // Finer data of the same recording: in place, as live appends (legend and titles stay;
        // the GUI thread is the only user of m_data).
        syncChartData(*m_data, m_timeline.get(), *m_settings, m_levels.get());
        m_chart->dataChanged();
    }
    if (all) resetZoom();
    m_chart->setViewRange(m_t0, m_t1);
    updateSummary();
}

void TimelineView::rebuildData() {
    // A fresh object: exports in flight keep theirs, caches see a new version.
    auto fresh = std::make_shared<ChartData>();
    fresh->version = m_data->version + 1;
    fresh->cpuMeasurement = m_data->cpuMeasurement;  // kept while the data is the same
    fresh->cpuMeasuredKey = m_data->cpuMeasuredKey;
    syncChartData(*fresh, m_timeline.get(), *m_settings, m_levels.get());
    m_data = std::move(fresh);
    m_chart->setData(m_data, *m_settings);
    rebuildBaseline();
    emit dataRebuilt();
}

bool TimelineView::showingAll() const { return !m_data->hasData() || (m_t0 <= m_data->tMin && m_t1 >= m_data->tMax); }

void TimelineView::applySettings() {
    const bool all = showingAll();  // not zoomed in: keep showing everything
    rebuildData();
    if (m_follow) followNewest();
    else if (all) resetZoom();
    m_chart->setViewRange(m_t0, m_t1);
    updateSummary();
}

void TimelineView::setTitle(const QString& title) {
    m_settings->title = title;
    m_chart->setTitle(title);
}
QString TimelineView::title() const { return m_settings->title; }

void TimelineView::setMetric(Metric metric) {
    if (m_settings->metric == metric) return;
    m_settings->metric = metric;
    applySettings();
}
Metric TimelineView::metric() const { return m_settings->metric; }

void TimelineView::setMemoryInBytes(bool bytes) {
    if (m_settings->memoryInBytes == bytes) return;
    m_settings->memoryInBytes = bytes;
    applySettings();
}
bool TimelineView::memoryInBytes() const { return m_settings->memoryInBytes; }

void TimelineView::setTimeAxisMode(TimeAxisMode mode) {
    if (m_settings->axisMode == mode) return;
    m_settings->axisMode = mode;
    m_chart->setData(m_data, *m_settings);
    m_chart->setViewRange(m_t0, m_t1);
    updateSummary();
}
TimeAxisMode TimelineView::timeAxisMode() const { return m_settings->axisMode; }

void TimelineView::setHighlightedPid(int pid) {
    if (m_settings->highlightedPid == pid) return;
    m_settings->highlightedPid = pid;
    applySettings();
}
int TimelineView::highlightedPid() const { return m_settings->highlightedPid; }

void TimelineView::setExtraPids(const QList<int>& pids) {
    if (m_settings->extraPids == pids) return;
    m_settings->extraPids = pids;
    applySettings();
}
QList<int> TimelineView::extraPids() const { return m_settings->extraPids; }

void TimelineView::setPerCoreScale(bool perCore) {
    if (m_settings->perCoreScale == perCore) return;
    m_settings->perCoreScale = perCore;
    applySettings();
}
bool TimelineView::perCoreScale() const { return m_settings->perCoreScale; }

void TimelineView::setCpuCount(int cores) {
    if (m_settings->cpuCountOverride == cores) return;
    m_settings->cpuCountOverride = std::max(0, cores);
    applySettings();
}
int TimelineView::cpuCount() const { return m_data->cpuCount; }

void TimelineView::setFollowLatest(bool on, double windowSeconds) {
    const bool changed = on != m_follow;
    m_follow = on;
    if (windowSeconds > 0) m_followWindow = windowSeconds;
    if (on) followNewest();
    if (changed) emit followLatestChanged(on);
}

void TimelineView::followNewest() {
    if (!m_data->hasData()) return;
    // The window ends at the newest sample once the data spans it. Before that (a session just
    // started) the data fills the chart from its first sample, so the first minutes are not a
    // sliver at one edge; the scale widens with the data until it reaches the window, never
    // narrower than kMinFollowSpan so the first few samples do not look like a zoomed-in spike.
    constexpr double kMinFollowSpan = 30.0;
    const double span = m_data->tMax - m_data->tMin;
    if (span >= m_followWindow) {
        setRange(m_data->tMax - m_followWindow, m_data->tMax, false);
        return;
    }
    setRange(m_data->tMin, m_data->tMin + std::max(span, std::min(m_followWindow, kMinFollowSpan)), false);
}

void TimelineView::dataAppended() {
    if (!m_timeline) return;
    // In place: only the new rows are converted (the export path never runs concurrently:
    // both are on the GUI thread).
    // Showing everything (not zoomed in): keep showing everything as it grows.
    const bool all = showingAll();
    syncChartData(*m_data, m_timeline.get(), *m_settings, m_levels.get());
    m_chart->dataChanged();
    if (m_follow) followNewest();
    else if (all) resetZoom();
    updateSummary();
}

std::pair<double, double> TimelineView::dataBounds() const {
    if (!m_data->hasData()) return {0, 0};
    if (m_baselineData && m_baselineData->hasData())  // compare mode: the longer run is all there
        return {std::min(m_data->tMin, m_baselineData->tMin + m_baselineOffset),
                std::max(m_data->tMax, m_baselineData->tMax + m_baselineOffset)};
    return {m_data->tMin, m_data->tMax};
}

double TimelineView::minSpan() const {
    const double interval = m_data->interval;
    return std::max(1e-3, std::isnan(interval) ? 1e-3 : 2 * interval);
}

void TimelineView::resetZoom() {
    const auto [lo, hi] = dataBounds();
    setRange(lo, hi, false);
}

void TimelineView::zoomToRange(double t0, double t1) { setRange(t0, t1, true); }

void TimelineView::setRange(double t0, double t1, bool userAction) {
    if (userAction && m_follow) {
        m_follow = false;
        emit followLatestChanged(false);
    }
    if (!m_follow) {
        const auto [lo, hi] = dataBounds();
        core::clampViewRange(t0, t1, lo, hi, minSpan());
    } else if (!(t1 > t0)) {
        t1 = t0 + 1;
    }
    if (t0 == m_t0 && t1 == m_t1) return;
    m_t0 = t0;
    m_t1 = t1;
    m_chart->setViewRange(t0, t1);
    emit viewRangeChanged(t0, t1);
    emit mappingChanged();
}

void TimelineView::zoomAt(double anchor, double factor, bool userAction) {
    const core::TimeMapping m = m_chart->timeMapping().zoomedAbout(anchor, factor);
    setRange(m.t0, m.t1, userAction);
}

void TimelineView::panByPixels(double dx) {
    const core::TimeMapping m = m_chart->timeMapping().pannedByPixels(dx);
    setRange(m.t0, m.t1, true);
}

void TimelineView::panByFraction(double fraction) {
    const double dt = (m_t1 - m_t0) * fraction;
    setRange(m_t0 + dt, m_t1 + dt, true);
}

void TimelineView::setSelection(double t0, double t1) {
    m_selection = std::make_pair(std::min(t0, t1), std::max(t0, t1));
    m_chart->setSelection(m_selection);
    updateSummary();
}

void TimelineView::setMarkedSpans(const QList<std::pair<double, double>>& spans, const QColor& color) {
    m_marked = spans;
    m_markedColor = color;
    m_chart->setMarkedSpans(spans, color);
}

void TimelineView::clearSelection() {
    m_selection.reset();
    m_chart->setSelection(std::nullopt);
    updateSummary();
}

SelectionStats TimelineView::statsForRange(double t0, double t1) const { return computeStats(*m_data, t0, t1); }

QString TimelineView::selectionSummary() const {
    if (!m_selection) return {};
    return statsSummaryText(*m_data, *m_settings, statsForRange(m_selection->first, m_selection->second));
}

void TimelineView::updateSummary() {
    const QString text = selectionSummary();
    m_summary->setText(text);
    m_summary->setVisible(!text.isEmpty());
}

const core::CpuMeasurement& TimelineView::cpuMeasurement() const { return m_data->cpuMeasurement; }

QString TimelineView::describeTime(double t) const { return describeTimeText(*m_data, *m_settings, t); }

double TimelineView::sampleTimeNear(double t) const {
    // The same snapping as the hover's crosshair (paintOverlayLayer): the nearest system sample.
    const double reach = std::isfinite(m_data->maxGap) ? m_data->maxGap / 2 : INFINITY;
    if (auto row = core::nearestRow(m_data->system.t, t, reach)) return m_data->system.t[*row];
    return t;
}

QString TimelineView::formatTime(double t) const { return formatTimePoint(t, m_data->origin, m_settings->axisMode); }

core::TimeMapping TimelineView::timeMapping() const {
    core::TimeMapping m = m_chart->timeMapping();
    // Chart coordinates -> scene -> the canvas's viewport -> this widget.
    const QPointF inViewport = m_canvas->viewportTransform().map(m_chart->mapToScene(QPointF(m.x0, 0)));
    m.x0 = inViewport.x() + m_canvas->viewport()->mapTo(this, QPoint(0, 0)).x();
    return m;
}

core::ValueMapping TimelineView::valueMapping() const {
    core::ValueMapping m = m_chart->valueMapping();
    const QPointF inViewport = m_canvas->viewportTransform().map(m_chart->mapToScene(QPointF(0, m.yBottom)));
    m.yBottom = inViewport.y() + m_canvas->viewport()->mapTo(this, QPoint(0, 0)).y();
    return m;
}

void TimelineView::addLane(ChartLane* lane) {
    const bool hidden = lane->isHidden() && lane->testAttribute(Qt::WA_WState_ExplicitShowHide);
    lane->setParent(this);
    m_laneList << lane;
    lane->installEventFilter(this);  // shown, hidden or resized: the chart makes room again
    connect(lane, &QObject::destroyed, this, [this, lane] {
        m_laneList.removeAll(lane);
        reserveLaneRoom();
    });
    if (!hidden) lane->show();
    reserveLaneRoom();
}

int TimelineView::laneRoom(const QList<const ChartLane*>& lanes) {
    int room = 0;
    for (const ChartLane* lane : lanes) room += lane->laneHeight();
    return room > 0 ? room + kLaneGap : 0;
}

QList<ChartLane*> TimelineView::shownLanes() const {
    QList<ChartLane*> out;
    for (ChartLane* lane : m_laneList)
        if (!lane->isHidden()) out << lane;
    return out;
}

void TimelineView::reserveLaneRoom() {
    QList<const ChartLane*> shown;
    for (const ChartLane* lane : shownLanes()) shown << lane;
    const int room = laneRoom(shown);
    if (room != m_chart->laneReserve()) {
        m_chart->setLaneReserve(room);  // the plot moves up: plotAreaChanged places the lanes
        m_chart->layout()->activate();
    }
    placeLanes();
}

void TimelineView::placeLanes() {
    if (m_placingLanes) return;
    m_placingLanes = true;
    // The chart's reserved strip in this widget's coordinates: chart -> scene -> viewport -> here.
    const QRectF strip = m_chart->laneStrip();
    const QPoint viewport = m_canvas->viewport()->mapTo(this, QPoint(0, 0));
    const QPointF topLeft = m_canvas->viewportTransform().map(m_chart->mapToScene(strip.topLeft())) + viewport;
    const QPointF bottomRight = m_canvas->viewportTransform().map(m_chart->mapToScene(strip.bottomRight())) + viewport;
    const core::TimeMapping m = timeMapping();
    // Each lane spans this widget's width (so x is the same in the lane as here) and is masked
    // to the chart's frame: it looks, and takes the mouse, only inside the frame.
    const int left = int(std::lround(topLeft.x())), right = int(std::lround(bottomRight.x()));
    int y = int(std::lround(topLeft.y())) + kLaneGap;
    for (ChartLane* lane : shownLanes()) {
        const int h = lane->laneHeight();
        const QRect geometry(0, y, width(), h);
        if (lane->geometry() != geometry) lane->setGeometry(geometry);
        const QRegion mask(left, 0, std::max(0, right - left), h);
        if (lane->mask() != mask) lane->setMask(mask);
        lane->setMapping(m.t0, m.t1, m.x0, m.width);
        lane->raise();
        y += h;
    }
    m_placingLanes = false;
}

bool TimelineView::eventFilter(QObject* watched, QEvent* event) {
    const bool isLane =
        std::any_of(m_laneList.cbegin(), m_laneList.cend(), [&](const ChartLane* l) { return l == watched; });
    if (isLane &&
        (event->type() == QEvent::ShowToParent || event->type() == QEvent::HideToParent ||
         event->type() == QEvent::Resize) &&
        !m_placingLanes)
        reserveLaneRoom();
    return QWidget::eventFilter(watched, event);
}

QString TimelineView::legendToolTip() const { return m_chart->legendToolTip(); }

int TimelineView::legendCollapsedCount() const {
    return static_cast<int>(m_data->extras.size() - std::min(m_data->extras.size(), m_chart->legendShownExtras()));
}

QStringList TimelineView::timeAxisLabels() const { return m_chart->timeAxisLabels(); }

void TimelineView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        m_chart->applyPalette(palette());
    QWidget::changeEvent(event);
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    emit mappingChanged();
}

QImage TimelineView::renderImage(QSize logicalSize, qreal scale, core::TimeMapping* plotMapping, bool withLanes,
                                 const QList<const ChartLane*>& moreLanes) const {
    // A separate chart in its own scene: the on-screen view keeps its size and state.
    scale = std::max<qreal>(scale, 0.1);
    QList<const ChartLane*> lanes;
    if (withLanes)
        for (ChartLane* lane : shownLanes()) lanes << lane;
    lanes << moreLanes;
    QGraphicsScene scene;
    auto* chart = new TimelineChart;
    scene.addItem(chart);
    chart->applyPalette(palette());
    chart->setData(m_data, *m_settings);
    if (m_baselineData) (new BaselineOverlay(chart))->setData(m_baselineData, m_baselineOffset);
    chart->setSelection(m_selection);
    chart->setMarkedSpans(m_marked, m_markedColor);
    chart->setLaneReserve(laneRoom(lanes));  // the lanes inside the frame, as on screen
    chart->resize(logicalSize);
    chart->setViewRange(m_t0, m_t1);
    chart->layoutLegendEntries();  // for this width (on screen it follows a resize, queued)
    // The legend lays out its new entries on a posted layout request: run it now.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    chart->layout()->activate();
    const core::TimeMapping m = chart->timeMapping();  // the chart sits at the scene's origin
    if (plotMapping) *plotMapping = m;
    QImage image(logicalSize * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const QRectF rect(QPointF(0, 0), QSizeF(logicalSize));
    scene.render(&painter, rect, rect);
    // The lanes as the window shows them: in the chart's reserved strip, the plot's x range.
    const QRectF strip = chart->laneStrip();
    double y = strip.top() + kLaneGap;
    painter.setFont(font());
    for (const ChartLane* lane : lanes) {
        const double h = lane->laneHeight();
        lane->paintWhole(painter, QRectF(strip.left(), y, strip.width(), h), m.x0, m.width, m.t0, m.t1, palette());
        y += h;
    }
    painter.end();
    return image;
}

}  // namespace loadline::widgets
