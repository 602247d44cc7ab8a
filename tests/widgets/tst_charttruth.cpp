// The chart tells the truth about real recordings: process CPU that was never measured
// (py-perf's psutil first-call 0.0), dense data drawn at its time-weighted level, memory in bytes.
// Rendered offscreen; pixels, hover text and model state are checked.
#include <QAbstractScrollArea>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "core/format/recordingio.h"
#include "core/timeline/plotseries.h"
#include "core/timeline/timeline.h"
#include "widgets/chartdata.h"
#include "widgets/baselineoverlay.h"
#include "core/correlate/correlate.h"
#include "widgets/functionexport.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/timelineview.h"

using namespace loadline;
using widgets::TimelineView;

namespace {

const QColor kBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);

bool near(const QColor& a, const QColor& b, int tol = 8) {
    return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol &&
           std::abs(a.blue() - b.blue()) <= tol;
}

int countInRect(const QImage& img, QRect r, const QColor& c, int tol = 8) {
    int n = 0;
    r = r.intersected(img.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if (near(img.pixelColor(x, y), c, tol)) ++n;
    return n;
}

std::shared_ptr<core::Recording> load(const QString& relative) {
    auto r = core::loadRecordingFile(std::string(LOADLINE_TEST_DATA) + "/" + relative.toStdString());
    if (!r) return nullptr;
    return std::make_shared<core::Recording>(std::move(*r));
}

std::shared_ptr<const core::Timeline> timelineOf(const std::shared_ptr<core::Recording>& rec) {
    return std::shared_ptr<const core::Timeline>(rec, &rec->timeline);
}

QRect plotRect(const TimelineView& v) {
    const auto m = v.timeMapping();
    const auto vm = v.valueMapping();
    return QRect(QPoint(int(std::ceil(m.x0)) + 1, int(std::ceil(vm.toY(vm.v1))) + 1),
                 QPoint(int(m.x0 + m.width) - 2, int(vm.toY(vm.v0)) - 2));
}

}  // namespace

class TestChartTruth : public QObject {
    Q_OBJECT
private slots:
    void unmeasuredProcessCpuIsNotDrawnAsData();
    void measuredIdleProcessBesideABusyOneIsDrawn();
    void drillDownRanksByMemoryWhenCpuWasNotMeasured();
    void denseAlternatingSeriesIsDrawnAtItsMean();
    void memoryInBytesDrawsRssOnAMibAxis();
    void exportPngMemoryUnit();
    void selectedFunctionsCallsAreMarkedOnTheChart();
    void lanesSitInsideTheChartFrameAlignedWithThePlot();
    void exportDrawsTheLanesMarksAndBaselineAsShown();
    void cliFunctionsExportIsTheWindowsLane();
};

void TestChartTruth::unmeasuredProcessCpuIsNotDrawnAsData() {
    auto rec = load(QStringLiteral("pyperf/timeline_trainer.json"));
    QVERIFY(rec);
    TimelineView view;
    view.resize(900, 450);
    view.setTimeline(timelineOf(rec));
    view.setHighlightedPid(12012);  // trainer: burned a whole core, every reading 0.0
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage img = view.grab().toImage();
    // No crimson in the plot: a flat line at 0 would say "idle".
    QCOMPARE(countInRect(img, plotRect(view), kCrimson), 0);
    const auto t = rec->timeline.system.timestamp(10);
    const QString hover = view.describeTime(t);
    QVERIFY2(hover.contains(QStringLiteral("(PID 12012) CPU not measured")), qPrintable(hover));
    QVERIFY2(!hover.contains(QStringLiteral("CPU: 0.0")), qPrintable(hover));
    // The memory view draws the same process: memory was measured.
    view.setMetric(widgets::Metric::Memory);
    QVERIFY(countInRect(view.grab().toImage(), plotRect(view), kCrimson) > 0);
    QVERIFY(!view.describeTime(t).contains(QStringLiteral("not measured")));
}

void TestChartTruth::measuredIdleProcessBesideABusyOneIsDrawn() {
    auto rec = load(QStringLiteral("chart/idle_and_busy.json"));
    QVERIFY(rec);
    TimelineView view;
    view.resize(900, 450);
    view.setTimeline(timelineOf(rec));
    view.setHighlightedPid(2001);  // idle: a real 0.0, drawn at 0
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const double t = rec->timeline.system.timestamp(5);
    QVERIFY2(view.describeTime(t).contains(QStringLiteral("(PID 2001) CPU: 0.0 %")), qPrintable(view.describeTime(t)));
    QVERIFY(countInRect(view.grab().toImage(), plotRect(view).adjusted(0, 0, 0, 3), kCrimson) > 0);
}

