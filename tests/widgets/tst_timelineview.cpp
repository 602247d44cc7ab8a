// TimelineView rendered offscreen: pixels of the area and the line, gaps, axis labels, range
// statistics, hover text, mouse and keyboard navigation, live follow mode, export rendering.
#include <QAbstractScrollArea>
#include <QDateTime>
#include <QMouseEvent>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <cmath>

#include "core/timeline/timeline.h"
#include "widgets/chartdata.h"
#include "widgets/timelineview.h"

using namespace loadline;
using widgets::TimelineView;

namespace {

const QColor kBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);
constexpr double kStart = 1700000000.0;
constexpr int kPid = 7;

double rampValue(double sec) { return 10 + 0.6 * sec; }  // the process: 10 % -> 70 % over 100 s

// Samples every `step` s over [0, 100) s; system CPU at a constant 60 %, the process ramping
// (rampValue; on a 1-core machine, so psutil's value is also % of the machine). No samples at all
// over [40, 60) s: a gap. System memory 50 % with 1000 MB available (2000 MB total), process RSS
// 200 MB (10 %).
std::shared_ptr<core::Timeline> makeTimeline(double step = 0.5, double procCpuScale = 1.0) {
    auto tl = std::make_shared<core::Timeline>();
    tl->metadata.sampleInterval = step;
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    const int mem = tl->system.ensureColumn(core::col::kMemoryPercent);
    const int avail = tl->system.ensureColumn(core::col::kMemoryAvailableMb);
    const int core0 = tl->system.ensureColumn("cpu_percent_per_core[0]");
    core::SeriesTable& p = tl->process(kPid).samples;
    const int pcpu = p.ensureColumn(core::col::kCpuPercent);
    const int rss = p.ensureColumn(core::col::kMemoryRssMb);
    const int name = p.ensureColumn(core::col::kName, true);
    const int n = static_cast<int>(std::lround(100 / step));
    for (int i = 0; i < n; ++i) {
        const double sec = i * step;
        if (sec >= 40 && sec < 60) continue;
        tl->system.appendRow(kStart + sec);
        tl->system.setLast(cpu, 60);
        tl->system.setLast(mem, 50);
        tl->system.setLast(avail, 1000);
        tl->system.setLast(core0, 60);
        p.appendRow(kStart + sec + step / 5);  // a little after the system sample, as psutil does
        p.setLast(pcpu, rampValue(sec) * procCpuScale);
        p.setLast(rss, 200);
        p.setLastText(name, "python");
    }
    return tl;
}

bool near(const QColor& a, const QColor& b, int tol = 8) {
    return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol &&
           std::abs(a.blue() - b.blue()) <= tol;
}

int countColor(const QImage& img, int x, int y0, int y1, const QColor& c) {
    int n = 0;
    for (int y = std::max(0, y0); y <= std::min(img.height() - 1, y1); ++y)
        if (near(img.pixelColor(x, y), c)) ++n;
    return n;
}

// Rows of column x whose colour is c, as the mean row (or -1 if none).
double meanRowOf(const QImage& img, int x, const QColor& c, int yTop, int yBottom) {
    double sum = 0;
    int n = 0;
    for (int y = yTop; y <= yBottom; ++y)
        if (near(img.pixelColor(x, y), c)) {
            sum += y;
            ++n;
        }
    return n ? sum / n : -1;
}

struct Shown {
    TimelineView view;
    Shown(std::shared_ptr<core::Timeline> tl, QSize size = {800, 400}) {
        view.resize(size);
        view.setTimeline(std::move(tl));
        view.setHighlightedPid(kPid);
        view.show();
        (void)QTest::qWaitForWindowExposed(&view);
    }
    QWidget* viewport() { return view.findChild<QAbstractScrollArea*>()->viewport(); }
    QPoint at(double t, double value) {
        const auto m = view.timeMapping();
        const auto v = view.valueMapping();
        return viewport()->mapFrom(&view, QPoint(int(std::lround(m.toX(t))), int(std::lround(v.toY(value)))));
    }
    int x(double sec) { return int(std::floor(view.timeMapping().toX(kStart + sec))); }
    int y(double value) { return int(std::lround(view.valueMapping().toY(value))); }
    void mouse(QEvent::Type type, QPoint pos, Qt::MouseButton button, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QMouseEvent e(type, QPointF(pos), viewport()->mapToGlobal(QPointF(pos)), button, buttons, mods);
        QApplication::sendEvent(viewport(), &e);
    }
    void drag(QPoint from, QPoint to, Qt::MouseButton button, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        mouse(QEvent::MouseButtonPress, from, button, button, mods);
        mouse(QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button, mods);
        mouse(QEvent::MouseMove, to, Qt::NoButton, button, mods);
        mouse(QEvent::MouseButtonRelease, to, button, Qt::NoButton, mods);
    }
    void key(int k) { QTest::keyClick(viewport()->parentWidget(), Qt::Key(k)); }
};

}  // namespace

