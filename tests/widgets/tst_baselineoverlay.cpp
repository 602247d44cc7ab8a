// The baseline overlay on the timeline chart, checked in rendered pixels: a run whose system CPU
// is a flat 20 % and a baseline at a flat 80 % (or with a step), so where the dashed line must
// be is known by construction.
#include <QImage>
#include <QTest>
#include <cmath>
#include <memory>

#include "core/timeline/columns.h"
#include "core/timeline/timeline.h"
#include "widgets/baselineoverlay.h"
#include "widgets/chartdata.h"
#include "widgets/timelineview.h"

using namespace loadline;

class TestBaselineOverlay : public QObject {
    Q_OBJECT
private slots:
    void dashedLineAtTheBaselinesLevel();
    void alignedAtTheStartsOrAtAnchors();
    void clearingRemovesIt();
};

namespace {

// System CPU value(t - t0) every 0.5 s over [t0, t0 + seconds].
std::shared_ptr<core::Timeline> timeline(double t0, double seconds, double (*value)(double)) {
    auto tl = std::make_shared<core::Timeline>();
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    for (double t = 0; t <= seconds + 1e-9; t += 0.5) {
        tl->system.appendRow(t0 + t);
        tl->system.setLast(cpu, value(t));
    }
    tl->metadata.sampleInterval = 0.5;
    return tl;
}

bool isColor(QRgb px, const QColor& c) {
    return qRed(px) == c.red() && qGreen(px) == c.green() && qBlue(px) == c.blue();
}

// Rows of a column x where the colour is.
QList<int> rowsOf(const QImage& img, int x, const QColor& c) {
    QList<int> rows;
    for (int y = 0; y < img.height(); ++y)
        if (isColor(img.pixel(x, y), c)) rows << y;
    return rows;
}

// Pixels of a colour in the whole image.
int count(const QImage& img, const QColor& c) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) n += isColor(img.pixel(x, y), c);
    return n;
}

}  // namespace

void TestBaselineOverlay::dashedLineAtTheBaselinesLevel() {
    widgets::TimelineView view;
    view.setTimeline(timeline(1000, 20, [](double) { return 20.0; }));
    view.setBaseline(timeline(5000, 20, [](double) { return 80.0; }));  // another clock: aligned at the start
    QCOMPARE(view.baselineOffset(), 1000.0 - 5000.0);
    core::TimeMapping m;
    const QImage img = view.renderImage(QSize(800, 400), 1.0, &m).convertToFormat(QImage::Format_RGB32);
    // In the middle of the plot: the light-blue area's top is at 20 %, the dashed line at 80 %.
    // Dashes leave gaps: look at a few columns and take one that has the line.
    int lineY = -1, areaTop = -1, areaBottom = -1;
    for (int x = int(m.x0 + m.width / 2); x < int(m.x0 + m.width / 2) + 30 && lineY < 0; ++x) {
        const auto line = rowsOf(img, x, widgets::kBaselineSystemColor);
        const auto area = rowsOf(img, x, widgets::kSystemColor);
        if (line.isEmpty() || area.isEmpty()) continue;
        lineY = line.first();
        areaTop = area.first();
        areaBottom = area.last();
    }
    QVERIFY2(lineY >= 0, "no baseline line in the middle of the plot");
    const double height20 = areaBottom - areaTop, height80 = areaBottom - lineY;
    QVERIFY2(std::abs(height80 / height20 - 4.0) < 0.3,
             qPrintable(QStringLiteral("line %1 px, area %2 px above the bottom").arg(height80).arg(height20)));
    // Dashed: along the line's row, the colour comes and goes.
    int runs = 0;
    bool on = false;
    for (int x = int(m.x0); x < int(m.x0 + m.width); ++x) {
        const bool here = isColor(img.pixel(x, lineY), widgets::kBaselineSystemColor) ||
                          isColor(img.pixel(x, lineY + 1), widgets::kBaselineSystemColor);
        if (here && !on) ++runs;
        on = here;
    }
    QVERIFY2(runs > 20, qPrintable(QStringLiteral("%1 dashes").arg(runs)));
}

void TestBaselineOverlay::alignedAtTheStartsOrAtAnchors() {
    // Baseline: 0 % for 5 s, then 100 % (samples 0.5 s apart: the rise lies in [4.5, 5] s). Its
    // step is drawn 5 s after the run's start, or 7 s after it when the runs are aligned 2 s
    // into the run; the tolerance is that half second.
    auto base = timeline(5000, 20, [](double t) { return t < 5 ? 0.0 : 100.0; });
    auto stepX = [&](std::optional<std::pair<double, double>> anchors, core::TimeMapping& m) {
        widgets::TimelineView view;
        view.setTimeline(timeline(1000, 20, [](double) { return 10.0; }));
        view.setBaseline(base, anchors);
        const QImage img = view.renderImage(QSize(800, 400), 1.0, &m).convertToFormat(QImage::Format_RGB32);
        // The vertical part of the step: a column where the line covers many rows.
        int best = -1, most = 0;
        for (int x = int(m.x0); x < int(m.x0 + m.width); ++x) {
            const int n = int(rowsOf(img, x, widgets::kBaselineSystemColor).size());
            if (n > most) {
                most = n;
                best = x;
            }
        }
        return best;
    };
    core::TimeMapping m;
    const int atStart = stepX(std::nullopt, m);
    QVERIFY2(std::abs(atStart - m.toX(1000 + 5)) <= 0.5 * m.width / (m.t1 - m.t0) + 2,
             qPrintable(QStringLiteral("step at x %1, expected %2").arg(atStart).arg(m.toX(1005))));
    const int shifted = stepX(std::pair{1002.0, 5000.0}, m);
    QVERIFY2(std::abs(shifted - m.toX(1000 + 7)) <= 0.5 * m.width / (m.t1 - m.t0) + 2,
             qPrintable(QStringLiteral("step at x %1, expected %2").arg(shifted).arg(m.toX(1007))));
}

void TestBaselineOverlay::clearingRemovesIt() {
    widgets::TimelineView view;
    view.setTimeline(timeline(1000, 20, [](double) { return 20.0; }));
    view.setBaseline(timeline(5000, 20, [](double) { return 80.0; }));
    QVERIFY(count(view.renderImage(QSize(600, 300)), widgets::kBaselineSystemColor) > 100);
    view.setBaseline(nullptr);
    QCOMPARE(count(view.renderImage(QSize(600, 300)), widgets::kBaselineSystemColor), 0);
    QCOMPARE(view.baselineOffset(), 0.0);
}

QTEST_MAIN(TestBaselineOverlay)
#include "tst_baselineoverlay.moc"
