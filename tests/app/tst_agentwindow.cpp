// Live → Connect to Agent… in the main window: a real agent's load fills the chart (pixels of the
// light-blue system area), its processes are listed, and a lost agent is reported in the status bar.
#include <csignal>

#include <QAction>
#include <QSettings>
#include <QTemporaryDir>
#include <QMenu>
#include <QStatusBar>
#include <QDockWidget>
#include <QTest>

#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimer>

#include "app/gui/agentclient.h"
#include "app/gui/agentdialog.h"
#include "app/gui/mainwindow.h"
#include "serveprocess.h"
#include "testpki.h"
#include "widgets/timelineview.h"

using loadline::app::AgentClient;
using loadline::app::MainWindow;
using namespace loadline::testing;

namespace {
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
}  // namespace

class TestAgentWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());  // the window's settings stay out of the user's
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_agentwindow"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
    }
    void connectShowsTheAgentInTheChart();
    void connectDialogReachesAnHttpsAgent();

private:
    QTemporaryDir m_settingsDir;
};

void TestAgentWindow::connectShowsTheAgentInTheChart() {
    const pid_t sleeper = spawnProgram({"/bin/sleep", "300"}, "/dev/null");
    struct Reaper {  // also when a check fails and returns early
        pid_t pid;
        ~Reaper() {
            ::kill(pid, SIGKILL);
            waitForExit(pid, 10);
        }
    } reaper{sleeper};
    auto server =
        std::make_unique<ServeProcess>(std::vector<std::string>{"--interval", "0.2", "--pid", std::to_string(sleeper)});
    QVERIFY2(server->ok(), server->log().c_str());

    MainWindow w;
    w.resize(1000, 700);
    w.show();
    QAction* action = w.findChild<QAction*>(QStringLiteral("connectAgentAction"));
    QVERIFY(action);
    QVERIFY(w.menu(MainWindow::Menu::Live)->actions().contains(action));

    w.connectToAgent(QStringLiteral("127.0.0.1"), quint16(server->port()));
    QCOMPARE(w.recording(), std::shared_ptr<const loadline::core::Recording>(w.agentClient()->recording()));
    QTRY_VERIFY_WITH_TIMEOUT(w.recording()->timeline.system.size() >= 5, 30000);
    QVERIFY(w.recording()->timeline.processes.count(sleeper));
    // The window says what it shows: the agent, at the agent's interval (not "Live: this host").
    const QString agent = QStringLiteral("127.0.0.1:%1").arg(server->port());
    QVERIFY(w.showingAgent());
    QVERIFY2(w.windowTitle().startsWith(QStringLiteral("Agent: ") + agent), qPrintable(w.windowTitle()));
    QVERIFY2(w.statusText().contains(QStringLiteral("every 0.2 s")), qPrintable(w.statusText()));
    QVERIFY2(w.statusText().contains(QStringLiteral("Agent: ") + agent), qPrintable(w.statusText()));
    QVERIFY2(!w.statusText().contains(QStringLiteral("Live")), qPrintable(w.statusText()));
    auto* picker = w.findChild<QDockWidget*>(QStringLiteral("processesPanel"));
    QVERIFY(picker && !picker->isVisible());  // this machine's processes are not the agent's

    // Memory use is never 0 %: the light-blue system area (#ADD8E6) must be drawn.
    w.timelineView()->setMetric(loadline::widgets::Metric::Memory);
    w.timelineView()->setFollowLatest(false);  // the whole (short) history, not a 5-minute window
    w.timelineView()->resetZoom();
    const QImage chart = w.timelineView()->renderImage(QSize(800, 450));
    QVERIFY2(countColor(chart, QColor(0xAD, 0xD8, 0xE6)) > 500, "no system area in the chart");

    server->terminate();
    QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("lost")), 30000);
    QCOMPARE(w.agentClient()->state(), AgentClient::State::Retrying);
    // Stop ends the retrying; the data stays on screen.
    QAction* stopAction = nullptr;
    for (QAction* a : w.menu(MainWindow::Menu::Live)->actions())
        if (a->shortcut() == QKeySequence(Qt::SHIFT | Qt::Key_F5)) stopAction = a;
    QVERIFY(stopAction && stopAction->isEnabled());
    const std::size_t rows = w.recording()->timeline.system.size();
    stopAction->trigger();
    QCOMPARE(w.agentClient()->state(), AgentClient::State::Idle);
    QVERIFY(!stopAction->isEnabled());
    QCOMPARE(w.recording()->timeline.system.size(), rows);
    QVERIFY2(w.statusText().contains(QStringLiteral("disconnected")), qPrintable(w.statusText()));
}