void TestChartTruth::drillDownRanksByMemoryWhenCpuWasNotMeasured() {
    auto rec = load(QStringLiteral("pyperf/timeline_trainer.json"));
    QVERIFY(rec);
    widgets::FunctionPanel panel;
    panel.setRecording(rec);
    panel.showMoment(rec->timeline.system.timestamp(100));
    const QString text = panel.momentText();
    QVERIFY2(text.contains(QStringLiteral("Processes by memory (CPU not measured)")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("% CPU")), qPrintable(text));
    // Ranked by RSS: the trainer (~100 MB by then) above the driver.
    QVERIFY2(text.indexOf(QStringLiteral("(12012)")) < text.indexOf(QStringLiteral("(12011)")), qPrintable(text));
    // A recording with real CPU readings still ranks by CPU.
    auto measured = load(QStringLiteral("chart/idle_and_busy.json"));
    panel.setRecording(measured);
    panel.showMoment(measured->timeline.system.timestamp(5));
    QVERIFY2(panel.momentText().contains(QStringLiteral("Processes by CPU")), qPrintable(panel.momentText()));
}

void TestChartTruth::denseAlternatingSeriesIsDrawnAtItsMean() {
    // 0 / 100 % alternating every 10 ms for 60 s (a quantised CPU reading): 6,000 samples over
    // ~800 columns. Its level is 50 %: the area fills about half the plot height in #ADD8E6, the
    // min-max envelope above it a lighter colour, and the range figure says 50.
    auto tl = std::make_shared<core::Timeline>();
    tl->metadata.sampleInterval = 0.01;
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    constexpr double kStart = 1700000000.0;
    for (int i = 0; i < 6000; ++i) {
        tl->system.appendRow(kStart + i * 0.01);
        tl->system.setLast(cpu, i % 2 ? 100.0 : 0.0);
    }
    TimelineView view;
    view.resize(900, 450);
    view.setTimeline(tl);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage img = view.grab().toImage();
    const auto m = view.timeMapping();
    const auto vm = view.valueMapping();
    const int yTop = int(std::lround(vm.toY(100))), yBottom = int(std::lround(vm.toY(0)));
    for (double sec : {7.3, 21.1, 33.7, 52.9}) {
        const int x = int(m.toX(kStart + sec));
        int blue = 0, lighter = 0;
        for (int y = yTop; y <= yBottom; ++y) {
            const QColor c = img.pixelColor(x, y);
            if (near(c, widgets::kSystemColor)) ++blue;
            else if (c.lightness() > widgets::kSystemColor.lightness() + 10 && c.blue() > c.red()) ++lighter;
        }
        const double fraction = double(blue) / (yBottom - yTop);
        QVERIFY2(fraction > 0.42 && fraction < 0.55,
                 qPrintable(QStringLiteral("t=%1: %2 of the height blue").arg(sec).arg(fraction)));
        // The envelope (up to 100 %) stays visible above the mean, lighter.
        QVERIFY2(lighter > 0.35 * (yBottom - yTop),
                 qPrintable(QStringLiteral("t=%1: band %2 px").arg(sec).arg(lighter)));
        // Nothing blue in the top few pixels of the band: the area is not the column's max.
        QCOMPARE(countInRect(img, QRect(x, yTop + 3, 1, int(0.3 * (yBottom - yTop))), widgets::kSystemColor), 0);
    }
    const auto stats = view.statsForRange(kStart + 10, kStart + 50);
    QVERIFY2(std::abs(stats.system.mean - 50) < 0.5, qPrintable(QString::number(stats.system.mean)));
}

