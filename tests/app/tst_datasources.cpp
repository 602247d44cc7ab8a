// What the main window shows, as DataSource objects: each kind (file, live, agent, Prometheus,
// baseline) says whether it is live, its title and status line; and switching the window from a
// file to live sampling to an agent and back to a file leaves nothing of the old sources behind
// (their workers' signals no longer reach the window).
#include <QDoubleSpinBox>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/agentclient.h"
#include "app/gui/datasources.h"
#include "app/gui/livesession.h"
#include "app/gui/mainwindow.h"
#include "app/gui/storefollower.h"
#include "core/format/recordingio.h"
#include "widgets/timelineview.h"

using loadline::app::AgentClient;
using loadline::app::AgentEndpoint;
using loadline::app::AgentSource;
using loadline::app::BaselineSource;
using loadline::app::DataSource;
using loadline::app::FileSource;
using loadline::app::LiveSession;
using loadline::app::LiveSource;
using loadline::app::MainWindow;
using loadline::app::PrometheusSource;
using loadline::app::StoreFollower;
namespace core = loadline::core;

namespace {
const QString kTimeline = QStringLiteral(LOADLINE_TEST_DATA "/app/timeline.json");
const QString kHost = QSysInfo::machineHostName();

std::shared_ptr<core::Recording> load(const QString& path) {
    core::LoadResult r = core::loadRecordingFile(path.toStdString());
    if (!r) return nullptr;
    return std::make_shared<core::Recording>(std::move(*r));
}

bool openAndWait(MainWindow& w, const QString& path) {
    QSignalSpy opened(&w, &MainWindow::fileOpened);
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.openFile(path);
    return QTest::qWaitFor([&] { return opened.count() + failed.count() > 0; }, 60000) && opened.count() == 1;
}

/** An agent endpoint nothing answers on: the client keeps retrying, never receives data. */
AgentEndpoint deadAgent() {
    AgentEndpoint e;
    e.host = QStringLiteral("127.0.0.1");
    e.port = 1;
    return e;
}

bool errorDialogShown(const MainWindow& w) {
    for (auto* box : w.findChildren<QMessageBox*>(QStringLiteral("errorDialog")))
        if (box->isVisible()) return true;
    return false;
}
}  // namespace

