// `loadline RUN.llrec` while `loadline-cli record -o RUN.llrec` writes it: the window shows what
// was committed and appends the ticks committed afterwards (like `tail -f`), read on a worker
// thread, until the recorder closes the store. A real recorder runs in the test.
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/mainwindow.h"
#include "app/gui/storefollower.h"
#include "core/format/recordingio.h"

using loadline::app::MainWindow;
using loadline::app::StoreFollower;

namespace {
const QString kCli = QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli");

std::size_t committedTicks(const QString& path) {
    const auto r = loadline::core::loadRecordingFile(path.toStdString());
    return r ? r->timeline.system.size() : 0;
}

/** Starts `loadline-cli record -o path`, sampling every 0.05 s and committing every 0.2 s. */
bool startRecorder(QProcess& recorder, const QString& path) {
    recorder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    recorder.start(kCli, {QStringLiteral("record"), QStringLiteral("-o"), path, QStringLiteral("--interval"),
                          QStringLiteral("0.05"), QStringLiteral("--checkpoint"), QStringLiteral("0.2")});
    return recorder.waitForStarted();
}
}  // namespace

class TestStoreFollow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_storefollow"));
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    }

    void followsARecordingInProgressUntilItIsClosed() {
        const QString path = m_dir.filePath(QStringLiteral("run.llrec"));
        QProcess recorder;
        QVERIFY2(startRecorder(recorder, path), qPrintable(recorder.errorString()));
        // Hang guards, not speed limits: the recorder commits every 0.2 s.
        QTRY_VERIFY_WITH_TIMEOUT(committedTicks(path) >= 2, 60000);

        MainWindow w;
        w.resize(1000, 700);
        w.storeFollower()->setPollInterval(100);
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        w.openFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        const auto shown = w.recording();
        QVERIFY(shown);
        const std::size_t first = shown->timeline.system.size();
        QVERIFY(first >= 2);
        QTRY_VERIFY_WITH_TIMEOUT(w.storeFollower()->isFollowing(), 60000);
        QVERIFY(w.statusText().contains(QStringLiteral("(following)")));

        // New ticks are appended to the same recording (not a reload) and the status counts them.
        QTRY_VERIFY_WITH_TIMEOUT(w.recording()->timeline.system.size() >= first + 10, 60000);
        QCOMPARE(w.recording().get(), shown.get());
        QVERIFY(w.statusText().contains(
            QStringLiteral("%1 samples").arg(QLocale().toString(qulonglong(w.recording()->timeline.system.size())))));

        // Saving while it grows writes a snapshot (the worker gets a copy, appends go on).
        QSignalSpy saved(&w, &MainWindow::saveFinished);
        const QString snap = m_dir.filePath(QStringLiteral("snapshot.json"));
        w.saveRecording(snap);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 60000);
        QVERIFY2(saved.at(0).at(1).toBool(), qPrintable(saved.at(0).at(2).toString()));
        QVERIFY(committedTicks(snap) >= first + 10);

        // The recorder ends (SIGTERM): the follower reads the last ticks, sees the store closed
        // and stops; the window then holds exactly what the store holds, each tick once.
        auto notClosed = [&w] {
            for (const QString& warning : w.warnings())
                if (warning.startsWith(QStringLiteral("the recording was not closed"))) return true;
            return false;
        };
        QVERIFY(notClosed());  // opened while being written: said so
        QSignalSpy finished(w.storeFollower(), &StoreFollower::finished);
        recorder.terminate();
        QVERIFY(recorder.waitForFinished(60000));
        QCOMPARE(recorder.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(!w.storeFollower()->isFollowing());
        QVERIFY(!w.statusText().contains(QStringLiteral("(following)")));
        QVERIFY(!notClosed());  // closed now: that warning no longer holds
        const auto fresh = loadline::core::loadRecordingFile(path.toStdString());
        QVERIFY(fresh);
        const auto& a = w.recording()->timeline.system;
        const auto& b = fresh->timeline.system;
        QCOMPARE(a.size(), b.size());
        QVERIFY(w.statusText().contains(QStringLiteral("%1 samples").arg(QLocale().toString(qulonglong(a.size())))));
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(a.timestamp(i), b.timestamp(i));
        QCOMPARE(w.recording()->timeline.processes.size(), fresh->timeline.processes.size());
        QCOMPARE(w.recording()->timeline.system.value("cpu_percent", a.size() - 1),
                 b.value("cpu_percent", b.size() - 1));
    }

    void aClosedStoreOrAJsonFileIsNotFollowed() {
        const QString path = m_dir.filePath(QStringLiteral("done.llrec"));
        QProcess recorder;
        recorder.start(kCli, {QStringLiteral("record"), QStringLiteral("-o"), path, QStringLiteral("--interval"),
                              QStringLiteral("0.05"), QStringLiteral("--samples"), QStringLiteral("5")});
        QVERIFY(recorder.waitForFinished(60000));
        QCOMPARE(recorder.exitCode(), 0);
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        QSignalSpy changed(w.storeFollower(), &StoreFollower::followingChanged);
        QSignalSpy finished(w.storeFollower(), &StoreFollower::finished);
        w.openFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(5));
        // One read says closed: following stops without ever starting.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(5));
        QVERIFY(!w.statusText().contains(QStringLiteral("(following)")));

        // A py-perf JSON file: the worker finds it is not a store and stops quietly.
        const QString json = m_dir.filePath(QStringLiteral("done.json"));
        QProcess convert;
        convert.start(kCli, {QStringLiteral("convert"), path, QStringLiteral("-o"), json});
        QVERIFY(convert.waitForFinished(60000));
        QCOMPARE(convert.exitCode(), 0);
        QSignalSpy failed(w.storeFollower(), &StoreFollower::failed);
        w.openFile(json);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.storeFollower()->path().isEmpty() || !w.storeFollower()->isFollowing(), 60000);
        QTest::qWait(300);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(changed.count(), 0);
    }

    // kill -9 of the recorder: the store stays open for good (its recorder is gone, the kernel
    // dropped its lock). Following stops with a message saying so, instead of polling forever,
    // and the window holds exactly what the store holds.
    void aKilledRecordersStoreStopsBeingFollowed() {
        const QString path = m_dir.filePath(QStringLiteral("killed.llrec"));
        QProcess recorder;
        QVERIFY2(startRecorder(recorder, path), qPrintable(recorder.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(committedTicks(path) >= 2, 60000);

        MainWindow w;
        w.storeFollower()->setPollInterval(100);
        QSignalSpy opened(&w, &MainWindow::fileOpened);
        QSignalSpy failed(w.storeFollower(), &StoreFollower::failed);
        QSignalSpy finished(w.storeFollower(), &StoreFollower::finished);
        w.openFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.storeFollower()->isFollowing(), 60000);
        QTest::qWait(500);  // several polls while the recorder lives: it keeps being followed
        QVERIFY(w.storeFollower()->isFollowing());
        QCOMPARE(failed.count(), 0);

        recorder.kill();
        QVERIFY(recorder.waitForFinished(60000));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        QCOMPARE(finished.count(), 0);  // not "closed": it was not
        QVERIFY(!w.storeFollower()->isFollowing());
        QVERIFY(!w.storeFollower()->isActive());
        const QString why = failed.at(0).at(0).toString();
        QVERIFY2(why.contains(QStringLiteral("ended without closing")), qPrintable(why));
        QVERIFY(!w.statusText().contains(QStringLiteral("(following)")));
        const std::size_t stored = committedTicks(path);
        QCOMPARE(w.recording()->timeline.system.size(), stored);
        QVERIFY2(why.contains(QStringLiteral("%1 sample").arg(stored)), qPrintable(why));
        QTest::qWait(300);  // and no poll after that
        QCOMPARE(failed.count(), 1);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStoreFollow)
#include "tst_storefollow.moc"
