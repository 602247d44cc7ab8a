// LiveControl on its own, with a real LiveSession and AgentClient and a ShowSource that keeps
// what it is handed: the interval and live window (their boxes, the settings, the session's
// interval), Start handing a LiveSource that tracks the picker's processes, Stop stopping what it
// handed, and an agent's connection handed as an AgentSource whose Stop says it disconnected.
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/agentclient.h"
#include "app/gui/appsettings.h"
#include "app/gui/datasource.h"
#include "app/gui/livecontrol.h"
#include "app/gui/livesession.h"
#include "widgets/processpicker.h"

using loadline::app::AgentClient;
using loadline::app::AgentEndpoint;
using loadline::app::DataSource;
using loadline::app::LiveControl;
using loadline::app::LiveSession;
namespace settings = loadline::app::settings;

class TestLiveControl : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_livecontrol"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
    }

    void intervalAndWindowAreRemembered() {
        QSettings().setValue(settings::kInterval, 2.5);
        QSettings().setValue(settings::kWindow, 600.0);
        QWidget window;
        LiveSession session;
        AgentClient agent;
        LiveControl control(
            &session, &agent, [](std::unique_ptr<DataSource>) {}, &window);
        // Read from the settings, into the boxes (the window box in minutes).
        QCOMPARE(control.intervalBox()->value(), 2.5);
        QCOMPARE(control.windowBox()->value(), 10.0);
        QCOMPARE(control.windowSeconds(), 600.0);
        QCOMPARE(window.findChild<QDoubleSpinBox*>(QStringLiteral("intervalBox")), control.intervalBox());
        QCOMPARE(window.findChild<QDoubleSpinBox*>(QStringLiteral("windowBox")), control.windowBox());

        QSignalSpy interval(&control, &LiveControl::intervalChanged);
        QSignalSpy windowSpan(&control, &LiveControl::windowChanged);
        control.setInterval(1.5);
        QCOMPARE(control.intervalBox()->value(), 1.5);
        QCOMPARE(session.interval(), 1.5);
        QCOMPARE(QSettings().value(settings::kInterval).toDouble(), 1.5);
        QCOMPARE(interval.count(), 1);
        control.setWindow(120.0);
        QCOMPARE(control.windowBox()->value(), 2.0);
        QCOMPARE(QSettings().value(settings::kWindow).toDouble(), 120.0);
        QCOMPARE(windowSpan.count(), 1);

        // Typing into the box is the same as setInterval.
        control.intervalBox()->setValue(0.25);
        QCOMPARE(session.interval(), 0.25);
        QCOMPARE(QSettings().value(settings::kInterval).toDouble(), 0.25);
        QCOMPARE(interval.count(), 2);
        control.windowBox()->setValue(3.0);
        QCOMPARE(QSettings().value(settings::kWindow).toDouble(), 180.0);

        // writeSettings keeps what the boxes show.
        QSettings().setValue(settings::kInterval, 9.0);
        control.writeSettings();
        QCOMPARE(QSettings().value(settings::kInterval).toDouble(), 0.25);
    }

    void startHandsALiveSourceAndStopStopsIt() {
        QWidget window;
        LiveSession session;
        AgentClient agent;
        std::unique_ptr<DataSource> shown;
        int handed = 0;
        LiveControl control(
            &session, &agent,
            [&](std::unique_ptr<DataSource> s) {
                ++handed;
                if (shown) shown->stop();  // as the window does: one source shown at a time
                shown = std::move(s);
                shown->start();
            },
            &window);
        loadline::widgets::ProcessPicker picker;
        control.setPicker(&picker);
        const int self = static_cast<int>(QCoreApplication::applicationPid());
        picker.setTrackedPids({self});

        control.start();
        QCOMPARE(handed, 1);
        QVERIFY(shown);
        QCOMPARE(shown->kind(), DataSource::Kind::Live);
        QVERIFY(shown->isRunning());
        QCOMPARE(session.trackedPids(), QList<int>{self});  // the picker's processes
        control.start();                                    // sampling already: nothing new
        QCOMPARE(handed, 1);

        control.stop();
        QVERIFY(!session.isRunning());
        QVERIFY(!shown->isRunning());
        QVERIFY(shown->recording());  // the data stays

        // An agent: handed as an AgentSource; Stop disconnects and says so.
        AgentEndpoint dead;
        dead.host = QStringLiteral("127.0.0.1");
        dead.port = 1;  // nothing answers: the client keeps retrying
        control.connectToAgent(dead);
        QCOMPARE(handed, 2);
        QCOMPARE(shown->kind(), DataSource::Kind::Agent);
        QVERIFY(shown->isRunning());
        QSignalSpy said(&control, &LiveControl::message);
        control.stop();
        QVERIFY(!shown->isRunning());
        QCOMPARE(said.count(), 1);
        QCOMPARE(said.first().at(0).toString(), QStringLiteral("Disconnected from the agent"));
        control.stop();  // nothing runs: nothing to say
        QCOMPARE(said.count(), 1);

        // What was handed and then dropped is not stopped again.
        shown.reset();
        control.stop();
        QCOMPARE(said.count(), 1);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestLiveControl)
#include "tst_livecontrol.moc"
