#include "widgets/timelinechart.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPalette>
#include <QValueAxis>
#include <cmath>

#include "widgets/timeaxis.h"

namespace loadline::widgets {

namespace {
constexpr int kBottomMargin = 4;  // under the time axis (and under the lanes)
// Qt Charts stacks its items as children of the chart: plot background 0, shades 1, grid 2,
// axes 3, series 4, legend 5. The area goes under the grid so the grid stays readable over it.
constexpr qreal kAreaZ = 1.5;
constexpr qreal kSelectionZ = 4.2;  // over the area and grid, under the lines (they keep their colour)
constexpr qreal kLinesZ = 4.5;
constexpr qreal kOverlayZ = 6;
constexpr double kProcessLineWidth = 2.0;
constexpr double kExtraLineWidth = 1.5;
const QColor kUnmeasuredColor(0x90, 0x90, 0x90);  // a process whose CPU was never measured
// An opaque mix of two colours (a translucent fill costs the raster engine far more).
QColor mixColor(const QColor& over, const QColor& under, double a) {
    return QColor::fromRgbF(float(under.redF() + (over.redF() - under.redF()) * a),
                            float(under.greenF() + (over.greenF() - under.greenF()) * a),
                            float(under.blueF() + (over.blueF() - under.blueF()) * a));
}
}  // namespace

PlotLayer::PlotLayer(TimelineChart* chart, Kind kind) : QGraphicsItem(chart), m_chart(chart), m_kind(kind) {
    setZValue(kind == Area ? kAreaZ : kind == Selection ? kSelectionZ : kind == Lines ? kLinesZ : kOverlayZ);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

void PlotLayer::setRect(const QRectF& rect) {
    prepareGeometryChange();
    m_rect = rect;
}

void PlotLayer::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    m_chart->paintLayer(m_kind, painter);
}

TimelineChart::TimelineChart() {
    setBackgroundRoundness(0);
    setMargins(QMargins(6, 6, 10, kBottomMargin));
    setAnimationOptions(QChart::NoAnimation);
    legend()->setAlignment(Qt::AlignTop);

    m_axisX = new QCategoryAxis(this);
    m_axisX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_axisY = new QValueAxis(this);
    m_axisY->setLabelFormat(QStringLiteral("%.0f"));
    m_axisY->setTickType(QValueAxis::TicksDynamic);
    m_axisY->setTickAnchor(0);
    m_axisY->setTickInterval(20);
    m_axisY->setRange(0, 100);
    addAxis(m_axisX, Qt::AlignBottom);
    addAxis(m_axisY, Qt::AlignLeft);
    m_axisYBytes = new QCategoryAxis(this);  // not on the chart until a memory-in-bytes view
    m_axisYBytes->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);

    // Empty series: they only give the legend its entries; the data is painted by the layers.
    m_legendAreaUpper = new QLineSeries(this);
    m_legendArea = new QAreaSeries(m_legendAreaUpper);
    m_legendArea->setBrush(kSystemColor);
    m_legendArea->setPen(QPen(kSystemColor.darker(130), 1));
    addSeries(m_legendArea);
    m_legendProcess = new QLineSeries(this);
    m_legendProcess->setPen(QPen(kProcessColor, kProcessLineWidth));
    addSeries(m_legendProcess);
    for (QAbstractSeries* s : series()) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }

    m_areaLayer = new PlotLayer(this, PlotLayer::Area);
    m_selectionLayer = new PlotLayer(this, PlotLayer::Selection);
    m_linesLayer = new PlotLayer(this, PlotLayer::Lines);
    m_overlayLayer = new PlotLayer(this, PlotLayer::Overlay);
    // Queued: adding or removing legend series inside the chart's own geometry change leaves
    // the legend unpainted.
    connect(
        this, &QGraphicsWidget::geometryChanged, this, [this] { layoutLegendEntries(); }, Qt::QueuedConnection);
    connect(this, &QChart::plotAreaChanged, this, [this](const QRectF& r) {
        layoutLayers(r);
        updateTimeAxis();
    });
    applyPalette(QPalette());
}

TimelineChart::~TimelineChart() = default;

void TimelineChart::setLaneReserve(int pixels) {
    pixels = std::max(0, pixels);
    if (pixels == m_laneReserve) return;
    m_laneReserve = pixels;
    setMargins(QMargins(6, 6, 10, kBottomMargin + pixels));
}

QRectF TimelineChart::laneStrip() const {
    // Qt Charts draws the background over the geometry less the layout's contents margins, and
    // lays out title, legend, axes and plot inside that less margins(): the reserve is the
    // bottom margin's extra height, under the time axis's labels.
    qreal l = 0, t = 0, r = 0, b = 0;
    if (layout()) layout()->getContentsMargins(&l, &t, &r, &b);
    const QRectF background = QRectF(QPointF(0, 0), size()).adjusted(l, t, -r, -b);
    return QRectF(background.left(), background.bottom() - kBottomMargin - m_laneReserve, background.width(),
                  m_laneReserve);
}

