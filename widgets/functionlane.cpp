#include "widgets/functionlane.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <climits>
#include <cmath>

#include "core/correlate/moment.h"

namespace loadline::widgets {

namespace {
constexpr int kRowHeight = 14;
constexpr int kMaxRows = 8;  // deeper nesting is drawn on the last row
constexpr int kPad = 2;
}  // namespace

FunctionLane::FunctionLane(QWidget* parent) : ChartLane(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Function calls"));
}

void FunctionLane::setCorrelation(std::shared_ptr<const core::Correlation> correlation) {
    m_correlation = std::move(correlation);
    m_lanes.clear();
    m_rows = 0;
    m_byStart.clear();
    if (m_correlation) {
        m_lanes = core::assignLanes(m_correlation->calls, &m_rows);
        const auto& calls = m_correlation->calls;
        m_byStart.resize(calls.size());
        for (std::size_t i = 0; i < calls.size(); ++i) m_byStart[i] = i;
        std::stable_sort(m_byStart.begin(), m_byStart.end(),
                         [&](std::size_t a, std::size_t b) { return calls[a].start < calls[b].start; });
    }
    m_highlighted = -1;
    m_selectedCall = -1;
    setFixedHeight(laneHeight());
    updateGeometry();
    update();
}

void FunctionLane::setHighlightedFunction(int functionIndex) {
    if (m_highlighted == functionIndex) return;
    m_highlighted = functionIndex;
    update();
}

void FunctionLane::setSelectedCall(int callIndex) {
    if (m_selectedCall == callIndex) return;
    m_selectedCall = callIndex;
    update();
}

int FunctionLane::heightForRows(int rows) {
    return std::max(kMinContentHeight, std::max(1, std::min(rows, kMaxRows)) * kRowHeight + 2 * kPad);
}

QSize FunctionLane::sizeHint() const { return {400, laneHeight()}; }
QSize FunctionLane::minimumSizeHint() const { return {50, laneHeight()}; }

std::vector<std::pair<QString, QColor>> FunctionLane::legendEntries() const {
    std::vector<std::pair<QString, QColor>> out;
    if (!m_correlation) return out;
    for (std::size_t f = 0; f < m_correlation->functions.size(); ++f)
        out.emplace_back(QString::fromStdString(m_correlation->functions[f].name), functionColor(static_cast<int>(f)));
    return out;
}

void FunctionLane::paintContent(QPainter& painter, const QRectF& rect, double t0, double t1) const {
    Layout l = layout();
    l.t0 = t0;
    l.t1 = t1;
    paintLane(painter, rect.adjusted(0, kPad, 0, -kPad), l);
    paintBaselineCalls(painter, rect.adjusted(0, kPad, 0, -kPad), t0, t1);
}

QColor FunctionLane::functionColor(int functionIndex) {
    // Golden-angle hues: neighbours in the table get clearly different colours.
    const int hue = int(std::lround(std::fmod(functionIndex * 137.508, 360.0)) + 360) % 360;  // -1 (none): a hue too
    return QColor::fromHsv(hue, 150, 215);
}

double FunctionLane::xForTime(double t) const {
    const QRectF r = plotRect();
    return r.left() + (t - m_t0) * r.width() / (m_t1 - m_t0);
}

QRectF FunctionLane::plotRect() const {
    const double x0 = plotX0();
    const double w = plotWidth();
    return QRectF(x0, kPad, w, contentHeight() - 2 * kPad);  // the legend row below is not the plot
}

FunctionLane::Layout FunctionLane::layout() const {
    Layout l;
    l.correlation = m_correlation.get();
    l.lanes = &m_lanes;
    l.byStart = &m_byStart;
    l.rows = m_rows;
    l.t0 = m_t0;
    l.t1 = m_t1;
    l.highlighted = m_highlighted;
    l.selectedCall = m_selectedCall;
    return l;
}

void FunctionLane::paintLane(QPainter& p, const QRectF& rect, const Layout& l) {
    if (!l.correlation || !l.lanes || !(l.t1 > l.t0) || rect.width() <= 0) return;
    const auto& calls = l.correlation->calls;
    const double scale = rect.width() / (l.t1 - l.t0);
    const int rows = std::max(1, std::min(l.rows, kMaxRows));
    const double rowH = rect.height() / rows;
    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing, false);
    QRectF selected;
    // In start order (when known), a call under one pixel wide that lands on the pixel its row
    // last painted in the same colour adds nothing: skipped, so a zoomed-out view of a million
    // calls paints about one rectangle per pixel column and row.
    std::vector<int> lastPixel(static_cast<std::size_t>(rows), INT_MIN),
        lastFunction(static_cast<std::size_t>(rows), -1);
    const bool sorted = l.byStart && l.byStart->size() == calls.size();
    for (std::size_t k = 0; k < calls.size(); ++k) {
        const std::size_t i = sorted ? (*l.byStart)[k] : k;
        const auto& c = calls[i];
        if (sorted && c.start > l.t1) break;
        if (c.end < l.t0 || c.start > l.t1) continue;
        const int row = std::min((*l.lanes)[i], rows - 1);
        double x0 = rect.left() + (c.start - l.t0) * scale;
        double x1 = rect.left() + (c.end - l.t0) * scale;
        const bool thin = x1 - x0 < 1;
        if (thin) x1 = x0 + 1;  // every call stays visible, however short
        const int pixel = int(std::floor(x0));
        if (sorted && thin && pixel == lastPixel[row] && c.functionIndex == lastFunction[row] &&
            static_cast<int>(i) != l.selectedCall)
            continue;
        lastPixel[row] = int(std::floor(x1 - 1e-9));
        lastFunction[row] = c.functionIndex;
        const QRectF r(x0, rect.top() + row * rowH + 1, x1 - x0, rowH - 2);
        QColor color = functionColor(c.functionIndex);
        if (l.highlighted >= 0 && c.functionIndex != l.highlighted) color.setAlpha(45);
        p.fillRect(r, color);
        if (static_cast<int>(i) == l.selectedCall) selected = r;
    }
    if (!selected.isNull()) {
        p.setPen(QPen(Qt::black, 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(selected.adjusted(1, 1, -1, -1));
    }
    p.restore();
}

void FunctionLane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());  // inside the chart's frame: its background
    const QRectF plot = plotRect();
    m_legendShown = paintWhole(p, rect(), plot.left(), plot.width(), m_t0, m_t1, palette());
    if (!m_correlation || m_correlation->calls.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("no function timings"));
    }
}

