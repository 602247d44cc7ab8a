// The main window: opening a fixture shows it (status bar, title, processes, chart pixels);
// a broken file keeps the old view and reports LINE:COLUMN; warnings are shown; save → reopen
// round trip; PNG export size and scale; drag and drop; recent files; cancelling a load;
// readable with a dark palette.
#include <QCheckBox>
#include <QDropEvent>
#include <QStyleFactory>
#include <QStyleOptionButton>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include "app/gui/agentdialog.h"
#include "app/gui/exportdialog.h"
#include "app/gui/mainwindow.h"
#include "app/gui/recentfiles.h"
#include "app/gui/recordingloader.h"
#include "app/gui/theme.h"
#include "core/format/recordingio.h"
#include "widgets/timelineview.h"

using loadline::app::AgentDialog;
using loadline::app::ExportDialog;
using loadline::app::MainWindow;
using loadline::app::RecentFiles;
using loadline::app::RecordingLoader;

namespace {
const QString kDataDir = QStringLiteral(LOADLINE_TEST_DATA "/app");
QString fixture(const char* name) { return kDataDir + QLatin1Char('/') + QLatin1String(name); }

/** Pixels within `tolerance` of color (per channel). */
int countColor(const QImage& image, QColor color, int tolerance = 6) {
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < img.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x)
            if (qAbs(qRed(line[x]) - color.red()) <= tolerance && qAbs(qGreen(line[x]) - color.green()) <= tolerance &&
                qAbs(qBlue(line[x]) - color.blue()) <= tolerance)
                ++n;
    }
    return n;
}

const QColor kLightBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);

/** With LOADLINE_TEST_SCREENSHOTS=DIR set, keeps what a test rendered for a person to look at. */
void keepForLooking(const QImage& image, const char* name) {
    const QString dir = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOTS");
    if (!dir.isEmpty()) image.save(dir + QLatin1Char('/') + QLatin1String(name) + QLatin1String(".png"));
}