class TestTimelineView : public QObject {
    Q_OBJECT
private slots:
    void hoverSaysWhenAProcessExited();
    void clickIsAtTheHoverTime();
    void manyProcessesCollapseTheLegend();
    void areaIsLightBlueWhereTheSystemSeriesIs_data();
    void areaIsLightBlueWhereTheSystemSeriesIs();
    void crimsonLineFollowsTheProcess_data();
    void crimsonLineFollowsTheProcess();
    void nothingDrawnInAGap();
    void memoryMetricUsesRssOverDerivedTotal();
    void cpuScaleWholeMachineAndPerCore();
    void extraPidsAreThinLinesInOtherColours();
    void clockAxisLabels();
    void timeLabelsNeverCrowd();
    void aLoneSampleIsVisible();
    void clockAxisLabelsOverDays();
    void relativeAxisLabels();
    void rangeStatistics();
    void hoverMatchesProcessToSystemByTimestamp();
    void wheelZoomsAboutTheCursor();
    void dragSelectsARange();
    void ctrlDragZoomsAndRightDragPans();
    void keyboardPansAndZooms();
    void followLatestSlidesWithLiveData();
    void manyProcessesKeepTheLegendInOneRow();
    void gridIsOpaqueAndVisibleOverTheArea();
    void renderImageHonoursSizeAndScale();
    void darkPaletteKeepsSeriesColours();
    void emptyOrNullTimelineDoesNotCrash();
};

void TestTimelineView::areaIsLightBlueWhereTheSystemSeriesIs_data() {
    QTest::addColumn<double>("step");
    QTest::addRow("sparse (real polyline)") << 0.5;
    QTest::addRow("dense (decimated)") << 0.005;  // 16,000 samples over ~700 px
}

void TestTimelineView::areaIsLightBlueWhereTheSystemSeriesIs() {
    QFETCH(double, step);
    Shown s(makeTimeline(step));
    const QImage img = s.view.grab().toImage();
    for (double sec : {3.0, 23.0, 67.0, 93.0}) {  // not on a grid line
        const int x = s.x(sec);
        // Under 60 % (away from the crimson line and grid lines): light blue.
        const int below = countColor(img, x, s.y(55), s.y(5), kBlue);
        QVERIFY2(below > (s.y(5) - s.y(55)) * 0.8, qPrintable(QString("t=%1 blue=%2").arg(sec).arg(below)));
        // Above 60 %: no blue.
        QCOMPARE(countColor(img, x, s.y(98), s.y(63), kBlue), 0);
    }
}

void TestTimelineView::crimsonLineFollowsTheProcess_data() { areaIsLightBlueWhereTheSystemSeriesIs_data(); }

void TestTimelineView::crimsonLineFollowsTheProcess() {
    QFETCH(double, step);
    Shown s(makeTimeline(step));
    const QImage img = s.view.grab().toImage();
    for (double sec : {3.0, 21.0, 37.0, 63.0, 81.0, 97.0}) {
        const int x = s.x(sec);
        const double row = meanRowOf(img, x, kCrimson, s.y(100), s.y(0));
        QVERIFY2(row >= 0, qPrintable(QString("no crimson at t=%1").arg(sec)));
        QVERIFY2(std::abs(row - s.y(rampValue(sec))) <= 3,
                 qPrintable(QString("t=%1 row %2 expected %3").arg(sec).arg(row).arg(s.y(rampValue(sec)))));
    }
}

void TestTimelineView::nothingDrawnInAGap() {
    Shown s(makeTimeline());
    const QImage img = s.view.grab().toImage();
    for (double sec : {42.0, 50.0, 58.0}) {
        const int x = s.x(sec);
        QCOMPARE(countColor(img, x, s.y(99), s.y(1), kBlue), 0);
        QCOMPARE(countColor(img, x, s.y(99), s.y(1), kCrimson), 0);
    }
}

void TestTimelineView::memoryMetricUsesRssOverDerivedTotal() {
    Shown s(makeTimeline());
    s.view.setMetric(widgets::Metric::Memory);
    const QImage img = s.view.grab().toImage();
    const int x = s.x(20);
    QVERIFY(countColor(img, x, s.y(45), s.y(15), kBlue) > 0);  // system memory 50 %
    QCOMPARE(countColor(img, x, s.y(95), s.y(55), kBlue), 0);
    QVERIFY(std::abs(meanRowOf(img, x, kCrimson, s.y(100), s.y(0)) - s.y(10)) <= 3);  // 200 of 2000 MB
}

