// The Pressure view of TimelineView, rendered offscreen: the light-blue area is the system's CPU
// pressure stall share (pressure_cpu_some_percent) and the crimson line the process's run-queue
// wait (run_queue_wait_percent); a recording without these columns draws neither. With
// LOADLINE_SHOT_DIR set, the rendered chart is also saved there as pressure-view.png.
#include <QAbstractScrollArea>
#include <QTest>
#include <cmath>

#include "core/correlate/correlate.h"
#include "core/timeline/timeline.h"
#include "widgets/functionlane.h"
#include "widgets/timelineview.h"

using namespace loadline;
using widgets::TimelineView;

namespace {

const QColor kBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);
constexpr double kStart = 1700000000.0;
constexpr int kPid = 7;

/** 100 s at 0.5 s: CPU 90 %, CPU pressure 30 % (0 % in the first 20 s), run-queue wait 80 %. */
std::shared_ptr<core::Timeline> makeTimeline(bool withPressure) {
    auto tl = std::make_shared<core::Timeline>();
    tl->metadata.sampleInterval = 0.5;
    const int cpu = tl->system.ensureColumn(core::col::kCpuPercent);
    const int mem = tl->system.ensureColumn(core::col::kMemoryPercent);
    const int psi = withPressure ? tl->system.ensureColumn("pressure_cpu_some_percent") : -1;
    core::SeriesTable& p = tl->process(kPid).samples;
    const int pcpu = p.ensureColumn(core::col::kCpuPercent);
    const int wait = withPressure ? p.ensureColumn("run_queue_wait_percent") : -1;
    const int name = p.ensureColumn(core::col::kName, true);
    for (int i = 0; i < 200; ++i) {
        const double sec = i * 0.5;
        tl->system.appendRow(kStart + sec);
        tl->system.setLast(cpu, 90);
        tl->system.setLast(mem, 50);
        if (psi >= 0) tl->system.setLast(psi, sec < 20 ? 0.0 : 30.0);
        p.appendRow(kStart + sec);
        p.setLast(pcpu, 15);
        if (wait >= 0) p.setLast(wait, 80);
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
    explicit Shown(std::shared_ptr<core::Timeline> tl) {
        view.resize(800, 400);
        view.setTimeline(std::move(tl));
        view.setHighlightedPid(kPid);
        view.show();
        (void)QTest::qWaitForWindowExposed(&view);
    }
    int x(double sec) { return int(std::floor(view.timeMapping().toX(kStart + sec))); }
    int y(double value) { return int(std::lround(view.valueMapping().toY(value))); }
};

}  // namespace

class TestPressureView : public QObject {
    Q_OBJECT
private slots:
    void areaIsCpuPressureLineIsRunQueueWait() {
        Shown s(makeTimeline(true));
        s.view.setMetric(widgets::Metric::Pressure);
        QCOMPARE(s.view.metric(), widgets::Metric::Pressure);
        const QImage img = s.view.grab().toImage();
        const int x = s.x(60);
        QVERIFY(countColor(img, x, s.y(28), s.y(3), kBlue) > 0);                          // the area up to 30 %
        QCOMPARE(countColor(img, x, s.y(95), s.y(35), kBlue), 0);                         // not CPU's 90 %
        QVERIFY(std::abs(meanRowOf(img, x, kCrimson, s.y(100), s.y(0)) - s.y(80)) <= 3);  // wait 80 %
        QCOMPARE(countColor(img, s.x(10), s.y(95), s.y(3), kBlue), 0);  // no pressure in the first 20 s
        const QString tip = s.view.describeTime(kStart + 60);
        QVERIFY2(tip.contains(QStringLiteral("System CPU pressure: 30.0 %")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("run-queue wait: 80.0 %")), qPrintable(tip));
        if (const QByteArray dir = qgetenv("LOADLINE_SHOT_DIR"); !dir.isEmpty())
            QVERIFY(s.view.renderImage(QSize(900, 420))
                        .save(QString::fromLocal8Bit(dir) + QStringLiteral("/pressure-view.png")));

        // Back to CPU: the same recording draws its 90 % CPU area again.
        s.view.setMetric(widgets::Metric::Cpu);
        const QImage cpu = s.view.grab().toImage();
        QVERIFY(countColor(cpu, x, s.y(85), s.y(40), kBlue) > 0);
    }

    void recordingWithoutPressureDrawsNothing() {
        Shown s(makeTimeline(false));
        s.view.setMetric(widgets::Metric::Pressure);
        const QImage img = s.view.grab().toImage();
        const int x = s.x(60);
        QCOMPARE(countColor(img, x, s.y(99), s.y(1), kBlue), 0);
        QCOMPARE(countColor(img, x, s.y(99), s.y(1), kCrimson), 0);
        QVERIFY(s.view.describeTime(kStart + 60).contains(QStringLiteral("no data")));
    }

    // A call's hover text names the direct measures over its window and the one that decided.
    void callTooltipNamesTheMeasure() {
        auto tl = makeTimeline(true);
        core::FunctionTiming t;
        t.functionName = "step";
        t.timestamp = kStart + 60;
        t.wallTime = 2;
        t.cpuTime = 0.2;
        auto c = std::make_shared<const core::Correlation>(core::correlate({t}, *tl));
        widgets::FunctionLane lane;
        lane.setCorrelation(c);
        const QString text = lane.describeCall(0);
        QVERIFY2(text.contains(QStringLiteral("CPU pressure 30.0 %")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("run-queue wait 80.0 %")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("verdict: contention")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("decided by run-queue wait")), qPrintable(text));
    }
};

QTEST_MAIN(TestPressureView)
#include "tst_pressureview.moc"
