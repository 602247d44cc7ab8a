// The status bar's fields on their own, in a bare QMainWindow: what they say for nothing shown
// and for a recording (samples, interval, time range, the source's line), and the progress of a
// file being opened, which Cancel (Esc) cancels and which goes away however the load ends.
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QThread>
#include <QToolButton>

#include "app/gui/datasources.h"
#include "app/gui/recordingloader.h"
#include "app/gui/statuspanel.h"
#include "core/format/recordingio.h"

using loadline::app::PrometheusSource;
using loadline::app::RecordingLoader;
using loadline::app::StatusPanel;
namespace core = loadline::core;

class TestStatusPanel : public QObject {
    Q_OBJECT
private slots:
    void saysWhatIsShown() {
        QMainWindow window;
        RecordingLoader loader;
        StatusPanel panel(window.statusBar(), &loader);
        panel.update(nullptr, nullptr);
        QCOMPARE(panel.text(), QStringLiteral("No file"));

        core::LoadResult r = core::loadRecordingFile(LOADLINE_TEST_DATA "/app/timeline.json");
        QVERIFY(r);
        auto recording = std::make_shared<core::Recording>(std::move(*r));
        PrometheusSource source(recording, QStringLiteral("node-a"));
        panel.update(&recording->timeline, &source);
        const QStringList fields = panel.text().split(QStringLiteral(" | "));
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields[0], QStringLiteral("120 samples"));
        QCOMPARE(fields[1], QStringLiteral("every 0.5 s"));
        QVERIFY2(fields[2].endsWith(QStringLiteral("(1:00)")), qPrintable(fields[2]));  // 119 × 0.5 s, rounded
        QCOMPARE(fields[3], source.statusLabel());

        // A recording with no rows yet (live sampling that just started).
        auto empty = std::make_shared<core::Recording>();
        PrometheusSource none(empty, QStringLiteral("node-b"));
        panel.update(&empty->timeline, &none);
        QVERIFY2(panel.text().startsWith(QStringLiteral("0 samples | interval unknown | no samples")),
                 qPrintable(panel.text()));
    }

    void showsTheProgressOfALoadUntilItEnds() {
        QMainWindow window;
        RecordingLoader loader;
        StatusPanel panel(window.statusBar(), &loader);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* progress = window.findChild<QProgressBar*>();
        auto* cancel = window.findChild<QToolButton*>();
        QVERIFY(progress && cancel);
        QVERIFY(!progress->isVisible());

        // A load that fails: the progress goes.
        panel.showProgress();
        QVERIFY(progress->isVisible() && cancel->isVisible());
        QCOMPARE(progress->value(), 0);
        QSignalSpy failed(&loader, &RecordingLoader::failed);
        loader.load(QStringLiteral("/nonexistent/run.json"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        QVERIFY(!progress->isVisible() && !cancel->isVisible());

        // Cancel cancels the loader, says so, and the progress goes.
        RecordingLoader slow(nullptr, [](const std::string&, const core::LoadOptions& options) {
            // Until cancelled (a minute at most, so a broken cancel cannot hang the test).
            for (int i = 0; i < 12000 && !(options.cancel && options.cancel->load()); ++i) QThread::msleep(5);
            return core::LoadResult{};
        });
        StatusPanel slowPanel(window.statusBar(), &slow);
        QSignalSpy cancelled(&slow, &RecordingLoader::cancelled);
        slowPanel.showProgress();
        slow.load(QStringLiteral("/data/long.json"));
        auto* slowCancel = window.findChildren<QToolButton*>().last();
        QVERIFY(slowCancel->isVisible());
        QTest::mouseClick(slowCancel, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
        QVERIFY(!slowCancel->isVisible());
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Opening long.json cancelled"));
    }
};

QTEST_MAIN(TestStatusPanel)
#include "tst_statuspanel.moc"
