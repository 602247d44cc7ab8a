// A .llrec store longer than the window reads whole (app/gui/levelloader.h): the window draws it
// from the store's consolidated levels, reading far fewer ticks than the store holds, draws the
// same per-column envelopes as the ticks themselves, and reads the ticks of a narrow range when
// the user zooms into it.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

#include "app/gui/levelloader.h"
#include "app/gui/mainwindow.h"
#include "core/store/llrec.h"
#include "core/store/llreclevels.h"
#include "core/timeline/blockseries.h"
#include "core/timeline/decimate.h"
#include "widgets/chartdata.h"
#include "widgets/timelineview.h"

using namespace loadline;

namespace {

constexpr std::uint64_t kTicks = 260000;  // more than LevelLoader::kLevelThreshold
constexpr double kInterval = 0.06;
constexpr double kStart = 1.7e9;
// A pause of the recorder (a suspended machine): 40 minutes without ticks, after this tick.
constexpr std::uint64_t kPauseAfter = 150000;
constexpr double kPause = 2400;

double tickTime(std::uint64_t i) { return kStart + double(i) * kInterval + (i > kPauseAfter ? kPause : 0.0); }

// System CPU: a slow wave with small noise (a small step per tick, so a pixel column's envelope
// differs from its blocks' only by less than a pixel at the column's edges); two processes.
bool writeStore(const std::string& path, std::string* error) {
    core::store::StoreWriter w;
    if (!core::succeeded(w.create(path, {kInterval, true}), error)) return false;
    core::Timeline ring(8192);
    ring.metadata.platform = "Linux";
    ring.metadata.sampleInterval = kInterval;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0, 0.01);
    double p = 20;
    for (std::uint64_t i = 0; i < kTicks; ++i) {
        const double t = tickTime(i);
        ring.system.appendRow(t);
        const double cpu = 50 + 30 * std::sin(double(i) / 30000.0) + noise(rng);
        ring.system.setLast(ring.system.ensureColumn("cpu_percent"), cpu);
        ring.system.setLast(ring.system.ensureColumn("memory_percent"), 40 + 10 * std::cos(double(i) / 20000.0));
        for (int pid : {4100, 4200}) {
            core::SeriesTable& s = ring.process(pid).samples;
            s.appendRow(t);
            s.setLastText(s.ensureColumn("name", true), pid == 4100 ? "trainer" : "loader");
            p = std::clamp(p + noise(rng) * 5, 0.0, 400.0);
            s.setLast(s.ensureColumn("cpu_percent"), pid == 4100 ? p : 400 - p);
        }
        if (i % 4096 == 4095 || i + 1 == kTicks) {
            w.stage(ring);
            if (!core::succeeded(w.commit(), error)) return false;
        }
    }
    return core::succeeded(w.finish(), error);
}

// Runs the event loop until the level loader has nothing in flight.
bool settle(app::LevelLoader* levels) {
    return QTest::qWaitFor([&] { return levels->isActive() && !levels->isBusy(); }, 120000);  // a hang guard
}

core::PlotSeries systemCpu(const core::Timeline& tl) {
    core::PlotSeries s;
    core::syncSystemSeries(tl, core::ChartMetric::Cpu, s);
    return s;
}

}  // namespace