bool openAndWait(MainWindow& w, const QString& path) {
    QSignalSpy opened(&w, &MainWindow::fileOpened);
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.openFile(path);
    return QTest::qWaitFor([&] { return opened.count() + failed.count() > 0; }, 60000) && opened.count() == 1;
}
}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    // The export dialog's path field shows the whole path (its start names the folder).
    void exportDialogShowsTheWholePath() {
        ExportDialog d;
        const QString path = QStringLiteral("/home/someone/load-tests/2026-12-03/charts/cpuburn-under-load.png");
        d.setPath(path);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* edit = d.findChild<QLineEdit*>(QStringLiteral("exportPath"));
        QVERIFY(edit);
        QVERIFY2(
            edit->width() >= edit->fontMetrics().horizontalAdvance(path) + 8,
            qPrintable(
                QStringLiteral("%1 px for %2 px").arg(edit->width()).arg(edit->fontMetrics().horizontalAdvance(path))));
        QCOMPARE(d.path(), path);
    }
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
    }

    void startsEmpty() {
        MainWindow w;
        QVERIFY(!w.recording());
        QCOMPARE(w.windowTitle(), QStringLiteral("loadline"));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("startPage"))->isVisibleTo(&w));
        QVERIFY(!w.timelineView()->isVisibleTo(&w));
    }

    void openingAFixtureShowsIt() {
        MainWindow w;
        w.resize(1200, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        QCoreApplication::processEvents();  // the status bar lays out its new texts

        QVERIFY(w.recording());
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(120));
        QCOMPARE(w.recording()->timeline.processes.size(), std::size_t(2));
        QCOMPARE(QFileInfo(w.currentFile()).fileName(), QStringLiteral("timeline.json"));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("timeline.json")));
        QVERIFY(w.timelineView()->isVisibleTo(&w));

        const QString status = w.statusText();
        QVERIFY2(status.contains(QStringLiteral("120 samples")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("every 0.5 s")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("timeline.json")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("(1:00)")), qPrintable(status));  // 119 × 0.5 s, rounded

        // Both processes are offered for the crimson line; the one sampled longest is chosen.
        auto* combo = w.findChild<QComboBox*>(QStringLiteral("processCombo"));
        QCOMPARE(combo->count(), 2);
        QCOMPARE(w.highlightedPid(), 4242);
        QCOMPARE(combo->currentData().toInt(), 4242);
        QVERIFY(combo->currentText().contains(QStringLiteral("python")));
        w.setHighlightedPid(777);
        QCOMPARE(combo->currentData().toInt(), 777);
        w.setHighlightedPid(4242);

        // The chart in the window draws the data: light-blue system area, crimson process line.
        const QImage shot = w.grab().toImage();
        keepForLooking(shot, "mainwindow-light");
        QVERIFY2(countColor(shot, kLightBlue) > 5000, "no light-blue system area in the window");
        QVERIFY2(countColor(shot, kCrimson, 20) > 100, "no crimson process line in the window");
        QVERIFY(w.warnings().isEmpty());

        // Recent files now start with it.
        QCOMPARE(RecentFiles().files().value(0), QFileInfo(fixture("timeline.json")).canonicalFilePath());
    }

    // Nothing hides behind the tool bars' overflow (») button in a 1280-px-wide window.
    void toolBarsFitA1280PixelWindow() {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, fixture("timeline.json")));  // the process box holds a name now
        QCoreApplication::processEvents();
        const auto bars = w.findChildren<QToolBar*>();
        QVERIFY(bars.size() >= 2);
        for (QToolBar* bar : bars) {
            for (QAction* a : bar->actions()) {
                if (!a->isVisible()) continue;  // hidden on purpose (live-only controls for a file)
                QWidget* shown = bar->widgetForAction(a);
                QVERIFY(shown);
                QVERIFY2(shown->isVisible(), qPrintable(bar->windowTitle() + QStringLiteral(": '") + a->iconText() +
                                                        QStringLiteral("' is in the overflow menu")));
            }
        }
    }

    // A label with a shortcut letter needs a buddy, or it shows a literal '&' ("&File:").
    void dialogLabelsWithShortcutsHaveBuddies() {
        ExportDialog exportDialog;
        AgentDialog agentDialog;
        for (QDialog* d : {static_cast<QDialog*>(&exportDialog), static_cast<QDialog*>(&agentDialog)}) {
            int mnemonics = 0;
            for (QLabel* label : d->findChildren<QLabel*>()) {
                const QString text = label->text();
                if (label->textFormat() == Qt::RichText || !text.contains(QRegularExpression(QStringLiteral("&[^&]"))))
                    continue;
                ++mnemonics;
                QVERIFY2(label->buddy(), qPrintable(d->metaObject()->className() + QStringLiteral(": ") + text));
            }
            QVERIFY(mnemonics > 0);
        }
        // The token field shows its whole hint ("only if the agent was started with --token-file").
        agentDialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&agentDialog));
        auto* token = agentDialog.findChild<QLineEdit*>(QStringLiteral("agentToken"));
        QVERIFY(token);
        QVERIFY2(token->width() > token->fontMetrics().horizontalAdvance(token->placeholderText()),
                 qPrintable(QString::number(token->width())));
    }

    void brokenFileKeepsTheViewAndReportsLineColumn() {
        MainWindow w;
        w.resize(1000, 600);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        const auto before = w.recording();
        const QImage chartBefore = w.timelineView()->renderImage(QSize(800, 450));
        const QString statusBefore = w.statusText();
        QVERIFY2(statusBefore.contains(QStringLiteral("120 samples")), qPrintable(statusBefore));

        QSignalSpy failed(&w, &MainWindow::openFailed);
        w.openFile(fixture("broken.json"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        const QString message = failed.first().at(1).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("broken\\.json:4:\\d+: ")).match(message).hasMatch(),
                 qPrintable(message));

        // The dialog shows the loader's message.
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"));
        QVERIFY(box);
        QCOMPARE(box->text(), message);
        box->close();

        // Nothing was replaced: same recording, same file, same pixels.
        QCOMPARE(w.recording(), before);
        QCOMPARE(QFileInfo(w.currentFile()).fileName(), QStringLiteral("timeline.json"));
        QCOMPARE(w.statusText(), statusBefore);
        QCOMPARE(w.timelineView()->renderImage(QSize(800, 450)), chartBefore);
        QVERIFY(countColor(chartBefore, kLightBlue) > 5000);
    }

    // Interval and live window mean nothing for a file: hidden while one is shown.
    void liveOnlyControlsHiddenWhileAFileIsShown() {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* interval = w.findChild<QDoubleSpinBox*>(QStringLiteral("intervalBox"));
        auto* window = w.findChild<QDoubleSpinBox*>(QStringLiteral("windowBox"));
        auto* start = w.findChild<QAction*>(QStringLiteral("startToolAction"));
        QVERIFY(interval && window && start);
        auto* bar = w.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
        QVERIFY(bar && bar->widgetForAction(start));
        QVERIFY(interval->isVisible() && window->isVisible());  // nothing shown yet: live is what comes
        QVERIFY(bar->widgetForAction(start)->isVisible());
        interval->setValue(2.0);  // the live setting: not the file's
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        QCoreApplication::processEvents();
        QVERIFY(!interval->isVisible());
        QVERIFY(!window->isVisible());
        QVERIFY(!bar->widgetForAction(start)->isVisible());
        // The Live menu still goes live from a file (F5).
        const auto liveMenu = w.menu(MainWindow::Menu::Live)->actions();
        QVERIFY(std::any_of(liveMenu.cbegin(), liveMenu.cend(), [](QAction* a) {
            return a->shortcut() == QKeySequence(Qt::Key_F5) && a->isVisible() && a->isEnabled();
        }));
        // The status bar gives the file's interval (0.5 s), not the live one.
        QVERIFY2(w.statusText().contains(QStringLiteral("every 0.5 s")), qPrintable(w.statusText()));
        QVERIFY2(!w.statusText().contains(QStringLiteral("every 2 s")), qPrintable(w.statusText()));
        // A failed open keeps the file on screen, and the tool bar with it.
        QSignalSpy failed(&w, &MainWindow::openFailed);
        w.openFile(fixture("broken.json"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        if (auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))) box->close();
        QVERIFY(!interval->isVisible());
        QVERIFY(!bar->widgetForAction(start)->isVisible());
    }

    // After a failed open the tool bar describes the chart still on screen: its processes in the
    // Process box (the crimson one current), Others as drawn; with nothing on screen, no process.
    void failedOpenKeepsTheToolBarMatchingTheChart() {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* combo = w.findChild<QComboBox*>(QStringLiteral("processCombo"));
        QAction* others = nullptr;
        for (QAction* a : w.menu(MainWindow::Menu::View)->actions())
            if (a->iconText() == QLatin1String("Others")) others = a;
        QVERIFY(combo && others);
        auto failOpen = [&] {
            QSignalSpy failed(&w, &MainWindow::openFailed);
            w.openFile(fixture("broken.json"));
            if (!QTest::qWaitFor([&] { return failed.count() == 1; }, 60000)) return false;
            if (auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))) box->close();
            QCoreApplication::processEvents();
            return true;
        };
        // Nothing shown: no process to choose, no others to draw.
        QVERIFY(failOpen());
        QVERIFY(!w.recording());
        QVERIFY(!combo->isEnabled());
        QVERIFY(combo->currentData().toInt() < 0);
        QVERIFY(!others->isEnabled());
        QCOMPARE(w.timelineView()->highlightedPid(), -1);

        // A file shown, its second process chosen, then a failed open.
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        const auto& processes = w.recording()->timeline.processes;
        QVERIFY(processes.size() >= 2);
        const int second = std::next(processes.begin())->first;
        w.setHighlightedPid(second);
        QVERIFY(failOpen());
        QVERIFY(combo->isEnabled() && others->isEnabled());
        QCOMPARE(combo->count(), int(processes.size()));
        QCOMPARE(combo->currentData().toInt(), second);
        QCOMPARE(w.timelineView()->highlightedPid(), second);
        QCOMPARE(others->isChecked(), !w.timelineView()->extraPids().isEmpty());
        QVERIFY(!w.timelineView()->extraPids().contains(second));
    }

    // An empty Warnings panel says so; the placeholder is not a warning.
    void emptyWarningsPanelSaysNoWarnings() {
        MainWindow w;
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        QVERIFY(w.warnings().isEmpty());
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("warningsPanel"));
        QVERIFY(dock);
        auto* list = qobject_cast<QListWidget*>(dock->widget());
        QVERIFY(list);
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), QStringLiteral("No warnings"));
        QCOMPARE(dock->windowTitle(), QStringLiteral("Warnings"));
    }

    void missingFileReportsItsPath() {
        MainWindow w;
        QSignalSpy failed(&w, &MainWindow::openFailed);
        w.openFile(m_settingsDir.filePath(QStringLiteral("no-such-file.json")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("no-such-file.json")));
        QVERIFY(!w.recording());
    }

    void warningsAreShown() {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, fixture("skipped.json")));
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(2));
        QVERIFY(!w.warnings().isEmpty());
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("warningsPanel"));
        QVERIFY(dock && dock->isVisible());
        // One skipped sample: its line (with the file's line number) and a summary line, which
        // is no defect of its own: the title counts 1.
        QCOMPARE(w.warnings().size(), 2);
        QVERIFY2(w.warnings().first().startsWith(QStringLiteral("line 4: system[1]")),
                 qPrintable(w.warnings().first()));
        QCOMPARE(dock->windowTitle(), QStringLiteral("Warnings (1)"));
        // Two lines of warnings take a small strip, the chart keeps the window.
        QCoreApplication::processEvents();
        QVERIFY2(dock->height() < w.timelineView()->height() / 3,
                 qPrintable(QStringLiteral("%1 vs chart %2").arg(dock->height()).arg(w.timelineView()->height())));
    }

    void saveAndReopenRoundTrip() {
        MainWindow w;
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        const QString out = m_settingsDir.filePath(QStringLiteral("saved.json"));
        QSignalSpy saved(&w, &MainWindow::saveFinished);
        w.saveRecording(out);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 60000);
        QVERIFY2(saved.first().at(1).toBool(), qPrintable(saved.first().at(2).toString()));

        MainWindow again;
        QVERIFY(openAndWait(again, out));
        const auto& a = w.recording()->timeline;
        const auto& b = again.recording()->timeline;
        QCOMPARE(b.system.size(), a.system.size());
        QCOMPARE(b.processes.size(), a.processes.size());
        for (std::size_t i = 0; i < a.system.size(); ++i) {
            QCOMPARE(b.system.timestamp(i), a.system.timestamp(i));
            QCOMPARE(b.system.value("cpu_percent", i), a.system.value("cpu_percent", i));
            QCOMPARE(b.system.value("memory_percent", i), a.system.value("memory_percent", i));
        }
        const auto& pa = a.processes.at(4242).samples;
        const auto& pb = b.processes.at(4242).samples;
        QCOMPARE(pb.size(), pa.size());
        QCOMPARE(pb.value("cpu_percent", 7), pa.value("cpu_percent", 7));
        QCOMPARE(b.processes.at(4242).latestText("cmdline"), std::string_view("python my_script.py"));
        QCOMPARE(b.metadata.sampleInterval, a.metadata.sampleInterval);
    }

    void exportPngHasSizeTimesScale() {
        MainWindow w;
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        const QString out = m_settingsDir.filePath(QStringLiteral("chart.png"));
        QString error;
        QVERIFY2(w.exportPng(out, QSize(800, 450), 2.0, &error), qPrintable(error));
        QImage image(out);
        QCOMPARE(image.size(), QSize(1600, 900));
        QVERIFY(countColor(image, kLightBlue) > 10000);
        QVERIFY(countColor(image, kCrimson, 20) > 100);

        QVERIFY(
            !w.exportPng(m_settingsDir.filePath(QStringLiteral("no/such/dir/x.png")), QSize(800, 450), 1.0, &error));
        QVERIFY(error.contains(QStringLiteral("x.png")));
    }

    // Export PNG is what the window shows: a performance summary's calls lane is inside the
    // exported chart by default (the dialog's check box leaves it out).
    void exportPngDrawsTheWindowsLanes() {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(openAndWait(w, QStringLiteral(LOADLINE_TEST_DATA "/pyperf/summary_quiet.json")));
        QVERIFY(ExportDialog().withLanes());
        const QString withLanes = m_settingsDir.filePath(QStringLiteral("lanes.png"));
        const QString without = m_settingsDir.filePath(QStringLiteral("nolanes.png"));
        QString error;
        QVERIFY2(w.exportPng(withLanes, QSize(1000, 500), 1.0, &error), qPrintable(error));
        QVERIFY2(w.exportPng(without, QSize(1000, 500), 1.0, &error, false), qPrintable(error));
        const QImage a(withLanes), b(without);
        QCOMPARE(a.size(), QSize(1000, 500));
        QCOMPARE(b.size(), QSize(1000, 500));
        keepForLooking(a, "export_window_lanes");
        // The calls lane's first function colour (golden-angle hue 0) under the plot.
        const QColor first = QColor::fromHsv(0, 150, 215);
        const QImage bottomA = a.copy(0, 400, 1000, 100), bottomB = b.copy(0, 400, 1000, 100);
        QVERIFY2(countColor(bottomA, first, 2) > 100, qPrintable(QString::number(countColor(bottomA, first, 2))));
        QCOMPARE(countColor(bottomB, first, 2), 0);
    }

    void droppingAFileOpensIt() {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(fixture("timeline.json"))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(120));

        QMimeData text;
        text.setText(QStringLiteral("not a file"));
        QDragEnterEvent rejected(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        rejected.setAccepted(false);
        QApplication::sendEvent(&w, &rejected);
        QVERIFY(!rejected.isAccepted());
    }

    void cancelledLoadNeverArrives() {
        RecordingLoader loader;
        QSignalSpy loaded(&loader, &RecordingLoader::loaded);
        QSignalSpy cancelled(&loader, &RecordingLoader::cancelled);
        loader.load(fixture("timeline.json"));
        QVERIFY(loader.isRunning());
        loader.cancel();
        QVERIFY(!loader.isRunning());
        QCOMPARE(cancelled.count(), 1);
        // Let the worker finish and deliver whatever it would; the cancelled result is dropped.
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(loaded.count(), 0);

        // A second load after a cancel works, and superseding drops the first.
        loader.load(fixture("broken.json"));
        loader.load(fixture("timeline.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
        QCOMPARE(loaded.first().at(0).toString(), fixture("timeline.json"));
    }

    // Cancel reaches the parser: the worker's load sees the flag and stops (cancelled result),
    // however small the file (progress callbacks alone come only every 8 MB).
    void cancelStopsTheParser() {
        auto seen = std::make_shared<std::atomic_int>(0);  // 1 cancelled, 2 no flag, 3 ran to the end
        RecordingLoader loader(nullptr, [seen](const std::string& path, const loadline::core::LoadOptions& o) {
            if (!o.cancel) {
                *seen = 2;
                return loadline::core::loadRecordingFile(path, o);
            }
            for (int i = 0; i < 6000 && !o.cancel->load(); ++i)  // until Cancel is pressed (bounded)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            auto r = loadline::core::loadRecordingFile(path, o);
            *seen = (!r && r.error().kind == loadline::core::ErrorKind::Cancelled) ? 1 : 3;
            return r;
        });
        QSignalSpy loaded(&loader, &RecordingLoader::loaded);
        loader.load(fixture("timeline.json"));
        loader.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(seen->load() != 0, 60000);
        QCOMPARE(seen->load(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(loaded.count(), 0);
    }

    // File → Quit with a worker stuck for ever: the process still exits.
    void quitDoesNotWaitForAStuckWorker() {
        QProcess helper;
        helper.start(QStringLiteral(LOADLINE_STUCK_LOADER_QUIT), {});
        QVERIFY(helper.waitForStarted(60000));
        const bool exited = helper.waitForFinished(60000);  // bounded: hangs for ever when broken
        if (!exited) helper.kill();
        QVERIFY2(exited, "the process did not exit with its loader worker stuck");
        QCOMPARE(helper.exitCode(), 0);
        QVERIFY(helper.readAllStandardOutput().contains("quit"));
    }

    void cancellingAnOpenKeepsTheView() {
        MainWindow w;
        w.show();
        QVERIFY(openAndWait(w, fixture("timeline.json")));
        const auto before = w.recording();
        auto* progress = w.findChild<QProgressBar*>();
        QVERIFY(progress && progress->isHidden());
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        w.openFile(fixture("skipped.json"));
        QVERIFY(progress->isVisible());  // the progress bar and Cancel appear at once
        w.loader()->cancel();
        QVERIFY(progress->isHidden());
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(opened.count(), 0);
        QCOMPARE(w.recording(), before);
        QVERIFY(w.statusText().contains(QStringLiteral("timeline.json")));
    }

    void settingsAreRemembered() {
        {
            MainWindow w;
            w.setLiveInterval(1.5);
            w.setLiveWindow(120);
            w.resize(900, 555);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.close();
        }
        MainWindow w;
        QCOMPARE(w.findChild<QDoubleSpinBox*>(QStringLiteral("intervalBox"))->value(), 1.5);
        QCOMPARE(w.findChild<QDoubleSpinBox*>(QStringLiteral("windowBox"))->value(), 2.0);
        QCOMPARE(w.size(), QSize(900, 555));
        w.setLiveInterval(0.5);
        w.setLiveWindow(300);
    }

    void readableWithADarkPalette() {
        const QPalette old = qApp->palette();
        qApp->setPalette(loadline::app::darkPalette());
        {
            MainWindow w;
            w.resize(1000, 600);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(openAndWait(w, fixture("timeline.json")));
            QCoreApplication::processEvents();  // the status bar lays out its new texts
            const QImage shot = w.grab().toImage();
            keepForLooking(shot, "mainwindow-dark");
            // The window chrome follows the palette (dark background) and the status bar text is light.
            QWidget* bar = w.statusBar();
            const QColor background = shot.pixelColor(3, bar->geometry().center().y());
            QVERIFY2(background.lightnessF() < 0.3, qPrintable(background.name()));
            const QImage status = bar->grab().toImage();
            int light = 0;
            for (int y = 0; y < status.height(); ++y)
                for (int x = 0; x < status.width(); ++x) light += status.pixelColor(x, y).lightnessF() > 0.7;
            QVERIFY2(light > 50, "no light text in the status bar");
            QVERIFY(countColor(shot, kLightBlue) > 5000);
        }
        qApp->setPalette(old);
    }

    void darkThemeCheckBoxesHaveAVisibleOutline() {
        // The brightest pixel of an unchecked box's outline against the dark Base colour.
        auto outlineContrast = [](QStyle* style) {
            QCheckBox box(QStringLiteral("Track"));
            box.setStyle(style);
            box.setPalette(loadline::app::darkPalette());
            box.resize(box.sizeHint());
            const QImage img = box.grab().toImage();
            QStyleOptionButton opt;
            opt.initFrom(&box);
            const QRect indicator = style->subElementRect(QStyle::SE_CheckBoxIndicator, &opt, &box);
            double brightest = 0;
            for (int y = indicator.top(); y <= indicator.bottom(); ++y)
                for (int x = indicator.left(); x <= indicator.right(); ++x)
                    brightest = std::max(brightest, double(img.pixelColor(x, y).lightnessF()));
            return brightest - loadline::app::darkPalette().color(QPalette::Base).lightnessF();
        };
        std::unique_ptr<QStyle> dark(loadline::app::createThemeStyle(loadline::app::Theme::Dark));
        std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        const double ours = outlineContrast(dark.get()), plain = outlineContrast(fusion.get());
        QVERIFY2(ours > 0.25, qPrintable(QString::number(ours)));
        QVERIFY2(plain < 0.1, qPrintable(QString::number(plain)));  // the problem this style fixes
    }

    void darkThemeCheckedToolButtonsStandOut() {
        // Mean colour distance between a checked and an unchecked tool button (CPU vs Memory).
        auto checkedContrast = [](QStyle* style) {
            auto render = [style](bool checked) {
                QToolButton b;
                b.setStyle(style);
                b.setPalette(loadline::app::darkPalette());
                b.setText(QStringLiteral("CPU"));
                b.setCheckable(true);
                b.setAutoRaise(true);  // as on a tool bar
                b.setChecked(checked);
                b.resize(60, 26);
                return b.grab().toImage();
            };
            const QImage on = render(true), off = render(false);
            double sum = 0;
            for (int y = 0; y < on.height(); ++y)
                for (int x = 0; x < on.width(); ++x) {
                    const QColor a = on.pixelColor(x, y), b = off.pixelColor(x, y);
                    sum += std::abs(a.redF() - b.redF()) + std::abs(a.greenF() - b.greenF()) +
                           std::abs(a.blueF() - b.blueF());
                }
            return sum / (on.width() * on.height());
        };
        std::unique_ptr<QStyle> dark(loadline::app::createThemeStyle(loadline::app::Theme::Dark));
        std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        const double ours = checkedContrast(dark.get()), plain = checkedContrast(fusion.get());
        QVERIFY2(ours > 2 * plain && ours > 0.3, qPrintable(QStringLiteral("%1 vs Fusion %2").arg(ours).arg(plain)));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