int FunctionLane::callAt(QPointF pos) const {
    if (!m_correlation || !(m_t1 > m_t0)) return -1;
    const QRectF r = plotRect();
    if (!r.contains(pos)) return -1;
    const int rows = std::max(1, std::min(m_rows, kMaxRows));
    const int row = std::clamp(int((pos.y() - r.top()) / (r.height() / rows)), 0, rows - 1);
    const double spp = (m_t1 - m_t0) / r.width();
    const double t = m_t0 + (pos.x() - r.left()) * spp;
    int best = -1;
    double bestWall = 0;
    const auto& calls = m_correlation->calls;
    for (std::size_t i = 0; i < calls.size(); ++i) {
        if (std::min(m_lanes[i], rows - 1) != row) continue;
        // At least one pixel wide, as drawn.
        const double end = std::max(calls[i].end, calls[i].start + spp);
        if (t < calls[i].start || t > end) continue;
        if (best < 0 || calls[i].wallTime < bestWall) {  // innermost (shortest) on a shared last row
            best = static_cast<int>(i);
            bestWall = calls[i].wallTime;
        }
    }
    return best;
}

QString FunctionLane::describeCall(int callIndex) const {
    if (!m_correlation || callIndex < 0 || callIndex >= static_cast<int>(m_correlation->calls.size())) return {};
    const auto& c = m_correlation->calls[static_cast<std::size_t>(callIndex)];
    auto pct = [](double v) {
        return std::isfinite(v) ? QString::number(v, 'f', 1) + QStringLiteral(" %") : tr("unknown");
    };
    // The direct contention measures, when the recording has them (contentionverdict.h).
    QString measured;
    const auto& m = c.contention;
    if (std::isfinite(m.pressureCpuPercent)) measured += tr("\nCPU pressure %1").arg(pct(m.pressureCpuPercent));
    if (std::isfinite(m.runQueueWaitPercent)) measured += tr("\nrun-queue wait %1").arg(pct(m.runQueueWaitPercent));
    if (m.throttled) measured += tr("\nits cgroup was throttled (%1 of periods)").arg(pct(m.cgroupThrottledPercent));
    if (m.measure != core::LoadMeasure::None && m.measure != core::LoadMeasure::SystemCpuPercent) {
        const auto name = core::loadMeasureName(m.measure);
        measured += tr("\nverdict decided by %1").arg(QString::fromUtf8(name.data(), qsizetype(name.size())));
    }
    return tr("%1\nwall %2 s, CPU %3 s (CPU/wall %4)\nsystem CPU %5, memory %6 during the call (%7)\nverdict: %8")
               .arg(QString::fromStdString(m_correlation->functions[static_cast<std::size_t>(c.functionIndex)].name))
               .arg(c.wallTime, 0, 'f', 4)
               .arg(c.cpuTime, 0, 'f', 4)
               .arg(std::isfinite(c.cpuWallRatio()) ? QString::number(c.cpuWallRatio(), 'f', 2) : tr("–"))
               .arg(pct(c.systemCpuPercent))
               .arg(pct(c.systemMemoryPercent))
               .arg(c.samplesInside == 1 ? tr("1 sample") : tr("%1 samples").arg(c.samplesInside))
               .arg(QString::fromUtf8(core::verdictName(c.verdict).data(),
                                      qsizetype(core::verdictName(c.verdict).size()))) +
           measured;
}

bool FunctionLane::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int call = callAt(help->pos());
        if (call >= 0) {
            QToolTip::showText(help->globalPos(), describeCall(call), this);
        } else if (help->pos().y() >= contentHeight() || help->pos().x() < plotRect().left()) {
            // The legend row (or the label): every function with its colour, also those the row cut.
            QString text = tr("Function calls, one colour per function:");
            for (const auto& [name, colour] : legendEntries())
                text += QStringLiteral("<br><span style='color:%1'>&#9632;</span> %2")
                            .arg(colour.name(), name.toHtmlEscaped());
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

void FunctionLane::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
    const int call = callAt(e->position());
    if (call < 0) return;
    setSelectedCall(call);
    emit callClicked(call);
}

}  // namespace loadline::widgets
