// The monitor's footprint lane: a recording with footprint columns (as a .llrec store gives
// them) shows the lane under the chart; a gap in sampling (missed ticks) is drawn as a red span
// at the right x, a tick without one is not; View → Monitor Footprint hides it and is
// remembered; a recording without footprint columns has no lane.
#include <QAction>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/mainwindow.h"
#include "core/store/llrec.h"
#include "widgets/footprintlane.h"
#include "widgets/timelineview.h"

using loadline::app::MainWindow;
using loadline::widgets::FootprintLane;
namespace core = loadline::core;

namespace {
constexpr double kT0 = 1.7e9;
constexpr double kInterval = 0.5;
constexpr int kGapTick = 60;  // the tick after a stall: 4 periods missed before it
constexpr int kMissed = 4;
constexpr int kTicks = 120;

double tickTime(int i) { return kT0 + i * kInterval + (i >= kGapTick ? kMissed * kInterval : 0); }

std::shared_ptr<core::Recording> synthetic(bool footprint) {
    auto rec = std::make_shared<core::Recording>();
    auto& s = rec->timeline.system;
    rec->timeline.metadata.sampleInterval = kInterval;
    rec->timeline.metadata.platform = "Linux";
    double cpu = 0;
    for (int i = 0; i < kTicks; ++i) {
        s.appendRow(tickTime(i));
        s.setLast(s.ensureColumn("cpu_percent"), 20 + (i % 10));
        s.setLast(s.ensureColumn("memory_percent"), 40);
        if (!footprint) continue;
        cpu += 0.0004 + (i % 5) * 0.0001;  // 0.08-0.16 % of a core per 0.5 s tick
        s.setLast(s.ensureColumn(FootprintLane::kRecorderCpuColumn), cpu);
        s.setLast(s.ensureColumn(FootprintLane::kLateColumn), i == kGapTick ? kMissed * kInterval + 0.01 : 0.001);
        s.setLast(s.ensureColumn(FootprintLane::kMissedColumn), i == kGapTick ? kMissed : 0);
    }
    rec->timeline.metadata.startTime = tickTime(0);
    rec->timeline.metadata.endTime = tickTime(kTicks - 1);
    return rec;
}

int redRows(const QImage& img, int x, int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
        const QColor c = img.pixelColor(x, y);
        const QColor g = FootprintLane::gapColor();
        if (qAbs(c.red() - g.red()) < 8 && qAbs(c.green() - g.green()) < 8 && qAbs(c.blue() - g.blue()) < 8) ++n;
    }
    return n;
}
}  // namespace

class TestFootprintLane : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_footprintlane"));
        QVERIFY(m_dir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        QSettings().clear();
    }

    void aGapIsDrawnWhereTheTicksWereMissed() {
        // Through a real store: the footprint columns come back as the reader gives them.
        const std::string path = m_dir.filePath(QStringLiteral("gap.llrec")).toStdString();
        std::string error;
        QVERIFY2(core::succeeded(core::store::saveStore(path, *synthetic(true)), &error), error.c_str());
        MainWindow w;
        w.resize(1600, 900);
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        w.openFile(QString::fromStdString(path));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        auto* lane = w.timelineView()->findChild<FootprintLane*>();
        QVERIFY(lane);
        QVERIFY(lane->hasFootprint());
        QVERIFY(lane->isVisibleTo(w.timelineView()));
        QCOMPARE(lane->gaps().size(), std::size_t(1));
        QCOMPARE(lane->gaps()[0].first, tickTime(kGapTick - 1));
        QCOMPARE(lane->gaps()[0].second, tickTime(kGapTick));
        QVERIFY(lane->peakCpuPercent() > 0.07 && lane->peakCpuPercent() < 0.17);

        // The lane sits inside the chart's frame (under the time axis): find it where the view
        // placed it, and read the view's own pixels and time mapping.
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCoreApplication::processEvents();
        const core::TimeMapping m = w.timelineView()->timeMapping();
        const QImage img = w.timelineView()->grab().toImage().convertToFormat(QImage::Format_RGB32);
        img.save(m_dir.filePath(QStringLiteral("footprint.png")));
        if (qEnvironmentVariableIsSet("LOADLINE_TEST_PNG_DIR"))
            img.save(qEnvironmentVariable("LOADLINE_TEST_PNG_DIR") + QStringLiteral("/footprint.png"));
        const QRect laneRect(lane->mapTo(w.timelineView(), QPoint(0, 0)), lane->size());
        const int y0 = laneRect.top(), y1 = y0 + lane->contentHeight();
        auto xOf = [&](double t) { return static_cast<int>(m.x0 + (t - m.t0) / (m.t1 - m.t0) * m.width); };
        const int gapMid = xOf((tickTime(kGapTick - 1) + tickTime(kGapTick)) / 2);
        QVERIFY2(redRows(img, gapMid, y0, y1) >= lane->contentHeight() - 2,
                 qPrintable(QStringLiteral("no gap mark at x=%1 (rows %2-%3)").arg(gapMid).arg(y0).arg(y1)));
        // Its edges are where the ticks are; elsewhere (ticks 10..50, 70..110) no red.
        QVERIFY(redRows(img, xOf(tickTime(kGapTick - 1)) + 2, y0, y1) > 0);
        QCOMPARE(redRows(img, xOf(tickTime(kGapTick - 1)) - 3, y0, y1), 0);
        QCOMPARE(redRows(img, xOf(tickTime(kGapTick)) + 3, y0, y1), 0);
        for (int i : {10, 30, 50, 70, 90, 110}) QCOMPARE(redRows(img, xOf(tickTime(i)), y0, y1), 0);
        // The recorder's CPU bars are drawn too.
        int blue = 0;
        for (int x = xOf(tickTime(5)); x < xOf(tickTime(50)); ++x)
            for (int y = y0; y < y1; ++y) blue += img.pixelColor(x, y) == FootprintLane::cpuColor();
        QVERIFY(blue > 40);

        // View → Monitor Footprint off: gone (and remembered for the next window).
        auto* toggle = w.findChild<QAction*>(QStringLiteral("footprintAction"));
        QVERIFY(toggle);
        QVERIFY(toggle->isEnabled());
        toggle->setChecked(false);
        QVERIFY(!lane->isVisibleTo(w.timelineView()));
        const QImage off =
            w.timelineView()->renderImage(QSize(1600, 900), 1.0, nullptr, true).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(redRows(off, gapMid, y0, y1), 0);
        MainWindow w2;
        auto* toggle2 = w2.findChild<QAction*>(QStringLiteral("footprintAction"));
        QVERIFY(toggle2 && !toggle2->isChecked());
        toggle2->setChecked(true);
    }

    void noFootprintColumnsNoLane() {
        MainWindow w;
        w.showImported(synthetic(false), QStringLiteral("plain"));
        auto* lane = w.timelineView()->findChild<FootprintLane*>();
        QVERIFY(lane);
        QVERIFY(!lane->hasFootprint());
        QVERIFY(!lane->isVisibleTo(w.timelineView()));
        w.showImported(synthetic(true), QStringLiteral("with footprint"));
        QVERIFY(lane->isVisibleTo(w.timelineView()));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestFootprintLane)
#include "tst_footprintlane.moc"