// Live → Connect to Agent… filled in as a user would (https, the CA file): the agent's samples
// arrive; with another CA the status bar says the certificate is not trusted.
void TestAgentWindow::connectDialogReachesAnHttpsAgent() {
    TempDir dir;
    TestPki pki(dir.path());
    QVERIFY2(pki.makeCa("ca") && pki.makeCa("otherca"), pki.log().c_str());
    QVERIFY2(pki.makeCert("ca", "agent", "localhost", "DNS:localhost"), pki.log().c_str());
    ServeProcess server({"--interval", "0.2", "--tls-cert", pki.pem("agent"), "--tls-key", pki.key("agent")});
    QVERIFY2(server.ok(), server.log().c_str());

    MainWindow w;
    w.resize(1000, 700);
    w.show();
    QAction* action = w.findChild<QAction*>(QStringLiteral("connectAgentAction"));
    QVERIFY(action);
    bool firstFill = true;
    QString dialogProblem;  // checked after the dialog closed (a failing check inside would leave it open)
    auto fillAndAccept = [&](const std::string& ca, const QString& shot) {
        QTimer::singleShot(0, [&, ca, shot] {
            auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!d) {
                dialogProblem = QStringLiteral("no modal dialog");
                return;
            }
            auto* https = d->findChild<QCheckBox*>(QStringLiteral("agentHttps"));
            auto* caEdit = d->findChild<QLineEdit*>(QStringLiteral("agentCaFile"));
            if (!https || !caEdit) {
                dialogProblem = QStringLiteral("no HTTPS box or CA file field");
                d->reject();
                return;
            }
            if (firstFill && caEdit->isEnabled()) dialogProblem = QStringLiteral("CA file editable without HTTPS");
            firstFill = false;
            d->findChild<QLineEdit*>(QStringLiteral("agentHost"))->setText(QStringLiteral("localhost"));
            d->findChild<QSpinBox*>(QStringLiteral("agentPort"))->setValue(server.port());
            https->setChecked(true);
            if (!caEdit->isEnabled()) dialogProblem = QStringLiteral("CA file not editable with HTTPS");
            caEdit->setText(QString::fromStdString(ca));
            if (!shot.isEmpty()) d->grab().save(shot);
            d->accept();
        });
        action->trigger();
    };
    const QString shot = qEnvironmentVariable("LOADLINE_SCREENSHOT_DIR");
    fillAndAccept(pki.pem("ca"), shot.isEmpty() ? QString() : shot + QStringLiteral("/agent_dialog_https.png"));
    QVERIFY2(dialogProblem.isEmpty(), qPrintable(dialogProblem));
    QTRY_VERIFY_WITH_TIMEOUT(w.agentClient()->state() == AgentClient::State::Live, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.recording()->timeline.system.size() >= 3, 30000);
    QCOMPARE(w.agentClient()->lastRequestUrl().scheme(), QStringLiteral("https"));

    fillAndAccept(pki.pem("otherca"), QString());
    QVERIFY2(dialogProblem.isEmpty(), qPrintable(dialogProblem));
    QTRY_VERIFY_WITH_TIMEOUT(w.agentClient()->state() == AgentClient::State::Failed, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("signed by an unknown CA")),
                             10000);
}

QTEST_MAIN(TestAgentWindow)
#include "tst_agentwindow.moc"