class TestLevelView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_levelview"));
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        m_path = m_dir.filePath(QStringLiteral("long.llrec"));
        std::string error;
        QVERIFY2(writeStore(m_path.toStdString(), &error), error.c_str());
        auto all = core::store::loadStore(m_path.toStdString());
        QVERIFY(all);
        QCOMPARE(all->timeline.system.size(), std::size_t(kTicks));
        m_all = std::make_shared<core::Recording>(std::move(*all));
    }

    // The window opens the store from its levels: far fewer ticks read than it holds, the
    // processes listed from its header with names, and every pixel column's envelope (min,
    // max, time-weighted mean) within a pixel of what the ticks themselves give; the pause is
    // drawn as a gap.
    void opensFromLevelsWithTheSameEnvelopes() {
        const std::uint64_t before = core::store::ticksReadCount();
        app::MainWindow w;
        w.resize(1700, 1000);
        w.show();
        QSignalSpy opened(&w, &app::MainWindow::fileOpened);
        w.openFile(m_path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QVERIFY(settle(w.levelLoader()));
        const std::uint64_t read = core::store::ticksReadCount() - before;
        QVERIFY2(read < kTicks / 100, qPrintable(QString::number(read)));
        QVERIFY(w.recording()->timeline.processes.count(4100));
        QVERIFY(w.recording()->timeline.processes.count(4200));

        widgets::TimelineView* view = w.timelineView();
        const auto levels = view->levels();
        QVERIFY(levels);
        QVERIFY(levels->level >= 1);
        // The whole recording is in view (from the levels, not just the ticks loaded).
        const auto [v0, v1] = view->viewRange();
        QVERIFY(v0 <= tickTime(0) + 1);
        QVERIFY(v1 >= tickTime(kTicks - 1) - 1);

        const int columns = 1600;
        const core::TimeMapping m{v0, v1, 0, double(columns)};
        const core::BlockSeries* blocks = levels->find(-1, "cpu_percent");
        QVERIFY(blocks && !blocks->empty());
        // The blocks are narrower than a column (the coarsest level that is).
        QVERIFY(std::pow(32.0, levels->level) * kInterval <= (v1 - v0) / columns);
        std::vector<core::ColumnEnvelope> fromLevels, fromTicks;
        core::decimateBlocks(*blocks, m, columns, fromLevels);
        const core::PlotSeries ticks = systemCpu(m_all->timeline);
        core::decimateToColumns(ticks.t, ticks.v, m, columns, 3 * kInterval, fromTicks);
        const double pixel = 100.0 / 900;  // value per pixel of a 900-pixel plot of 0..100 %
        int compared = 0, empty = 0, leftEmpty = 0;
        for (int c = 0; c < columns; ++c) {
            const auto& a = fromLevels[std::size_t(c)];
            const auto& b = fromTicks[std::size_t(c)];
            // Nothing drawn where no sample is. A block holding the pause's edge is drawn only
            // in the columns of its first and last sample (where its others lie is not stored):
            // a column or two beside the pause may be left empty, none filled.
            if (a.empty() != b.empty()) {
                QVERIFY2(a.empty(),
                         qPrintable(QStringLiteral("column %1 drawn from levels where no sample is").arg(c)));
                ++leftEmpty;
                continue;
            }
            if (a.empty()) {
                ++empty;
                continue;
            }
            ++compared;
            QVERIFY2(
                std::abs(a.lo - b.lo) <= pixel && std::abs(a.hi - b.hi) <= pixel && std::abs(a.mean - b.mean) <= pixel,
                qPrintable(QStringLiteral("column %1: levels %2..%3 (mean %4), ticks %5..%6 (mean %7)")
                               .arg(c)
                               .arg(a.lo)
                               .arg(a.hi)
                               .arg(a.mean)
                               .arg(b.lo)
                               .arg(b.hi)
                               .arg(b.mean)));
        }
        QVERIFY2(leftEmpty <= 2, qPrintable(QString::number(leftEmpty)));
        QVERIFY(compared > 1300);  // all but the pause (2,400 of ~18,000 s)
        QVERIFY(empty >= 200);     // the pause

        // The chart itself draws them: an image with the area where the data is.
        const QImage image = view->renderImage(QSize(1600, 900));
        QVERIFY(!image.isNull());

        // Selection statistics from whole blocks: the exact min/max of the blocks' samples.
        const double s0 = tickTime(20000), s1 = tickTime(120000);
        const widgets::SelectionStats stats = view->statsForRange(s0, s1);
        QCOMPARE(stats.level, levels->level);
        const core::RangeStats exact = core::rangeStats(ticks.t, ticks.v, s0, s1, 3 * kInterval);
        QVERIFY(stats.system.min >= exact.min - 1e-3 && stats.system.max <= exact.max + 1e-3);
        QVERIFY(std::abs(stats.system.mean - exact.mean) < 0.5);
        // Hover over the level data says what the block is.
        QVERIFY(view->describeTime(tickTime(50000)).contains(QStringLiteral("mean")));
    }

    // Zooming into a narrow range reads just its ticks (on a worker) and draws them: the raw
    // detail of the samples, hover on a real sample, statistics over the ticks.
    void zoomingInBringsBackTheTicks() {
        app::MainWindow w;
        w.resize(1700, 1000);
        w.show();
        QSignalSpy opened(&w, &app::MainWindow::fileOpened);
        w.openFile(m_path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QVERIFY(settle(w.levelLoader()));
        widgets::TimelineView* view = w.timelineView();
        const int baseLevel = view->levels()->level;

        // A middle range: a finer level's blocks for it.
        const double m0 = tickTime(40000), m1 = tickTime(40000 + 32 * 1600 * 8);
        view->zoomToRange(m0, m1);
        QVERIFY(settle(w.levelLoader()));
        if (baseLevel > 1) QVERIFY(view->levels()->level < baseLevel);

        // 60 s: ticks.
        const double t0 = tickTime(100000), t1 = tickTime(101000);
        const std::uint64_t before = core::store::ticksReadCount();
        view->zoomToRange(t0, t1);
        QVERIFY(settle(w.levelLoader()));
        const std::uint64_t read = core::store::ticksReadCount() - before;
        QVERIFY(read >= 1000 && read < 5000);
        const auto levels = view->levels();
        QVERIFY(levels->rawFrom <= t0 && levels->rawTo >= t1);
        const core::PlotSeries shown = systemCpu(*view->timeline());
        const auto [first, last] = core::visibleRows(shown.t, t0, t1);
        QVERIFY(last - first >= 1000);
        // Exactly the samples of the store.
        const core::PlotSeries all = systemCpu(m_all->timeline);
        const auto [afirst, alast] = core::visibleRows(all.t, t0, t1);
        QCOMPARE(last - first, alast - afirst);
        for (std::size_t k = 0; k < last - first; ++k) {
            QCOMPARE(shown.t[first + k], all.t[afirst + k]);
            QCOMPARE(shown.v[first + k], all.v[afirst + k]);
        }
        const widgets::SelectionStats stats = view->statsForRange(t0, t1);
        QCOMPARE(stats.level, 0);
        const core::RangeStats exact = core::rangeStats(all.t, all.v, t0, t1, 3 * kInterval);
        QCOMPARE(stats.system.count, exact.count);
        QCOMPARE(stats.system.max, exact.max);
        QVERIFY(!view->describeTime((t0 + t1) / 2).contains(QStringLiteral("mean")));

        // Back to the whole range: the base level again, without a read.
        view->resetZoom();
        QVERIFY(settle(w.levelLoader()));
        QCOMPARE(view->levels()->level, baseLevel);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::shared_ptr<core::Recording> m_all;
};

QTEST_MAIN(TestLevelView)
#include "tst_levelview.moc"