void TestChartTruth::memoryInBytesDrawsRssOnAMibAxis() {
    auto rec = load(QStringLiteral("pyperf/timeline_trainer.json"));
    QVERIFY(rec);
    TimelineView view;
    view.resize(900, 450);
    view.setTimeline(timelineOf(rec));
    view.setHighlightedPid(12012);  // trainer: RSS grows from 3 to ~115 MiB
    view.setMetric(widgets::Metric::Memory);
    QVERIFY(!view.memoryInBytes());  // percent stays the default
    view.setMemoryInBytes(true);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto& sys = rec->timeline.system;
    const double t = sys.timestamp(sys.size() - 20);
    const QString hover = view.describeTime(t);
    QVERIFY2(hover.contains(
                 QRegularExpression(QStringLiteral("trainer \\(PID 12012\\) memory: 11\\d\\.\\d MiB \\(0\\.\\d %\\)"))),
             qPrintable(hover));
    QVERIFY2(hover.contains(QRegularExpression(QStringLiteral("System memory used: \\d+\\.\\d MiB \\(\\d\\.\\d %\\)"))),
             qPrintable(hover));
    // The axis top is the first power-of-two step (at most 6 of them) above the largest value
    // (the system's used memory, ~500 MiB), so the trainer's ~115 MiB is drawn well above 0.
    const auto vm = view.valueMapping();
    double maxUsed = 0;
    for (std::size_t r = 0; r < sys.size(); ++r) maxUsed = std::max(maxUsed, core::usedMemoryMbAt(sys, r));
    QVERIFY2(vm.v1 >= maxUsed && vm.v1 < maxUsed * 4 / 3,
             qPrintable(QStringLiteral("%1 for %2").arg(vm.v1).arg(maxUsed)));
    const auto ticks = widgets::memoryTicks(maxUsed);
    QCOMPARE(ticks.back().first, vm.v1);
    QVERIFY2(ticks[1].second.endsWith(QStringLiteral(" MiB")), qPrintable(ticks[1].second));
    QCOMPARE(widgets::formatMib(1536), QStringLiteral("1.5 GiB"));
    const QImage img = view.grab().toImage();
    const int x = int(view.timeMapping().toX(t));
    double sum = 0;
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        if (near(img.pixelColor(x, y), kCrimson)) {
            sum += y;
            ++n;
        }
    QVERIFY(n > 0);
    const auto& trainer = rec->timeline.processes.at(12012).samples;
    const double rss = trainer.value(core::col::kMemoryRssMb, trainer.lowerBound(t));
    QVERIFY2(std::abs(sum / n - vm.toY(rss)) < 4,
             qPrintable(QStringLiteral("row %1, %2 MiB at %3").arg(sum / n).arg(rss).arg(vm.toY(rss))));
    // Percent again: the same line lies at the bottom (0.5 % of 24 GB).
    view.setMemoryInBytes(false);
    QCOMPARE(view.valueMapping().v1, 100.0);
    QVERIFY(view.describeTime(t).contains(QStringLiteral("memory: 0.")));
}

void TestChartTruth::exportPngMemoryUnit() {
    QTemporaryDir dir;
    const QString file = QStringLiteral(LOADLINE_TEST_DATA "/pyperf/timeline_trainer.json");
    auto run = [&](const QStringList& extra) {
        QProcess p;
        p.start(QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli"),
                QStringList{QStringLiteral("export-png"), file, QStringLiteral("--metric"), QStringLiteral("memory"),
                            QStringLiteral("--width"), QStringLiteral("600"), QStringLiteral("--height"),
                            QStringLiteral("300")} +
                    extra);
        p.waitForFinished(120000);
        return p.exitCode();
    };
    auto blue = [](const QImage& img) {
        int n = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) n += near(img.pixelColor(x, y), widgets::kSystemColor);
        return n;
    };
    const QString pct = dir.filePath(QStringLiteral("pct.png")), bytes = dir.filePath(QStringLiteral("bytes.png"));
    QCOMPARE(run({QStringLiteral("-o"), pct}), 0);
    QCOMPARE(run({QStringLiteral("-o"), bytes, QStringLiteral("--memory-unit"), QStringLiteral("bytes")}), 0);
    // Used memory is 1.7 % of the total, but ~3/4 of a 512 MiB axis.
    QVERIFY2(blue(QImage(bytes)) > 10 * std::max(1, blue(QImage(pct))),
             qPrintable(QStringLiteral("%1 vs %2").arg(blue(QImage(bytes))).arg(blue(QImage(pct)))));
    QCOMPARE(run({QStringLiteral("-o"), pct, QStringLiteral("--memory-unit"), QStringLiteral("kilobytes")}), 2);
}

