#include "widgets/footprintlane.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace loadline::widgets {

FootprintLane::FootprintLane(QWidget* parent) : ChartLane(parent) {
    setObjectName(QStringLiteral("footprintLane"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFixedHeight(laneHeight());
}

void FootprintLane::setTimeline(std::shared_ptr<const core::Timeline> timeline) {
    m_timeline = std::move(timeline);
    m_derived = Derived{};
    update();
}

bool FootprintLane::hasFootprint() const { return derived().has; }
const std::vector<std::pair<double, double>>& FootprintLane::gaps() const { return derived().gaps; }
const std::vector<double>& FootprintLane::lateTicks() const { return derived().late; }
double FootprintLane::peakCpuPercent() const { return derived().peak; }

const FootprintLane::Derived& FootprintLane::derived() const {
    const core::Timeline* t = m_timeline.get();
    if (!t) {
        m_derived = Derived{};
        return m_derived;
    }
    const core::SeriesTable& s = t->system;
    if (m_derived.timeline == t && m_derived.appended == s.appendedRows()) return m_derived;
    Derived d;
    d.timeline = t;
    d.appended = s.appendedRows();
    const int cpu = s.columnIndex(kRecorderCpuColumn), late = s.columnIndex(kLateColumn),
              missed = s.columnIndex(kMissedColumn);
    d.has = cpu >= 0 || missed >= 0;
    if (d.has) {
        // "Late" is relative to the interval: half a period late is a visible hiccup.
        double interval = t->metadata.sampleInterval.value_or(0);
        if (!(interval > 0) && s.size() > 1)
            interval = (s.timestamp(s.size() - 1) - s.timestamp(0)) / static_cast<double>(s.size() - 1);
        d.cpuPercent.assign(s.size(), core::kMissing);
        double prevCpu = core::kMissing;
        for (std::size_t r = 0; r < s.size(); ++r) {
            const double tr = s.timestamp(r);
            if (cpu >= 0) {
                const double c = s.value(cpu, r);
                if (r > 0 && !std::isnan(c) && !std::isnan(prevCpu)) {
                    const double dt = tr - s.timestamp(r - 1);
                    if (dt > 0 && c >= prevCpu) {
                        d.cpuPercent[r] = (c - prevCpu) / dt * 100.0;
                        d.peak = std::max(d.peak, d.cpuPercent[r]);
                    }
                }
                prevCpu = c;
            }
            const double m = missed >= 0 ? s.value(missed, r) : core::kMissing;
            if (m > 0 && r > 0) {
                d.gaps.emplace_back(s.timestamp(r - 1), tr);
            } else if (late >= 0 && interval > 0) {
                const double l = s.value(late, r);
                if (l > interval / 2) d.late.push_back(tr);
            }
        }
    }
    m_derived = std::move(d);
    return m_derived;
}

std::vector<std::pair<QString, QColor>> FootprintLane::legendEntries() const {
    const Derived& d = derived();
    std::vector<std::pair<QString, QColor>> out;
    out.emplace_back(tr("recorder CPU (peak %1 % of a core)").arg(d.peak, 0, 'f', d.peak < 1 ? 2 : 1), cpuColor());
    out.emplace_back(tr("missed ticks: %1").arg(d.gaps.size()), gapColor());
    out.emplace_back(tr("late ticks: %1").arg(d.late.size()), lateColor());
    return out;
}

void FootprintLane::paintContent(QPainter& p, const QRectF& rect, double t0, double t1) const {
    const Derived& d = derived();
    if (!(t1 > t0) || !d.has || !m_timeline) return;
    const core::SeriesTable& s = m_timeline->system;
    p.save();
    p.setClipRect(rect);
    const double scale = rect.width() / (t1 - t0);
    auto xOf = [&](double t) { return rect.left() + (t - t0) * scale; };

    // CPU: the highest tick per pixel column, as bars from the bottom, scaled to the peak (the
    // legend gives it in % of a core), so the shape of even a very cheap recorder's cost shows.
    const double top = std::max(0.01, d.peak);
    const int columns = static_cast<int>(std::ceil(rect.width()));
    if (columns > 0 && !d.cpuPercent.empty()) {
        std::vector<double> colMax(static_cast<std::size_t>(columns), -1);
        std::size_t r0 = s.lowerBound(t0), r1 = std::min(s.upperBound(t1) + 1, s.size());
        if (r0 > 0) --r0;
        for (std::size_t r = r0; r < r1; ++r) {
            const double v = d.cpuPercent[r];
            if (std::isnan(v)) continue;
            const int c = static_cast<int>(std::floor((s.timestamp(r) - t0) * scale));
            if (c < 0 || c >= columns) continue;
            colMax[static_cast<std::size_t>(c)] = std::max(colMax[static_cast<std::size_t>(c)], v);
        }
        const double h = rect.height() - 2;
        for (int c = 0; c < columns; ++c) {
            const double v = colMax[static_cast<std::size_t>(c)];
            if (v < 0) continue;
            const double bar = std::max(1.0, std::min(1.0, v / top) * h);
            p.fillRect(QRectF(rect.left() + c, rect.bottom() - bar, 1, bar), cpuColor());
        }
    }
    // Late ticks: an amber mark at the tick.
    auto visible = [&](const std::vector<double>& ts) {
        return std::make_pair(std::lower_bound(ts.begin(), ts.end(), t0), std::upper_bound(ts.begin(), ts.end(), t1));
    };
    for (auto [it, end] = visible(d.late); it != end; ++it)
        p.fillRect(QRectF(std::floor(xOf(*it)) - 1, rect.top(), 2, rect.height()), lateColor());
    // Missed ticks: a red span over the time no sample was taken (at least 2 px wide).
    for (const auto& [a, b] : d.gaps) {
        if (b < t0 || a > t1) continue;
        double left = xOf(a), right = xOf(b);
        if (right - left < 2) {
            const double mid = (left + right) / 2;
            left = mid - 1;
            right = mid + 1;
        }
        p.fillRect(QRectF(left, rect.top(), right - left, rect.height()), gapColor());
    }
    p.restore();
}

void FootprintLane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());  // inside the chart's frame: its background
    const QColor text = palette().color(QPalette::Text);
    paintLabel(p, QRectF(0, 0, plotX0(), contentHeight()), laneLabel(), text);
    paintContent(p, QRectF(plotX0(), 0, plotWidth(), contentHeight()), m_t0, m_t1);
    paintLegend(p, QRectF(plotX0(), contentHeight(), plotWidth(), kLegendRowHeight), legendEntries(), text);
}

}  // namespace loadline::widgets
