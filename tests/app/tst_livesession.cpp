// The live bridge: a real sampler at a short interval feeds the GUI thread's timeline through
// queued calls; tracked processes get series; a process that exits is normal; the interval can
// change while running; the main window follows; the process scanner delivers rows.
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QSignalSpy>
#include <QTest>

#include "app/gui/livesession.h"
#include "app/gui/mainwindow.h"
#include "app/gui/processscanner.h"

using loadline::app::LiveSession;
using loadline::app::MainWindow;
using loadline::app::ProcessScanner;

class TestLiveSession : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_livesession"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void appendsSamplesOnTheGuiThread() {
        LiveSession live;
        QSignalSpy appended(&live, &LiveSession::samplesAppended);
        const int self = static_cast<int>(QCoreApplication::applicationPid());
        live.setTrackedPids({self});
        QSignalSpy started(&live, &LiveSession::started);
        QSignalSpy failed(&live, &LiveSession::startFailed);
        live.start(0.05);
        QVERIFY(live.isRunning());  // starting counts as running
        QTRY_VERIFY_WITH_TIMEOUT(started.count() + failed.count() == 1, 30000);
        QCOMPARE(failed.count(), 0);
        const auto recording = live.recording();
        QVERIFY(recording);
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.system.size() >= 4, 30000);
        QVERIFY(appended.count() >= 1);

        const auto& system = recording->timeline.system;
        for (std::size_t i = 1; i < system.size(); ++i) QVERIFY(system.timestamp(i) > system.timestamp(i - 1));
        for (std::size_t i = 0; i < system.size(); ++i) {
            const double cpu = system.value("cpu_percent", i);
            QVERIFY2(cpu >= 0 && cpu <= 100.001, qPrintable(QString::number(cpu)));
            QVERIFY(system.value("memory_percent", i) > 0);
        }
        QVERIFY(recording->timeline.metadata.startTime);
        QCOMPARE(*recording->timeline.metadata.endTime, system.timestamp(system.size() - 1));
        QCOMPARE(*recording->timeline.metadata.sampleInterval, 0.05);

        // This process is tracked: its series fills in step with the system.
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.processes.count(self) == 1 &&
                                     recording->timeline.processes.at(self).samples.size() >= 2,
                                 30000);
        QCOMPARE(recording->timeline.processes.at(self).latestText("name"), std::string_view("tst_livesession"));

        live.stop();
        QVERIFY(!live.isRunning());
        const std::size_t rows = system.size();
        QCoreApplication::processEvents();  // a drain already queued finds nothing new
        QCOMPARE(system.size(), rows);
        QCOMPARE(live.recording(), recording);  // the data stays after Stop
    }

    void intervalChangeKeepsTheRecording() {
        LiveSession live;
        live.start(0.05);
        const auto recording = live.recording();
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.system.size() >= 2, 30000);
        live.setInterval(0.02);
        QVERIFY(live.isRunning());
        QCOMPARE(live.recording(), recording);
        const std::size_t before = recording->timeline.system.size();
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.system.size() >= before + 3, 30000);
        QCOMPARE(*recording->timeline.metadata.sampleInterval, 0.02);
    }

    void trackedProcessThatExitsIsNormal() {
        QProcess child;
        child.start(QStringLiteral("sleep"), {QStringLiteral("60")});
        QVERIFY(child.waitForStarted());
        const int pid = static_cast<int>(child.processId());

        LiveSession live;
        QSignalSpy started(&live, &LiveSession::started);
        live.start(0.05);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 30000);
        live.setTrackedPids({pid});  // tracking while running
        const auto recording = live.recording();
        QTRY_VERIFY_WITH_TIMEOUT(
            recording->timeline.processes.count(pid) == 1 && recording->timeline.processes.at(pid).samples.size() >= 2,
            30000);
        child.kill();
        QVERIFY(child.waitForFinished());
        const std::size_t systemRows = recording->timeline.system.size();
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.system.size() >= systemRows + 4, 30000);
        QVERIFY(live.isRunning());
        // Its history stays; the process simply has no newer samples.
        const auto& samples = recording->timeline.processes.at(pid).samples;
        QVERIFY(samples.timestamp(samples.size() - 1) <
                recording->timeline.system.timestamp(recording->timeline.system.size() - 1));
    }

    void tracksProcessesMatchingAPattern() {
        LiveSession live;
        QString error;
        QVERIFY(!live.addTrackPattern(QStringLiteral("(unclosed"), &error));
        QVERIFY(error.contains(QStringLiteral("(unclosed")));
        QSignalSpy started(&live, &LiveSession::started);
        live.start(0.05);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 30000);
        // A pattern added while sampling is checked against every running process. `--track`
        // matches the process name: a program named llgui-probe, not the shell whose command
        // line merely mentions that word. `--track-cmdline` matches the command line.
        QTemporaryDir bin;
        QVERIFY(bin.isValid());
        const QString named = bin.filePath(QStringLiteral("llgui-probe"));
        QVERIFY(QFile::copy(QStringLiteral("/bin/sleep"), named));
        QVERIFY(QFile::setPermissions(named, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QProcess byName, mentions;
        byName.start(named, {QStringLiteral("60")});
        mentions.start(QStringLiteral("/bin/sh"),
                       {QStringLiteral("-c"), QStringLiteral("read x"), QStringLiteral("llgui-probe")});
        QVERIFY(byName.waitForStarted());
        QVERIFY(mentions.waitForStarted());
        const int namedPid = static_cast<int>(byName.processId());
        const int shellPid = static_cast<int>(mentions.processId());
        QVERIFY(live.addTrackPattern(QStringLiteral("llgui-probe"), &error));
        const auto recording = live.recording();
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.processes.count(namedPid) == 1, 30000);
        const std::size_t rows = recording->timeline.system.size();
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.system.size() >= rows + 4, 30000);  // more ticks
        QCOMPARE(recording->timeline.processes.count(shellPid), std::size_t(0));
        QVERIFY(live.addTrackPattern(QStringLiteral("read x llgui-probe$"), &error, LiveSession::Match::Cmdline));
        QTRY_VERIFY_WITH_TIMEOUT(recording->timeline.processes.count(shellPid) == 1, 30000);
        QCOMPARE(live.trackCmdlinePatterns(), QStringList{QStringLiteral("read x llgui-probe$")});
        byName.kill();
        mentions.kill();
        byName.waitForFinished();
        mentions.waitForFinished();
    }

    void stopWhileStartingLeavesNothingRunning() {
        LiveSession live;
        QSignalSpy started(&live, &LiveSession::started);
        live.start(0.02);
        live.stop();  // before the worker's start was taken
        QVERIFY(!live.isRunning());
        const std::size_t rows = live.recording()->timeline.system.size();
        // A tick that would still arrive would be appended by a queued drain: run the queue
        // until the worker's finished() was delivered too, then nothing may have changed.
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(started.count(), 0);
        QVERIFY(!live.isRunning());
        QCOMPARE(live.recording()->timeline.system.size(), rows);
    }

    void mainWindowFollowsLiveData() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setLiveInterval(0.05);
        QVERIFY(w.startLive());
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Live: ")));
        QTRY_VERIFY_WITH_TIMEOUT(w.recording() && w.recording()->timeline.system.size() >= 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusText().contains(QStringLiteral("every 0.05 s")), 30000);
        const QString status = w.statusText();
        QVERIFY2(status.contains(QStringLiteral("Live: ")), qPrintable(status));
        const std::size_t n = w.recording()->timeline.system.size();
        QTRY_VERIFY_WITH_TIMEOUT(
            w.statusText().contains(QStringLiteral(" samples")) && w.recording()->timeline.system.size() > n, 30000);
        w.stopLive();
        QVERIFY(!w.liveSession()->isRunning());
        QVERIFY(w.statusText().contains(QStringLiteral("Live (stopped)")));
        w.setLiveInterval(0.5);
    }

    void scannerListsThisProcess() {
        ProcessScanner scanner;
        QSignalSpy scanned(&scanner, &ProcessScanner::scanned);
        scanner.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 30000);
        const auto rows = scanned.first().first().value<QVector<loadline::widgets::ProcessRow>>();
        const int self = static_cast<int>(QCoreApplication::applicationPid());
        auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.pid == self; });
        QVERIFY(it != rows.end());
        QCOMPARE(it->name, QStringLiteral("tst_livesession"));
        QVERIFY(it->cmdline.contains(QStringLiteral("tst_livesession")));
        QVERIFY(it->memoryPercent > 0);
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestLiveSession)
#include "tst_livesession.moc"