void TestChartTruth::selectedFunctionsCallsAreMarkedOnTheChart() {
    auto rec = load(QStringLiteral("pyperf/summary_quiet.json"));
    QVERIFY(rec);
    TimelineView view;
    view.resize(1000, 500);
    view.setTimeline(timelineOf(rec));
    widgets::FunctionPanel panel;
    panel.setRecording(rec);
    panel.attachTo(&view);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto& c = *panel.correlation();
    int download = -1;
    for (std::size_t f = 0; f < c.functions.size(); ++f)
        if (c.functions[f].name == "download") download = int(f);
    QVERIFY(download >= 0);
    const QColor color = widgets::FunctionLane::functionColor(download);
    // The strip along the plot's top, at the middle of each download call.
    auto marked = [&](const QImage& img) {
        int n = 0, calls = 0;
        const auto m = view.timeMapping();
        const int y = int(std::ceil(view.valueMapping().toY(view.valueMapping().v1))) + 2;
        for (const auto& call : c.calls) {
            if (call.functionIndex != download) continue;
            ++calls;
            n += near(img.pixelColor(int(m.toX((call.start + call.end) / 2)), y), color, 10);
        }
        return std::make_pair(n, calls);
    };
    QCOMPARE(marked(view.grab().toImage()).first, 0);
    panel.selectFunction(download);
    QCOMPARE(view.markedSpans().size(), qsizetype(c.functions[download].calls));
    const auto [n, calls] = marked(view.grab().toImage());
    QVERIFY2(n == calls && calls > 5, qPrintable(QStringLiteral("%1 of %2 calls marked").arg(n).arg(calls)));
    // The export draws the same marks.
    const QImage exported = view.renderImage(QSize(1000, 500));
    QVERIFY(!exported.isNull());
    panel.selectFunction(-1);
    QVERIFY(view.markedSpans().isEmpty());
}

namespace {
int functionIndex(const core::Correlation& c, const char* name) {
    for (std::size_t f = 0; f < c.functions.size(); ++f)
        if (c.functions[f].name == name) return int(f);
    return -1;
}
/** With LOADLINE_TEST_SCREENSHOTS=DIR set, keeps what a test rendered for a person to look at. */
void keepForLooking(const QImage& image, const char* name) {
    const QString dir = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOTS");
    if (!dir.isEmpty()) image.save(dir + QLatin1Char('/') + QLatin1String(name) + QLatin1String(".png"));
}
}  // namespace