void TimelineChart::layoutLayers(const QRectF& r) {
    for (PlotLayer* l : {m_areaLayer, m_selectionLayer, m_linesLayer, m_overlayLayer}) l->setRect(r);
}

void TimelineChart::setData(std::shared_ptr<const ChartData> data, const ChartSettings& settings) {
    m_data = std::move(data);
    m_settings = settings;
    setTitle(settings.title);
    dataChanged();
    updateLegend();
    updateTimeAxis();
}

void TimelineChart::useValueAxis(QAbstractAxis* axis) {
    if (axes(Qt::Vertical).contains(axis)) return;
    for (QAbstractAxis* old : axes(Qt::Vertical)) {
        for (QAbstractSeries* s : series()) s->detachAxis(old);
        removeAxis(old);
        old->setParent(this);  // the chart released it; it stays ours for the next switch
    }
    addAxis(axis, Qt::AlignLeft);
    for (QAbstractSeries* s : series()) s->attachAxis(axis);
}

void TimelineChart::dataChanged() {
    if (!m_data) return;
    if (!m_data->valueTicks.empty()) {
        // Memory in bytes: labelled ticks (MiB/GiB) on a category axis.
        useValueAxis(m_axisYBytes);
        m_axisYBytes->setTitleText(m_data->valueAxisTitle);
        QStringList labels;
        for (const auto& [v, label] : m_data->valueTicks)
            if (v > 0) labels << label;
        if (m_axisYBytes->categoriesLabels() != labels || m_axisYBytes->max() != m_data->valueMax) {
            for (const QString& l : m_axisYBytes->categoriesLabels()) m_axisYBytes->remove(l);
            m_axisYBytes->setStartValue(0);
            for (const auto& [v, label] : m_data->valueTicks)
                if (v > 0) m_axisYBytes->append(label, v);
            m_axisYBytes->setRange(0, m_data->valueMax);
        }
    } else {
        useValueAxis(m_axisY);
    }
    m_axisY->setTitleText(m_data->valueAxisTitle);
    const double top = m_data->valueMax;
    if (m_data->valueTicks.empty() && m_axisY->max() != top) {
        m_axisY->setTickInterval(top <= 100 ? 20 : top <= 300 ? 50 : top <= 1000 ? 100 : std::ceil(top / 1000) * 100);
        m_axisY->setRange(0, top);
    }
    m_systemCache.version = m_processCache.version = ~0u;
    for (auto& c : m_extraCaches) c.version = ~0u;
    for (PlotLayer* l : {m_areaLayer, m_selectionLayer, m_linesLayer, m_overlayLayer}) l->update();
}

void TimelineChart::updateLegend() {
    if (!m_data) return;
    m_legendArea->setName(m_data->systemName);
    const bool hasProcess = m_data->process.pid >= 0;
    m_legendProcess->setName(hasProcess ? m_data->process.name : QString());
    // A process whose CPU was never measured: a grey dashed marker, as nothing is drawn for it.
    const bool processMeasured =
        m_data->process.data.size() > 0 || m_data->process.cpuMeasured || m_settings.metric != Metric::Cpu;
    m_legendProcess->setPen(processMeasured ? QPen(kProcessColor, kProcessLineWidth)
                                            : QPen(kUnmeasuredColor, kProcessLineWidth, Qt::DashLine));
    for (QLegendMarker* mk : legend()->markers(m_legendProcess)) mk->setVisible(hasProcess);
    m_extraCaches.resize(m_data->extras.size());
    if (legend()->alignment() != Qt::AlignTop) legend()->setAlignment(Qt::AlignTop);
    m_legendShownExtras = ~std::size_t(0);  // lay out again
    layoutLegendEntries();
}