class TestDataSources : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_datasources"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
    }

    void fileSource() {
        auto rec = load(kTimeline);
        QVERIFY(rec);
        StoreFollower follower;
        FileSource s(QFileInfo(kTimeline).absoluteFilePath(), rec, &follower);
        QCOMPARE(s.kind(), DataSource::Kind::File);
        QVERIFY(!s.isLive());
        QCOMPARE(s.recording(), rec);
        QCOMPARE(s.title(), QStringLiteral("timeline.json"));
        QCOMPARE(s.statusLabel(), QStringLiteral("timeline.json"));
        QCOMPARE(s.path(), QFileInfo(kTimeline).absoluteFilePath());
        QCOMPARE(s.sampleInterval(), rec->timeline.metadata.sampleInterval);
        QVERIFY(s.sampleInterval().has_value());
        s.start();  // a py-perf JSON file is no store: nothing to follow, nothing grows
        QTRY_VERIFY_WITH_TIMEOUT(!follower.isActive(), 30000);
        QVERIFY(!s.isRunning());
        QVERIFY(!s.isGrowing());
        s.stop();
    }

    void liveSource() {
        LiveSession session;
        LiveSource s(&session, 0.05);
        QCOMPARE(s.kind(), DataSource::Kind::Live);
        QVERIFY(s.isLive());
        QVERIFY(s.path().isEmpty());
        QCOMPARE(s.title(), QStringLiteral("Live: ") + kHost);
        QCOMPARE(s.statusLabel(), QStringLiteral("Live (stopped): ") + kHost);
        QVERIFY(!s.isRunning());
        QSignalSpy data(&s, &DataSource::dataAppended);
        s.start();
        QVERIFY(s.recording());
        QCOMPARE(s.recording(), session.recording());  // a fresh one, filled as it samples
        QVERIFY(s.isRunning());
        QVERIFY(s.isGrowing());
        QCOMPARE(s.sampleInterval(), std::optional<double>(0.05));
        QCOMPARE(s.statusLabel(), QStringLiteral("Live: ") + kHost);
        QTRY_VERIFY_WITH_TIMEOUT(data.count() > 0, 30000);
        s.stop();
        QVERIFY(!session.isRunning());
        QCOMPARE(s.statusLabel(), QStringLiteral("Live (stopped): ") + kHost);
        QVERIFY(!s.recording()->timeline.system.empty());  // the data stays
    }

    void agentSource() {
        AgentClient client;
        AgentSource s(&client, deadAgent());
        QCOMPARE(s.kind(), DataSource::Kind::Agent);
        QVERIFY(s.isLive());
        QVERIFY(s.path().isEmpty());
        QCOMPARE(s.title(), QStringLiteral("Agent: 127.0.0.1:1"));
        QCOMPARE(s.statusLabel(), QStringLiteral("Agent (disconnected): 127.0.0.1:1"));
        QVERIFY(!s.isRunning());
        QSignalSpy messages(&s, &DataSource::message);
        s.start();
        QVERIFY(s.isRunning());
        QCOMPARE(s.recording(), client.recording());
        QCOMPARE(s.statusLabel(), QStringLiteral("Agent: 127.0.0.1:1"));
        // The refused connection is news for the status bar.
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == AgentClient::State::Retrying, 30000);
        QVERIFY(messages.count() > 0);
        s.stop();
        QCOMPARE(client.state(), AgentClient::State::Idle);
        QVERIFY(!s.isRunning());
        QCOMPARE(s.statusLabel(), QStringLiteral("Agent (disconnected): 127.0.0.1:1"));
        QCOMPARE(s.recording(), client.recording());  // the data stays
    }

    void prometheusSource() {
        auto rec = load(kTimeline);
        PrometheusSource s(rec, QStringLiteral("node_exporter cpu"));
        QCOMPARE(s.kind(), DataSource::Kind::Prometheus);
        QVERIFY(!s.isLive());
        QVERIFY(!s.isRunning());
        QCOMPARE(s.title(), QStringLiteral("node_exporter cpu"));
        QCOMPARE(s.path(), QStringLiteral("prometheus:node_exporter cpu"));
        QCOMPARE(s.recording(), rec);
    }

    void baselineSource() {
        QString error;
        auto s = BaselineSource::open(kTimeline, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->kind(), DataSource::Kind::Baseline);
        QVERIFY(!s->isLive());
        QCOMPARE(s->title(), QStringLiteral("timeline.json"));
        QCOMPARE(s->statusLabel(), QStringLiteral("Baseline: timeline.json"));
        QCOMPARE(s->recording()->timeline.system.size(), std::size_t(120));
        const QString missing = QStringLiteral("/nonexistent/base.json");
        QVERIFY(!BaselineSource::open(missing, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
    }

    // file → live → agent → file: each switch shows the new source only; the old source is
    // gone and what its worker still says no longer reaches the window.
    void switchingSourcesLeavesNoStaleState() {
        MainWindow w;
        w.resize(1200, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* intervalBox = w.findChild<QDoubleSpinBox*>(QStringLiteral("intervalBox"));
        QVERIFY(intervalBox);

        QVERIFY(openAndWait(w, kTimeline));
        QPointer<DataSource> file = w.source();
        QVERIFY(file);
        QCOMPARE(file->kind(), DataSource::Kind::File);
        QVERIFY(!intervalBox->isVisibleTo(&w));  // live-only controls hidden for a file
        QVERIFY(!w.showingAgent());

        // Live.
        w.setLiveInterval(0.05);
        QVERIFY(w.startLive());
        QPointer<DataSource> live = w.source();
        QCOMPARE(live->kind(), DataSource::Kind::Live);
        QCOMPARE(w.recording(), std::shared_ptr<const core::Recording>(w.liveSession()->recording()));
        QVERIFY(w.currentFile().isEmpty());
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Live: ")));
        QVERIFY(intervalBox->isVisibleTo(&w));
        // The follower that the file had is stopped; what it might still say is not shown.
        emit w.storeFollower()->failed(QStringLiteral("stale follower"));
        QVERIFY(!w.statusBar()->currentMessage().contains(QStringLiteral("stale follower")));
        QTRY_VERIFY_WITH_TIMEOUT(file.isNull(), 30000);  // deleted, not kept around
        QTRY_VERIFY_WITH_TIMEOUT(w.recording()->timeline.system.size() >= 2, 30000);

        // Agent.
        w.connectToAgent(deadAgent());
        QPointer<DataSource> agent = w.source();
        QCOMPARE(agent->kind(), DataSource::Kind::Agent);
        QVERIFY(w.showingAgent());
        QVERIFY(!w.liveSession()->isRunning());
        QCOMPARE(w.recording(), std::shared_ptr<const core::Recording>(w.agentClient()->recording()));
        QVERIFY2(w.statusText().contains(QStringLiteral("Agent: 127.0.0.1:1")), qPrintable(w.statusText()));
        // The stopped live session's worker: a late failure or rows reach neither the error
        // dialog nor the chart.
        const auto agentRecording = w.recording();
        emit w.liveSession()->startFailed(QStringLiteral("stale live"));
        emit w.liveSession()->samplesAppended();
        QVERIFY(!errorDialogShown(w));
        QTRY_VERIFY_WITH_TIMEOUT(live.isNull(), 30000);
        emit w.liveSession()->startFailed(QStringLiteral("stale live"));
        QVERIFY(!errorDialogShown(w));
        QCOMPARE(w.recording(), agentRecording);
        // The shown agent's news do reach the status bar (the same path the stale ones would take).
        emit w.agentClient()->stateChanged(AgentClient::State::Retrying, QStringLiteral("agent news"));
        QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("agent news"));

        // Back to a file.
        QVERIFY(openAndWait(w, kTimeline));
        QCOMPARE(w.source()->kind(), DataSource::Kind::File);
        QCOMPARE(w.agentClient()->state(), AgentClient::State::Idle);
        QVERIFY(!w.showingAgent());
        emit w.agentClient()->stateChanged(AgentClient::State::Retrying, QStringLiteral("stale agent"));
        QVERIFY(w.statusBar()->currentMessage() != QStringLiteral("stale agent"));
        QTRY_VERIFY_WITH_TIMEOUT(agent.isNull(), 30000);
        emit w.agentClient()->stateChanged(AgentClient::State::Retrying, QStringLiteral("stale agent"));
        QVERIFY(w.statusBar()->currentMessage() != QStringLiteral("stale agent"));
        QVERIFY(!w.liveSession()->isRunning());
        QCOMPARE(w.recording()->timeline.system.size(), std::size_t(120));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("timeline.json")));
        QVERIFY2(!w.statusText().contains(QStringLiteral("Agent")) && !w.statusText().contains(QStringLiteral("Live")),
                 qPrintable(w.statusText()));
        QVERIFY(!intervalBox->isVisibleTo(&w));
        QVERIFY(!w.timelineView()->followLatest());  // a file is not followed
        QVERIFY(!errorDialogShown(w));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestDataSources)
#include "tst_datasources.moc"