// The calls lane is part of the chart: inside its frame (under the time axis, not a strip
// under the widget), over exactly the plot's x range, labelled, tall enough to point at, with
// the functions' colour legend.
void TestChartTruth::lanesSitInsideTheChartFrameAlignedWithThePlot() {
    auto rec = load(QStringLiteral("pyperf/summary_quiet.json"));
    QVERIFY(rec);
    TimelineView view;
    view.resize(1000, 500);
    view.setTimeline(timelineOf(rec));
    widgets::FunctionPanel panel;
    panel.setRecording(rec);
    panel.attachTo(&view);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCoreApplication::processEvents();
    const auto& c = *panel.correlation();
    auto* lane = panel.lane();
    QVERIFY(lane->isVisible());
    QVERIFY2(lane->contentHeight() >= 20, qPrintable(QString::number(lane->contentHeight())));
    // Inside the chart view's viewport (the chart's frame), below the plot.
    auto* canvas = view.findChild<QAbstractScrollArea*>();
    QVERIFY(canvas);
    const QRect viewport(canvas->viewport()->mapTo(&view, QPoint(0, 0)), canvas->viewport()->size());
    const QRect laneRect(lane->mapTo(&view, QPoint(0, 0)), lane->size());
    QVERIFY2(viewport.contains(laneRect.topLeft()) && viewport.contains(laneRect.bottomLeft()),
             qPrintable(QStringLiteral("lane %1,%2 %3x%4 outside the chart %5,%6 %7x%8")
                            .arg(laneRect.x())
                            .arg(laneRect.y())
                            .arg(laneRect.width())
                            .arg(laneRect.height())
                            .arg(viewport.x())
                            .arg(viewport.y())
                            .arg(viewport.width())
                            .arg(viewport.height())));
    const auto m = view.timeMapping();
    const auto vm = view.valueMapping();
    QVERIFY(laneRect.top() > vm.yBottom);

    const QImage img = view.grab().toImage();
    keepForLooking(img, "lanes_in_frame");
    const int download = functionIndex(c, "download");
    QVERIFY(download >= 0);
    const QColor colour = widgets::FunctionLane::functionColor(download);
    const int y = laneRect.top() + lane->contentHeight() / 2;
    // Each download call starts, in the lane's pixels, where the chart puts its start time.
    int checked = 0;
    for (const auto& call : c.calls) {
        if (call.functionIndex != download) continue;
        const double x = m.toX(call.start);
        int first = -1;
        for (int px = int(x) - 4; px <= int(x) + 4 && first < 0; ++px)
            if (near(img.pixelColor(px, y), colour, 2)) first = px;
        QVERIFY2(first >= 0 && std::abs(first - x) <= 1.0,
                 qPrintable(QStringLiteral("call at %1: lane x %2, chart x %3").arg(call.start).arg(first).arg(x)));
        // Pointing at the middle of its span finds the call (what hover and a click use).
        const QPoint mid = lane->mapFrom(&view, QPoint(int(m.toX((call.start + call.end) / 2)), y));
        QCOMPARE(lane->callAt(mid), int(&call - &c.calls[0]));
        ++checked;
    }
    QVERIFY(checked > 5);
    // The lane is exactly as wide as the plot: no call colour left of the plot's left edge.
    int leftOfPlot = 0;
    for (int px = laneRect.left(); px < int(m.x0) - 1; ++px)
        for (int f = 0; f < int(c.functions.size()); ++f)
            leftOfPlot += near(img.pixelColor(px, y), widgets::FunctionLane::functionColor(f), 2);
    QCOMPARE(leftOfPlot, 0);
    // Its label, in the axis labels' margin: text-coloured pixels left of the plot.
    const QColor text = view.palette().color(QPalette::Text);
    QVERIFY(countInRect(img,
                        QRect(QPoint(int(m.x0) - 60, laneRect.top()),
                              QPoint(int(m.x0) - 2, laneRect.top() + lane->contentHeight())),
                        text, 90) > 10);
    // Outside the frame the lane draws nothing: the pixel left of the frame matches the chart's
    // own margin beside the plot.
    QCOMPARE(img.pixelColor(1, y), img.pixelColor(1, int(vm.yBottom) - 20));
    // The colour legend under the lane: a square of every function's colour.
    const QRect legend(QPoint(int(m.x0), laneRect.top() + lane->contentHeight()),
                       QPoint(int(m.x0 + m.width), laneRect.bottom()));
    for (int f = 0; f < int(c.functions.size()); ++f)
        QVERIFY2(countInRect(img, legend, widgets::FunctionLane::functionColor(f), 2) >= 36,
                 c.functions[std::size_t(f)].name.c_str());
    // A hidden lane gives its room back to the plot; shown again, it takes it.
    const double bottomWithLane = view.valueMapping().yBottom;
    lane->hide();
    QCoreApplication::processEvents();
    QVERIFY2(view.valueMapping().yBottom >= bottomWithLane + lane->laneHeight(),
             qPrintable(QStringLiteral("%1 -> %2").arg(bottomWithLane).arg(view.valueMapping().yBottom)));
    lane->show();
    QCoreApplication::processEvents();
    QCOMPARE(view.valueMapping().yBottom, bottomWithLane);
}