void TimelineChart::layoutLegendEntries() {
    if (!m_data) return;
    // One row above the plot, every entry whole: as many processes as fit at the chart's width,
    // the rest collapsed into "+N more" (all named in the legend's tooltip). The plot keeps the
    // chart's whole width (a column of entries at the right squeezed it to half). Entries are
    // series added and removed as the width changes: a hidden legend marker is still painted at
    // the legend's corner by Qt 6.4.
    const QFontMetricsF fm(legend()->font());
    const double room = size().width() - margins().left() - margins().right() - 24;
    auto entryWidth = [&](const QString& name) { return fm.horizontalAdvance(name) + fm.height() + 28; };
    const bool hasProcess = m_data->process.pid >= 0;
    double used = entryWidth(m_data->systemName) + (hasProcess ? entryWidth(m_data->process.name) : 0);
    const std::size_t n = m_data->extras.size();
    std::size_t fit = 0;
    for (; fit < n; ++fit) {
        const double w = entryWidth(m_data->extras[fit].name);
        const std::size_t left = n - fit - 1;
        const double more = left > 0 ? entryWidth(tr("+%1 more").arg(left)) : 0;
        if (used + w + more > room) break;
        used += w;
    }
    const bool changed = fit != m_legendShownExtras;
    m_legendShownExtras = fit;
    auto addLegendSeries = [&] {
        auto* s = new QLineSeries(this);
        addSeries(s);
        s->attachAxis(m_axisX);
        s->attachAxis(axes(Qt::Vertical).value(0, m_axisY));
        return s;
    };
    if (changed) {
        // The "+N more" entry goes last: removed first, added after the process entries.
        if (m_legendMore) {
            removeSeries(m_legendMore);
            delete m_legendMore;
            m_legendMore = nullptr;
        }
        while (m_legendExtras.size() > fit) {
            QLineSeries* s = m_legendExtras.back();
            m_legendExtras.pop_back();
            removeSeries(s);
            delete s;
        }
        while (m_legendExtras.size() < fit) m_legendExtras.push_back(addLegendSeries());
        if (fit < n) {
            m_legendMore = addLegendSeries();
            m_legendMore->setPen(QPen(Qt::transparent, 0));
        }
    }
    for (std::size_t i = 0; i < fit; ++i) {
        if (m_legendExtras[i]->name() != m_data->extras[i].name) m_legendExtras[i]->setName(m_data->extras[i].name);
        const bool measured = m_data->extras[i].cpuMeasured || m_settings.metric != Metric::Cpu;
        m_legendExtras[i]->setPen(measured ? QPen(m_data->extras[i].color, kExtraLineWidth * 1.5)
                                           : QPen(kUnmeasuredColor, kExtraLineWidth * 1.5, Qt::DashLine));
    }
    if (m_legendMore) {
        const QString more = tr("+%1 more").arg(n - fit);
        if (m_legendMore->name() != more) m_legendMore->setName(more);
    }
    legend()->setLabelColor(m_textColor);  // new markers take the label colour too
}

QString TimelineChart::legendToolTip() const {
    if (!m_data) return {};
    QStringList names{m_data->systemName};
    if (m_data->process.pid >= 0) names << m_data->process.name;
    for (const auto& e : m_data->extras) names << e.name;
    return names.join(QLatin1Char('\n'));
}

void TimelineChart::setViewRange(double t0, double t1) {
    m_t0 = t0;
    m_t1 = t1;
    updateTimeAxis();
    for (PlotLayer* l : {m_areaLayer, m_selectionLayer, m_linesLayer, m_overlayLayer}) l->update();
}

void TimelineChart::updateTimeAxis() {
    const double origin = m_data ? m_data->origin : 0;
    const double width = std::max<qreal>(plotArea().width(), 100);
    // Ticks as close as their widest label plus half of it allows: Qt Charts elides a label
    // wider than the room between ticks ("22:13:…"). The spacing is what counts, not the count:
    // a range of n steps has n + 1 ticks.
    const QFontMetricsF fm(m_axisX->labelsFont());
    const double span = std::max(m_t1 - m_t0, 1e-9);
    int maxTicks = std::max(2, static_cast<int>(width / 40));
    QVector<TimeTick> ticks;
    double labelWidth = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
        ticks = timeTicks(m_t0, m_t1, origin, m_settings.axisMode, maxTicks);
        labelWidth = 0;
        for (const TimeTick& t : ticks) labelWidth = std::max(labelWidth, fm.horizontalAdvance(t.label));
        const double step = ticks.size() >= 2 ? ticks[1].t - ticks[0].t : span;
        if (ticks.size() <= 2 || step * width / span >= labelWidth * 1.5) break;
        // Steps of at least span / fit are far enough apart for labels this wide (a coarser step
        // only shortens them); always fewer than last time, so this ends.
        const int fit = std::max(1, static_cast<int>(width / (labelWidth * 1.5)));
        maxTicks = std::max(1, std::min(maxTicks - 1, fit));
    }
    const QString title = m_settings.axisMode == TimeAxisMode::Relative ? tr("Time since start (s)")
                          : m_t1 - m_t0 > 86400                         ? tr("Local date and time")
                                                                        : tr("Time (HH:MM:SS)");
    if (m_axisX->titleText() != title) m_axisX->setTitleText(title);
    for (const QString& label : m_axisX->categoriesLabels()) m_axisX->remove(label);
    m_axisX->setStartValue(m_t0 - origin);
    // A label centred on the right edge would be cut in half: leave such ticks out. Without
    // data the range is a placeholder: no times to name.
    const double lastAllowed =
        !m_data || !m_data->hasData() ? -INFINITY : m_t1 - (m_t1 - m_t0) * (labelWidth * 0.55) / width;
    for (const TimeTick& tick : ticks)
        if (tick.t - origin > m_axisX->startValue() && tick.t <= lastAllowed)
            m_axisX->append(tick.label, tick.t - origin);
    // Qt Charts lays out a category axis without categories wrongly (its title jumps to the
    // chart's top left corner): keep one blank one.
    if (m_axisX->count() == 0) m_axisX->append(QStringLiteral(" "), m_t1 - origin);
    m_axisX->setRange(m_t0 - origin, m_t1 - origin);
}