void TestTimelineView::cpuScaleWholeMachineAndPerCore() {
    // psutil values 4x the ramp: on a 4-core machine the whole-machine scale shows the ramp.
    Shown s(makeTimeline(0.5, 4.0));
    QCOMPARE(s.view.cpuCount(), 1);  // one per-core column in the fixture
    s.view.setCpuCount(4);
    QCOMPARE(s.view.cpuCount(), 4);
    QImage img = s.view.grab().toImage();
    QVERIFY(std::abs(meanRowOf(img, s.x(20), kCrimson, s.y(100), s.y(0)) - s.y(rampValue(20))) <= 3);
    QCOMPARE(s.view.valueMapping().v1, 100.0);
    // psutil's per-core scale: 4 x 67 = 268 at the end, so the axis grows to 300.
    s.view.setPerCoreScale(true);
    QCOMPARE(s.view.valueMapping().v1, 300.0);
    img = s.view.grab().toImage();
    QVERIFY(std::abs(meanRowOf(img, s.x(20), kCrimson, s.y(300), s.y(0)) - s.y(4 * rampValue(20))) <= 3);
    // The system area is on the same scale as its axis: 60 % of 4 cores is 240 (it sat at 60,
    // below the processes it contains).
    QVERIFY(countColor(img, s.x(20), s.y(230), s.y(130), kBlue) > 0);
    QCOMPARE(countColor(img, s.x(20), s.y(295), s.y(250), kBlue), 0);
}

void TestTimelineView::extraPidsAreThinLinesInOtherColours() {
    auto tl = makeTimeline();
    core::SeriesTable& other = tl->process(8).samples;
    const int c = other.ensureColumn(core::col::kCpuPercent);
    for (int i = 0; i < 80; ++i) {
        other.appendRow(kStart + i * 0.5);
        other.setLast(c, 85);
    }
    Shown s(tl);
    s.view.setExtraPids({8});
    const QImage img = s.view.grab().toImage();
    // The first extra colour is sea green (#2E8B57); a thin antialiased line is blended with the
    // background, so look for green-dominated pixels rather than the exact colour.
    auto greenRows = [&](int x) {
        QList<int> rows;
        for (int y = s.y(100); y <= s.y(0); ++y) {
            const QColor c = img.pixelColor(x, y);
            if (c.green() > c.red() + 30 && c.green() > c.blue() + 10) rows.append(y);
        }
        return rows;
    };
    const QList<int> rows = greenRows(s.x(20));
    QVERIFY2(!rows.isEmpty() && rows.size() <= 4, qPrintable(QString::number(rows.size())));  // thin
    QVERIFY(std::abs(rows.first() - s.y(85)) <= 2);
    QVERIFY(greenRows(s.x(70)).isEmpty());  // pid 8 stopped at 40 s
}