// Export PNG draws what the window shows: the lanes inside the frame (same size as asked),
// the selected function's marks on the plot, and a comparison's dashed baseline and its calls'
// outlines in the lane.
void TestChartTruth::exportDrawsTheLanesMarksAndBaselineAsShown() {
    auto rec = load(QStringLiteral("pyperf/summary_busy.json"));
    auto base = load(QStringLiteral("pyperf/summary_quiet.json"));
    QVERIFY(rec && base);
    TimelineView view;
    view.resize(1000, 500);
    view.setTimeline(timelineOf(rec));
    widgets::FunctionPanel panel;
    panel.setRecording(rec);
    panel.attachTo(&view);
    view.setBaseline(timelineOf(base));
    auto baseCorrelation = std::make_shared<const core::Correlation>(core::correlate(*base));
    panel.lane()->setBaselineCalls(baseCorrelation, view.baselineOffset());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto& c = *panel.correlation();
    const int checksum = functionIndex(c, "checksum");
    QVERIFY(checksum >= 0);
    panel.selectFunction(checksum);

    core::TimeMapping m;
    const QImage image = view.renderImage(QSize(1000, 500), 1.0, &m);
    keepForLooking(image, "export_lanes_baseline");
    QCOMPARE(image.size(), QSize(1000, 500));  // the lanes are inside the chart, not added under it
    const QColor colour = widgets::FunctionLane::functionColor(checksum);
    // The lane: checksum's colour at the middle of each of its calls, in one row near the bottom.
    int laneY = -1;
    const auto& first =
        *std::find_if(c.calls.begin(), c.calls.end(), [&](const auto& k) { return k.functionIndex == checksum; });
    for (int y = image.height() - 1; y > image.height() - 80 && laneY < 0; --y)
        if (near(image.pixelColor(int(m.toX((first.start + first.end) / 2)), y), colour, 2)) laneY = y;
    QVERIFY2(laneY > 0, "no calls lane in the export");
    int spanTop = laneY;  // the middle of the span's height: clear of the outlines' edges
    while (near(image.pixelColor(int(m.toX((first.start + first.end) / 2)), spanTop - 1), colour, 2)) --spanTop;
    laneY = (spanTop + laneY) / 2;
    int inLane = 0, marked = 0, calls = 0;
    const auto plotTop = [&] {
        // The export's plot top: the first row from the top where the marked strip shows.
        for (int y = 0; y < image.height() / 2; ++y)
            if (near(image.pixelColor(int(m.toX((first.start + first.end) / 2)), y), colour, 10)) return y;
        return -1;
    }();
    QVERIFY2(plotTop > 0, "no marks on the exported plot");
    for (const auto& call : c.calls) {
        if (call.functionIndex != checksum) continue;
        ++calls;
        const int x = int(m.toX((call.start + call.end) / 2));
        bool shown = false;  // beside the baseline's outlines, which may cross the middle
        for (int dx = -3; dx <= 3; ++dx) shown = shown || near(image.pixelColor(x + dx, laneY), colour, 2);
        inLane += shown;
        marked += near(image.pixelColor(x, plotTop + 1), colour, 10);
    }
    QVERIFY2(inLane == calls && marked == calls && calls > 5,
             qPrintable(QStringLiteral("%1 in the lane, %2 marked, of %3").arg(inLane).arg(marked).arg(calls)));
    // The comparison: the baseline's dashed system line on the plot...
    QVERIFY(countInRect(image, QRect(int(m.x0), 0, int(m.width), laneY - 20), widgets::kBaselineSystemColor, 12) > 50);
    // ...and checksum's baseline calls outlined in the lane.
    const int baseChecksum = functionIndex(*baseCorrelation, "checksum");
    QVERIFY(baseChecksum >= 0);
    QVERIFY(countInRect(image, QRect(int(m.x0), laneY - 14, int(m.width), 28),
                        widgets::FunctionLane::baselineCallColor(checksum), 6) > 20);
    // Without lanes (the export dialog's check box) there is no lane, same size.
    const QImage bare = view.renderImage(QSize(1000, 500), 1.0, nullptr, false);
    QCOMPARE(bare.size(), QSize(1000, 500));
    QCOMPARE(countInRect(bare, QRect(int(m.x0), laneY - 2, int(m.width), 4), colour, 2), 0);
}

// export-png --functions draws the window's calls lane: pixel for pixel the same picture.
void TestChartTruth::cliFunctionsExportIsTheWindowsLane() {
    auto rec = load(QStringLiteral("pyperf/summary_quiet.json"));
    QVERIFY(rec);
    TimelineView window;
    window.setTimeline(timelineOf(rec));
    widgets::FunctionPanel panel;
    panel.setRecording(rec);
    panel.attachTo(&window);
    TimelineView bare;  // as export-png builds it: no lanes of its own
    bare.setTimeline(timelineOf(rec));
    const QImage fromWindow = window.renderImage(QSize(900, 450));
    const QImage fromCli = widgets::renderChartWithFunctions(bare, *panel.correlation(), QSize(900, 450));
    keepForLooking(fromCli, "export_functions");
    QCOMPARE(fromCli.size(), fromWindow.size());
    QVERIFY(fromCli == fromWindow);
}

QTEST_MAIN(TestChartTruth)
#include "tst_charttruth.moc"