QStringList TimelineChart::timeAxisLabels() const { return m_axisX->categoriesLabels(); }

void TimelineChart::setSelection(std::optional<std::pair<double, double>> range) {
    m_selection = range;
    m_selectionLayer->update();
}

void TimelineChart::setMarkedSpans(const QList<std::pair<double, double>>& spans, const QColor& color) {
    m_marked = spans;
    m_markedColor = color;
    m_selectionLayer->update();
}

void TimelineChart::setDragBand(std::optional<std::pair<double, double>> range, bool zoom) {
    m_dragBand = range;
    m_dragZoom = zoom;
    m_selectionLayer->update();
}

void TimelineChart::setHover(std::optional<QPointF> scenePos) {
    if (!scenePos && !m_hover) return;
    m_hover = scenePos;
    m_overlayLayer->update();
}

void TimelineChart::applyPalette(const QPalette& palette) {
    m_textColor = palette.color(QPalette::Text);
    m_baseColor = palette.color(QPalette::Base);
    m_highlightColor = palette.color(QPalette::Highlight);
    setBackgroundBrush(m_baseColor);
    setBackgroundPen(Qt::NoPen);
    setTitleBrush(m_textColor);
    // The grid is the text colour at 18 % over the background, mixed here into an opaque colour:
    // Qt 6.4's raster engine blends a translucent 1-px vertical line as one span per scanline,
    // split over its GUI thread pool, which cost about 7 ms of a 15 ms frame on a 2-vCPU machine.
    // Opaque, the same lines are plain fills (frames 14.4 -> 7.2 ms, bench/widgets).
    const QColor grid = mixColor(m_textColor, m_baseColor, 0.18);
    QColor line = m_textColor;
    line.setAlphaF(0.55);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(m_axisX), static_cast<QAbstractAxis*>(m_axisY),
                                static_cast<QAbstractAxis*>(m_axisYBytes)}) {
        axis->setLabelsBrush(m_textColor);
        axis->setTitleBrush(m_textColor);
        axis->setGridLinePen(QPen(grid, 1));
        axis->setLinePen(QPen(line, 1));
    }
    legend()->setLabelColor(m_textColor);
}

core::TimeMapping TimelineChart::timeMapping() const {
    const QRectF r = plotArea();
    return {m_t0, m_t1, r.left(), std::max<qreal>(r.width(), 1)};
}

core::ValueMapping TimelineChart::valueMapping() const {
    const QRectF r = plotArea();
    return {0, m_data ? m_data->valueMax : 100, r.bottom(), std::max<qreal>(r.height(), 1)};
}

const std::vector<core::ColumnEnvelope>& TimelineChart::envelope(const core::PlotSeries& s,
                                                                 const core::BlockSummary& summary,
                                                                 const core::BlockSeries& blocks, EnvelopeCache& cache,
                                                                 int columns) {
    const unsigned version = m_data ? m_data->version : 0;
    if (cache.version != version || cache.t0 != m_t0 || cache.t1 != m_t1 || cache.columns != columns) {
        core::TimeMapping m{m_t0, m_t1, 0, static_cast<double>(columns)};
        if (blocks.empty() || !m_data || m_data->ticksCover(m_t0, m_t1)) {
            core::decimateToColumns(s.t, s.v, m, columns, m_data ? m_data->maxGap : INFINITY, cache.env, &summary);
        } else {
            // A long store: the consolidated blocks, and the ticks in the columns they cover
            // whole (finer: the blocks are at most a column wide, the ticks are the samples).
            core::decimateBlocks(blocks, m, columns, cache.env);
            if (!s.empty() && m_data->rawTo > m_t0 && m_data->rawFrom < m_t1) {
                core::decimateToColumns(s.t, s.v, m, columns, m_data->maxGap, m_rawEnv, &summary);
                const double perColumn = (m_t1 - m_t0) / columns;
                for (int c = 0; c < columns; ++c) {
                    const double a = m_t0 + c * perColumn, b = a + perColumn;
                    if (a >= m_data->rawFrom && b <= m_data->rawTo)
                        cache.env[static_cast<std::size_t>(c)] = m_rawEnv[static_cast<std::size_t>(c)];
                }
            }
        }
        cache.version = version;
        cache.t0 = m_t0;
        cache.t1 = m_t1;
        cache.columns = columns;
    }
    return cache.env;
}

void TimelineChart::paintLayer(PlotLayer::Kind kind, QPainter* painter) {
    if (!m_data || !(m_t1 > m_t0) || plotArea().width() < 2) return;
    painter->save();
    painter->setClipRect(plotArea());
    switch (kind) {
    case PlotLayer::Area: paintAreaLayer(painter); break;
    case PlotLayer::Selection: paintSelectionLayer(painter); break;
    case PlotLayer::Lines: paintLinesLayer(painter); break;
    case PlotLayer::Overlay: paintOverlayLayer(painter); break;
    }
    painter->restore();
}