void TestTimelineView::clockAxisLabels() {
    Shown s(makeTimeline());
    const QStringList labels = s.view.timeAxisLabels();
    QVERIFY2(labels.size() >= 3, qPrintable(labels.join(',')));
    const QRegularExpression hms(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d$"));
    const QTime first = QDateTime::fromSecsSinceEpoch(qint64(kStart)).time();
    for (const QString& l : labels) {
        QVERIFY2(hms.match(l).hasMatch(), qPrintable(l));
        const int secs = first.secsTo(QTime::fromString(l, QStringLiteral("HH:mm:ss")));
        QVERIFY2(secs > 0 && secs <= 100, qPrintable(l));                            // inside the recording's 100 s
        QCOMPARE(QTime::fromString(l, QStringLiteral("HH:mm:ss")).second() % 5, 0);  // round times
    }
    // Zoomed in to 2 s: sub-second labels.
    s.view.zoomToRange(kStart + 10, kStart + 12);
    QVERIFY(s.view.timeAxisLabels().first().contains(QLatin1Char('.')));
}

// Qt Charts elides a label wider than the room between ticks ("22:13:..."): at every width and
// zoom the labels must fit side by side. A 1 s range used to keep 21 ticks of "HH:MM:SS.ss".
void TestTimelineView::timeLabelsNeverCrowd() {
    for (const QSize size : {QSize(600, 300), QSize(1200, 400), QSize(2400, 500)}) {
        Shown s(makeTimeline(), size);
        const QFontMetricsF fm(s.view.font());
        for (const auto mode : {widgets::TimeAxisMode::Clock, widgets::TimeAxisMode::Relative}) {
            s.view.setTimeAxisMode(mode);
            for (const double span : {1.0, 1.7, 2.0, 3.0, 7.0, 45.0, 99.0}) {
                s.view.zoomToRange(kStart + 0.5, kStart + 0.5 + span);
                const auto [t0, t1] = s.view.viewRange();
                const auto m = s.view.timeMapping();
                const double plotWidth = m.toX(t1) - m.toX(t0);
                const QStringList labels = s.view.timeAxisLabels();
                double widest = 0;
                for (const QString& l : labels) widest = std::max(widest, fm.horizontalAdvance(l));
                const QString what = QStringLiteral("%1x%2, %3 s: %4 labels of %5 px in %6 px: %7")
                                         .arg(size.width())
                                         .arg(size.height())
                                         .arg(t1 - t0)
                                         .arg(labels.size())
                                         .arg(widest)
                                         .arg(plotWidth)
                                         .arg(labels.join(QLatin1Char(',')));
                QVERIFY2(labels.size() >= 2, qPrintable(what));
                QVERIFY2(labels.size() * widest * 1.2 <= plotWidth, qPrintable(what));
            }
        }
    }
}

// One sample (py-perf's documented example timeline has just one) was a 1-px sliver a grid line could hide
// and a 2-px speck for the process: a small bar and a disc now.
void TestTimelineView::aLoneSampleIsVisible() {
    auto tl = std::make_shared<core::Timeline>();
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    tl->system.appendRow(kStart);
    tl->system.setLast(cpu, 45);
    core::SeriesTable& p = tl->process(kPid).samples;
    const int pcpu = p.ensureColumn(core::col::kCpuPercent);
    p.appendRow(kStart);
    p.setLast(pcpu, 25);
    tl->metadata.sampleInterval = 0.5;
    Shown s(tl, {800, 400});
    s.view.setCpuCount(1);
    const QImage img = s.view.grab().toImage();
    int blueColumns = 0, crimson = 0;
    for (int x = 0; x < img.width(); ++x) {
        blueColumns += countColor(img, x, s.y(33), s.y(33), kBlue) > 0 ? 1 : 0;  // between grid lines
        crimson += countColor(img, x, s.y(40), s.y(10), kCrimson);
    }
    QVERIFY2(blueColumns >= 4, qPrintable(QString::number(blueColumns)));
    QVERIFY2(crimson >= 12, qPrintable(QString::number(crimson)));
}

void TestTimelineView::clockAxisLabelsOverDays() {
    // Three days of 10-minute samples: labels name the day, and there are several of them.
    auto tl = std::make_shared<core::Timeline>();
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    for (int i = 0; i < 3 * 144; ++i) {
        tl->system.appendRow(kStart + i * 600.0);
        tl->system.setLast(cpu, 30);
    }
    Shown s(tl, {1200, 400});
    const QStringList labels = s.view.timeAxisLabels();
    QVERIFY2(labels.size() >= 4, qPrintable(labels.join(',')));
    const QRegularExpression dayTime(QStringLiteral("^\\d\\d-\\d\\d \\d\\d:\\d\\d$"));
    for (const QString& l : labels) QVERIFY2(dayTime.match(l).hasMatch(), qPrintable(l));
}

void TestTimelineView::relativeAxisLabels() {
    Shown s(makeTimeline());
    s.view.setTimeAxisMode(widgets::TimeAxisMode::Relative);
    const QStringList labels = s.view.timeAxisLabels();
    QVERIFY2(labels.size() >= 3, qPrintable(labels.join(',')));
    QStringList expected;
    const double step = labels[1].toDouble() - labels[0].toDouble();
    QVERIFY(step == 10 || step == 15 || step == 20 || step == 30);
    for (const QString& l : labels) {
        bool ok = false;
        const double v = l.toDouble(&ok);
        QVERIFY2(ok && v > 0 && v < 100 && std::fmod(v, step) == 0, qPrintable(l));
    }
    s.view.zoomToRange(kStart + 10, kStart + 11);
    const QRegularExpression tenths(QStringLiteral("^10\\.\\d$"));
    for (const QString& l : s.view.timeAxisLabels()) QVERIFY2(tenths.match(l).hasMatch(), qPrintable(l));
}

void TestTimelineView::rangeStatistics() {
    Shown s(makeTimeline());
    QSignalSpy selected(&s.view, &TimelineView::rangeSelected);
    s.view.setSelection(kStart + 10, kStart + 29.9);  // process samples at 10.1 ... 29.6
    const auto stats = s.view.statsForRange(kStart + 10, kStart + 29.9);
    QCOMPARE(stats.system.count, 40u);
    QCOMPARE(stats.system.min, 60.0);
    QCOMPARE(stats.system.max, 60.0);
    QCOMPARE(stats.process.count, 40u);
    // The figures wrap in a narrow chart instead of being cut off (or widening it).
    QVERIFY2(s.view.minimumSizeHint().width() < 500, qPrintable(QString::number(s.view.minimumSizeHint().width())));
    QCOMPARE(stats.process.min, rampValue(10));
    QCOMPARE(stats.process.max, rampValue(29.5));
    // Time-weighted over [10, 29.9] s: the ramp (samples 0.1 s after the second) at the middle.
    QVERIFY(std::abs(stats.process.mean - rampValue(19.95 - 0.1)) < 1e-6);
    const QString summary = s.view.selectionSummary();
    QVERIFY2(summary.contains(QStringLiteral("System CPU: min 60.0 · mean 60.0 · max 60.0")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("python (PID 7) CPU: min 16.0")), qPrintable(summary));
    QVERIFY(s.view.statsForRange(kStart + 45, kStart + 55).system.count == 0);  // the gap
    // The selection band is drawn under the line: inside it the line keeps py-perf's crimson.
    const QImage img = s.view.grab().toImage();
    QVERIFY(std::abs(meanRowOf(img, s.x(21), kCrimson, s.y(100), s.y(0)) - s.y(rampValue(21))) <= 3);
    s.view.clearSelection();
    QVERIFY(s.view.selectionSummary().isEmpty());
}

void TestTimelineView::hoverMatchesProcessToSystemByTimestamp() {
    Shown s(makeTimeline());
    const QString text = s.view.describeTime(kStart + 20.1);
    QVERIFY2(text.contains(QStringLiteral("System CPU: 60.0 %")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("python (PID 7) CPU: %1 %").arg(rampValue(20), 0, 'f', 1)), qPrintable(text));
    QVERIFY2(text.startsWith(QDateTime::fromMSecsSinceEpoch(qint64((kStart + 20) * 1000)).toString("HH:mm:ss.zzz")),
             qPrintable(text));
    QVERIFY(s.view.describeTime(kStart + 50).contains(QStringLiteral("no data")));
    // The crosshair and tooltip are drawn on hover (pixels change), and vanish on leave.
    const QImage before = s.view.grab().toImage();
    s.mouse(QEvent::MouseMove, s.at(kStart + 20, 80), Qt::NoButton, Qt::NoButton);
    const QImage hovered = s.view.grab().toImage();
    QVERIFY(before != hovered);
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(s.viewport()->parentWidget(), &leave);
    QCOMPARE(s.view.grab().toImage(), before);
}

void TestTimelineView::wheelZoomsAboutTheCursor() {
    Shown s(makeTimeline());
    QSignalSpy changed(&s.view, &TimelineView::viewRangeChanged);
    const auto [t0, t1] = s.view.viewRange();
    const QPoint pos = s.at(kStart + 25, 50);
    const double before = s.view.timeMapping().toTime(s.viewport()->mapTo(&s.view, pos).x());
    QWheelEvent wheel(QPointF(pos), s.viewport()->mapToGlobal(QPointF(pos)), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(s.viewport(), &wheel);
    const auto [n0, n1] = s.view.viewRange();
    QVERIFY(n1 - n0 < (t1 - t0) * 0.85);
    QCOMPARE(changed.count(), 1);
    const double after = s.view.timeMapping().toTime(s.viewport()->mapTo(&s.view, pos).x());
    QVERIFY2(std::abs(after - before) < 0.05, qPrintable(QString::number(after - before)));
    s.view.resetZoom();
    QCOMPARE(s.view.viewRange(), std::make_pair(t0, t1));
}

void TestTimelineView::dragSelectsARange() {
    Shown s(makeTimeline());
    QSignalSpy selected(&s.view, &TimelineView::rangeSelected);
    QSignalSpy clicked(&s.view, &TimelineView::timeClicked);
    s.drag(s.at(kStart + 10, 50), s.at(kStart + 30, 50), Qt::LeftButton);
    QCOMPARE(selected.count(), 1);
    QVERIFY(std::abs(selected[0][0].toDouble() - (kStart + 10)) < 0.2);
    QVERIFY(std::abs(selected[0][1].toDouble() - (kStart + 30)) < 0.2);
    QVERIFY(s.view.selection().has_value());
    QVERIFY(!s.view.selectionSummary().isEmpty());
    QCOMPARE(clicked.count(), 0);
    // A click without moving is a time click, not a selection.
    s.mouse(QEvent::MouseButtonPress, s.at(kStart + 70, 50), Qt::LeftButton, Qt::LeftButton);
    s.mouse(QEvent::MouseButtonRelease, s.at(kStart + 70, 50), Qt::LeftButton, Qt::NoButton);
    QCOMPARE(clicked.count(), 1);
    QVERIFY(std::abs(clicked[0][0].toDouble() - (kStart + 70)) < 0.2);
    QCOMPARE(selected.count(), 1);
}

void TestTimelineView::ctrlDragZoomsAndRightDragPans() {
    Shown s(makeTimeline());
    s.drag(s.at(kStart + 20, 50), s.at(kStart + 30, 50), Qt::LeftButton, Qt::ControlModifier);
    auto [z0, z1] = s.view.viewRange();
    QVERIFY(std::abs(z0 - (kStart + 20)) < 0.2 && std::abs(z1 - (kStart + 30)) < 0.2);
    QVERIFY(!s.view.selection().has_value());
    // Dragging right by a quarter of the plot moves the view a quarter of its span earlier.
    const auto m = s.view.timeMapping();
    const QPoint from = s.at(kStart + 26, 50);
    s.drag(from, from + QPoint(int(m.width / 4), 0), Qt::RightButton);
    auto [p0, p1] = s.view.viewRange();
    QVERIFY2(std::abs((z0 - p0) - (z1 - z0) / 4) < 0.1, qPrintable(QString::number(z0 - p0)));
    QVERIFY(std::abs((p1 - p0) - (z1 - z0)) < 1e-6);
}

void TestTimelineView::keyboardPansAndZooms() {
    Shown s(makeTimeline());
    s.view.zoomToRange(kStart + 20, kStart + 40);
    s.key(Qt::Key_Right);
    auto [a0, a1] = s.view.viewRange();
    QVERIFY(std::abs(a0 - (kStart + 22)) < 1e-6 && std::abs(a1 - (kStart + 42)) < 1e-6);
    s.key(Qt::Key_Left);
    s.key(Qt::Key_Plus);
    auto [b0, b1] = s.view.viewRange();
    QVERIFY(std::abs((b1 - b0) - 16) < 1e-6);
    s.key(Qt::Key_Minus);
    auto [c0, c1] = s.view.viewRange();
    QVERIFY(std::abs((c1 - c0) - 20) < 1e-6);
    s.key(Qt::Key_Home);
    auto [d0, d1] = s.view.viewRange();
    QCOMPARE(d0, kStart);
    QVERIFY(d1 > kStart + 99);
    // Enter zooms to the selection and drops it: left in place it would tint the whole plot.
    s.view.setSelection(kStart + 30, kStart + 50);
    s.key(Qt::Key_Return);
    auto [e0, e1] = s.view.viewRange();
    QVERIFY(std::abs(e0 - (kStart + 30)) < 1e-6 && std::abs(e1 - (kStart + 50)) < 1e-6);
    QVERIFY(!s.view.selection());
}

void TestTimelineView::followLatestSlidesWithLiveData() {
    auto tl = std::make_shared<core::Timeline>(1000);  // bounded ring, as the live model
    tl->metadata.sampleInterval = 0.5;
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    Shown s(tl);
    QSignalSpy followChanged(&s.view, &TimelineView::followLatestChanged);
    s.view.setFollowLatest(true, 30);
    for (int i = 0; i < 1500; ++i) {  // 750 s: the ring wraps
        tl->system.appendRow(kStart + i * 0.5);
        tl->system.setLast(cpu, 40);
        if (i % 7 == 0 || i == 1499) s.view.dataAppended();
    }
    auto [t0, t1] = s.view.viewRange();
    QCOMPARE(t1, kStart + 1499 * 0.5);
    QCOMPARE(t1 - t0, 30.0);
    QImage img = s.view.grab().toImage();
    QVERIFY(countColor(img, s.x(1499 * 0.5 - 15), s.y(35), s.y(5), kBlue) > 0);
    // Panning by hand ends following (and says so).
    s.key(Qt::Key_Left);
    QVERIFY(!s.view.followLatest());
    QCOMPARE(followChanged.count(), 2);
    QCOMPARE(followChanged.last().at(0).toBool(), false);
    // A window larger than the data (a session just started): the data fills the chart from its
    // first sample (at least 30 s wide), not a sliver at the right edge.
    auto fresh = std::make_shared<core::Timeline>();
    const int c2 = fresh->system.ensureColumn(core::col::kCpuPercent);
    for (int i = 0; i < 20; ++i) {
        fresh->system.appendRow(kStart + i * 0.5);
        fresh->system.setLast(c2, 40);
    }
    s.view.setTimeline(fresh);
    s.view.setFollowLatest(true, 40);
    std::tie(t0, t1) = s.view.viewRange();
    QCOMPARE(t0, kStart);
    QCOMPARE(t1, kStart + 30);
    img = s.view.grab().toImage();
    QVERIFY(countColor(img, s.x(0.5), s.y(35), s.y(5), kBlue) > 0);
    QVERIFY(countColor(img, s.x(7), s.y(35), s.y(5), kBlue) > 0);
    QCOMPARE(countColor(img, s.x(20), s.y(35), s.y(5), kBlue), 0);  // nothing after the newest sample
    // Longer than 30 s but shorter than the window: stretched over the whole chart.
    for (int i = 20; i < 70; ++i) {
        fresh->system.appendRow(kStart + i * 0.5);
        fresh->system.setLast(c2, 40);
    }
    s.view.dataAppended();
    std::tie(t0, t1) = s.view.viewRange();
    QCOMPARE(t0, kStart);
    QCOMPARE(t1, kStart + 69 * 0.5);
    // Once the data is longer than the window, it scrolls: the newest sample at the right edge.
    for (int i = 70; i < 200; ++i) {
        fresh->system.appendRow(kStart + i * 0.5);
        fresh->system.setLast(c2, 40);
    }
    s.view.dataAppended();
    std::tie(t0, t1) = s.view.viewRange();
    QCOMPARE(t1, kStart + 199 * 0.5);
    QCOMPARE(t1 - t0, 40.0);
}

void TestTimelineView::manyProcessesKeepTheLegendInOneRow() {
    auto tl = makeTimeline();
    QList<int> extras;
    for (int k = 1; k <= 5; ++k) {
        core::SeriesTable& p = tl->process(kPid + k).samples;
        const int pcpu = p.ensureColumn(core::col::kCpuPercent);
        const int name = p.ensureColumn(core::col::kName, true);
        for (int i = 0; i < 20; ++i) {
            p.appendRow(kStart + i);
            p.setLast(pcpu, 10.0 * k);
            p.setLastText(name, "worker-with-a-long-name");
        }
        extras.push_back(kPid + k);
    }
    Shown s(tl, {900, 400});
    // Two entries (system, one process): one row above the plot, which spans nearly the width.
    const auto right = [&] { return int(s.view.timeMapping().x0 + s.view.timeMapping().width); };
    const int plotRightAlone = right();
    QVERIFY(plotRightAlone > 0.9 * 900);
    // Seven entries: still one row above the plot (the plot keeps its width); what does not fit
    // whole is collapsed into "+N more", and the first process's marker is in the row.
    s.view.setExtraPids(extras);
    QCoreApplication::processEvents();  // the legend follows the chart's size, queued
    QCoreApplication::processEvents();
    const QImage img = s.view.grab().toImage();
    QVERIFY2(right() >= plotRightAlone - 2, "the plot kept its width");
    const int plotTop = int(s.view.valueMapping().yBottom - s.view.valueMapping().height);
    bool firstMarker = false;
    for (int y = 0; y < plotTop - 2 && !firstMarker; ++y)
        for (int x = 0; x < img.width() && !firstMarker; ++x)
            firstMarker = near(img.pixelColor(x, y), widgets::extraPidColor(0), 4);
    QVERIFY(firstMarker);
    QVERIFY(s.view.legendCollapsedCount() >= 0 && s.view.legendCollapsedCount() < 5);
}

void TestTimelineView::gridIsOpaqueAndVisibleOverTheArea() {
    Shown s(makeTimeline());
    const QImage img = s.view.grab().toImage();
    // The grid colour: the text colour mixed 18 % into the background (opaque, see timelinechart).
    const QColor text = s.view.palette().color(QPalette::Text), base = s.view.palette().color(QPalette::Base);
    const QColor grid = QColor::fromRgbF(base.redF() + (text.redF() - base.redF()) * 0.18f,
                                         base.greenF() + (text.greenF() - base.greenF()) * 0.18f,
                                         base.blueF() + (text.blueF() - base.blueF()) * 0.18f);
    // Along a row inside the light-blue area (system CPU is 60 %, the crimson line stays below
    // 50 % there): vertical grid lines cross it in the grid colour, not tinted by the area.
    const int y = s.y(57);
    int crossings = 0;
    for (int x = s.x(1); x < s.x(39); ++x) {
        const QColor c = img.pixelColor(x, y);
        if (near(c, kBlue)) continue;
        QVERIFY2(near(c, grid, 6), qPrintable(QStringLiteral("x %1: %2, grid %3").arg(x).arg(c.name(), grid.name())));
        ++crossings;
    }
    QVERIFY2(crossings >= 2, "no grid line crosses the area");
}

void TestTimelineView::renderImageHonoursSizeAndScale() {
    TimelineView view;  // never shown: exports work without a window
    view.setTimeline(makeTimeline());
    view.setHighlightedPid(kPid);
    view.setTitle(QStringLiteral("export"));
    const QImage one = view.renderImage(QSize(640, 360));
    QCOMPARE(one.size(), QSize(640, 360));
    const QImage two = view.renderImage(QSize(640, 360), 2.0);
    QCOMPARE(two.size(), QSize(1280, 720));
    QCOMPARE(two.devicePixelRatio(), 2.0);
    auto count = [](const QImage& img, const QColor& c) {
        int n = 0;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2) n += near(img.pixelColor(x, y), c);
        return n;
    };
    QVERIFY(count(one, kBlue) > 640 * 360 / 4 / 10);
    QVERIFY(count(one, kCrimson) > 50);
    // Twice the pixels each way: about four times as many sampled blue pixels.
    const double ratio = double(count(two, kBlue)) / count(one, kBlue);
    QVERIFY2(ratio > 3.5 && ratio < 4.5, qPrintable(QString::number(ratio)));
}

void TestTimelineView::darkPaletteKeepsSeriesColours() {
    Shown s(makeTimeline());
    QPalette dark = s.view.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    s.view.setPalette(dark);
    const QImage img = s.view.grab().toImage();
    QVERIFY(near(img.pixelColor(s.x(20), s.y(90)), QColor(0x1e, 0x1e, 0x1e), 12));  // background
    QVERIFY(countColor(img, s.x(20), s.y(55), s.y(5), kBlue) > 0);
    QVERIFY(meanRowOf(img, s.x(20), kCrimson, s.y(100), s.y(0)) > 0);
}

void TestTimelineView::emptyOrNullTimelineDoesNotCrash() {
    Shown s(std::make_shared<core::Timeline>());
    // No made-up 1970 time labels, and the plot says why it is empty: text pixels mid-plot.
    QVERIFY2(s.view.timeAxisLabels().join(QString()).trimmed().isEmpty(),
             qPrintable(s.view.timeAxisLabels().join(',')));
    {
        const QImage img = s.view.renderImage(QSize(800, 400));
        int dark = 0;
        for (int y = 150; y < 250; ++y)
            for (int x = 250; x < 550; ++x) dark += img.pixelColor(x, y).lightness() < 100 ? 1 : 0;
        QVERIFY2(dark > 50, qPrintable(QString::number(dark)));
    }
    s.view.setHighlightedPid(123);
    s.view.setMetric(widgets::Metric::Memory);
    QVERIFY(!s.view.grab().isNull());
    s.view.setTimeline(nullptr);
    s.view.dataAppended();
    s.key(Qt::Key_Plus);
    s.drag(s.at(0, 50), s.at(0, 50) + QPoint(50, 0), Qt::LeftButton);
    QVERIFY(!s.view.renderImage(QSize(300, 200)).isNull());
    QVERIFY(s.view.describeTime(kStart).contains(QStringLiteral("no data")));
}

// After a process's last sample, hover says when it exited, not "no data".
void TestTimelineView::hoverSaysWhenAProcessExited() {
    auto tl = makeTimeline();
    core::SeriesTable& p = tl->process(kPid + 1).samples;
    const int cpu = p.ensureColumn(core::col::kCpuPercent);
    for (int i = 0; i < 20; ++i) {  // 0 s to 9.5 s, then gone
        p.appendRow(kStart + i * 0.5);
        p.setLast(cpu, 5);
    }
    Shown s(tl);
    s.view.setExtraPids({kPid + 1});
    const QString text = s.view.describeTime(kStart + 30);
    const QString expected = QStringLiteral("exited at %1").arg(s.view.formatTime(kStart + 9.5));
    QVERIFY2(text.contains(expected), qPrintable(text));
    s.view.setTimeAxisMode(loadline::widgets::TimeAxisMode::Relative);  // in the axis's own terms
    QVERIFY2(s.view.describeTime(kStart + 30).contains(QStringLiteral("exited at +9.500 s")),
             qPrintable(s.view.describeTime(kStart + 30)));
}

// A click reports the time the hover names for that spot: the nearest system sample's.
void TestTimelineView::clickIsAtTheHoverTime() {
    Shown s(makeTimeline());
    QSignalSpy clicked(&s.view, &TimelineView::timeClicked);
    const QPoint at = s.at(kStart + 70.2, 50);
    s.mouse(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    s.mouse(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(clicked.count(), 1);
    const double t = clicked[0][0].toDouble();
    const double cursor = s.view.timeMapping().toTime(s.viewport()->mapTo(&s.view, at).x());
    QCOMPARE(t, s.view.sampleTimeNear(cursor));
    QVERIFY2(std::abs(std::remainder(t - kStart, 0.5)) < 1e-6, qPrintable(QString::number(t - kStart, 'f', 4)));
    QCOMPARE(s.view.describeTime(cursor).section(QLatin1Char('\n'), 0, 0), s.view.formatTime(t));
}

// Many processes: the legend keeps one row of whole entries and collapses the rest into
// "+N more" (all named in its tooltip); the plot keeps at least 75 % of the chart's width.
// A few processes fit whole: nothing collapsed.
void TestTimelineView::manyProcessesCollapseTheLegend() {
    auto tl = makeTimeline();
    QList<int> pids;
    for (int k = 0; k < 30; ++k) {
        const int pid = 15600 + k;
        core::SeriesTable& p = tl->process(pid).samples;
        const int cpu = p.ensureColumn(core::col::kCpuPercent);
        const int name = p.ensureColumn(core::col::kName, true);
        p.appendRow(kStart + 1);
        p.setLast(cpu, k);
        p.setLastText(name, "python3");
        pids << pid;
    }
    Shown s(tl, QSize(1200, 500));
    s.view.setExtraPids(pids.mid(0, 2));
    QCoreApplication::processEvents();
    QCOMPARE(s.view.legendCollapsedCount(), 0);  // room for all: none hidden, none cut
    s.view.setExtraPids(pids);
    QCoreApplication::processEvents();
    const int collapsed = s.view.legendCollapsedCount();
    QVERIFY2(collapsed > 0 && collapsed < 30, qPrintable(QString::number(collapsed)));
    const QString tip = s.view.legendToolTip();
    for (int pid : pids) QVERIFY2(tip.contains(QString::number(pid)), qPrintable(tip));
    QVERIFY2(s.view.timeMapping().width >= 0.75 * s.view.width(),
             qPrintable(QStringLiteral("plot %1 of %2").arg(s.view.timeMapping().width).arg(s.view.width())));
}

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