namespace {
// Device pixels per logical pixel.
qreal devicePixels(QPainter* painter) {
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    return dpr * std::abs(painter->worldTransform().m11());
}

// Device pixel columns across the plot: one envelope each (2x exports get twice as many).
int deviceColumns(QPainter* painter, const QRectF& plot) {
    const qreal scale = devicePixels(painter);
    return std::max(1, static_cast<int>(std::ceil(plot.width() * scale)));
}

// The row loops below touch every pixel of the plot at 1,000,000 noisy samples: vectorised
// (GCC does so at -O2 only with this hint, and only branch-free loops) they cost a fraction of
// a millisecond.
#if defined(__GNUC__) && !defined(__clang__)
#define LOADLINE_VECTORIZE __attribute__((optimize("tree-vectorize", "vect-cost-model=dynamic")))
#else
#define LOADLINE_VECTORIZE
#endif

// Image rows [0, tallest) of a histogram anchored at the image's row `tallest`: per column the
// area up to meanRows[c] device pixels, the band up to bandRows[c], `empty` above.
LOADLINE_VECTORIZE void fillAreaRows(QImage& image, const int* meanRows, const int* bandRows, int columns, int tallest,
                                     QRgb area, QRgb band, QRgb empty) {
    uchar* const bits = image.bits();  // detaches once, not per row
    const qsizetype stride = image.bytesPerLine();
    const int* __restrict mean = meanRows;
    const int* __restrict top = bandRows;
    for (int r = 0; r < tallest; ++r) {
        const int h = tallest - r;  // this row's height above the plot's bottom, in device pixels
        QRgb* __restrict line = reinterpret_cast<QRgb*>(bits + r * stride);
        for (int c = 0; c < columns; ++c) {
            // Branch-free (masks, not ?:) so that the loop vectorises.
            const QRgb inArea = 0u - QRgb(h <= mean[c]), inBand = 0u - QRgb(h <= top[c]);
            line[c] = (area & inArea) | (~inArea & ((band & inBand) | (empty & ~inBand)));
        }
    }
}

// Image rows [firstRow, lastRow) of a dense line: per column spans[4c .. 4c+3] = the band's rows
// [b0, b1) and the line's [l0, l1); the line over the band, transparent elsewhere.
LOADLINE_VECTORIZE void fillLineRows(QImage& image, const int* spans, int columns, int firstRow, int lastRow, QRgb line,
                                     QRgb band) {
    uchar* const bits = image.bits();
    const qsizetype stride = image.bytesPerLine();
    for (int r = firstRow; r < lastRow; ++r) {
        QRgb* __restrict out = reinterpret_cast<QRgb*>(bits + r * stride);
        for (int c = 0; c < columns; ++c) {
            const int* __restrict s = spans + 4 * c;
            const QRgb inLine = 0u - QRgb((r >= s[2]) & (r < s[3]));
            const QRgb inBand = 0u - QRgb((r >= s[0]) & (r < s[1]));
            out[c] = (line & inLine) | (~inLine & band & inBand);
        }
    }
}
#undef LOADLINE_VECTORIZE
}  // namespace

QColor TimelineChart::envelopeBandColor() const { return mixColor(kSystemColor, m_baseColor, 0.45); }

void TimelineChart::paintAreaLayer(QPainter* painter) {
    const QRectF plot = plotArea();
    const int columns = deviceColumns(painter, plot);
    const auto& env = envelope(m_data->system, m_data->systemSummary, m_data->systemBlocks, m_systemCache, columns);
    const core::ValueMapping vm = valueMapping();
    const qreal scale = columns / plot.width();  // device pixels per logical pixel
    // The filled area is a histogram: per device column a bar from 0 up to the column's
    // time-weighted mean (the level a person reads off it; core/timeline/decimate.h), with the
    // column's [mean, max] as a lighter band above it so spikes stay visible. Both are written
    // into one image (one pixel per device pixel, row by row through raw scanline pointers) that
    // is drawn once: as rectangles, noisy data costs the raster engine one span per pixel row
    // per column edge (two histograms of 1,600 noisy columns took ~8 ms a frame on a 2-vCPU
    // machine; the image ~1 ms).
    m_heights.assign(static_cast<std::size_t>(columns) + 1, 0.0);  // in device pixels, 0 = nothing
    m_bandHeights.assign(static_cast<std::size_t>(columns) + 1, 0.0);
    for (int c = 0; c < columns; ++c) {
        const auto& e = env[static_cast<std::size_t>(c)];
        if (e.empty()) continue;
        const double top = std::max(plot.top(), vm.toY(std::max(0.0f, e.mean)));
        m_heights[static_cast<std::size_t>(c)] = std::max(0.0, std::round((plot.bottom() - top) * scale));
        // The band reaches the column's max; the area at the mean is drawn over it.
        const double hiTop = std::max(plot.top(), vm.toY(std::max(0.0f, e.hi)));
        m_bandHeights[static_cast<std::size_t>(c)] = std::max(0.0, std::round((plot.bottom() - hiTop) * scale));
    }
    // A sample with no neighbour within the gap limit (a one-sample recording, a lone sample
    // between gaps) is a one-pixel sliver that a grid line hides: widen it to a small bar.
    const int half = std::max(2, static_cast<int>(std::lround(2 * scale)));
    for (int c = 0; c < columns; ++c) {
        const double h = m_heights[static_cast<std::size_t>(c)];
        const bool alone = h > 0 && (c == 0 || m_heights[static_cast<std::size_t>(c - 1)] == 0) &&
                           m_heights[static_cast<std::size_t>(c + 1)] == 0;
        if (!alone) continue;
        for (int d = std::max(0, c - half); d <= std::min(columns - 1, c + half); ++d)
            m_heights[static_cast<std::size_t>(d)] = std::max(m_heights[static_cast<std::size_t>(d)], h);
        c += half;  // the widened columns are not lone samples themselves
    }
    // Integer heights, and the tallest: the image covers only the rows anything reaches.
    m_meanRows.assign(static_cast<std::size_t>(columns), 0);
    m_bandRows.assign(static_cast<std::size_t>(columns), 0);
    int tallest = 0;
    for (int c = 0; c < columns; ++c) {
        const auto i = static_cast<std::size_t>(c);
        m_meanRows[i] = static_cast<int>(m_heights[i]);
        m_bandRows[i] = static_cast<int>(m_bandHeights[i]);
        tallest = std::max({tallest, m_meanRows[i], m_bandRows[i]});
    }
    if (tallest == 0) return;
    // Over an opaque background (the chart's, nothing else lies under this layer) the empty
    // pixels take its colour and the image is opaque: drawn as a copy, not blended.
    const bool opaque = m_baseColor.alpha() == 255;
    const QImage::Format format = opaque ? QImage::Format_RGB32 : QImage::Format_ARGB32_Premultiplied;
    if (m_areaImage.width() != columns || m_areaImage.height() < tallest || m_areaImage.format() != format)
        m_areaImage =
            QImage(columns, std::max(tallest, static_cast<int>(std::ceil(plot.height() * scale)) + 1), format);
    fillAreaRows(m_areaImage, m_meanRows.data(), m_bandRows.data(), columns, tallest, qPremultiply(kSystemColor.rgba()),
                 qPremultiply(envelopeBandColor().rgba()), opaque ? m_baseColor.rgba() : 0u);
    painter->setRenderHint(QPainter::Antialiasing, false);
    // Placed one image pixel per device pixel (not stretched to the plot's fractional width, at
    // most a pixel off at its right end): the raster engine copies it instead of resampling.
    const qreal px = columns > 0 ? devicePixels(painter) : scale;
    painter->drawImage(QRectF(plot.left(), plot.bottom() - tallest / px, columns / px, tallest / px), m_areaImage,
                       QRectF(0, 0, columns, tallest));
}

void TimelineChart::paintLinesLayer(QPainter* painter) {
    for (std::size_t i = 0; i < m_data->extras.size() && i < m_extraCaches.size(); ++i)
        paintSeriesLine(painter, m_data->extras[i].data, m_data->extras[i].summary, m_data->extras[i].blocks,
                        m_extraCaches[i], m_data->extras[i].color, kExtraLineWidth);
    if (m_data->process.pid >= 0)
        paintSeriesLine(painter, m_data->process.data, m_data->process.summary, m_data->process.blocks, m_processCache,
                        kProcessColor, kProcessLineWidth);
}

void TimelineChart::paintSeriesLine(QPainter* painter, const core::PlotSeries& s, const core::BlockSummary& summary,
                                    const core::BlockSeries& blocks, EnvelopeCache& cache, const QColor& color,
                                    double width) {
    // With a long store's blocks, the ticks alone are drawn only when they cover the view.
    const bool ticksOnly = blocks.empty() || m_data->ticksCover(m_t0, m_t1);
    if (ticksOnly && s.empty()) return;
    const QRectF plot = plotArea();
    const int columns = deviceColumns(painter, plot);
    const core::TimeMapping tm = timeMapping();
    const core::ValueMapping vm = valueMapping();
    const auto [first, last] = core::visibleRows(s.t, m_t0, m_t1);
    if (ticksOnly && last - first <= static_cast<std::size_t>(columns)) {
        // Few samples: the real line, antialiased. Drawn as separate segments: one stroked
        // polyline of noisy data becomes a self-intersecting outline whose fill costs far more.
        painter->setRenderHint(QPainter::Antialiasing, true);
        QPen pen(color, width);
        // Square caps overlap at the joints (no notches); round ones tripled the cost of a
        // frame of noisy data (measured).
        pen.setCapStyle(Qt::SquareCap);
        painter->setPen(pen);
        const double maxGap = m_data->maxGap;
        m_lines.clear();
        m_points.clear();
        bool prevJoined = false;  // whether row i-1 was joined to its predecessor
        for (std::size_t i = first; i < last; ++i) {
            const double v = s.v[i];
            if (std::isnan(v)) {
                prevJoined = false;
                continue;
            }
            const QPointF p(tm.toX(s.t[i]), vm.toY(v));
            const bool joined = i > first && !std::isnan(s.v[i - 1]) && s.t[i] - s.t[i - 1] <= maxGap;
            if (joined) m_lines.emplace_back(QPointF(tm.toX(s.t[i - 1]), vm.toY(s.v[i - 1])), p);
            // A sample joined to neither neighbour is drawn as a dot.
            const bool nextJoined = i + 1 < last && !std::isnan(s.v[i + 1]) && s.t[i + 1] - s.t[i] <= maxGap;
            if (!joined && !nextJoined) m_points.push_back(p);
            prevJoined = joined;
        }
        (void)prevJoined;
        painter->drawLines(m_lines.data(), static_cast<int>(m_lines.size()));
        if (!m_points.empty()) {
            // A dot as wide as the pen would be a speck: a disc a little wider than the line.
            painter->setPen(Qt::NoPen);
            painter->setBrush(color);
            const double r = width * 1.5;
            for (const QPointF& p : m_points) painter->drawEllipse(p, r, r);
        }
        return;
    }
    // Many samples: the line at each device column's time-weighted mean (joined to the previous
    // column's by a vertical run, thickened by the pen width), over a faint band of the
    // column's [min, max] so spikes stay visible (core/timeline/decimate.h).
    const auto& env = envelope(s, summary, blocks, cache, columns);
    const double scale = columns / plot.width();
    const int rows = std::max(1, static_cast<int>(std::ceil(plot.height() * scale)));
    // The band (the colour at 12 % opacity: white noise fills its whole range, and the area must
    // show through) and the line (opaque) go into one image, one pixel per device pixel, written
    // row by row through raw scanline pointers and drawn once. Drawn as rectangles, noisy data
    // costs the raster engine one span per pixel row per column (~20 ms a frame at 1,000,000
    // noisy samples on a 2-vCPU machine), and 1,600 line rectangles another ~2 ms.
    QColor band = color;
    band.setAlphaF(0.12);
    const QRgb bandPixel = qPremultiply(band.rgba());
    const QRgb linePixel = qPremultiply(color.rgba());
    // Per column: the band's rows [b0, b1) and the line's [l0, l1) (empty: equal ends).
    m_bandRows.assign(4 * static_cast<std::size_t>(columns), 0);
    int firstRow = rows, lastRow = 0;
    auto toRow = [&](double y) { return std::clamp(static_cast<int>(std::lround((y - plot.top()) * scale)), 0, rows); };
    float prev = std::numeric_limits<float>::quiet_NaN();
    for (int c = 0; c < columns; ++c) {
        const auto& e = env[static_cast<std::size_t>(c)];
        if (e.empty()) {
            prev = e.mean;
            continue;
        }
        int* const spans = m_bandRows.data() + 4 * c;
        const double yHi = std::max(plot.top(), vm.toY(e.hi)), yLo = std::min(plot.bottom(), vm.toY(e.lo));
        if (yLo - yHi > width) {
            spans[0] = toRow(yHi);
            spans[1] = toRow(yLo);
        }
        // The line at the mean, joined to the previous column's by a vertical run.
        const double a = vm.toY(e.mean);
        const double b = prev == prev ? vm.toY(prev) : a;
        spans[2] = toRow(std::min(a, b) - width / 2);
        spans[3] = std::max(toRow(std::max(a, b) + width / 2), std::min(rows, spans[2] + 1));
        if (spans[3] <= spans[2]) spans[2] = spans[3] = 0;  // off the plot
        for (int k = 0; k < 4; k += 2) {
            if (spans[k + 1] <= spans[k]) continue;
            firstRow = std::min(firstRow, spans[k]);
            lastRow = std::max(lastRow, spans[k + 1]);
        }
        prev = e.mean;
    }
    if (lastRow <= firstRow) return;
    if (m_bandImage.width() != columns || m_bandImage.height() != rows)
        m_bandImage = QImage(columns, rows, QImage::Format_ARGB32_Premultiplied);
    fillLineRows(m_bandImage, m_bandRows.data(), columns, firstRow, lastRow, linePixel, bandPixel);
    painter->setRenderHint(QPainter::Antialiasing, false);
    const qreal px = devicePixels(painter);  // one image pixel per device pixel (see the area)
    painter->drawImage(QRectF(plot.left(), plot.top() + firstRow / px, columns / px, (lastRow - firstRow) / px),
                       m_bandImage, QRectF(0, firstRow, columns, lastRow - firstRow));
}

void TimelineChart::paintSelectionLayer(QPainter* painter) {
    const QRectF plot = plotArea();
    const core::TimeMapping tm = timeMapping();
    painter->setRenderHint(QPainter::Antialiasing, true);
    auto band = [&](const std::pair<double, double>& r) {
        const double a = tm.toX(std::min(r.first, r.second));
        const double b = tm.toX(std::max(r.first, r.second));
        return QRectF(QPointF(std::max(a, plot.left() - 1), plot.top()),
                      QPointF(std::min(b, plot.right() + 1), plot.bottom()));
    };
    if (!m_marked.isEmpty()) {
        // Marked spans: a faint band over the plot, a solid strip along its top (at least 2 px
        // wide, so a short call stays visible).
        QColor faint = m_markedColor;
        faint.setAlphaF(0.12);
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(Qt::NoPen);
        for (const auto& [a, b] : m_marked) {
            if (b < m_t0 || a > m_t1) continue;
            double x0 = std::max(tm.toX(a), plot.left()), x1 = std::min(tm.toX(b), plot.right());
            if (x1 - x0 < 2) x1 = x0 + 2;
            painter->setBrush(faint);
            painter->drawRect(QRectF(QPointF(x0, plot.top()), QPointF(x1, plot.bottom())));
            painter->setBrush(m_markedColor);
            painter->drawRect(QRectF(QPointF(x0, plot.top()), QPointF(x1, plot.top() + 6)));
        }
        painter->setRenderHint(QPainter::Antialiasing, true);
    }
    if (m_selection) {
        QColor fill = m_highlightColor;
        fill.setAlphaF(0.22);
        painter->setPen(QPen(m_highlightColor, 1));
        painter->setBrush(fill);
        painter->drawRect(band(*m_selection));
    }
    if (m_dragBand) {
        QColor fill = m_highlightColor;
        fill.setAlphaF(m_dragZoom ? 0.10 : 0.22);
        QPen pen(m_highlightColor, 1, m_dragZoom ? Qt::DashLine : Qt::SolidLine);
        painter->setPen(pen);
        painter->setBrush(fill);
        painter->drawRect(band(*m_dragBand));
    }
}

void TimelineChart::paintOverlayLayer(QPainter* painter) {
    const QRectF plot = plotArea();
    const core::TimeMapping tm = timeMapping();
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (!m_data || !m_data->hasData()) {
        // Say so, rather than leave an empty plot that looks like a drawing failure.
        painter->setPen(m_textColor);
        painter->setFont(font());
        painter->drawText(plot, Qt::AlignCenter, tr("No samples to show"));
        return;
    }
    if (!m_hover || !plot.contains(*m_hover)) return;
    // Crosshair at the system sample nearest the cursor (values matched by timestamp).
    const double cursorT = tm.toTime(m_hover->x());
    const double reach = std::isfinite(m_data->maxGap) ? m_data->maxGap / 2 : INFINITY;
    double at = cursorT;
    if (auto row = core::nearestRow(m_data->system.t, cursorT, reach)) at = m_data->system.t[*row];
    const double x = tm.toX(at);
    QColor cross = m_textColor;
    cross.setAlphaF(0.6);
    painter->setPen(QPen(cross, 1, Qt::DashLine));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    painter->drawLine(QPointF(plot.left(), m_hover->y()), QPointF(plot.right(), m_hover->y()));
    const core::ValueMapping vm = valueMapping();
    auto marker = [&](const core::PlotSeries& s, const QColor& c) {
        if (auto row = core::nearestRow(s.t, at, reach); row && !std::isnan(s.v[*row])) {
            painter->setPen(QPen(m_baseColor, 1.5));
            painter->setBrush(c);
            painter->drawEllipse(QPointF(tm.toX(s.t[*row]), vm.toY(s.v[*row])), 4, 4);
        }
    };
    marker(m_data->system, kSystemColor.darker(140));
    for (const auto& e : m_data->extras) marker(e.data, e.color);
    if (m_data->process.pid >= 0) marker(m_data->process.data, kProcessColor);

    // Tooltip box beside the cursor, kept inside the plot.
    const QString text = describeTimeText(*m_data, m_settings, cursorT);
    const QFontMetricsF fm(font());
    QRectF box = fm.boundingRect(QRectF(0, 0, 1000, 1000), Qt::AlignLeft | Qt::AlignTop, text);
    box.adjust(-6, -4, 6, 4);
    QPointF pos = *m_hover + QPointF(14, 14);
    if (pos.x() + box.width() > plot.right()) pos.setX(m_hover->x() - 14 - box.width());
    if (pos.y() + box.height() > plot.bottom()) pos.setY(m_hover->y() - 14 - box.height());
    box.moveTopLeft(pos);
    QColor bg = m_baseColor;
    bg.setAlphaF(0.92);
    painter->setPen(QPen(cross, 1));
    painter->setBrush(bg);
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(m_textColor);
    painter->setFont(font());
    painter->drawText(box.adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, text);
}

}  // namespace loadline::widgets
